import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Filter } from 'mongodb';
import type { Connection } from 'mongoose';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { ensureIndexes } from '@lifecycle/http';
import { OutboxRelay, type AggregateLock, type EventPublisher } from '@lifecycle/messaging';
import type { AttributeProjection, AttributeTransition } from '../domain/account-projection';
import { changeKeyPrefix } from '../domain/account-projection';
import type { MongoFilter } from '../domain/criteria-compiler';
import { isQueryableAttributeKey } from '../domain/criteria';
import { isoRangeRegex } from '../domain/iso-range-regex';
import type { ProgressItem } from '../domain/progress';
import { emptyAccount, type ProjectedAccount } from '../domain/projection-updates';
import { isDuplicateKeyError } from '../storage/mongo-errors';
import {
  ACCOUNT_PROJECTION_COLLECTION,
  ACCOUNT_PROJECTION_INDEXES,
  ATTRIBUTE_INDEX_FIELDS,
  attributeIndexName,
  MAX_INDEXED_ATTRIBUTES,
  type AccountProjectionDocument,
} from './account-projection.schema';

/** A projection as read for an update: the state and the revision the write must match. */
export interface StoredProjection {
  account: ProjectedAccount;
  rev: number;
}

/** What a member list shows of an account. */
export interface MemberSummary {
  accountId: string;
  name: string;
  clientType: string | null;
  ownerId: string | null;
  canceled: boolean;
}

const WITHOUT_OUTBOX = { projection: { outbox: 0 } } as const;

/**
 * The projection's storage. Compiled criteria (`$`-operators built by the compiler from validated
 * input) go through the native driver collection: mongoose's global `sanitizeFilter` would strip
 * them.
 */
@Injectable()
export class AccountProjectionRepository implements OnModuleInit {
  private readonly logger = new Logger(AccountProjectionRepository.name);
  private readonly collection: Collection<AccountProjectionDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.collection = connection.collection<AccountProjectionDocument>(ACCOUNT_PROJECTION_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    // One at a time, only the missing ones: FerretDB v1.24 drops the connection otherwise.
    await ensureIndexes(this.collection, ACCOUNT_PROJECTION_INDEXES.map((index) => ({ ...index, key: { ...index.key } })));
  }

  createOutboxRelay(publisher: EventPublisher, lock: AggregateLock, intervalMs?: number): OutboxRelay<AccountProjectionDocument> {
    return new OutboxRelay(this.collection, publisher, intervalMs, lock);
  }

  async get(accountId: string): Promise<StoredProjection | undefined> {
    const doc = await this.collection.findOne({ _id: String(accountId) }, WITHOUT_OUTBOX);
    return doc === null ? undefined : { account: toAccount(doc), rev: doc.rev };
  }

  /** First write of an account; false when another writer created it first. */
  async insert(account: ProjectedAccount, outbox: readonly AnyEnvelope[], now: Date): Promise<boolean> {
    try {
      await this.collection.insertOne({ ...fieldsOf(account), _id: account._id, rev: 1, outbox: [...outbox], updatedAt: now });
      return true;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  /** The state, the memberships and their events in one atomic update; false when `rev` moved on. */
  async replace(account: ProjectedAccount, rev: number, outbox: readonly AnyEnvelope[], now: Date): Promise<boolean> {
    const update = {
      $set: { ...fieldsOf(account), rev: rev + 1, updatedAt: now },
      ...(outbox.length > 0 ? { $push: { outbox: { $each: [...outbox] } } } : {}),
    };
    const result = await this.collection.updateOne({ _id: String(account._id), rev: { $eq: rev } }, update);
    return result.matchedCount > 0;
  }

  async members(filter: MongoFilter, skip: number, limit: number): Promise<MemberSummary[]> {
    const docs = await this.collection
      .find(filter as Filter<AccountProjectionDocument>, { projection: { _id: 1, name: 1, clientType: 1, ownerId: 1, canceled: 1 } })
      .sort({ _id: 1 })
      .skip(skip)
      .limit(limit)
      .toArray();
    return docs.map((doc) => ({
      accountId: doc._id,
      name: doc.name,
      clientType: doc.clientType ?? null,
      ownerId: doc.ownerId ?? null,
      canceled: doc.canceled === true,
    }));
  }

  async count(filter: MongoFilter): Promise<number> {
    return this.collection.countDocuments(filter as Filter<AccountProjectionDocument>);
  }

  /** Up to `limit` ids matching `filter` after `afterId`, in id order (resumable batches). */
  async idsAfter(filter: MongoFilter, afterId: string | null, limit: number): Promise<string[]> {
    const page = afterId === null ? filter : { $and: [{ _id: { $gt: afterId } }, filter] };
    const docs = await this.collection
      .find(page as Filter<AccountProjectionDocument>, { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => doc._id);
  }

  /** The members' state of one attribute for the progress view; the transitions only for `asOf`. */
  async progressItems(filter: MongoFilter, attributeKey: string, withTransitions: boolean): Promise<ProgressItem[]> {
    const path = `lifecycle.${attributeKey}`;
    const fields: (keyof AttributeProjection)[] = withTransitions
      ? ['stageId', 'transitions']
      : ['stageId', 'running', 'stageClockStart', 'frozenStageMs'];
    const projection = Object.fromEntries([['_id', 1], ['canceled', 1], ...fields.map((f) => [`${path}.${f}`, 1])]) as Record<string, 1>;
    const items: ProgressItem[] = [];
    const cursor = this.collection.find(filter as Filter<AccountProjectionDocument>, { projection }).sort({ _id: 1 });
    for await (const doc of cursor) {
      const lifecycle = doc.lifecycle as { [key: string]: AttributeProjection | undefined } | undefined;
      const state = lifecycle !== undefined && Object.hasOwn(lifecycle, attributeKey) ? lifecycle[attributeKey] : undefined;
      items.push({ accountId: doc._id, canceled: doc.canceled === true, state: state === undefined ? undefined : { ...state, transitions: state.transitions ?? [] } });
    }
    return items;
  }

  /** The transitions of `attributeKey` of every account that changed it before `before` (the report). */
  async *histories(attributeKey: string, before: Date): AsyncGenerator<AttributeTransition[]> {
    // Any change before `before` (see `changeKeysOf` and, for why a regex, `iso-range-regex.ts`).
    const regex = isoRangeRegex(changeKeyPrefix(undefined, undefined), { from: null, to: before, toInclusive: false });
    if (regex === null) return;
    const filter = { [`lifecycle.${attributeKey}.changeKeys`]: { $regex: regex } };
    const cursor = this.collection
      .find(filter as Filter<AccountProjectionDocument>, { projection: { _id: 1, [`lifecycle.${attributeKey}.transitions`]: 1 } })
      .sort({ _id: 1 })
      .batchSize(1_000);
    for await (const doc of cursor) {
      const state = (doc.lifecycle as { [key: string]: Partial<AttributeProjection> | undefined } | undefined)?.[attributeKey];
      yield Array.isArray(state?.transitions) ? state.transitions : [];
    }
  }

  /**
   * Indexes for the attributes a saved segment reads (bounded by MAX_INDEXED_ATTRIBUTES).
   * Returns the attribute keys that got new indexes.
   */
  async ensureAttributeIndexes(attributeKeys: readonly string[]): Promise<string[]> {
    const existing = new Set((await this.collection.indexes()).map((index) => index.name ?? ''));
    const indexed = new Set([...existing].filter((n) => n.startsWith('attr_')).map((n) => n.slice('attr_'.length, n.lastIndexOf('_'))));
    const created: string[] = [];
    for (const key of attributeKeys) {
      if (!isQueryableAttributeKey(key) || indexed.has(key)) continue;
      if (indexed.size >= MAX_INDEXED_ATTRIBUTES) {
        this.logger.warn(`attribute ${key} is not indexed: ${MAX_INDEXED_ATTRIBUTES} attributes are indexed already`);
        continue;
      }
      await ensureIndexes(
        this.collection,
        ATTRIBUTE_INDEX_FIELDS.map((field) => ({ key: { [`lifecycle.${key}.${field}`]: 1 }, name: attributeIndexName(key, field) })),
      );
      indexed.add(key);
      created.push(key);
    }
    return created;
  }
}

/** The stored fields of a projection (never `_id`, `rev`, `outbox`). */
function fieldsOf(account: ProjectedAccount): Omit<ProjectedAccount, '_id'> {
  return {
    name: account.name,
    clientType: account.clientType,
    ownerId: account.ownerId,
    canceled: account.canceled,
    subscriptionActive: account.subscriptionActive,
    renewalDate: account.renewalDate,
    lifecycle: account.lifecycle,
    factsAt: account.factsAt,
    segments: account.segments,
    membershipSeq: account.membershipSeq,
  };
}

function toAccount(doc: Partial<AccountProjectionDocument> & { _id: string }): ProjectedAccount {
  const base = emptyAccount(doc._id);
  return {
    _id: doc._id,
    name: doc.name ?? base.name,
    clientType: doc.clientType ?? null,
    ownerId: doc.ownerId ?? null,
    canceled: doc.canceled === true,
    subscriptionActive: doc.subscriptionActive === true,
    renewalDate: doc.renewalDate ?? null,
    lifecycle: doc.lifecycle ?? {},
    factsAt: doc.factsAt ?? null,
    segments: doc.segments ?? [],
    membershipSeq: doc.membershipSeq ?? {},
  };
}
