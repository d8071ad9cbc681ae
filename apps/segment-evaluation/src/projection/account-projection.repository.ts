import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Collection, Filter } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import type { AttributeProjection, AttributeTransition } from '../domain/account-projection';
import { changeKeyPrefix } from '../domain/account-projection';
import type { MongoFilter } from '../domain/criteria-compiler';
import { isQueryableAttributeKey } from '../domain/criteria';
import { isoRangeRegex } from '../domain/iso-range-regex';
import type { ProgressItem } from '../domain/progress';
import { emptyAccount, type ProjectedAccount } from '../domain/projection-updates';
import {
  ACCOUNT_PROJECTION_COLLECTION,
  ACCOUNT_PROJECTION_INDEXES,
  ATTRIBUTE_INDEX_FIELDS,
  attributeIndexName,
  MAX_INDEXED_ATTRIBUTES,
  type AccountProjectionDocument,
} from './account-projection.schema';
import { Storage, ensureIndexes, isDuplicateKeyError } from '@lifecycle/storage';

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
const MEMBER_FIELDS = { _id: 1, name: 1, clientType: 1, ownerId: 1, canceled: 1 } as const;

/** Documents per cursor batch of the passes over the collection (few round trips, bounded memory). */
const SCAN_BATCH_SIZE = 1_000;

/**
 * A member page is cut from one pass over the matches when it lies within the first
 * `MAX_SINGLE_PASS_WINDOW` members by id (the pass keeps that many summaries at most); deeper
 * pages fall back to a count and a page sorted by the server (two passes, rare).
 */
export const MAX_SINGLE_PASS_WINDOW = 10_000;

/** The members of a page and how many match in all. */
export interface MembersPage {
  total: number;
  items: MemberSummary[];
}

/**
 * The projection's storage. Compiled criteria (`$`-operators built by the compiler from validated
 * input) go through the native driver collection: mongoose's global `sanitizeFilter` would strip
 * them.
 */
@Injectable()
export class AccountProjectionRepository implements OnModuleInit {
  private readonly logger = new Logger(AccountProjectionRepository.name);
  private readonly collection: Collection<AccountProjectionDocument>;

  constructor(storage: Storage) {
    this.collection = storage.collection<AccountProjectionDocument>(ACCOUNT_PROJECTION_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    // One at a time, only the missing ones: FerretDB v1.24 drops the connection otherwise.
    await ensureIndexes(
      this.collection,
      ACCOUNT_PROJECTION_INDEXES.map((index) => ({ ...index, key: { ...index.key } })),
    );
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

  /**
   * S3: how many accounts match and one page of them by id. FerretDB scans the collection for any
   * filter and sorts in memory, so a count and a sorted page would be two full scans: the page is
   * cut here from the one pass that counts, keeping at most `skip + limit` summaries (twice that
   * between cuts). Pages beyond `MAX_SINGLE_PASS_WINDOW` members take the two-pass way.
   */
  async membersPage(filter: MongoFilter, skip: number, limit: number): Promise<MembersPage> {
    const window = skip + limit;
    if (window > MAX_SINGLE_PASS_WINDOW) {
      const [total, items] = await Promise.all([this.count(filter), this.sortedMembers(filter, skip, limit)]);
      return { total, items };
    }
    let total = 0;
    let kept: MemberSummary[] = [];
    const byId = (a: MemberSummary, b: MemberSummary) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0);
    const cursor = this.collection.find(filter as Filter<AccountProjectionDocument>, {
      projection: MEMBER_FIELDS,
      batchSize: SCAN_BATCH_SIZE,
    });
    for await (const doc of cursor) {
      total += 1;
      if (window === 0) continue;
      kept.push(memberOf(doc));
      if (kept.length >= Math.max(2 * window, window + SCAN_BATCH_SIZE)) kept = kept.sort(byId).slice(0, window);
    }
    return { total, items: kept.sort(byId).slice(skip, window) };
  }

  /**
   * The ids of the accounts matching `filter`, `chunkSize` at a time, from one pass in storage order
   * (no sort: FerretDB would first hold every match in memory). Callers that change the accounts
   * they receive must be idempotent: a pass started again finds only what is still to do.
   */
  async *matchingIds(filter: MongoFilter, chunkSize: number): AsyncGenerator<string[]> {
    const cursor = this.collection.find(filter as Filter<AccountProjectionDocument>, {
      projection: { _id: 1 },
      batchSize: SCAN_BATCH_SIZE,
    });
    let chunk: string[] = [];
    try {
      for await (const doc of cursor) {
        chunk.push(doc._id);
        if (chunk.length >= chunkSize) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length > 0) yield chunk;
    } finally {
      await cursor.close();
    }
  }

  /**
   * The members' state of one attribute for the progress view (the transitions only for `asOf`),
   * one at a time from one unsorted pass: the board is a fold, its memory does not grow with them.
   */
  async *progressItems(filter: MongoFilter, attributeKey: string, withTransitions: boolean): AsyncGenerator<ProgressItem> {
    const path = `lifecycle.${attributeKey}`;
    const fields: (keyof AttributeProjection)[] = withTransitions
      ? ['stageId', 'transitions']
      : ['stageId', 'running', 'stageClockStart', 'frozenStageMs'];
    const projection = Object.fromEntries([['_id', 1], ['canceled', 1], ...fields.map((f) => [`${path}.${f}`, 1])]) as Record<string, 1>;
    const cursor = this.collection.find(filter as Filter<AccountProjectionDocument>, { projection, batchSize: SCAN_BATCH_SIZE });
    try {
      for await (const doc of cursor) {
        const lifecycle = doc.lifecycle as { [key: string]: AttributeProjection | undefined } | undefined;
        const state = lifecycle !== undefined && Object.hasOwn(lifecycle, attributeKey) ? lifecycle[attributeKey] : undefined;
        yield {
          accountId: doc._id,
          canceled: doc.canceled === true,
          state: state === undefined ? undefined : { ...state, transitions: state.transitions ?? [] },
        };
      }
    } finally {
      await cursor.close();
    }
  }

  private async count(filter: MongoFilter): Promise<number> {
    return this.collection.countDocuments(filter as Filter<AccountProjectionDocument>);
  }

  private async sortedMembers(filter: MongoFilter, skip: number, limit: number): Promise<MemberSummary[]> {
    const docs = await this.collection
      .find(filter as Filter<AccountProjectionDocument>, { projection: MEMBER_FIELDS })
      .sort({ _id: 1 })
      .skip(skip)
      .limit(limit)
      .toArray();
    return docs.map(memberOf);
  }

  /** The transitions of `attributeKey` of every account that changed it before `before` (the report). */
  async *histories(attributeKey: string, before: Date): AsyncGenerator<AttributeTransition[]> {
    // Any change before `before` (see `changeKeysOf` and, for why a regex, `iso-range-regex.ts`).
    const regex = isoRangeRegex(changeKeyPrefix(undefined, undefined), { from: null, to: before, toInclusive: false });
    if (regex === null) return;
    const filter = { [`lifecycle.${attributeKey}.changeKeys`]: { $regex: regex } };
    // Unsorted: the report is a fold in any order, and FerretDB would hold every match to sort it.
    const cursor = this.collection.find(filter as Filter<AccountProjectionDocument>, {
      projection: { _id: 1, [`lifecycle.${attributeKey}.transitions`]: 1 },
      batchSize: SCAN_BATCH_SIZE,
    });
    try {
      for await (const doc of cursor) {
        const state = (doc.lifecycle as { [key: string]: Partial<AttributeProjection> | undefined } | undefined)?.[attributeKey];
        yield Array.isArray(state?.transitions) ? state.transitions : [];
      }
    } finally {
      await cursor.close();
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

function memberOf(doc: Pick<AccountProjectionDocument, '_id' | 'name' | 'clientType' | 'ownerId' | 'canceled'>): MemberSummary {
  return {
    accountId: doc._id,
    name: doc.name,
    clientType: doc.clientType ?? null,
    ownerId: doc.ownerId ?? null,
    canceled: doc.canceled === true,
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
