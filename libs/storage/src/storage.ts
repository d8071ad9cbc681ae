import type { AnyBulkWriteOperation, Collection, Db, Document, Filter, FindOptions, IndexDescription, WithId } from 'mongodb';
import { engineOf, type StorageEngine } from './engine';
import { ensureIndexes } from './indexes';
import { guardedCollection } from './query-guard';

/** Exact-`_id` reads in flight at once where reads by many ids go one by one. */
const PARALLEL_ID_READS = 16;

/**
 * A service's database and the engine behind it, chosen once when the connection opens. Every
 * repository gets its collections here (checked by the query guard) and writes in bulk or reads
 * by many ids through it, so the engine's limits are met in one place.
 */
export class Storage {
  private constructor(
    readonly db: Db,
    readonly engine: StorageEngine,
  ) {}

  /** Asks the server what it is (`buildInfo`) unless told; see `ENGINES` for the known ones. */
  static async open(db: Db, engine?: StorageEngine): Promise<Storage> {
    return new Storage(db, engine ?? engineOf(await db.admin().command({ buildInfo: 1 })));
  }

  /** The same database as it would be used on another engine (tests of a repository's other path). */
  as(engine: StorageEngine): Storage {
    return new Storage(this.db, engine);
  }

  collection<T extends Document>(name: string): Collection<T> {
    return guardedCollection(this.db.collection<T>(name));
  }

  /** See `ensureIndexes`: one at a time, only the missing ones. */
  async ensureIndexes<T extends Document>(collection: Collection<T>, indexes: readonly IndexDescription[]): Promise<void> {
    await ensureIndexes(collection, indexes);
  }

  /**
   * An unordered bulk write in chunks of the engine's `maxBulkOps` (the embedded engine never
   * answers a bulk write of 100 operations or more). A failed chunk throws; the chunks before it
   * are written.
   */
  async bulkWrite<T extends Document>(collection: Collection<T>, operations: readonly AnyBulkWriteOperation<T>[]): Promise<void> {
    for (const chunk of this.chunks(operations)) await collection.bulkWrite(chunk, { ordered: false });
  }

  /** Splits work into what one bulk write of this engine takes. */
  chunks<I>(items: readonly I[]): I[][] {
    const size = this.engine.maxBulkOps;
    const chunks: I[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
  }

  /**
   * Documents by `_id`, missing ids left out, in no particular order. Where the `_id` index serves
   * `$in` (`idSetLookups`) one query per chunk; otherwise one exact-`_id` query each, a few at a
   * time (FerretDB serves only an exact `_id` from an index: `$in` decodes every document).
   */
  async findByIds<T extends Document & { _id: string }>(
    collection: Collection<T>,
    ids: readonly string[],
    options: FindOptions = {},
  ): Promise<WithId<T>[]> {
    const distinct = [...new Set(ids)];
    if (this.engine.usableSecondaryIndexes || this.engine.idSetLookups) {
      const found: WithId<T>[] = [];
      for (const chunk of this.chunks(distinct))
        found.push(...(await collection.find({ _id: { $in: chunk } } as Filter<T>, options).toArray()));
      return found;
    }
    const found: WithId<T>[] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < distinct.length) {
        const doc = await collection.findOne({ _id: distinct[next++]! } as Filter<T>, options);
        if (doc) found.push(doc);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_ID_READS, distinct.length) }, lane));
    return found;
  }
}
