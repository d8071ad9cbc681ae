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
import { ensureIndexes, insertUnique, Storage } from '@lifecycle/storage';

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

  constructor(storage: Storage) {
    this.collection = storage.collection<LifecycleStateDocument>(LIFECYCLE_STATE_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.collection, LIFECYCLE_STATE_INDEXES);
  }

  async get(accountId: string, attributeKey: string): Promise<LifecycleStateRecord | undefined> {
    const doc = await this.collection.findOne({ _id: lifecycleStateId(accountId, attributeKey) }, WITHOUT_OUTBOX);
    return doc ? toRecord(doc) : undefined;
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
    let batch: LifecycleStateSnapshot[] = [];
    try {
      for await (const doc of cursor) {
        batch.push({ id: doc._id, accountId: doc.accountId, attributeKey: doc.attributeKey, state: fromStored(doc.lifecycle) });
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      await cursor.close();
    }
  }

  /**
   * Every state after `afterId`, by _id, in batches, from one cursor. Sorted, so on the embedded engine
   * the server reads and sorts the whole collection before the first batch: for tests and tools
   * that want id order; the daily job streams with `streamInBatches`.
   */
  async *batchesAfter(afterId: string | null, size: number): AsyncGenerator<LifecycleStateRecord[]> {
    const filter = afterId === null ? {} : { _id: { $gt: afterId } };
    const cursor = this.collection.find(filter, FOR_BATCH_WORK).sort({ _id: 1 }).batchSize(size);
    let batch: LifecycleStateRecord[] = [];
    try {
      for await (const doc of cursor) {
        batch.push(toRecord({ ...doc, changes: [] }));
        if (batch.length >= size) {
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
