import type { Collection, Document, IndexDescription } from 'mongodb';

/**
 * Creates the indexes a repository declares, one at a time and only those missing: the embedded
 * engine drops the connection when `createIndexes` is asked for several indexes that already
 * exist, and a missing one is the only one worth a round trip anyway.
 */
export async function ensureIndexes<T extends Document>(collection: Collection<T>, indexes: readonly IndexDescription[]): Promise<void> {
  const existing = new Set(
    (
      await collection
        .listIndexes()
        .toArray()
        .catch(() => [] as Document[])
    ).map((index) => String((index as { name?: unknown }).name)),
  );
  for (const index of indexes) {
    if (index.name !== undefined && existing.has(index.name)) continue;
    await collection.createIndexes([{ ...index, key: { ...index.key } }]);
  }
}
