import type { Collection, Filter, UpdateFilter } from 'mongodb';

/** MongoDB and FerretDB report a unique index violation as code 11000 (FerretDB names no index). */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
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
 * — false, nothing written. One single-document write, so safe on FerretDB without transactions.
 */
export async function upsertUnlessNewer<T extends FactsDocument>(
  collection: Collection<T>,
  id: string,
  occurredAt: Date,
  set: Partial<T>,
  onInsert: Partial<T>,
): Promise<boolean> {
  try {
    const filter = { _id: id, factsAt: { $lte: occurredAt } } as Filter<T>;
    const update = { $set: set, ...(Object.keys(onInsert).length > 0 ? { $setOnInsert: onInsert } : {}) } as UpdateFilter<T>;
    const result = await collection.updateOne(filter, update, { upsert: true });
    return result.matchedCount + result.upsertedCount > 0;
  } catch (e) {
    if (isDuplicateKeyError(e)) return false;
    throw e;
  }
}
