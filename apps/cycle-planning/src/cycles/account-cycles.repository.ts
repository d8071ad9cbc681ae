import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Binary, MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Filter, type UpdateFilter } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import type { AccountCycle } from '../domain';
import { ACCOUNT_CYCLES_COLLECTION, ACCOUNT_CYCLES_INDEXES, type AccountCyclesDocument } from './account-cycles.schema';
import { cycleDocuments, encodeCycles, storedCycles } from './cycle-codec';
import { cycleQueryFields, templateVersionKey } from './cycle-query-fields';
import { mergedLookup } from '@lifecycle/messaging';
import { ensureIndexes, insertUnique, pagesOf, Storage } from '@lifecycle/storage';

/** An account's cycles as the domain has them, at the version they were read. */
export interface AccountCyclesRecord {
  accountId: string;
  version: number;
  cycles: AccountCycle[];
  ownerId: string | null;
  canceled: boolean;
  /**
   * Events in the document's outbox when it was read, not yet published (batch reads only; absent:
   * not read). 0 lets a batch writer hand the outbox exactly the events it pushed (`Outbox.flushWrittenSoon`).
   */
  pendingEvents?: number;
}

export interface AccountCyclesWrite {
  cycles: readonly AccountCycle[];
  ownerId: string | null;
  canceled: boolean;
  /** Published by the `Outbox`, in this order, after the write. */
  events: readonly AnyEnvelope[];
}

export interface OpenItemsQuery {
  ownerId?: string;
  /** Only accounts with an open item due before this instant. */
  dueBefore?: Date;
}

/**
 * A cycles document as a batch read returns it, its cycles still encoded: a page of them holds
 * buffers rather than object trees, and `record()` decodes an account's cycles when its turn comes
 * (each call decodes again).
 */
export interface StoredAccountCycles {
  accountId: string;
  version: number;
  /** The derived `activeTemplateVersions` (absent from a document without the field). */
  activeTemplateVersions?: readonly string[];
  record(): AccountCyclesRecord;
}

/**
 * One write of a batch, encoded as soon as it is decided (`prepareWrite`), so a batch holds
 * updates rather than cycles: the account, the version it was decided at, the update.
 */
export interface PreparedCyclesWrite {
  accountId: string;
  expectedVersion: number;
  update: UpdateFilter<AccountCyclesDocument>;
}

const WITHOUT_OUTBOX = { projection: { outbox: 0 } } as const;

/** What a record is made of (`toRecord`, `stored`): the fields derived for queries stay on the server. */
const RECORD_FIELDS = { version: 1, cycles: 1, activeTemplateVersions: 1, ownerId: 1, canceled: 1, outbox: 1 } as const;
type RecordDocument = Pick<AccountCyclesDocument, '_id' | keyof typeof RECORD_FIELDS>;

@Injectable()
export class AccountCyclesRepository implements OnModuleInit {
  private readonly collection: Collection<AccountCyclesDocument>;
  /** Concurrent look-ups (views, commands) share one query (`mergedLookup`); without the outbox. */
  private readonly lookup = mergedLookup(async (ids) => {
    const docs = await this.storage.findByIds(this.collection, ids, WITHOUT_OUTBOX);
    return new Map(docs.map((doc) => [doc._id, toRecord(doc)]));
  });

  /** How the cycles are stored on this engine (see the schema); both are read. */
  private readonly form: CyclesForm;

  constructor(private readonly storage: Storage) {
    this.collection = storage.collection<AccountCyclesDocument>(ACCOUNT_CYCLES_COLLECTION);
    this.form = storage.engine.usableSecondaryIndexes ? 'documents' : 'encoded';
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(
      this.collection,
      ACCOUNT_CYCLES_INDEXES.map((index) => ({ key: { ...index.key }, name: index.name })),
    );
  }

  get(accountId: string): Promise<AccountCyclesRecord | undefined> {
    return this.lookup(accountId);
  }

  /** Several accounts' documents (batch work, with `pendingEvents`), see `Storage.findByIds`. */
  async getMany(accountIds: readonly string[]): Promise<Map<string, AccountCyclesRecord>> {
    const docs = await this.storage.findByIds(this.collection, accountIds);
    return new Map(docs.map((doc) => [doc._id, toRecord(doc)]));
  }

  /** `getMany` with the cycles left encoded until each account's turn (`StoredAccountCycles`). */
  async getManyStored(accountIds: readonly string[]): Promise<Map<string, StoredAccountCycles>> {
    const docs = await this.storage.findByIds(this.collection, accountIds);
    return new Map(docs.map((doc) => [doc._id, stored(doc)]));
  }

  /**
   * Optimistic write: inserts the first document of an account, or updates the one read at
   * `expected.version`, pushing `next.events` to the outbox in the same atomic update.
   * False = someone else wrote first; re-read and try again.
   */
  async write(accountId: string, expected: AccountCyclesRecord | undefined, next: AccountCyclesWrite, now: Date): Promise<boolean> {
    if (expected === undefined) {
      return insertUnique(this.collection, toDocument(accountId, 1, next, now, this.form));
    }
    const result = await this.collection.updateOne({ _id: accountId, version: expected.version }, updateOf(next, now, this.form));
    return result.matchedCount > 0;
  }

  /** One write of a batch (`writeMany`): `next` over the document read at `expected.version`, encoded now. */
  prepareWrite(expected: AccountCyclesRecord, next: AccountCyclesWrite, now: Date): PreparedCyclesWrite {
    return { accountId: expected.accountId, expectedVersion: expected.version, update: updateOf(next, now, this.form) };
  }

  /**
   * The batch form of `write` for jobs over many accounts (C10), in bulk writes of the engine's
   * size, by a caller that read the documents while holding the accounts' write locks or that
   * relies on the version condition (`batchWritesCheckVersion`, `AccountCyclesWriter.changeMany`).
   * Where the version condition guards (`versionGuardsBatch`), each update carries the version
   * read, as an upsert so that one whose version no longer matches (another writer) fails alone
   * with a duplicate `_id` (11000, naming its index in the batch) instead of silently matching
   * nothing. Elsewhere the filter is the bare `_id`: the locks are the guard there (one instance).
   * Returns the accounts not written (someone else wrote first): read and decide again.
   */
  async writeMany(writes: readonly PreparedCyclesWrite[]): Promise<Set<string>> {
    const conflicts = new Set<string>();
    const versioned = this.versionGuardsBatch();
    for (const chunk of this.storage.chunks(writes)) {
      const operations: AnyBulkWriteOperation<AccountCyclesDocument>[] = chunk.map(({ accountId, expectedVersion, update }) => ({
        updateOne: {
          filter: versioned ? { _id: accountId, version: expectedVersion } : { _id: accountId },
          update,
          upsert: true,
        },
      }));
      try {
        await this.collection.bulkWrite(operations, { ordered: false });
      } catch (e) {
        if (!versioned || !(e instanceof MongoBulkWriteError)) throw e;
        const errors = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
        if (errors.length === 0 || errors.some((error) => error.code !== 11000)) throw e;
        for (const error of errors) conflicts.add(chunk[error.index]!.accountId);
      }
    }
    return conflicts;
  }

  /**
   * Whether `writeMany` finds a document changed since it was read, wherever it was read: then a
   * batch may be decided from documents read without the accounts' locks (a job's pass) and a
   * changed one comes back as a conflict. Elsewhere the locks guard, held from the read to the write.
   */
  get batchWritesCheckVersion(): boolean {
    return this.versionGuardsBatch();
  }

  /**
   * Whether batch writes carry the version condition: only where it guards (atomic updates) and a
   * failed operation of an unordered bulk write is named by its index while the others go on.
   * The embedded engine stops at the first failure and names index 0 whichever it was, and its
   * updates are not atomic: there the per-account lock held from the read to the write guards.
   */
  private versionGuardsBatch(): boolean {
    return this.storage.engine.atomicUpdates && this.storage.engine.bulkWriteReportsEachFailure;
  }

  /** Bulk insert of new accounts' documents (seeding: demo, tests, benchmarks); no events. */
  async insertMany(
    records: readonly { accountId: string; cycles: readonly AccountCycle[]; ownerId: string | null }[],
    now: Date,
  ): Promise<void> {
    if (records.length === 0) return;
    await this.collection.insertMany(
      records.map((r) => toDocument(r.accountId, 1, { cycles: r.cycles, ownerId: r.ownerId, canceled: false, events: [] }, now, this.form)),
      { ordered: false },
    );
  }

  /**
   * C10 (propagation, preview): the cycles documents of the accounts running `templateId`, in one
   * pass (a single cursor), `pageSize` at a time. No sort: without usable indexes the engine sorts
   * in memory after reading every document, and decodes every document for any filter but a bare
   * `_id`, so one unsorted pass is the cheapest read there; with them it is an index scan.
   */
  async *streamRunningTemplate(templateId: string, pageSize: number): AsyncGenerator<AccountCyclesRecord[]> {
    const cursor = this.collection.find({ activeTemplateIds: templateId }, { ...WITHOUT_OUTBOX, batchSize: Math.max(pageSize, 100) });
    yield* pagesOf(cursor, pageSize, toRecord);
  }

  /**
   * C10 (propagation): the cycles documents (`StoredAccountCycles`) of the accounts running
   * `templateId` on another version than `version` (`activeTemplateVersions`), in one pass, `pageSize`
   * at a time: an account the edit has reached does not come back, so a pass after the last write
   * returns nothing. Unsorted, like `streamRunningTemplate`. The documents may be written while the
   * pass goes on; the caller checks each cycle (`awaitsPropagation`).
   */
  async *streamAwaitingVersion(templateId: string, version: number, pageSize: number): AsyncGenerator<StoredAccountCycles[]> {
    const cursor = this.collection.find<RecordDocument>(awaitingVersion(templateId, version), {
      projection: RECORD_FIELDS,
      batchSize: Math.max(pageSize, 100),
    });
    yield* pagesOf(cursor, pageSize, stored);
  }

  /** How many documents `streamAwaitingVersion` would return now. */
  async countAwaitingVersion(templateId: string, version: number): Promise<number> {
    return this.collection.countDocuments(awaitingVersion(templateId, version));
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

/** Accounts running `templateId` whose active cycles of it are not all on `version` (or not known to be). */
function awaitingVersion(templateId: string, version: number): Filter<AccountCyclesDocument> {
  return { activeTemplateIds: templateId, activeTemplateVersions: { $ne: templateVersionKey(templateId, version) } };
}

type StoredFields = Omit<AccountCyclesDocument, '_id' | 'version' | 'outbox'>;

type CyclesForm = 'documents' | 'encoded';

/** Everything a write replaces: the cycles in the engine's form, the fields derived from them, the facts. */
function storedFields(next: AccountCyclesWrite, now: Date, form: CyclesForm): StoredFields {
  return {
    cycles: form === 'documents' ? cycleDocuments(next.cycles) : new Binary(encodeCycles(next.cycles)),
    ...cycleQueryFields(next.cycles, next.ownerId),
    ownerId: next.ownerId,
    canceled: next.canceled,
    updatedAt: now,
  };
}

/** A versioned write: the new stored fields, the version bumped, the events appended to the outbox. */
function updateOf(next: AccountCyclesWrite, now: Date, form: CyclesForm): UpdateFilter<AccountCyclesDocument> {
  return {
    $set: storedFields(next, now, form),
    $inc: { version: 1 },
    ...(next.events.length > 0 ? { $push: { outbox: { $each: [...next.events] } } } : {}),
  };
}

function toDocument(accountId: string, version: number, next: AccountCyclesWrite, now: Date, form: CyclesForm): AccountCyclesDocument {
  return { _id: accountId, version, ...storedFields(next, now, form), outbox: [...next.events] };
}

function stored(doc: RecordDocument): StoredAccountCycles {
  return {
    accountId: doc._id,
    version: doc.version,
    ...(doc.activeTemplateVersions === undefined ? {} : { activeTemplateVersions: doc.activeTemplateVersions }),
    record: () => toRecord(doc),
  };
}

function toRecord(doc: Omit<RecordDocument, 'outbox' | 'activeTemplateVersions'> & { outbox?: readonly unknown[] }): AccountCyclesRecord {
  return {
    accountId: doc._id,
    version: doc.version,
    cycles: storedCycles(doc.cycles),
    ownerId: doc.ownerId,
    canceled: doc.canceled,
    ...(doc.outbox === undefined ? {} : { pendingEvents: doc.outbox.length }),
  };
}
