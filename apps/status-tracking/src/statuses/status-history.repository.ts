import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { HistoryEntry } from '@lifecycle/rules';
import {
  historySlotId,
  STATUS_HISTORY_COLLECTION,
  STATUS_HISTORY_INDEXES,
  STATUS_KEYS_COLLECTION,
  type StatusHistoryDocument,
  type StatusKeyDocument,
} from './status-history.schema';
import { ensureIndexes, isDuplicateKeyError, Storage } from '@lifecycle/storage';

/** `inserted`; `duplicate`: the idempotency key is already in the history (L12); `slot-taken`: another entry holds that seq. */
export type HistoryInsertOutcome = 'inserted' | 'duplicate' | 'slot-taken';

@Injectable()
export class StatusHistoryRepository implements OnModuleInit {
  private readonly history: Collection<StatusHistoryDocument>;
  private readonly keys: Collection<StatusKeyDocument>;
  /** Several instances may write at once (see `appliedUnder`). */
  private readonly severalWriters: boolean;

  constructor(storage: Storage) {
    this.history = storage.collection<StatusHistoryDocument>(STATUS_HISTORY_COLLECTION);
    this.keys = storage.collection<StatusKeyDocument>(STATUS_KEYS_COLLECTION);
    this.severalWriters = storage.engine.atomicUpdates;
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.history, STATUS_HISTORY_INDEXES);
  }

  /** Appends an entry at its slot, then records its key. */
  async insert(entry: StatusHistoryDocument): Promise<HistoryInsertOutcome> {
    try {
      await this.history.insertOne(entry);
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      // The embedded engine does not say which unique index refused the insert: the slot tells.
      const holder = await this.history.findOne({ _id: entry._id }, { projection: { idempotencyKey: 1 } });
      return holder && holder.idempotencyKey !== entry.idempotencyKey ? 'slot-taken' : 'duplicate';
    }
    await this.rememberKey(entry);
    return 'inserted';
  }

  /** The entry an idempotency key points at (a primary-key lookup; a scan only to heal a lost key record). */
  async findByIdempotencyKey(idempotencyKey: string): Promise<StatusHistoryDocument | undefined> {
    const key = await this.keys.findOne({ _id: idempotencyKey });
    if (key) return this.slot(key.accountId, key.attributeKey, key.seq);
    return undefined;
  }

  /**
   * After an insert reported `duplicate` but no key record exists: the twin crashed between its
   * history insert and its key record (or is just between them). Rare; the only scan here.
   */
  async recoverKey(idempotencyKey: string): Promise<StatusHistoryDocument | undefined> {
    const entry = await this.history.findOne({ idempotencyKey });
    if (entry) await this.rememberKey(entry);
    return entry ?? undefined;
  }

  /**
   * The entry written under `idempotencyKey`, also when its writer is another instance between
   * its history insert and its key record (and another writer has already folded the entry in).
   * Where several instances can run (engines with atomic updates) the history's unique index
   * answers that, from the index on MongoDB and mongo-java-server; elsewhere one process holds the
   * aggregate's lock for the whole command, so no key record means no entry, and no scan is paid.
   */
  async appliedUnder(idempotencyKey: string): Promise<StatusHistoryDocument | undefined> {
    const entry = await this.findByIdempotencyKey(idempotencyKey);
    if (entry || !this.severalWriters) return entry;
    return this.recoverKey(idempotencyKey);
  }

  /** Which of `keys` were seen before (CSV validation); primary-key lookups. */
  async existingKeys(keys: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const key of keys) {
      if (await this.keys.countDocuments({ _id: key }, { limit: 1 })) found.add(key);
    }
    return found;
  }

  async slot(accountId: string, attributeKey: string, seq: number): Promise<StatusHistoryDocument | undefined> {
    return (await this.history.findOne({ _id: historySlotId(accountId, attributeKey, seq) })) ?? undefined;
  }

  /** Entries from slot `fromSeq` on, until the first empty slot (what a crash may have left unfolded). */
  async slotsFrom(accountId: string, attributeKey: string, fromSeq: number): Promise<StatusHistoryDocument[]> {
    const entries: StatusHistoryDocument[] = [];
    for (let seq = fromSeq; ; seq++) {
      const entry = await this.slot(accountId, attributeKey, seq);
      if (!entry) return entries;
      entries.push(entry);
    }
  }

  /** The whole history of one pair, in insertion order. */
  async list(accountId: string, attributeKey: string): Promise<StatusHistoryDocument[]> {
    return this.slotsFrom(accountId, attributeKey, 1);
  }

  private async rememberKey(entry: StatusHistoryDocument): Promise<void> {
    try {
      await this.keys.insertOne({
        _id: entry.idempotencyKey,
        accountId: entry.accountId,
        attributeKey: entry.attributeKey,
        seq: entry.seq,
        recordedAt: entry.recordedAt,
      });
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
  }
}

export function toStatusChange(doc: Pick<StatusHistoryDocument, 'changeId' | 'seq' | 'to' | 'at'>): HistoryEntry {
  return { changeId: doc.changeId, seq: doc.seq, to: doc.to, at: doc.at };
}
