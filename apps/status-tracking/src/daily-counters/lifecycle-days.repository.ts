import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { MongoBulkWriteError, type Collection } from 'mongodb';
import { lifecycleStateId } from '../statuses/lifecycle-state.schema';
import {
  LIFECYCLE_DAYS_COLLECTION,
  LIFECYCLE_DAYS_INDEXES,
  stagingAsOf,
  stagingCollectionName,
  type LifecycleDaysDocument,
  type MaterializedDays,
} from './lifecycle-days.schema';
import { ensureIndexes, isDuplicateKeyError, Storage } from '@lifecycle/storage';

/** Documents per `insertMany`: the embedded engine turns one into a single SQL statement batch; MongoDB splits at 100k. */
export const STAGING_INSERT_CHUNK = 1_000;

/**
 * A staging collection this much older than a starting run belongs to a run abandoned long ago
 * (failed for good): dropped. A run resumed after that stages again from the start.
 */
const ABANDONED_AFTER_MS = 2 * 86_400_000;

const NAMESPACE_NOT_FOUND = 26;
const NAMESPACE_EXISTS = 48;
const NOT_IMPLEMENTED = 238;

export interface DaysRow {
  accountId: string;
  attributeKey: string;
  days: MaterializedDays;
}

/** What an earlier attempt of a run staged: the state ids, and those staged as canceled (L10). */
export interface StagedStates {
  ids: Set<string>;
  canceled: Set<string>;
}

/**
 * `swapped`: the run's figures are now `lifecycle_days`; `already-live`: an earlier attempt swapped
 * them in; `superseded`: a later run's figures are live (this run was resumed after it finished):
 * they stay, this run's staging is dropped; `missing`: neither staged nor live (the staging was
 * dropped as abandoned): the run must stage again.
 */
export type SwapOutcome = 'swapped' | 'already-live' | 'superseded' | 'missing';

/**
 * `lifecycle_days` and the staging collections of the daily runs (L14). Only inserts and one
 * collection swap per run: on the embedded engine as released even an `_id` equality is a full
 * table scan (docs/architecture.md, "The embedded engine's exceptions"), so an upsert or replace
 * by `_id` costs one or two scans of the target collection and a run of upserts over n states
 * costs O(n²); an insert is checked against the unique index and costs O(1).
 */
@Injectable()
export class LifecycleDaysRepository implements OnModuleInit {
  private readonly logger = new Logger(LifecycleDaysRepository.name);
  private readonly collection: Collection<LifecycleDaysDocument>;

  constructor(private readonly storage: Storage) {
    this.collection = storage.collection<LifecycleDaysDocument>(LIFECYCLE_DAYS_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.collection, LIFECYCLE_DAYS_INDEXES);
  }

  async get(accountId: string, attributeKey: string): Promise<MaterializedDays | undefined> {
    const doc = await this.collection.findOne({ _id: lifecycleStateId(accountId, attributeKey) });
    if (!doc) return undefined;
    const { _id, accountId: _accountId, attributeKey: _attributeKey, ...days } = doc;
    return days;
  }

  /**
   * Starts or resumes the run "as of" `asOf`: drops the staging collections of abandoned runs and
   * creates this run's (kept as it is when an earlier attempt created it).
   */
  async openRun(asOf: Date): Promise<void> {
    const names = await this.storage.db.listCollections({}, { nameOnly: true }).toArray();
    for (const { name } of names) {
      const runAsOf = stagingAsOf(name);
      if (runAsOf === null || asOf.getTime() - runAsOf.getTime() < ABANDONED_AFTER_MS) continue;
      this.logger.warn(`dropping ${name}: staging of a daily run abandoned since ${runAsOf.toISOString()}`);
      await this.dropIfExists(name);
    }
    try {
      await this.storage.db.createCollection(stagingCollectionName(asOf));
    } catch (e) {
      if (!hasCode(e, NAMESPACE_EXISTS)) throw e;
    }
  }

  /**
   * What earlier attempts of the run staged: one scan of its staging collection (ids and the
   * canceled flag only). Memory: about 115 bytes of heap per staged state (measured: 11.4 MB for
   * 100,000 ids), released as the stream meets them; nothing when the run starts fresh.
   */
  async staged(asOf: Date): Promise<StagedStates> {
    const staged: StagedStates = { ids: new Set(), canceled: new Set() };
    const cursor = this.staging(asOf)
      .find({}, { projection: { _id: 1, canceled: 1 } })
      .batchSize(STAGING_INSERT_CHUNK);
    for await (const doc of cursor) {
      staged.ids.add(doc._id);
      if (doc.canceled) staged.canceled.add(doc._id);
    }
    return staged;
  }

  /**
   * Adds figures to the run's staging collection: unordered `insertMany` of at most
   * `STAGING_INSERT_CHUNK` documents. A state already staged (duplicate `_id`: a retried batch)
   * keeps its document; the unique `_id` index makes that check atomic on both servers.
   */
  async stage(asOf: Date, rows: readonly DaysRow[]): Promise<void> {
    const docs: LifecycleDaysDocument[] = rows.map((row) => ({
      _id: lifecycleStateId(row.accountId, row.attributeKey),
      accountId: row.accountId,
      attributeKey: row.attributeKey,
      ...row.days,
    }));
    const staging = this.staging(asOf);
    for (let i = 0; i < docs.length; i += STAGING_INSERT_CHUNK) {
      try {
        await staging.insertMany(docs.slice(i, i + STAGING_INSERT_CHUNK), { ordered: false });
      } catch (e) {
        if (!onlyDuplicateKeys(e)) throw e;
      }
    }
  }

  /**
   * Makes the run's staged figures `lifecycle_days` (indexes built first, on the full staging).
   * MongoDB: one atomic `renameCollection` with `dropTarget`. The embedded engine answers that option
   * with NotImplemented: the old collection is dropped, then the staging renamed; a reader in
   * between finds no figures, and a crash in between is repaired by the next attempt (the staging
   * is still there). Idempotent: a later attempt learns whether an earlier one swapped.
   */
  async swapIn(asOf: Date): Promise<SwapOutcome> {
    const name = stagingCollectionName(asOf);
    // Every live document has the same asOf (one swap per run); no filter, so a LIMIT 1 on the embedded engine.
    const live = (await this.collection.findOne({}, { projection: { asOf: 1 } }))?.asOf.getTime() ?? null;
    if (live !== null && live > asOf.getTime()) {
      await this.dropIfExists(name);
      return 'superseded';
    }
    if (!(await this.exists(name))) return live === asOf.getTime() ? 'already-live' : 'missing';
    await ensureIndexes(this.staging(asOf), LIFECYCLE_DAYS_INDEXES);
    try {
      await this.storage.db.renameCollection(name, LIFECYCLE_DAYS_COLLECTION, { dropTarget: true });
    } catch (e) {
      if (!hasCode(e, NOT_IMPLEMENTED)) throw e;
      await this.dropIfExists(LIFECYCLE_DAYS_COLLECTION);
      await this.storage.db.renameCollection(name, LIFECYCLE_DAYS_COLLECTION);
    }
    return 'swapped';
  }

  private staging(asOf: Date): Collection<LifecycleDaysDocument> {
    return this.storage.collection<LifecycleDaysDocument>(stagingCollectionName(asOf));
  }

  private async exists(name: string): Promise<boolean> {
    return (await this.storage.db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
  }

  private async dropIfExists(name: string): Promise<void> {
    try {
      await this.storage.db.dropCollection(name);
    } catch (e) {
      if (!hasCode(e, NAMESPACE_NOT_FOUND)) throw e;
    }
  }
}

function hasCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function onlyDuplicateKeys(error: unknown): boolean {
  if (!(error instanceof MongoBulkWriteError)) return isDuplicateKeyError(error);
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return writeErrors.length > 0 && writeErrors.every((w) => w.code === 11000) && error.err === undefined;
}
