import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { ensureIndexes, Storage } from '@lifecycle/storage';
import type { Play, PlayAction, PlayTrigger, PlayTriggerType } from '../domain';

/** `plays` (P1): one document per play, `_id` = its id; `version` counts the edits. */
export const PLAY_COLLECTION = 'plays';

interface PlayDocument {
  _id: string;
  name: string;
  trigger: PlayTrigger;
  action: PlayAction;
  paused: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export type PlayFields = Pick<Play, 'name' | 'trigger' | 'action' | 'paused'>;

@Injectable()
export class PlayRepository implements OnModuleInit {
  private readonly collection: Collection<PlayDocument>;

  constructor(storage: Storage) {
    this.collection = storage.collection<PlayDocument>(PLAY_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.collection, [{ key: { 'trigger.type': 1, paused: 1 }, name: 'trigger_paused' }]);
  }

  async get(id: string): Promise<Play | undefined> {
    const doc = await this.collection.findOne({ _id: id });
    return doc ? toPlay(doc) : undefined;
  }

  async page(skip: number, limit: number): Promise<{ items: Play[]; total: number }> {
    const [docs, total] = await Promise.all([
      this.collection.find({}).sort({ createdAt: 1, _id: 1 }).skip(skip).limit(limit).toArray(),
      this.collection.countDocuments({}),
    ]);
    return { items: docs.map(toPlay), total };
  }

  /** The plays that are not paused and react to `type` (P2: a paused play records nothing). */
  async active(type: PlayTriggerType): Promise<Play[]> {
    const docs = await this.collection.find({ 'trigger.type': { $eq: type }, paused: { $eq: false } }).toArray();
    return docs.map(toPlay);
  }

  async insert(id: string, fields: PlayFields, now: Date): Promise<Play> {
    const doc: PlayDocument = { _id: id, ...fields, version: 1, createdAt: now, updatedAt: now };
    await this.collection.insertOne(doc);
    return toPlay(doc);
  }

  /** The edit applies to `version` only (a concurrent edit wins once); undefined when the play or that version is gone. */
  async update(id: string, version: number, fields: PlayFields, now: Date): Promise<Play | undefined> {
    const result = await this.collection.updateOne(
      { _id: id, version: { $eq: version } },
      { $set: { ...fields, updatedAt: now }, $inc: { version: 1 } },
    );
    return result.matchedCount > 0 ? this.get(id) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: id })).deletedCount > 0;
  }
}

function toPlay(doc: PlayDocument): Play {
  return {
    id: doc._id,
    name: doc.name,
    trigger: doc.trigger,
    action: doc.action,
    paused: doc.paused,
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
