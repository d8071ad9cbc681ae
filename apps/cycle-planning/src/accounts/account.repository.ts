import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { CrmAccountUpserted } from '@lifecycle/contracts';
import type { SubscriptionFacts } from '../domain';
import { mergedLookup } from '@lifecycle/messaging';
import { Storage, upsertUnlessNewer } from '@lifecycle/storage';

/**
 * `accounts`: this service's replica of the CRM's account facts (from `crm.accounts`): what cycle
 * planning needs (client type for C3/C7, owner for C9, subscription for C4/C12, creation date for
 * C3). `factsAt` = the event time of the facts held; an older event never overwrites newer facts.
 */
export const ACCOUNT_COLLECTION = 'accounts';

interface AccountDocument {
  _id: string;
  name: string | null;
  clientType: string | null;
  ownerId: string | null;
  canceled: boolean;
  subscription: { active: boolean; renewalDate: Date | null } | null;
  /** B1: absent in documents stored before calendars existed. */
  calendarKey?: string | null;
  createdAt: Date;
  factsAt: Date;
  updatedAt: Date;
}

export interface AccountFacts {
  accountId: string;
  name: string | null;
  clientType: string | null;
  ownerId: string | null;
  canceled: boolean;
  subscription: SubscriptionFacts | null;
  /** B1/B6: the calendar business-day due dates count on; null = the default calendar. */
  calendarKey?: string | null;
  createdAt: Date;
}

@Injectable()
export class AccountRepository {
  private readonly collection: Collection<AccountDocument>;
  /** Concurrent look-ups (views, commands) share one query (`mergedLookup`). */
  private readonly lookup = mergedLookup((ids) => this.getMany(ids));

  constructor(private readonly storage: Storage) {
    this.collection = storage.collection<AccountDocument>(ACCOUNT_COLLECTION);
  }

  get(accountId: string): Promise<AccountFacts | undefined> {
    return this.lookup(accountId);
  }

  /** Several accounts' facts (batch work), see `Storage.findByIds`. */
  async getMany(accountIds: readonly string[]): Promise<Map<string, AccountFacts>> {
    const docs = await this.storage.findByIds(this.collection, accountIds);
    return new Map(docs.map((doc) => [doc._id, toFacts(doc)]));
  }

  /** Bulk insert of new accounts (seeding: demo, tests, benchmarks), facts as of `at`. */
  async insertMany(accounts: readonly AccountFacts[], at: Date): Promise<void> {
    if (accounts.length === 0) return;
    await this.collection.insertMany(
      accounts.map((a) => ({
        _id: a.accountId,
        name: a.name,
        clientType: a.clientType,
        ownerId: a.ownerId,
        canceled: a.canceled,
        subscription: a.subscription,
        createdAt: a.createdAt,
        factsAt: at,
        updatedAt: at,
      })),
      { ordered: false },
    );
  }

  /**
   * Applies a `crm.account.upserted` unless newer facts are held (true = applied). Fields the event
   * leaves out keep their value; `null` clears an optional one. Without `createdAt` the account is
   * taken as created when the event says (`occurredAt`).
   */
  async upsert(facts: CrmAccountUpserted, occurredAt: Date): Promise<boolean> {
    const set: Partial<AccountDocument> = { name: facts.name, factsAt: occurredAt, updatedAt: new Date() };
    const onInsert: Partial<AccountDocument> = {};
    if (facts.clientType === undefined) onInsert.clientType = null;
    else set.clientType = facts.clientType;
    if (facts.ownerId === undefined) onInsert.ownerId = null;
    else set.ownerId = facts.ownerId;
    if (facts.canceled === undefined) onInsert.canceled = false;
    else set.canceled = facts.canceled;
    if (facts.subscription === undefined) onInsert.subscription = null;
    else set.subscription = facts.subscription === null ? null : toSubscription(facts.subscription);
    if (facts.calendarKey === undefined) onInsert.calendarKey = null;
    else set.calendarKey = facts.calendarKey;
    if (facts.createdAt === undefined) onInsert.createdAt = occurredAt;
    else set.createdAt = new Date(facts.createdAt);
    return upsertUnlessNewer(this.collection, facts.accountId, occurredAt, set, onInsert);
  }

  async cancel(accountId: string, occurredAt: Date): Promise<boolean> {
    return upsertUnlessNewer(
      this.collection,
      accountId,
      occurredAt,
      { canceled: true, factsAt: occurredAt, updatedAt: new Date() },
      { name: null, clientType: null, ownerId: null, subscription: null, createdAt: occurredAt },
    );
  }
}

export function toSubscription(subscription: { active: boolean; renewalDate: string | null }): {
  active: boolean;
  renewalDate: Date | null;
} {
  return { active: subscription.active, renewalDate: subscription.renewalDate === null ? null : new Date(subscription.renewalDate) };
}

/** Nullable fields are read with `?? null`: an upsert's `$setOnInsert` of null may leave them absent. */
function toFacts(doc: AccountDocument): AccountFacts {
  const subscription = doc.subscription ?? null;
  return {
    accountId: doc._id,
    name: doc.name ?? null,
    clientType: doc.clientType ?? null,
    ownerId: doc.ownerId ?? null,
    canceled: doc.canceled ?? false,
    subscription: subscription === null ? null : { active: subscription.active, renewalDate: subscription.renewalDate ?? null },
    calendarKey: doc.calendarKey ?? null,
    createdAt: doc.createdAt,
  };
}
