import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { HistoryEntry } from '@lifecycle/rules';
import {
  historySlotId,
  STATUS_HISTORY_COLLECTION,
  STATUS_HISTORY_INDEXES,
  STATUS_KEYS_COLLECTION,
  type StatusHistoryDocument,
  NOOP_SEQ,
  type StatusKeyDocument,
} from './status-history.schema';
import { ensureIndexes, insertUnique, isDuplicateKeyError, Storage } from '@lifecycle/storage';

/** `inserted`; `duplicate`: the idempotency key is already in the history (L12); `slot-taken`: another entry holds that seq. */
export type HistoryInsertOutcome = 'inserted' | 'duplicate' | 'slot-taken';

@Injectable()
export class StatusHistoryRepository implements OnModuleInit {
  private readonly history: Collection<StatusHistoryDocument>;
  private readonly keys: Collection<StatusKeyDocument>;
  /** Several instances may write at once (see `appliedUnder`). */
  readonly severalWriters: boolean;

  constructor(private readonly storage: Storage) {
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

  /**
   * Appends many entries at their slots and records their keys. Returns the slot ids inserted;
   * the others (a slot or key taken, or not reached: an engine may stop a bulk insert at its first
   * failure) are for the caller to redo one by one. Read back when the insert does not say.
   */
  async insertMany(entries: readonly StatusHistoryDocument[]): Promise<Set<string>> {
    if (entries.length === 0) return new Set();
    let complete = true;
    for (const chunk of this.storage.chunks(entries)) {
      try {
        await this.history.insertMany(chunk as StatusHistoryDocument[], { ordered: false });
      } catch (e) {
        if (!isDuplicateKeyError(e) && !(e as { writeErrors?: unknown }).writeErrors) throw e;
        complete = false;
      }
    }
    let inserted: Set<string>;
    if (complete) inserted = new Set(entries.map((e) => e._id));
    else {
      const found = await this.storage.findByIds(
        this.history,
        entries.map((e) => e._id),
        { projection: { changeId: 1 } },
      );
      // The change id is this execution's own: a twin request writing the same slot carries the
      // same idempotency key but another change id.
      const changeOf = new Map(found.map((d) => [d._id, d.changeId]));
      inserted = new Set(entries.filter((e) => changeOf.get(e._id) === e.changeId).map((e) => e._id));
    }
    await this.rememberKeys(entries.filter((e) => inserted.has(e._id)));
    return inserted;
  }

  /** The key records of `idempotencyKeys` that exist (primary-key reads). */
  async keysOf(idempotencyKeys: readonly string[]): Promise<Map<string, StatusKeyDocument>> {
    const found = await this.storage.findByIds(this.keys, idempotencyKeys);
    return new Map(found.map((k) => [k._id, k]));
  }

  /** Which of `slotIds` hold an entry (primary-key reads). */
  async takenSlots(slotIds: readonly string[]): Promise<Set<string>> {
    const found = await this.storage.findByIds(this.history, slotIds, { projection: { _id: 1 } });
    return new Set(found.map((d) => d._id));
  }

  /**
   * The entry an idempotency key points at, `noop` for a command acknowledged as a no-op (L8: it
   * left no entry), or undefined for a key never seen (a primary-key lookup).
   */
  async findByIdempotencyKey(idempotencyKey: string): Promise<StatusHistoryDocument | 'noop' | undefined> {
    const key = await this.keys.findOne({ _id: idempotencyKey });
    if (!key) return undefined;
    if (key.seq === NOOP_SEQ) return 'noop';
    return this.slot(key.accountId, key.attributeKey, key.seq);
  }

  /**
   * Records the keys of commands acknowledged as no-ops (L8: no history entry), so that a repeat
   * of one is acknowledged as a duplicate whatever the state has become since (L12).
   */
  async rememberNoops(noops: readonly { idempotencyKey: string; accountId: string; attributeKey: string }[]): Promise<void> {
    const recordedAt = new Date();
    const keys = noops.map((n) => ({
      _id: n.idempotencyKey,
      accountId: n.accountId,
      attributeKey: n.attributeKey,
      seq: NOOP_SEQ,
      recordedAt,
    }));
    for (const chunk of this.storage.chunks(keys)) {
      try {
        await this.keys.insertMany(chunk, { ordered: false });
      } catch (e) {
        if (!isDuplicateKeyError(e) && !(e as { writeErrors?: unknown }).writeErrors) throw e;
        for (const key of chunk) await insertUnique(this.keys, key);
      }
    }
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
  async appliedUnder(idempotencyKey: string): Promise<StatusHistoryDocument | 'noop' | undefined> {
    const entry = await this.findByIdempotencyKey(idempotencyKey);
    if (entry || !this.severalWriters) return entry;
    return this.recoverKey(idempotencyKey);
  }

  /** Which of `keys` were seen before (CSV validation); primary-key reads. */
  async existingKeys(keys: readonly string[]): Promise<Set<string>> {
    return new Set((await this.keysOf(keys)).keys());
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

  private async rememberKeys(entries: readonly StatusHistoryDocument[]): Promise<void> {
    const keys = entries.map((entry) => ({
      _id: entry.idempotencyKey,
      accountId: entry.accountId,
      attributeKey: entry.attributeKey,
      seq: entry.seq,
      recordedAt: entry.recordedAt,
    }));
    for (const chunk of this.storage.chunks(keys)) {
      try {
        await this.keys.insertMany(chunk, { ordered: false });
      } catch (e) {
        if (!isDuplicateKeyError(e) && !(e as { writeErrors?: unknown }).writeErrors) throw e;
        // Not every engine goes on past the first failed insert: the chunk again one by one.
        for (const entry of entries.filter((x) => chunk.some((k) => k._id === x.idempotencyKey))) await this.rememberKey(entry);
      }
    }
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
