import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { CrmAccountUpserted } from '@lifecycle/contracts';
import { ACCOUNT_FACTS_COLLECTION, type AccountFactsDocument } from './account-facts.schema';
import { mergedLookup } from '@lifecycle/messaging';
import { Storage, upsertUnlessNewer } from '@lifecycle/storage';

export interface AccountFacts {
  accountId: string;
  name: string | null;
  clientType: string | null;
  ownerId: string | null;
  canceled: boolean;
  subscription: { active: boolean; renewalDate: string | null } | null;
  /** B1: null = the default calendar. */
  calendarKey: string | null;
  createdAt: string;
}

@Injectable()
export class AccountFactsRepository {
  private readonly collection: Collection<AccountFactsDocument>;
  /** Concurrent look-ups (views, PUT answers) share one query (`mergedLookup`). */
  private readonly lookup = mergedLookup((ids) => this.getMany(ids));

  constructor(private readonly storage: Storage) {
    this.collection = storage.collection<AccountFactsDocument>(ACCOUNT_FACTS_COLLECTION);
  }

  /** Fields the event leaves out keep their value; `null` clears an optional field. */
  async upsert(facts: CrmAccountUpserted, occurredAt: Date): Promise<boolean> {
    const set: Partial<AccountFactsDocument> = { name: facts.name, factsAt: occurredAt, updatedAt: new Date() };
    const onInsert: Partial<AccountFactsDocument> = {};
    const optional = (field: 'clientType' | 'ownerId' | 'calendarKey', value: string | null | undefined) => {
      if (value === undefined) onInsert[field] = null;
      else set[field] = value;
    };
    optional('clientType', facts.clientType);
    optional('ownerId', facts.ownerId);
    optional('calendarKey', facts.calendarKey);
    if (facts.canceled === undefined) onInsert.canceled = false;
    else set.canceled = facts.canceled;
    if (facts.subscription === undefined) onInsert.subscription = null;
    else
      set.subscription =
        facts.subscription === null ? null : { active: facts.subscription.active, renewalDate: facts.subscription.renewalDate };
    if (facts.createdAt === undefined) onInsert.createdAt = occurredAt.toISOString();
    else set.createdAt = facts.createdAt;
    return upsertUnlessNewer(this.collection, facts.accountId, occurredAt, set, onInsert);
  }

  async cancel(accountId: string, occurredAt: Date): Promise<boolean> {
    return upsertUnlessNewer(
      this.collection,
      accountId,
      occurredAt,
      { canceled: true, factsAt: occurredAt, updatedAt: new Date() },
      { name: null, clientType: null, ownerId: null, calendarKey: null, subscription: null, createdAt: occurredAt.toISOString() },
    );
  }

  get(accountId: string): Promise<AccountFacts | undefined> {
    return this.lookup(accountId);
  }

  /** Several accounts' facts, see `Storage.findByIds`. */
  async getMany(accountIds: readonly string[]): Promise<Map<string, AccountFacts>> {
    const docs = await this.storage.findByIds(this.collection, accountIds);
    return new Map(docs.map((doc) => [doc._id, toFacts(doc)]));
  }

  /** Every canceled account id (L10), read once per batch job: canceled accounts are the few. */
  async canceledIds(): Promise<Set<string>> {
    const docs = await this.collection.find({ canceled: true }, { projection: { _id: 1 } }).toArray();
    return new Set(docs.map((doc) => doc._id));
  }

  async page(skip: number, limit: number): Promise<{ items: AccountFacts[]; total: number }> {
    const [docs, total] = await Promise.all([
      this.collection.find({}).sort({ _id: 1 }).skip(skip).limit(limit).toArray(),
      this.collection.countDocuments({}),
    ]);
    return { items: docs.map(toFacts), total };
  }
}

function toFacts(doc: AccountFactsDocument): AccountFacts {
  return {
    accountId: doc._id,
    name: doc.name,
    clientType: doc.clientType,
    ownerId: doc.ownerId,
    canceled: doc.canceled,
    subscription: doc.subscription,
    calendarKey: doc.calendarKey ?? null,
    createdAt: doc.createdAt,
  };
}
