import type { Connection } from 'mongoose';

/** Remembers which event ids a consumer group has applied (exactly-once effect on redelivery). */
export interface IdempotencyStore {
  has(eventId: string): Promise<boolean>;
  remember(eventId: string, type: string): Promise<void>;
}

const DUPLICATE_KEY = 11000;

/**
 * One document per applied event id in the service's own database (`processed_events`, `_id` =
 * event id: the unique primary key is the guard; works on MongoDB and FerretDB alike). Old entries
 * can be pruned by `appliedAt` (FerretDB v1 has no TTL indexes).
 */
export class MongoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly connection: Connection,
    private readonly group: string,
    private readonly collectionName = 'processed_events',
  ) {}

  private get collection() {
    return this.connection.collection<{ _id: string; group: string; type: string; appliedAt: Date }>(this.collectionName);
  }

  async has(eventId: string): Promise<boolean> {
    // A primary-key `findOne`: FerretDB serves it without scanning (countDocuments scans).
    return (await this.collection.findOne({ _id: `${this.group}:${eventId}` }, { projection: { _id: 1 } })) !== null;
  }

  async remember(eventId: string, type: string): Promise<void> {
    try {
      await this.collection.insertOne({ _id: `${this.group}:${eventId}`, group: this.group, type, appliedAt: new Date() });
    } catch (e) {
      if ((e as { code?: number }).code !== DUPLICATE_KEY) throw e;
    }
  }
}
