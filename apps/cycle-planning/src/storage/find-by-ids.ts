import type { Collection, Document, Filter, FindOptions, WithId } from 'mongodb';

/** Exact-`_id` reads in flight at once. */
const PARALLEL = 16;

/**
 * Reads documents by `_id`, one exact `_id` query each, a few at a time. FerretDB v1 serves only an
 * exact `_id` value from an index (`$in` decodes every document of the collection, once per call);
 * on MongoDB both are index lookups. Missing ids are left out.
 */
export async function findByIds<T extends Document & { _id: string }>(
  collection: Collection<T>,
  ids: readonly string[],
  options: FindOptions = {},
): Promise<WithId<T>[]> {
  const distinct = [...new Set(ids)];
  const found: WithId<T>[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < distinct.length) {
      const doc = await collection.findOne({ _id: distinct[next++]! } as Filter<T>, options);
      if (doc) found.push(doc);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, distinct.length) }, lane));
  return found;
}
