import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import type { AttributeProjection, AttributeTransition } from '../domain/account-projection';
import { isQueryableAttributeKey, type ResolvedCriteria } from '../domain/criteria';
import type { Membership } from '../domain/membership';
import type { ProgressItem } from '../domain/progress';
import { emptyAccount, type ProjectedAccount, type ProjectedAttribute } from '../domain/projection-updates';
import {
  ACCOUNT_PROJECTION_COLLECTION,
  ACCOUNT_PROJECTION_INDEXES,
  attributeIndexes,
  MAX_INDEXED_ATTRIBUTES,
  type AccountProjectionDocument,
} from './account-projection.schema';
import { changedBeforeQuery, criteriaQuery, membershipCandidatesQuery, type ProjectionFilter } from './criteria-query';
import type { SegmentToEvaluate } from './projection.writer';
import { withoutQueryKeys, withQueryKeys, type StoredAttribute } from './query-keys';
import { mergedLookup } from '@lifecycle/messaging';
import { ensureIndexes, insertUnique, Storage, writeVersioned } from '@lifecycle/storage';

/** A projection as read for an update: the state and the revision the write must match. */
export interface StoredProjection {
  account: ProjectedAccount;
  rev: number;
}

/** An account's membership record as a job reads it: what the job writes, and the revision it writes over. */
export interface StoredMembership extends Membership {
  accountId: string;
  rev: number;
  /** The events of earlier writes still to publish (published with the job's). */
  outbox: AnyEnvelope[];
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
const MEMBERSHIP_FIELDS = { _id: 1, rev: 1, segments: 1, membershipSeq: 1, outbox: 1 } as const;
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
 * The projection's storage. Criteria arrive resolved (validated against the catalog) and are
 * turned into queries here (`criteria-query.ts`) for the engine behind the connection; where
 * that engine needs them, the query keys are written beside the transitions and completions
 * (`query-keys.ts`) and left out again on reads, so the domain sees the same types everywhere.
 */
@Injectable()
export class AccountProjectionRepository implements OnModuleInit {
  private readonly logger = new Logger(AccountProjectionRepository.name);
  private readonly collection: Collection<AccountProjectionDocument>;
  /** Concurrent look-ups (an account's segments, a redo after a lost race) share one query (`mergedLookup`). */
  private readonly lookup = mergedLookup(async (ids) => {
    const docs = await this.storage.findByIds(this.collection, ids, WITHOUT_OUTBOX);
    return new Map(docs.map((doc) => [doc._id, { account: toAccount(doc), rev: doc.rev }]));
  });

  constructor(private readonly storage: Storage) {
    this.collection = storage.collection<AccountProjectionDocument>(ACCOUNT_PROJECTION_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(
      this.collection,
      ACCOUNT_PROJECTION_INDEXES.map((index) => ({ ...index, key: { ...index.key } })),
    );
  }

  get(accountId: string): Promise<StoredProjection | undefined> {
    return this.lookup(String(accountId));
  }

  /**
   * Many accounts' states, memberships and events in bulk, each as `insert` (no `rev`) or
   * `replace` would write it; the accounts written (a lost race leaves an account out).
   */
  async writeMany(
    writes: readonly { account: ProjectedAccount; rev: number | undefined; outbox: readonly AnyEnvelope[] }[],
    now: Date,
  ): Promise<Set<string>> {
    return writeVersioned(
      this.storage,
      this.collection,
      'rev',
      writes.map(({ account, rev, outbox }) =>
        rev === undefined
          ? {
              id: account._id,
              expected: undefined,
              insert: { ...this.fieldsOf(account), _id: account._id, outbox: [...outbox], updatedAt: now },
            }
          : {
              id: account._id,
              expected: rev,
              update: {
                $set: { ...this.fieldsOf(account), updatedAt: now },
                ...(outbox.length > 0 ? { $push: { outbox: { $each: [...outbox] } } } : {}),
              },
            },
      ),
    );
  }

  /** First write of an account; false when another writer created it first. */
  async insert(account: ProjectedAccount, outbox: readonly AnyEnvelope[], now: Date): Promise<boolean> {
    return insertUnique(this.collection, { ...this.fieldsOf(account), _id: account._id, rev: 1, outbox: [...outbox], updatedAt: now });
  }

  /** The state, the memberships and their events in one atomic update; false when `rev` moved on. */
  async replace(account: ProjectedAccount, rev: number, outbox: readonly AnyEnvelope[], now: Date): Promise<boolean> {
    const update = {
      $set: { ...this.fieldsOf(account), rev: rev + 1, updatedAt: now },
      ...(outbox.length > 0 ? { $push: { outbox: { $each: [...outbox] } } } : {}),
    };
    const result = await this.collection.updateOne({ _id: String(account._id), rev: { $eq: rev } }, update);
    return result.matchedCount > 0;
  }

  /**
   * Projections by id (a batch of events, a job's batch) with the events their outboxes hold, missing ids left out,
   * in no particular order.
   */
  async getManyWithOutbox(accountIds: readonly string[]): Promise<(StoredProjection & { outbox: AnyEnvelope[] })[]> {
    const docs = await this.storage.findByIds(this.collection, accountIds.map(String));
    return docs.map((doc) => ({ account: toAccount(doc), rev: doc.rev, outbox: [...(doc.outbox ?? [])] }));
  }

  /**
   * The membership records of accounts (a job's chunk): `rev`, memberships, their change
   * counters and the events their outboxes hold — nothing of the lifecycle state, which the job
   * does not read (it decides from the evaluation index). Missing ids are left out.
   */
  async membershipsOf(accountIds: readonly string[]): Promise<StoredMembership[]> {
    const docs = await this.storage.findByIds(this.collection, accountIds.map(String), { projection: MEMBERSHIP_FIELDS });
    return docs.map((doc) => ({
      accountId: doc._id,
      rev: doc.rev,
      segments: Array.isArray(doc.segments) ? doc.segments : [],
      membershipSeq: doc.membershipSeq ?? {},
      outbox: [...(doc.outbox ?? [])],
    }));
  }

  /**
   * A batch of membership changes (a job): per account its memberships, their counters and
   * their events, each update guarded by `rev` (`writeVersioned`: bulk writes of the engine's
   * size); nothing else of the document is written. The accounts written (one another writer
   * moved on meanwhile is left out).
   */
  async replaceMemberships(
    writes: readonly { accountId: string; rev: number; membership: Membership; outbox: readonly AnyEnvelope[] }[],
    now: Date,
  ): Promise<Set<string>> {
    return writeVersioned(
      this.storage,
      this.collection,
      'rev',
      writes.map(({ accountId, rev, membership, outbox }) => ({
        id: String(accountId),
        expected: rev,
        update: {
          $set: { segments: [...membership.segments], membershipSeq: { ...membership.membershipSeq }, updatedAt: now },
          ...(outbox.length > 0 ? { $push: { outbox: { $each: [...outbox] } } } : {}),
        },
      })),
    );
  }

  /**
   * S3: how many accounts match `criteria` at `now` and one page of them by id. Where indexes
   * are not usable every query scans the collection and sorts in memory, so a count and a sorted
   * page would be two full scans: the page is cut here from the one pass that counts, keeping at
   * most `skip + limit` summaries (twice that between cuts). Pages beyond
   * `MAX_SINGLE_PASS_WINDOW` members take the two-pass way.
   */
  async membersPage(criteria: ResolvedCriteria, now: Date, skip: number, limit: number): Promise<MembersPage> {
    const filter = criteriaQuery(criteria, now, this.storage.engine);
    const window = skip + limit;
    if (window > MAX_SINGLE_PASS_WINDOW) {
      const [total, items] = await Promise.all([this.count(filter), this.sortedMembers(filter, skip, limit)]);
      return { total, items };
    }
    let total = 0;
    let kept: MemberSummary[] = [];
    const byId = (a: MemberSummary, b: MemberSummary) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0);
    const cursor = this.collection.find(filter, {
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
   * S5: the ids of the accounts whose membership of one of `segments` may change at `now`
   * (`membershipCandidatesQuery`), `chunkSize` at a time, from one pass in storage order (no sort:
   * without usable indexes the engine would first hold every match in memory). Callers that
   * change the accounts they receive must be idempotent: a pass started again finds only what is
   * still to do.
   */
  async *membershipCandidateIds(segments: readonly SegmentToEvaluate[], now: Date, chunkSize: number): AsyncGenerator<string[]> {
    const filter = membershipCandidatesQuery(segments, now, this.storage.engine);
    const cursor = this.collection.find(filter, {
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
   * The state of one attribute of the accounts matching `criteria` at `now`, for the progress view
   * (the transitions only for `asOf`), one at a time from one unsorted pass: the board is a fold,
   * its memory does not grow with them.
   */
  async *progressItems(
    criteria: ResolvedCriteria,
    now: Date,
    attributeKey: string,
    withTransitions: boolean,
  ): AsyncGenerator<ProgressItem> {
    const filter = criteriaQuery(criteria, now, this.storage.engine);
    const path = `lifecycle.${attributeKey}`;
    const fields: (keyof AttributeProjection)[] = withTransitions
      ? ['stageId', 'transitions']
      : ['stageId', 'running', 'stageClockStart', 'frozenStageMs'];
    const projection = Object.fromEntries([['_id', 1], ['canceled', 1], ...fields.map((f) => [`${path}.${f}`, 1])]) as Record<string, 1>;
    const cursor = this.collection.find(filter, { projection, batchSize: SCAN_BATCH_SIZE });
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

  private async count(filter: ProjectionFilter): Promise<number> {
    return this.collection.countDocuments(filter);
  }

  private async sortedMembers(filter: ProjectionFilter, skip: number, limit: number): Promise<MemberSummary[]> {
    const docs = await this.collection.find(filter, { projection: MEMBER_FIELDS }).sort({ _id: 1 }).skip(skip).limit(limit).toArray();
    return docs.map(memberOf);
  }

  /** The transitions of `attributeKey` of every account that changed it before `before` (the report). */
  async *histories(attributeKey: string, before: Date): AsyncGenerator<AttributeTransition[]> {
    const filter = changedBeforeQuery(attributeKey, before, this.storage.engine);
    // Unsorted: the report is a fold in any order, and sorting could hold every match in memory.
    const cursor = this.collection.find(filter, {
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
      await ensureIndexes(this.collection, attributeIndexes(key, this.storage.engine));
      indexed.add(key);
      created.push(key);
    }
    return created;
  }

  /** The stored fields of a projection (never `_id`, `rev`, `outbox`), with the query keys where the engine needs them. */
  private fieldsOf(account: ProjectedAccount): Omit<AccountProjectionDocument, '_id' | 'rev' | 'outbox' | 'updatedAt'> {
    const keys = !this.storage.engine.elemMatchOnSubdocuments;
    return {
      name: account.name,
      clientType: account.clientType,
      ownerId: account.ownerId,
      canceled: account.canceled,
      subscriptionActive: account.subscriptionActive,
      renewalDate: account.renewalDate,
      calendarKey: account.calendarKey ?? null,
      lifecycle: keys ? mapLifecycle(account.lifecycle, withQueryKeys) : account.lifecycle,
      factsAt: account.factsAt,
      segments: account.segments,
      membershipSeq: account.membershipSeq,
    };
  }
}

function mapLifecycle<A, B>(lifecycle: Record<string, A>, map: (attribute: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(lifecycle).map(([key, attribute]) => [key, map(attribute)]));
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
    calendarKey: typeof doc.calendarKey === 'string' ? doc.calendarKey : null,
    lifecycle: mapLifecycle<StoredAttribute, ProjectedAttribute>(doc.lifecycle ?? {}, withoutQueryKeys),
    factsAt: doc.factsAt ?? null,
    segments: doc.segments ?? [],
    membershipSeq: doc.membershipSeq ?? {},
  };
}
