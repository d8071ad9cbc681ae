import { ensureIndexes } from '@lifecycle/http';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Binary, type Collection, type Filter } from 'mongodb';
import type { Connection } from 'mongoose';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { OutboxRelay, type EventPublisher } from '@lifecycle/messaging';
import type { AccountCycle } from '../domain';
import { isDuplicateKeyError } from '../storage/mongo-errors';
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

const WITHOUT_OUTBOX = { projection: { outbox: 0 } } as const;

@Injectable()
export class AccountCyclesRepository implements OnModuleInit {
  private readonly collection: Collection<AccountCyclesDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.collection = connection.collection<AccountCyclesDocument>(ACCOUNT_CYCLES_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.collection, ACCOUNT_CYCLES_INDEXES.map((index) => ({ key: { ...index.key }, name: index.name })));
  }

  createOutboxRelay(publisher: EventPublisher, intervalMs?: number): OutboxRelay<AccountCyclesDocument> {
    return new OutboxRelay(this.collection, publisher, intervalMs);
  }

  /** Accounts whose outbox holds events not yet published (for the outbox sweep). */
  async accountsWithPendingEvents(limit: number): Promise<string[]> {
    const docs = await this.collection
      .find({ 'outbox.0': { $exists: true } }, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    return docs.map((doc) => doc._id);
  }

  async get(accountId: string): Promise<AccountCyclesRecord | undefined> {
    const doc = await this.collection.findOne({ _id: accountId }, WITHOUT_OUTBOX);
    return doc ? toRecord(doc) : undefined;
  }

  /** Several accounts' documents in one read (batch work). */
  async getMany(accountIds: readonly string[]): Promise<Map<string, AccountCyclesRecord>> {
    if (accountIds.length === 0) return new Map();
    const docs = await this.collection.find({ _id: { $in: [...new Set(accountIds)] } }, WITHOUT_OUTBOX).toArray();
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
    const result = await this.collection.updateOne(
      { _id: accountId, version: expected.version },
      {
        $set: storedFields(next, now),
        $inc: { version: 1 },
        ...(next.events.length > 0 ? { $push: { outbox: { $each: [...next.events] } } } : {}),
      },
    );
    return result.matchedCount > 0;
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

  /** C10: accounts running `templateId` after `afterId`, by id (bounded pages for the job). */
  async accountsRunningTemplate(templateId: string, afterId: string | null, limit: number): Promise<string[]> {
    const filter: Filter<AccountCyclesDocument> =
      afterId === null ? { activeTemplateIds: templateId } : { activeTemplateIds: templateId, _id: { $gt: afterId } };
    const docs = await this.collection
      .find(filter, { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => doc._id);
  }

  async countAccountsRunningTemplate(templateId: string): Promise<number> {
    return this.collection.countDocuments({ activeTemplateIds: templateId });
  }

  /** C10 preview: the cycles documents of accounts running `templateId`, a page at a time. */
  async pageRunningTemplate(templateId: string, afterId: string | null, limit: number): Promise<AccountCyclesRecord[]> {
    const filter: Filter<AccountCyclesDocument> =
      afterId === null ? { activeTemplateIds: templateId } : { activeTemplateIds: templateId, _id: { $gt: afterId } };
    const docs = await this.collection.find(filter, WITHOUT_OUTBOX).sort({ _id: 1 }).limit(limit).toArray();
    return docs.map(toRecord);
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
