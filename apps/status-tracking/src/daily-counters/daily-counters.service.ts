import { Inject, Injectable } from '@nestjs/common';
import { EventPublisher } from '@lifecycle/messaging';
import { AccountFactsRepository } from '../accounts/account-facts.repository';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import { ShutdownSignal } from '../jobs/shutdown-signal';
import type { MaterializeDayJobData } from '../jobs/tracking-jobs';
import { LifecycleStateRepository } from '../statuses/lifecycle-state.repository';
import { LifecycleDaysRepository, STAGING_INSERT_CHUNK, type DaysRow } from './lifecycle-days.repository';
import { materializeDays, utcDay } from './materialized-days';
import { dayRolledEventId } from './day-rolled-id';

/** States read, computed and inserted per step; one `insertMany` each. */
export const STATES_PER_BATCH = STAGING_INSERT_CHUNK;

export interface DailyCountersResult {
  day: string;
  statesMaterialized: number;
  statesSeen: number;
}

export type DailyCountersTotals = NonNullable<MaterializeDayJobData['totals']>;

/** The daily job's data (one type for the scheduler, the processor and the service). */
export type DailyCountersJobData = MaterializeDayJobData;

export interface DailyCountersProgress extends DailyCountersTotals {
  day: string;
  asOf: string;
  /** Documents this attempt inserted (states staged by an earlier attempt are seen, not written again). */
  statesWritten: number;
}

export interface DailyCountersHooks {
  /** Saves the job data: a retried or handed-back job calls `materialize` again with it. */
  checkpoint(data: DailyCountersJobData): Promise<void>;
  progress(progress: DailyCountersProgress): Promise<void>;
}

/**
 * L14: materializes the day counts of every lifecycle state into `lifecycle_days`, then announces
 * the day on `lifecycle.ticks`. Canceled accounts' states get null days (L10) and are not counted
 * as materialized. Reads never depend on it: they compute from the timestamps.
 *
 * Linear on both servers: ONE streamed cursor over the states (natural order, no sort, no filter:
 * the embedded engine pushes neither down), batches computed and inserted while the next is read (at
 * most two batches in memory), and writes that are plain inserts into the run's own staging
 * collection, swapped in as `lifecycle_days` at the end. No upserts: on the embedded engine every
 * write by `_id` scans the target collection (see LifecycleDaysRepository), which makes a
 * replaceOne-per-state pass quadratic. Unchanged figures are not worth skipping: finding out would
 * need the previous document, i.e. the same per-`_id` scan, and the insert costs less.
 *
 * Resuming (retry after a crash, hand-back on shutdown): the first attempt fixes `asOf` in the
 * job data before anything is written, so every attempt computes the same figures into the same
 * staging collection. A later attempt reads the ids already staged (one scan of the staging;
 * ~115 bytes of heap per id, ~11 MB for 100,000), streams all states again and writes only the others; the counts are
 * recomputed over the full stream, so nothing is missed or counted twice whatever the crash point
 * (an insert that landed without its progress report is found in the staging; a repeated insert
 * is refused by the unique `_id`). Chosen over a processed-count checkpoint in natural order,
 * which is neither documented nor stable on MongoDB (sharded clusters, clustered collections)
 * and shifts when a state is deleted; and over an `_id` cursor, whose `$gt` + sort is a full scan
 * and sort on the embedded engine per query.
 */
@Injectable()
export class DailyCountersService {
  constructor(
    private readonly states: LifecycleStateRepository,
    private readonly days: LifecycleDaysRepository,
    private readonly replica: AttributeReplicaRepository,
    private readonly accounts: AccountFactsRepository,
    private readonly shutdown: ShutdownSignal,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
  ) {}

  async materialize(data: DailyCountersJobData, hooks: DailyCountersHooks, now: Date = new Date()): Promise<DailyCountersResult> {
    const asOf = data.asOf === undefined ? now : new Date(data.asOf);
    const day = data.day ?? utcDay(asOf);
    const run = { day, asOf: asOf.toISOString() };
    if (data.asOf === undefined) await hooks.checkpoint(run);

    let totals = data.totals;
    // Totals saved = everything was staged: only the swap is left, unless an earlier attempt did it
    // ('already-live') or a later run's figures are live ('superseded': never replaced by older
    // ones). A staging gone without having been swapped in (dropped as abandoned) is staged again.
    if (totals === undefined || (await this.days.swapIn(asOf)) === 'missing') {
      totals = await this.stageEveryState(run, asOf, hooks);
      await hooks.checkpoint({ ...run, totals });
      if ((await this.days.swapIn(asOf)) === 'missing') {
        throw new Error(`daily counters as of ${run.asOf}: the staged figures disappeared before the swap`);
      }
    }

    const { statesSeen, statesMaterialized } = totals;
    await this.publisher.publish('day.rolled', { day, statesMaterialized }, { id: dayRolledEventId(day), occurredAt: now });
    return { day, statesMaterialized, statesSeen };
  }

  private async stageEveryState(run: { day: string; asOf: string }, asOf: Date, hooks: DailyCountersHooks): Promise<DailyCountersTotals> {
    const definitions = await this.replica.all();
    const canceled = await this.accounts.canceledIds();
    await this.days.openRun(asOf);
    const staged = await this.days.staged(asOf);
    const totals: DailyCountersTotals = { statesSeen: 0, statesMaterialized: 0 };
    let statesWritten = 0;
    let writing: Promise<void> = Promise.resolve();

    try {
      for await (const batch of this.states.streamInBatches(STATES_PER_BATCH)) {
        const rows: DaysRow[] = [];
        for (const record of batch) {
          totals.statesSeen++;
          // Staged by an earlier attempt of this run: counted as it was staged, not written again.
          if (staged.ids.delete(record.id)) {
            if (!staged.canceled.has(record.id)) totals.statesMaterialized++;
            continue;
          }
          const def = definitions.get(record.attributeKey);
          if (!def) continue;
          const isCanceled = canceled.has(record.accountId);
          rows.push({
            accountId: record.accountId,
            attributeKey: record.attributeKey,
            days: materializeDays(def, record.state, asOf, isCanceled),
          });
          if (!isCanceled) totals.statesMaterialized++;
        }
        // One insert in flight: this batch is written while the cursor fetches the next one.
        await writing;
        this.shutdown.throwIfStopping();
        writing = this.days.stage(asOf, rows);
        void writing.catch(() => undefined); // awaited at the next step; not an unhandled rejection meanwhile
        statesWritten += rows.length;
        await hooks.progress({ ...run, ...totals, statesWritten });
      }
      await writing;
    } finally {
      await writing.catch(() => undefined);
    }
    return totals;
  }
}
