import { randomUUID } from 'node:crypto';
import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { isDuplicateKeyError } from './guarded-writes';
import type { Storage } from './storage';

/** The field each versioned bulk write stamps, so a read-back tells its own writes from a rival's. */
export const WRITE_TOKEN_FIELD = 'writeToken';

/**
 * One document of a versioned bulk write: inserted when `expected` is undefined (first write),
 * else updated only while its version field still holds `expected`.
 */
export interface VersionedWrite {
  id: string;
  expected: number | undefined;
  /** The whole document for a first write, without its version field and token. */
  insert?: Document;
  /** The update (`$set`, `$push` …) of a later write; its version field and token are added here. */
  update?: { $set?: Document } & Document;
}

/**
 * Writes many documents under optimistic concurrency in unordered bulk writes (chunks of the
 * engine's limit) and answers which ids were written. Every write sets the version to
 * `expected + 1` and a token of this call; when the counts show that some writes did not apply
 * (a rival moved a version on, or created a document first), the documents are read back and a
 * write counts as done only where both the version and the token are this call's. The caller
 * redoes the others from fresh reads.
 */
export async function writeVersioned<T extends Document & { _id: string }>(
  storage: Storage,
  collection: Collection<T>,
  versionField: string,
  writes: readonly VersionedWrite[],
): Promise<Set<string>> {
  if (writes.length === 0) return new Set();
  const token = randomUUID();
  const operations = writes.map((w): AnyBulkWriteOperation<T> => {
    if (w.expected === undefined) {
      if (w.insert === undefined) throw new Error(`versioned write of ${w.id}: a first write needs its document`);
      const document = { ...w.insert, _id: w.id, [versionField]: 1, [WRITE_TOKEN_FIELD]: token };
      return { insertOne: { document } } as unknown as AnyBulkWriteOperation<T>;
    }
    if (w.update === undefined) throw new Error(`versioned write of ${w.id}: a later write needs its update`);
    const set = { ...(w.update.$set ?? {}), [versionField]: w.expected + 1, [WRITE_TOKEN_FIELD]: token };
    const filter = { _id: w.id, [versionField]: { $eq: w.expected } };
    return { updateOne: { filter, update: { ...w.update, $set: set } } } as unknown as AnyBulkWriteOperation<T>;
  });
  let applied = 0;
  try {
    for (const chunk of storage.chunks(operations)) {
      const result = await collection.bulkWrite(chunk, { ordered: false });
      applied += result.insertedCount + result.matchedCount;
    }
  } catch (e) {
    // A duplicate `_id` (a rival's first write) fails that insert alone; the read-back sorts it out.
    if (!isDuplicateKeyError(e) && !(e as { writeErrors?: unknown }).writeErrors) throw e;
    applied = -1;
  }
  const ids = writes.map((w) => w.id);
  if (applied === writes.length) return new Set(ids);
  const after = new Map(
    (await storage.findByIds(collection, ids, { projection: { [versionField]: 1, [WRITE_TOKEN_FIELD]: 1 } })).map((d) => [
      String(d._id),
      d as Document,
    ]),
  );
  return new Set(
    writes.flatMap((w) => {
      const doc = after.get(w.id);
      return doc && doc[versionField] === (w.expected ?? 0) + 1 && doc[WRITE_TOKEN_FIELD] === token ? [w.id] : [];
    }),
  );
}
