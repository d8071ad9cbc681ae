import type { Collection } from 'mongodb';
import { insertUnique, isDuplicateKeyError, type Storage } from '@lifecycle/storage';

interface ProcessedEvent {
  _id: string;
  group: string;
  type: string;
  appliedAt: Date;
}

/** Remembers which event ids a consumer group has applied (exactly-once effect on redelivery). */
export interface IdempotencyStore {
  /** The ids among `eventIds` that were applied already. */
  appliedOf(eventIds: readonly string[]): Promise<Set<string>>;
  /** Records applied events; an id recorded before is no error. */
  rememberAll(events: readonly { id: string; type: string }[]): Promise<void>;
}

/**
 * One document per applied event id in the service's own database (`processed_events`, `_id` =
 * group + event id: the unique primary key is the guard, atomic on every engine). A batch is one
 * read by ids and one unordered insert. Old entries can be pruned by `appliedAt` (TTL indexes are
 * not available on every engine).
 */
export class MongoIdempotencyStore implements IdempotencyStore {
  private readonly collection: Collection<ProcessedEvent>;

  constructor(
    private readonly storage: Storage,
    private readonly group: string,
    collectionName = 'processed_events',
  ) {
    this.collection = storage.collection<ProcessedEvent>(collectionName);
  }

  private idOf(eventId: string): string {
    return `${this.group}:${eventId}`;
  }

  async appliedOf(eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const prefix = `${this.group}:`;
    const found = await this.storage.findByIds(
      this.collection,
      eventIds.map((id) => this.idOf(id)),
      { projection: { _id: 1 } },
    );
    return new Set(found.map((d) => d._id.slice(prefix.length)));
  }

  async rememberAll(events: readonly { id: string; type: string }[]): Promise<void> {
    if (events.length === 0) return;
    const appliedAt = new Date();
    const documents = events.map((e) => ({ _id: this.idOf(e.id), group: this.group, type: e.type, appliedAt }));
    for (const chunk of this.storage.chunks(documents)) {
      try {
        await this.collection.insertMany(chunk, { ordered: false });
      } catch (e) {
        // An id remembered before (a redelivery after a crash between apply and remember): the
        // chunk again one by one, since not every engine goes on past the first failed insert.
        if (!onlyDuplicateKeys(e)) throw e;
        for (const document of chunk) await insertUnique(this.collection, document);
      }
    }
  }
}

/** An unordered insert whose every failure is a duplicate key. */
function onlyDuplicateKeys(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? (writeErrors as unknown[]) : writeErrors ? [writeErrors] : [];
  if (list.length === 0) return isDuplicateKeyError(error);
  return list.every((w) => isDuplicateKeyError(w));
}
