import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Collection, Document } from 'mongodb';
import type { LifecycleState } from '@lifecycle/rules';
import { pagesOf, Storage } from '@lifecycle/storage';
import { packPair } from './lifecycle-state.codec';
import {
  LIFECYCLE_STATE_COLLECTION,
  noopKeyId,
  STATUS_NOOP_KEYS_COLLECTION,
  type ChangeSource,
  type StatusHistoryEntry,
  type StatusNoopKeyDocument,
} from './lifecycle-state.schema';

/**
 * Format 1 of the store kept each pair's history apart from its state: `status_history` (one
 * document per change at `${pair}|${seq}`), `status_keys` (every idempotency key, `seq` 0 for a
 * no-op) and a state document with the fold as subdocuments (`lifecycle`, `changes`,
 * `historyCount`). At start, while `status_history` exists, each such state document is
 * rewritten packed with the entries it had folded (conditional on its version, so instances
 * starting together do it once), the no-op keys are copied, and the two collections are dropped.
 * An entry past `historyCount` was never acknowledged (its writer crashed before the state
 * write); its source retries it, so it is left out.
 */
export const FORMAT_1_HISTORY = 'status_history';
export const FORMAT_1_KEYS = 'status_keys';
const PAGE = 200;

interface Format1State extends Document {
  _id: string;
  accountId: string;
  attributeKey: string;
  version: number;
  historyCount: number;
  lifecycle: Format1Lifecycle;
}

interface Format1Lifecycle {
  stageId: string | null;
  cycle: number;
  completedCycles: number;
  completed: boolean;
  cycleStartedAt: Date | null;
  cycleEndedAt: Date | null;
  stageEnteredAt: Date | null;
  lastChangedAt: Date | null;
  lastCompletedAt: Date | null;
  stageMs: { stageId: string; ms: number }[];
  totalMs: { stageId: string; ms: number }[];
  cycleRecords: { cycle: number; startedAt: Date; completedAt: Date; ms: number; stages: { stageId: string; ms: number }[] }[];
}

interface Format1Entry extends Document {
  _id: string;
  changeId: string;
  seq: number;
  to: string | null;
  at: Date;
  source: ChangeSource;
  actor: string | null;
  requestId: string | null;
  idempotencyKey: string;
  recordedAt: Date;
}

interface Format1Key extends Document {
  _id: string;
  accountId: string;
  attributeKey: string;
  seq: number;
}

@Injectable()
export class StoredFormatMigration implements OnModuleInit {
  private readonly logger = new Logger(StoredFormatMigration.name);

  constructor(private readonly storage: Storage) {}

  async onModuleInit(): Promise<void> {
    const migrated = await this.run();
    if (migrated > 0) this.logger.log(`rewrote ${migrated} state documents of format 1 packed`);
  }

  /** Returns how many state documents it rewrote; 0 at once when there is no format 1 store. */
  async run(): Promise<number> {
    const found = await this.storage.db.listCollections({ name: FORMAT_1_HISTORY }, { nameOnly: true }).toArray();
    if (found.length === 0) return 0;
    const states = this.storage.collection<Format1State>(LIFECYCLE_STATE_COLLECTION);
    const history = this.storage.collection<Format1Entry>(FORMAT_1_HISTORY);
    let migrated = 0;
    for await (const page of pagesOf(states.find({ packed: { $exists: false } }).batchSize(PAGE), PAGE, (doc) => doc)) {
      migrated += await this.rewrite(states, history, page);
    }
    await this.copyNoopKeys();
    for (const name of [FORMAT_1_HISTORY, FORMAT_1_KEYS]) await this.storage.db.dropCollection(name).catch(() => false);
    await states.dropIndex('attribute_stage_account').catch(() => undefined);
    return migrated;
  }

  private async rewrite(
    states: Collection<Format1State>,
    history: Collection<Format1Entry>,
    page: readonly Format1State[],
  ): Promise<number> {
    const slots = page.flatMap((doc) => Array.from({ length: doc.historyCount }, (_, i) => `${doc._id}|${i + 1}`));
    const entries = new Map((await this.storage.findByIds(history, slots)).map((e) => [e._id, e]));
    let rewritten = 0;
    for (const doc of page) {
      const folded: StatusHistoryEntry[] = [];
      for (let seq = 1; seq <= doc.historyCount; seq++) {
        const e = entries.get(`${doc._id}|${seq}`);
        if (!e) throw new Error(`format 1 state ${doc._id} folded ${doc.historyCount} changes, but slot ${seq} is empty`);
        const { changeId, to, at, source, actor, requestId, idempotencyKey, recordedAt } = e;
        folded.push({ changeId, seq, to, at, source, actor, requestId, idempotencyKey, recordedAt });
      }
      const state = stateOf(doc.lifecycle);
      const result = await states.updateOne(
        { _id: doc._id, version: doc.version },
        {
          $set: { stageId: state.stageId, packed: packPair({ state, history: folded }) },
          $unset: { lifecycle: '', changes: '', historyCount: '', lastEntryAt: '' },
          $inc: { version: 1 },
        },
      );
      rewritten += result.modifiedCount;
    }
    return rewritten;
  }

  private async copyNoopKeys(): Promise<void> {
    const keys = this.storage.collection<Format1Key>(FORMAT_1_KEYS);
    const noops = this.storage.collection<StatusNoopKeyDocument>(STATUS_NOOP_KEYS_COLLECTION);
    const recordedAt = new Date();
    for await (const page of pagesOf(keys.find({ seq: 0 }).batchSize(PAGE), PAGE, (k) => k)) {
      await this.storage.bulkWrite(
        noops,
        page.map((k) => ({
          updateOne: {
            filter: { _id: noopKeyId(k.accountId, k.attributeKey, k._id) },
            update: { $setOnInsert: { recordedAt } },
            upsert: true,
          },
        })),
      );
    }
  }
}

function stateOf(stored: Format1Lifecycle): LifecycleState {
  return {
    stageId: stored.stageId,
    cycle: stored.cycle,
    completedCycles: stored.completedCycles,
    completed: stored.completed,
    cycleStartedAt: stored.cycleStartedAt,
    cycleEndedAt: stored.cycleEndedAt,
    stageEnteredAt: stored.stageEnteredAt,
    lastChangedAt: stored.lastChangedAt,
    lastCompletedAt: stored.lastCompletedAt,
    stageMs: Object.fromEntries(stored.stageMs.map((s) => [s.stageId, s.ms])),
    totalMs: Object.fromEntries(stored.totalMs.map((s) => [s.stageId, s.ms])),
    cycleRecords: stored.cycleRecords.map((r) => ({ ...r, stages: r.stages.map((s) => ({ ...s })) })),
  };
}
