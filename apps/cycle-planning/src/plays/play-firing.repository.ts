import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Collection, Filter } from 'mongodb';
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
      { key: { 'action.outcome': 1, 'action.completedAt': 1, 'action.dueDate': 1 }, name: 'open_tasks' },
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

  /**
   * P1 + C9: the firings whose one-off task is open (`action.completedAt` null or absent), by
   * account, by the owner it was given, and due before a day (`YYYY-MM-DD`, exclusive).
   */
  async openTasks(filter: { accountId?: string; ownerId?: string; dueBefore?: string }): Promise<PlayFiring[]> {
    const query: Filter<PlayFiringDocument> = { 'action.outcome': { $eq: 'task-created' }, 'action.completedAt': null };
    if (filter.accountId !== undefined) query.accountId = { $eq: filter.accountId };
    if (filter.ownerId !== undefined) query['action.ownerId'] = { $eq: filter.ownerId };
    if (filter.dueBefore !== undefined) query['action.dueDate'] = { $lt: filter.dueBefore };
    const docs = await this.collection.find(query, { projection: { outbox: 0 } }).toArray();
    return docs.map(toFiring);
  }

  /**
   * P1: marks the firing's one-off task done at `at` with its event in the same update, only if it
   * is still open: false when it was completed meanwhile (or the firing made no task).
   */
  async completeTask(id: string, at: Date, event: AnyEnvelope): Promise<boolean> {
    const result = await this.collection.updateOne(
      { _id: id, 'action.outcome': { $eq: 'task-created' }, 'action.completedAt': null },
      { $set: { 'action.completedAt': at }, $push: { outbox: event } },
    );
    return result.matchedCount > 0;
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
