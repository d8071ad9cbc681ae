import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { insertUnique, Storage } from '@lifecycle/storage';
import { SLA_WATCH_COLLECTION, type SlaWatchDocument } from './sla-watch.schema';

export type SlaWatch = Omit<SlaWatchDocument, '_id' | 'outbox'> & { id: string };

export interface SlaWatchWrite {
  entryChangeId: string | null;
  published: string[];
  nextAt: Date | null;
  lookedAt: Date;
  /** Queued in the same update; the `Outbox` publishes them. */
  events: AnyEnvelope[];
}

@Injectable()
export class SlaWatchRepository {
  private readonly collection: Collection<SlaWatchDocument>;

  constructor(storage: Storage) {
    this.collection = storage.collection<SlaWatchDocument>(SLA_WATCH_COLLECTION);
  }

  async get(id: string): Promise<SlaWatch | undefined> {
    const doc = await this.collection.findOne({ _id: id }, { projection: { outbox: 0 } });
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { ...rest, id: _id };
  }

  /** Inserts the first watch of a pair or updates the one read at its version; false = someone wrote first. */
  async write(id: string, accountId: string, attributeKey: string, expected: SlaWatch | undefined, next: SlaWatchWrite): Promise<boolean> {
    const { events, ...fields } = next;
    if (expected === undefined) {
      return insertUnique(this.collection, { _id: id, accountId, attributeKey, version: 1, ...fields, outbox: events });
    }
    const result = await this.collection.updateOne(
      { _id: id, version: expected.version },
      { $set: fields, $inc: { version: 1 }, ...(events.length > 0 ? { $push: { outbox: { $each: events } } } : {}) },
    );
    return result.matchedCount === 1;
  }
}
