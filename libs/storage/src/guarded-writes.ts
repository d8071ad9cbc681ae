import type { Collection, Document, Filter, OptionalUnlessRequiredId, UpdateFilter } from 'mongodb';

/** A unique index violation (code 11000 on every engine; the embedded one names no index). */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * Inserts a document unless one with its `_id` (or another unique key) exists: the unique insert
 * is the compare-and-set every engine performs atomically. False when the key was taken.
 */
export async function insertUnique<T extends Document>(collection: Collection<T>, document: OptionalUnlessRequiredId<T>): Promise<boolean> {
  return falseOnDuplicateKey(async () => {
    await collection.insertOne(document);
    return true;
  });
}

/** The write's answer, or false when a unique index refused it. */
async function falseOnDuplicateKey(write: () => Promise<boolean>): Promise<boolean> {
  try {
    return await write();
  } catch (e) {
    if (isDuplicateKeyError(e)) return false;
    throw e;
  }
}

/** A document keyed by an upstream entity's id that holds the time of the facts it last applied. */
export interface FactsDocument {
  _id: string;
  factsAt: Date;
}

/**
 * Writes an upstream entity's facts only when no newer ones were applied before (CRM events of
 * one account may arrive out of order across restarts): the filter matches the document only
 * while its `factsAt` is not later, and when it is later the upsert's insert collides on `_id`
 * — false, nothing written. One single-document write, so it needs no transaction.
 */
export async function upsertUnlessNewer<T extends FactsDocument>(
  collection: Collection<T>,
  id: string,
  occurredAt: Date,
  set: Partial<T>,
  onInsert: Partial<T>,
): Promise<boolean> {
  const filter = { _id: id, factsAt: { $lte: occurredAt } } as Filter<T>;
  const update = { $set: set, ...(Object.keys(onInsert).length > 0 ? { $setOnInsert: onInsert } : {}) } as UpdateFilter<T>;
  return falseOnDuplicateKey(async () => {
    const result = await collection.updateOne(filter, update, { upsert: true });
    return result.matchedCount + result.upsertedCount > 0;
  });
}

/** A document keyed by an upstream entity's id that holds the version it last applied. */
export interface VersionedDocument {
  _id: string;
  version: number;
}

/**
 * Keeps `set` only if `version` is higher than the stored one, so replays and out-of-order
 * deliveries never roll a replica back: an existing document with the same or a higher version
 * does not match the filter, and the upsert then collides with its `_id`. Whether it was stored.
 */
export async function upsertIfNewerVersion<T extends VersionedDocument>(
  collection: Collection<T>,
  id: string,
  set: Partial<T>,
): Promise<boolean> {
  const filter = { _id: id, version: { $lt: set.version } } as Filter<T>;
  return falseOnDuplicateKey(async () => {
    const result = await collection.updateOne(filter, { $set: set } as UpdateFilter<T>, { upsert: true });
    return result.modifiedCount + result.upsertedCount > 0;
  });
}
