import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { ensureIndexes, insertUnique, Storage } from '@lifecycle/storage';
import type { PlayFiring } from '../domain';

/**
 * `play_firings` (P2): one document per firing, `_id` = the firing id (name-based on the play and
 * the trigger event id), so a firing can be recorded once only; its `play.fired` event leaves in
 * the document's `outbox` (written in the same insert).
 */
export const PLAY_FIRING_COLLECTION = 'play_firings';

interface PlayFiringDocument extends Omit<PlayFiring, 'id'> {
  _id: string;
  outbox: AnyEnvelope[];
}

@Injectable()
export class PlayFiringRepository implements OnModuleInit {
  private readonly collection: Collection<PlayFiringDocument>;

  constructor(storage: Storage) {
    this.collection = storage.collection<PlayFiringDocument>(PLAY_FIRING_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.collection, [
      { key: { playId: 1, firedAt: -1 }, name: 'play_fired' },
      { key: { accountId: 1, firedAt: -1 }, name: 'account_fired' },
    ]);
  }

  async get(id: string): Promise<PlayFiring | undefined> {
    const doc = await this.collection.findOne({ _id: id }, { projection: { outbox: 0 } });
    return doc ? toFiring(doc) : undefined;
  }

  /** Records the firing with its event; false when it was recorded already (a redelivery, P2). */
  async record(firing: PlayFiring, event: AnyEnvelope): Promise<boolean> {
    const { id, ...fields } = firing;
    return insertUnique(this.collection, { _id: id, ...fields, outbox: [event] });
  }

  /** Newest first. */
  async page(
    filter: { playId?: string; accountId?: string },
    skip: number,
    limit: number,
  ): Promise<{ items: PlayFiring[]; total: number }> {
    const query = {
      ...(filter.playId === undefined ? {} : { playId: { $eq: filter.playId } }),
      ...(filter.accountId === undefined ? {} : { accountId: { $eq: filter.accountId } }),
    };
    const [docs, total] = await Promise.all([
      this.collection
        .find(query, { projection: { outbox: 0 } })
        .sort({ firedAt: -1, _id: 1 })
        .skip(skip)
        .limit(limit)
        .toArray(),
      this.collection.countDocuments(query),
    ]);
    return { items: docs.map(toFiring), total };
  }
}

function toFiring(doc: Omit<PlayFiringDocument, 'outbox'> & { outbox?: unknown }): PlayFiring {
  return {
    id: doc._id,
    playId: doc.playId,
    playName: doc.playName,
    accountId: doc.accountId,
    trigger: doc.trigger,
    action: doc.action,
    firedAt: doc.firedAt,
  };
}
