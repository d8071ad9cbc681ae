import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { insertUnique, isDuplicateKeyError, Storage } from '@lifecycle/storage';
import { noopKeyId, STATUS_NOOP_KEYS_COLLECTION, type StatusNoopKeyDocument } from './lifecycle-state.schema';

/** A command's key on its pair. */
export interface PairKey {
  accountId: string;
  attributeKey: string;
  idempotencyKey: string;
}

/**
 * The keys of commands acknowledged as no-ops (L8, L12), which leave no history entry to carry
 * them. Keys that changed something are in their pair's history (`lifecycle_states.packed`).
 */
@Injectable()
export class NoopKeysRepository {
  private readonly keys: Collection<StatusNoopKeyDocument>;

  constructor(private readonly storage: Storage) {
    this.keys = storage.collection<StatusNoopKeyDocument>(STATUS_NOOP_KEYS_COLLECTION);
  }

  /** Which of `keys` were acknowledged as no-ops before, as `noopKeyId`s (primary-key reads). */
  async seen(keys: readonly PairKey[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const found = await this.storage.findByIds(
      this.keys,
      keys.map((k) => noopKeyId(k.accountId, k.attributeKey, k.idempotencyKey)),
      { projection: { _id: 1 } },
    );
    return new Set(found.map((k) => k._id));
  }

  /** Records no-op acknowledgements; one already there is left as it is. */
  async remember(keys: readonly PairKey[]): Promise<void> {
    const recordedAt = new Date();
    const docs = [...new Set(keys.map((k) => noopKeyId(k.accountId, k.attributeKey, k.idempotencyKey)))].map((_id) => ({
      _id,
      recordedAt,
    }));
    for (const chunk of this.storage.chunks(docs)) {
      try {
        await this.keys.insertMany(chunk, { ordered: false });
      } catch (e) {
        if (!isDuplicateKeyError(e) && !(e as { writeErrors?: unknown }).writeErrors) throw e;
        // Not every engine goes on past the first failed insert: the chunk again one by one.
        for (const doc of chunk) await insertUnique(this.keys, doc);
      }
    }
  }
}
