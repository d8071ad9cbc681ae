import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';

/**
 * FerretDB v1.24 never answers a bulk write of 100 or more operations (checked against the real
 * server here): bulk writes go in chunks below that. On MongoDB the chunks cost nothing noticeable.
 */
export const BULK_WRITE_CHUNK = 50;

export async function chunkedBulkWrite<T extends Document>(
  collection: Collection<T>,
  operations: readonly AnyBulkWriteOperation<T>[],
): Promise<void> {
  for (let i = 0; i < operations.length; i += BULK_WRITE_CHUNK) {
    await collection.bulkWrite(operations.slice(i, i + BULK_WRITE_CHUNK), { ordered: false });
  }
}
