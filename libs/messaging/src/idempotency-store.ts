import type { Collection } from 'mongodb';
import { insertUnique, type Storage } from '@lifecycle/storage';

interface ProcessedEvent {
  _id: string;
  group: string;
  type: string;
  appliedAt: Date;
}

/** Remembers which event ids a consumer group has applied (exactly-once effect on redelivery). */
export interface IdempotencyStore {
  has(eventId: string): Promise<boolean>;
  remember(eventId: string, type: string): Promise<void>;
}

/**
 * One document per applied event id in the service's own database (`processed_events`, `_id` =
 * event id: the unique primary key is the guard, atomic on every engine). Old entries can be pruned
 * by `appliedAt` (TTL indexes are not available on every engine).
 */
export class MongoIdempotencyStore implements IdempotencyStore {
  private readonly collection: Collection<ProcessedEvent>;

  constructor(
    storage: Storage,
    private readonly group: string,
    collectionName = 'processed_events',
  ) {
    this.collection = storage.collection<ProcessedEvent>(collectionName);
  }

  async has(eventId: string): Promise<boolean> {
    // A primary-key `findOne`: every engine serves it from the `_id` index (`countDocuments` may scan).
    return (await this.collection.findOne({ _id: `${this.group}:${eventId}` }, { projection: { _id: 1 } })) !== null;
  }

  async remember(eventId: string, type: string): Promise<void> {
    await insertUnique(this.collection, { _id: `${this.group}:${eventId}`, group: this.group, type, appliedAt: new Date() });
  }
}
