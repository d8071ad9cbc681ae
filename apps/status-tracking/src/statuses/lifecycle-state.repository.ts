import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import type { LifecycleState } from '@lifecycle/rules';
import {
  LIFECYCLE_STATE_COLLECTION,
  LIFECYCLE_STATE_INDEXES,
  lifecycleStateId,
  type FoldedChange,
  type LifecycleStateDocument,
  type StoredLifecycleState,
} from './lifecycle-state.schema';
import { ensureIndexes, insertUnique, isDuplicateKeyError, pagesOf, Storage } from '@lifecycle/storage';

/** A state document without its outbox, the lifecycle as the domain's `LifecycleState`. */
export interface LifecycleStateRecord {
  id: string;
  accountId: string;
  attributeKey: string;
  version: number;
  historyCount: number;
  lastEntryAt: Date | null;
  changes: FoldedChange[];
  state: LifecycleState;
}

/** What the daily counters read of a state (L14): no history, no outbox, no version. */
export interface LifecycleStateSnapshot {
  id: string;
  accountId: string;
  attributeKey: string;
  state: LifecycleState;
}

/** One write of `writeMany`: the pair, the record it was planned from (none: a first state), the result. */
export interface ManyWrite {
  accountId: string;
  attributeKey: string;
  expected: LifecycleStateRecord | undefined;
  next: LifecycleStateWrite;
}

export interface LifecycleStateWrite {
  state: LifecycleState;
  historyCount: number;
  lastEntryAt: Date | null;
  changes: FoldedChange[];
  /** Published by the `Outbox`, in this order, after the write. */
  events: AnyEnvelope[];
}

const WITHOUT_OUTBOX = { projection: { outbox: 0 } } as const;
const FOR_BATCH_WORK = { projection: { outbox: 0, changes: 0 } } as const;
const FOR_DAILY_COUNTERS = { projection: { _id: 1, accountId: 1, attributeKey: 1, lifecycle: 1 } } as const;

@Injectable()
export class LifecycleStateRepository implements OnModuleInit {
  private readonly collection: Collection<LifecycleStateDocument>;

  constructor(private readonly storage: Storage) {
    this.collection = storage.collection<LifecycleStateDocument>(LIFECYCLE_STATE_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.collection, LIFECYCLE_STATE_INDEXES);
  }

  async get(accountId: string, attributeKey: string): Promise<LifecycleStateRecord | undefined> {
    const doc = await this.collection.findOne({ _id: lifecycleStateId(accountId, attributeKey) }, WITHOUT_OUTBOX);
    return doc ? toRecord(doc) : undefined;
  }

  /** States by id (`lifecycleStateId`), missing ones left out. */
  async getMany(ids: readonly string[]): Promise<Map<string, LifecycleStateRecord>> {
    const docs = await this.storage.findByIds(this.collection, ids, WITHOUT_OUTBOX);
    return new Map(docs.map((doc) => [doc._id, toRecord(doc)]));
  }

  /**
   * States by id with whether each still holds events to publish: a writer under the pairs' locks
   * that finds an empty outbox publishes its own events as it knows them (`Outbox.flushWrittenSoon`).
   */
  async getManyForWrite(ids: readonly string[]): Promise<Map<string, LifecycleStateRecord & { outboxEmpty: boolean }>> {
    const docs = await this.storage.findByIds(this.collection, ids);
    return new Map(docs.map((doc) => [doc._id, { ...toRecord(doc), outboxEmpty: (doc.outbox?.length ?? 0) === 0 }]));
  }

  /**
   * Many optimistic writes (see `write`) in bulk. Returns the ids written; the others lost a race
   * or were not reached (an engine may stop a bulk write at its first failure) and are for the
   * caller to redo one by one. Which were written is read back when the bulk write does not say:
   * a write of ours leaves the expected version + 1 with our history count (history slots are
   * unique, so no other writer can leave that count).
   */
  async writeMany(writes: readonly ManyWrite[]): Promise<Set<string>> {
    if (writes.length === 0) return new Set();
    const now = new Date();
    const operations = writes.map((w) => {
      const id = lifecycleStateId(w.accountId, w.attributeKey);
      const fields = {
        historyCount: w.next.historyCount,
        lastEntryAt: w.next.lastEntryAt,
        changes: w.next.changes,
        lifecycle: toStored(w.next.state),
        updatedAt: now,
      };
      if (w.expected === undefined) {
        return {
          insertOne: {
            document: { _id: id, accountId: w.accountId, attributeKey: w.attributeKey, version: 1, ...fields, outbox: w.next.events },
          },
        };
      }
      return {
        updateOne: {
          filter: { _id: id, version: w.expected.version },
          update: {
            $set: fields,
            $inc: { version: 1 },
            ...(w.next.events.length > 0 ? { $push: { outbox: { $each: w.next.events } } } : {}),
          },
        },
      };
    });
    let complete = false;
    try {
      const counts = { inserted: 0, matched: 0 };
      for (const chunk of this.storage.chunks(operations)) {
        const result = await this.collection.bulkWrite(chunk as never, { ordered: false });
        counts.inserted += result.insertedCount;
        counts.matched += result.matchedCount;
      }
      complete = counts.inserted + counts.matched === writes.length;
    } catch (e) {
      if (!isDuplicateKeyError(e) && !(e as { writeErrors?: unknown }).writeErrors) throw e;
    }
    const ids = writes.map((w) => lifecycleStateId(w.accountId, w.attributeKey));
    if (complete) return new Set(ids);
    const after = await this.getMany(ids);
    return new Set(
      writes.flatMap((w, i) => {
        const doc = after.get(ids[i]!);
        const version = (w.expected?.version ?? 0) + 1;
        return doc && doc.version === version && doc.historyCount === w.next.historyCount ? [ids[i]!] : [];
      }),
    );
  }

  /** The states of one account among `attributeKeys` (primary-key lookups, no scan). */
  async forAccount(accountId: string, attributeKeys: readonly string[]): Promise<LifecycleStateRecord[]> {
    const records: LifecycleStateRecord[] = [];
    for (const key of attributeKeys) {
      const record = await this.get(accountId, key);
      if (record) records.push(record);
    }
    return records;
  }

  /** Account ids with a state of `attributeKey`, optionally in one stage (null = no value), by account id. */
  async pageAccountsByAttribute(
    attributeKey: string,
    stageId: string | null | undefined,
    skip: number,
    limit: number,
  ): Promise<{ accountIds: string[]; total: number }> {
    const filter = stageId === undefined ? { attributeKey } : { attributeKey, 'lifecycle.stageId': stageId };
    const [docs, total] = await Promise.all([
      this.collection
        .find(filter, { projection: { accountId: 1 } })
        .sort({ accountId: 1 })
        .skip(skip)
        .limit(limit)
        .toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { accountIds: docs.map((doc) => doc.accountId), total };
  }

  /**
   * Optimistic write: inserts the first state of a pair, or updates the one read at `expected`'s
   * version, pushing `events` to the outbox in the same atomic update. False = someone else wrote
   * first; re-read and try again.
   */
  async write(
    accountId: string,
    attributeKey: string,
    expected: LifecycleStateRecord | undefined,
    next: LifecycleStateWrite,
  ): Promise<boolean> {
    const id = lifecycleStateId(accountId, attributeKey);
    const now = new Date();
    const fields = {
      historyCount: next.historyCount,
      lastEntryAt: next.lastEntryAt,
      changes: next.changes,
      lifecycle: toStored(next.state),
      updatedAt: now,
    };
    if (expected === undefined) {
      return insertUnique(this.collection, { _id: id, accountId, attributeKey, version: 1, ...fields, outbox: next.events });
    }
    // The embedded engine has no projection on findOneAndUpdate: the matched count is the answer.
    const result = await this.collection.updateOne(
      { _id: id, version: expected.version },
      { $set: fields, $inc: { version: 1 }, ...(next.events.length > 0 ? { $push: { outbox: { $each: next.events } } } : {}) },
    );
    return result.matchedCount === 1;
  }

  /**
   * Every state once, in batches of `size`, from ONE cursor in the server's natural order (L14).
   * No filter and no sort on purpose: on the embedded engine a sort is never pushed down (the
   * server reads the whole collection into memory and sorts it before the first batch) and no
   * filter but `_id` equality is; an unsorted `find({})` is a single streamed table scan there and
   * a plain collection scan on MongoDB. The order is not relied upon: callers that resume know
   * what they did by id. Memory: one batch here plus the driver's buffer of `size` documents.
   */
  async *streamInBatches(size: number): AsyncGenerator<LifecycleStateSnapshot[]> {
    const cursor = this.collection
      .find<Pick<LifecycleStateDocument, '_id' | 'accountId' | 'attributeKey' | 'lifecycle'>>({}, FOR_DAILY_COUNTERS)
      .batchSize(size);
    yield* pagesOf(cursor, size, (doc) => ({
      id: doc._id,
      accountId: doc.accountId,
      attributeKey: doc.attributeKey,
      state: fromStored(doc.lifecycle),
    }));
  }

  /**
   * Every state after `afterId`, by _id, in batches, from one cursor. Sorted, so on the embedded engine
   * the server reads and sorts the whole collection before the first batch: for tests and tools
   * that want id order; the daily job streams with `streamInBatches`.
   */
  async *batchesAfter(afterId: string | null, size: number): AsyncGenerator<LifecycleStateRecord[]> {
    const filter = afterId === null ? {} : { _id: { $gt: afterId } };
    const cursor = this.collection.find(filter, FOR_BATCH_WORK).sort({ _id: 1 }).batchSize(size);
    yield* pagesOf(cursor, size, (doc) => toRecord({ ...doc, changes: [] }));
  }
}

function toRecord(doc: Omit<LifecycleStateDocument, 'outbox'>): LifecycleStateRecord {
  return {
    id: doc._id,
    accountId: doc.accountId,
    attributeKey: doc.attributeKey,
    version: doc.version,
    historyCount: doc.historyCount,
    lastEntryAt: doc.lastEntryAt,
    changes: doc.changes ?? [],
    state: fromStored(doc.lifecycle),
  };
}

/** The stored shape of a state (per-stage figures as arrays). */
export function toStored(state: LifecycleState): StoredLifecycleState {
  return {
    stageId: state.stageId,
    cycle: state.cycle,
    completedCycles: state.completedCycles,
    completed: state.completed,
    cycleStartedAt: state.cycleStartedAt,
    cycleEndedAt: state.cycleEndedAt,
    stageEnteredAt: state.stageEnteredAt,
    lastChangedAt: state.lastChangedAt,
    lastCompletedAt: state.lastCompletedAt,
    stageMs: Object.entries(state.stageMs).map(([stageId, ms]) => ({ stageId, ms })),
    totalMs: Object.entries(state.totalMs).map(([stageId, ms]) => ({ stageId, ms })),
    cycleRecords: state.cycleRecords.map((r) => ({ ...r, stages: r.stages.map((s) => ({ ...s })) })),
  };
}

function fromStored(stored: StoredLifecycleState): LifecycleState {
  return {
    stageId: stored.stageId,
    cycle: stored.cycle,
    completedCycles: stored.completedCycles,
    completed: stored.completed,
    cycleStartedAt: stored.cycleStartedAt,
    cycleEndedAt: stored.cycleEndedAt,
    stageEnteredAt: stored.stageEnteredAt,
    lastChangedAt: stored.lastChangedAt,
    lastCompletedAt: stored.lastCompletedAt,
    stageMs: Object.fromEntries(stored.stageMs.map((s) => [s.stageId, s.ms])),
    totalMs: Object.fromEntries(stored.totalMs.map((s) => [s.stageId, s.ms])),
    cycleRecords: stored.cycleRecords.map((r) => ({ ...r, stages: r.stages.map((s) => ({ ...s })) })),
  };
}
