import { ensureIndexes } from '@lifecycle/http';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Binary, MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Filter, type UpdateFilter } from 'mongodb';
import type { Connection } from 'mongoose';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { OutboxRelay, type EventPublisher, type WriterLock } from '@lifecycle/messaging';
import type { AccountCycle } from '../domain';
import { findByIds } from '../storage/find-by-ids';
import { isDuplicateKeyError } from '../storage/mongo-errors';
import { detectWriteGuard, type WriteGuard } from '../storage/write-guard';
import { ACCOUNT_CYCLES_COLLECTION, ACCOUNT_CYCLES_INDEXES, type AccountCyclesDocument } from './account-cycles.schema';
import { decodeCycles, encodeCycles } from './cycle-codec';
import { cycleQueryFields } from './cycle-query-fields';

/** An account's cycles as the domain has them, at the version they were read. */
export interface AccountCyclesRecord {
  accountId: string;
  version: number;
  cycles: AccountCycle[];
  ownerId: string | null;
  canceled: boolean;
}

export interface AccountCyclesWrite {
  cycles: readonly AccountCycle[];
  ownerId: string | null;
  canceled: boolean;
  /** Published by the outbox relay, in this order, after the write. */
  events: readonly AnyEnvelope[];
}

export interface OpenItemsQuery {
  ownerId?: string;
  /** Only accounts with an open item due before this instant. */
  dueBefore?: Date;
}

/** One write of a batch: the document as read (its version) and what replaces it. */
export interface AccountCyclesBatchWrite {
  expected: AccountCyclesRecord;
  next: AccountCyclesWrite;
}

const WITHOUT_OUTBOX = { projection: { outbox: 0 } } as const;

/** FerretDB v1 never answers a bulk write of 100 operations or more (99 works). */
export const BULK_WRITE_CHUNK = 50;

@Injectable()
export class AccountCyclesRepository implements OnModuleInit {
  private readonly collection: Collection<AccountCyclesDocument>;
  /** See `WriteGuard`: whether batch writes carry the version condition (MongoDB) or go by `_id` (FerretDB). */
  private writeGuard: WriteGuard = 'database';

  constructor(@InjectConnection() private readonly connection: Connection) {
    this.collection = connection.collection<AccountCyclesDocument>(ACCOUNT_CYCLES_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(
      this.collection,
      ACCOUNT_CYCLES_INDEXES.map((index) => ({ key: { ...index.key }, name: index.name })),
    );
    this.writeGuard = await detectWriteGuard(this.connection.db!);
  }

  createOutboxRelay(publisher: EventPublisher, lock: WriterLock): OutboxRelay<AccountCyclesDocument> {
    return new OutboxRelay(this.collection, publisher, { lock });
  }

  async get(accountId: string): Promise<AccountCyclesRecord | undefined> {
    const doc = await this.collection.findOne({ _id: accountId }, WITHOUT_OUTBOX);
    return doc ? toRecord(doc) : undefined;
  }

  /** Several accounts' documents (batch work), by exact `_id` (see `findByIds`). */
  async getMany(accountIds: readonly string[]): Promise<Map<string, AccountCyclesRecord>> {
    const docs = await findByIds(this.collection, accountIds, WITHOUT_OUTBOX);
    return new Map(docs.map((doc) => [doc._id, toRecord(doc)]));
  }

  /**
   * Optimistic write: inserts the first document of an account, or updates the one read at
   * `expected.version`, pushing `next.events` to the outbox in the same atomic update.
   * False = someone else wrote first; re-read and try again.
   */
  async write(accountId: string, expected: AccountCyclesRecord | undefined, next: AccountCyclesWrite, now: Date): Promise<boolean> {
    if (expected === undefined) {
      try {
        await this.collection.insertOne(toDocument(accountId, 1, next, now));
        return true;
      } catch (e) {
        if (isDuplicateKeyError(e)) return false;
        throw e;
      }
    }
    const result = await this.collection.updateOne({ _id: accountId, version: expected.version }, updateOf(next, now));
    return result.matchedCount > 0;
  }

  /**
   * The batch form of `write` for jobs over many accounts (C10), in bulk writes of
   * `BULK_WRITE_CHUNK`, by a caller that read the documents while holding the accounts' write locks
   * (`AccountCyclesWriter.changeMany`). On MongoDB each update carries the version read, as an
   * upsert so that one whose version no longer matches (another instance wrote) fails alone with a
   * duplicate `_id` (11000, naming its index in the batch) instead of silently matching nothing. On
   * FerretDB the filter is the bare `_id` (see `WriteGuard`): the locks are the guard there.
   * Returns the accounts not written (someone else wrote first): read and decide again.
   */
  async writeMany(writes: readonly AccountCyclesBatchWrite[], now: Date): Promise<Set<string>> {
    const conflicts = new Set<string>();
    for (let i = 0; i < writes.length; i += BULK_WRITE_CHUNK) {
      const chunk = writes.slice(i, i + BULK_WRITE_CHUNK);
      const operations: AnyBulkWriteOperation<AccountCyclesDocument>[] = chunk.map(({ expected, next }) => ({
        updateOne: {
          filter: this.writeGuard === 'database' ? { _id: expected.accountId, version: expected.version } : { _id: expected.accountId },
          update: updateOf(next, now),
          upsert: true,
        },
      }));
      try {
        await this.collection.bulkWrite(operations, { ordered: false });
      } catch (e) {
        // Only MongoDB goes on past a failed operation of an unordered bulk write and names each one
        // (FerretDB v1 stops at the first and names index 0); FerretDB's writes never conflict here.
        if (this.writeGuard !== 'database' || !(e instanceof MongoBulkWriteError)) throw e;
        const errors = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
        if (errors.length === 0 || errors.some((error) => error.code !== 11000)) throw e;
        for (const error of errors) conflicts.add(chunk[error.index]!.expected.accountId);
      }
    }
    return conflicts;
  }

  /** Bulk insert of new accounts' documents (seeding: demo, tests, benchmarks); no events. */
  async insertMany(
    records: readonly { accountId: string; cycles: readonly AccountCycle[]; ownerId: string | null }[],
    now: Date,
  ): Promise<void> {
    if (records.length === 0) return;
    await this.collection.insertMany(
      records.map((r) => toDocument(r.accountId, 1, { cycles: r.cycles, ownerId: r.ownerId, canceled: false, events: [] }, now)),
      { ordered: false },
    );
  }

  /**
   * C10 (propagation, preview): the cycles documents of the accounts running `templateId`, in one
   * pass (a single cursor), `pageSize` at a time. No sort: FerretDB v1 sorts in memory after reading
   * every document, and its only filter served without decoding every document is a bare `_id`, so
   * one unsorted pass is the cheapest read there; on MongoDB it is an index scan.
   */
  async *streamRunningTemplate(templateId: string, pageSize: number): AsyncGenerator<AccountCyclesRecord[]> {
    const cursor = this.collection.find({ activeTemplateIds: templateId }, { ...WITHOUT_OUTBOX, batchSize: Math.max(pageSize, 100) });
    try {
      let page: AccountCyclesRecord[] = [];
      for await (const doc of cursor) {
        page.push(toRecord(doc));
        if (page.length < pageSize) continue;
        yield page;
        page = [];
      }
      if (page.length > 0) yield page;
    } finally {
      await cursor.close();
    }
  }

  async countAccountsRunningTemplate(templateId: string): Promise<number> {
    return this.collection.countDocuments({ activeTemplateIds: templateId });
  }

  /**
   * C9: documents of non-canceled accounts with open items that may match the filter (the owner
   * has an open task; some open item is due before `dueBefore`), by id after `afterId`. The exact
   * filter is applied to the items afterwards.
   */
  async pageWithOpenItems(query: OpenItemsQuery, afterId: string | null, limit: number): Promise<AccountCyclesRecord[]> {
    const filter: Filter<AccountCyclesDocument> = { hasOpenItems: true, canceled: false };
    if (query.ownerId !== undefined) filter.openOwnerIds = query.ownerId;
    if (query.dueBefore !== undefined) filter.nextDueDate = { $lt: query.dueBefore };
    if (afterId !== null) filter._id = { $gt: afterId };
    const docs = await this.collection.find(filter, WITHOUT_OUTBOX).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map(toRecord);
  }
}

type StoredFields = Omit<AccountCyclesDocument, '_id' | 'version' | 'outbox'>;

/** Everything a write replaces: the encoded cycles, the fields derived from them, the facts. */
function storedFields(next: AccountCyclesWrite, now: Date): StoredFields {
  return {
    cycles: new Binary(encodeCycles(next.cycles)),
    ...cycleQueryFields(next.cycles, next.ownerId),
    ownerId: next.ownerId,
    canceled: next.canceled,
    updatedAt: now,
  };
}

/** A versioned write: the new stored fields, the version bumped, the events appended to the outbox. */
function updateOf(next: AccountCyclesWrite, now: Date): UpdateFilter<AccountCyclesDocument> {
  return {
    $set: storedFields(next, now),
    $inc: { version: 1 },
    ...(next.events.length > 0 ? { $push: { outbox: { $each: [...next.events] } } } : {}),
  };
}

function toDocument(accountId: string, version: number, next: AccountCyclesWrite, now: Date): AccountCyclesDocument {
  return { _id: accountId, version, ...storedFields(next, now), outbox: [...next.events] };
}

function toRecord(doc: Omit<AccountCyclesDocument, 'outbox'>): AccountCyclesRecord {
  return {
    accountId: doc._id,
    version: doc.version,
    cycles: decodeCycles(doc.cycles.buffer),
    ownerId: doc.ownerId,
    canceled: doc.canceled,
  };
}
