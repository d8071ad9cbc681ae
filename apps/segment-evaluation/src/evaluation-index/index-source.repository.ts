import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Storage } from '@lifecycle/storage';
import { ACCOUNT_PROJECTION_COLLECTION, type AccountProjectionDocument } from '../projection/account-projection.schema';
import { indexedAccountOf, type IndexedAccount } from './core/indexed-account';

const BATCH_SIZE = 1_000;

/** Left out of the read: what the index does not hold (the query keys, idempotency ids, the outbox). */
const NOT_INDEXED = { outbox: 0, membershipSeq: 0, factsAt: 0, updatedAt: 0 } as const;

/**
 * The index's base when it has no snapshot: one pass over the projection (S6), the store of
 * record, in storage order.
 */
@Injectable()
export class IndexSourceRepository {
  private readonly collection: Collection<AccountProjectionDocument>;

  constructor(storage: Storage) {
    this.collection = storage.collection<AccountProjectionDocument>(ACCOUNT_PROJECTION_COLLECTION);
  }

  /** Sizes the index's columns up front (an estimate: metadata, no scan). */
  async estimatedCount(): Promise<number> {
    return this.collection.estimatedDocumentCount();
  }

  async *all(): AsyncGenerator<IndexedAccount[]> {
    const cursor = this.collection.find({}, { projection: NOT_INDEXED, batchSize: BATCH_SIZE });
    let batch: IndexedAccount[] = [];
    try {
      for await (const doc of cursor) {
        batch.push(indexedAccountOf(doc, typeof doc.rev === 'number' ? doc.rev : 0));
        if (batch.length >= BATCH_SIZE) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      await cursor.close();
    }
  }
}
