import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Binary, Collection } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import type { LifecycleState } from '@lifecycle/rules';
import { appendPair, packPair, unpackPair, unpackState } from './lifecycle-state.codec';
import {
  LIFECYCLE_STATE_COLLECTION,
  LIFECYCLE_STATE_INDEXES,
  lifecycleStateId,
  type LifecycleStateDocument,
  type StatusHistoryEntry,
} from './lifecycle-state.schema';
import { mergedLookup } from '@lifecycle/messaging';
import {
  ensureIndexes,
  insertUnique,
  isDuplicateKeyError,
  packOutboxEvent,
  pagesOf,
  Storage,
  type StoredOutboxEvent,
} from '@lifecycle/storage';

/** A pair's document without its outbox: the fold and the whole history it was computed from. */
export interface LifecycleStateRecord {
  id: string;
  accountId: string;
  attributeKey: string;
  version: number;
  /** Every accepted change, in insertion order (`seq` = position + 1). */
  history: StatusHistoryEntry[];
  state: LifecycleState;
}

/**
 * A pair's document read for a write (`getManyForWrite`): the events its outbox holds, and its
 * packed history as stored, which the write extends (`appendPair`) instead of packing it again.
 */
export interface LifecycleStateRecordForWrite extends LifecycleStateRecord {
  outbox: StoredOutboxEvent[];
  packed: Binary;
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
  expected: LifecycleStateRecord | LifecycleStateRecordForWrite | undefined;
  next: LifecycleStateWrite;
  /**
   * The outbox's events to keep, when the write also drops published ones from it: the outbox is
   * then set to these plus the write's events (the version condition says it still holds what was
   * read, and the removals of this process run under the writers' locks).
   */
  keep?: StoredOutboxEvent[];
}

export interface LifecycleStateWrite {
  state: LifecycleState;
  /** The whole history after the write: the expected one plus the new entries. */
  history: StatusHistoryEntry[];
  /** Published by the `Outbox`, in this order, after the write. */
  events: AnyEnvelope[];
}

const WITHOUT_OUTBOX = { projection: { outbox: 0 } } as const;
const PACKED_ONLY = { projection: { _id: 1, accountId: 1, attributeKey: 1, packed: 1 } } as const;

/** The latest effective time in a history (a change before it is late and replays, L11). */
export function lastEntryAt(history: readonly { at: Date }[]): Date | null {
  let last: number | null = null;
  for (const e of history) if (last === null || e.at.getTime() > last) last = e.at.getTime();
  return last === null ? null : new Date(last);
}

@Injectable()
export class LifecycleStateRepository implements OnModuleInit {
  private readonly collection: Collection<LifecycleStateDocument>;
  /** Concurrent look-ups (views, single commands) share one query (`mergedLookup`). */
  private readonly lookup = mergedLookup((ids) => this.getMany(ids));

  constructor(private readonly storage: Storage) {
    this.collection = storage.collection<LifecycleStateDocument>(LIFECYCLE_STATE_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.collection, LIFECYCLE_STATE_INDEXES);
  }

  get(accountId: string, attributeKey: string): Promise<LifecycleStateRecord | undefined> {
    return this.lookup(lifecycleStateId(accountId, attributeKey));
  }

  /** States by id (`lifecycleStateId`), missing ones left out. */
  async getMany(ids: readonly string[]): Promise<Map<string, LifecycleStateRecord>> {
    const docs = await this.storage.findByIds(this.collection, ids, WITHOUT_OUTBOX);
    return new Map(docs.map((doc) => [doc._id, toRecord(doc)]));
  }

  /**
   * States by id with the events their outboxes hold: a writer under the pairs' locks drops the
   * ones already published from the outbox it writes, and publishes its own as it knows them when
   * nothing else is left (`Outbox.flushWrittenSoon`).
   */
  async getManyForWrite(ids: readonly string[]): Promise<Map<string, LifecycleStateRecordForWrite>> {
    const docs = await this.storage.findByIds(this.collection, ids);
    return new Map(docs.map((doc) => [doc._id, { ...toRecord(doc), outbox: doc.outbox ?? [], packed: doc.packed }]));
  }

  /**
   * Many optimistic writes (see `write`) in bulk. Returns the ids written; the others lost a race
   * or were not reached (an engine may stop a bulk write at its first failure) and are for the
   * caller to plan again from a fresh read. Which were written is read back when the bulk write
   * does not say: a write of ours put our last change into the history (change ids are this
   * process's own UUIDs), whatever was written after it.
   */
  async writeMany(writes: readonly ManyWrite[]): Promise<Set<string>> {
    if (writes.length === 0) return new Set();
    const now = new Date();
    const operations = writes.map((w) => {
      const id = lifecycleStateId(w.accountId, w.attributeKey);
      const fields = storedFields(w.next, w.expected, now);
      if (w.expected === undefined) {
        return {
          insertOne: {
            document: {
              _id: id,
              accountId: w.accountId,
              attributeKey: w.attributeKey,
              version: 1,
              ...fields,
              outbox: w.next.events.map(packOutboxEvent),
            },
          },
        };
      }
      return { updateOne: { filter: { _id: id, version: w.expected.version }, update: updateOf(fields, w.next.events, w.keep) } };
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
        // Our last change id (this process's own UUID) in the stored history says the write landed,
        // even when another writer has written the document again since.
        const doc = after.get(ids[i]!);
        const ours = w.next.history.at(-1)?.changeId;
        return doc && doc.version > (w.expected?.version ?? 0) && doc.history.some((e) => e.changeId === ours) ? [ids[i]!] : [];
      }),
    );
  }

  /** The states of one account among `attributeKeys`, in their order (primary-key lookups in one query, no scan). */
  async forAccount(accountId: string, attributeKeys: readonly string[]): Promise<LifecycleStateRecord[]> {
    const records = await Promise.all(attributeKeys.map((key) => this.get(accountId, key)));
    return records.filter((record) => record !== undefined);
  }

  /** Account ids with a state of `attributeKey`, optionally in one stage (null = no value), by account id. */
  async pageAccountsByAttribute(
    attributeKey: string,
    stageId: string | null | undefined,
    skip: number,
    limit: number,
  ): Promise<{ accountIds: string[]; total: number }> {
    const filter = stageId === undefined ? { attributeKey } : { attributeKey, stageId };
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
    const fields = storedFields(next, expected, new Date());
    if (expected === undefined) {
      return insertUnique(this.collection, {
        _id: id,
        accountId,
        attributeKey,
        version: 1,
        ...fields,
        outbox: next.events.map(packOutboxEvent),
      });
    }
    // The embedded engine has no projection on findOneAndUpdate: the matched count is the answer.
    const result = await this.collection.updateOne({ _id: id, version: expected.version }, updateOf(fields, next.events));
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
      .find<Pick<LifecycleStateDocument, '_id' | 'accountId' | 'attributeKey' | 'packed'>>({}, PACKED_ONLY)
      .batchSize(size);
    yield* pagesOf(cursor, size, (doc) => ({
      id: doc._id,
      accountId: doc.accountId,
      attributeKey: doc.attributeKey,
      state: unpackState(doc.packed),
    }));
  }

  /**
   * Every state after `afterId`, by _id, in batches, from one cursor. Sorted, so on the embedded engine
   * the server reads and sorts the whole collection before the first batch: for tests and tools
   * that want id order; the daily job streams with `streamInBatches`.
   */
  async *batchesAfter(afterId: string | null, size: number): AsyncGenerator<LifecycleStateRecord[]> {
    const filter = afterId === null ? {} : { _id: { $gt: afterId } };
    const cursor = this.collection.find(filter, WITHOUT_OUTBOX).sort({ _id: 1 }).batchSize(size);
    yield* pagesOf(cursor, size, toRecord);
  }
}

function storedFields(
  next: LifecycleStateWrite,
  expected: LifecycleStateRecord | LifecycleStateRecordForWrite | undefined,
  now: Date,
): Pick<LifecycleStateDocument, 'stageId' | 'packed' | 'updatedAt'> {
  return { stageId: next.state.stageId, packed: packedAfter(next, expected), updatedAt: now };
}

/**
 * The packed pair after `next`: the stored bytes read with `expected` plus the new entries when
 * `next.history` extends the history read (its entries up to there are the ones read), else the
 * whole pair packed again.
 */
function packedAfter(next: LifecycleStateWrite, expected: LifecycleStateRecord | LifecycleStateRecordForWrite | undefined): Binary {
  if (expected !== undefined && 'packed' in expected) {
    const read = expected.history.length;
    const appends = next.history.length >= read && (read === 0 || next.history[read - 1] === expected.history[read - 1]);
    if (appends) return appendPair(expected.packed, next.state, next.history.slice(read));
  }
  return packPair({ state: next.state, history: next.history });
}

function updateOf(
  fields: Pick<LifecycleStateDocument, 'stageId' | 'packed' | 'updatedAt'>,
  events: readonly AnyEnvelope[],
  keep?: readonly StoredOutboxEvent[],
) {
  // Packed (`packOutboxEvent`): one opaque field per event is what the server writes and reads cheapest.
  const packed = events.map(packOutboxEvent);
  if (keep !== undefined) return { $set: { ...fields, outbox: [...keep, ...packed] }, $inc: { version: 1 } };
  return { $set: fields, $inc: { version: 1 }, ...(packed.length > 0 ? { $push: { outbox: { $each: packed } } } : {}) };
}

function toRecord(doc: Omit<LifecycleStateDocument, 'outbox'>): LifecycleStateRecord {
  const { state, history } = unpackPair(doc.packed);
  return { id: doc._id, accountId: doc.accountId, attributeKey: doc.attributeKey, version: doc.version, history, state };
}
