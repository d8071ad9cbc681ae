import { Inject, Injectable } from '@nestjs/common';
import { EventPublisher } from '@lifecycle/messaging';
import { AccountFactsRepository } from '../accounts/account-facts.repository';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import { ShutdownSignal } from '../jobs/shutdown-signal';
import type { MaterializeDayJobData } from '../jobs/tracking-jobs';
import { LifecycleStateRepository } from '../statuses/lifecycle-state.repository';
import { LifecycleDaysRepository } from './lifecycle-days.repository';
import type { MaterializedDays } from './lifecycle-days.schema';
import { materializeDays, utcDay } from './materialized-days';
import { dayRolledEventId } from './day-rolled-id';

export const STATES_PER_BATCH = 1_000;

export interface DailyCountersResult {
  day: string;
  statesMaterialized: number;
  statesSeen: number;
}

/**
 * L14: reads every lifecycle state in _id order in batches (bounded memory), computes its day
 * counts from the timestamps and writes them to `lifecycle_days` with bulk writes, saving the cursor after each batch
 * so a retried job resumes there; then announces the day on `lifecycle.ticks`. Canceled accounts'
 * states get null days (L10) and are not counted as materialized.
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

  async materialize(
    data: MaterializeDayJobData,
    checkpoint: (data: Required<MaterializeDayJobData>) => Promise<void>,
    now: Date = new Date(),
  ): Promise<DailyCountersResult> {
    const day = data.day ?? utcDay(now);
    const definitions = await this.replica.all();
    const canceled = await this.accounts.canceledIds();
    let cursor = data.cursor ?? null;
    let statesMaterialized = data.statesMaterialized ?? 0;
    let statesSeen = data.statesSeen ?? 0;

    for await (const batch of this.states.batchesAfter(cursor, STATES_PER_BATCH)) {
      this.shutdown.throwIfStopping();
      const rows: { accountId: string; attributeKey: string; days: MaterializedDays }[] = [];
      for (const record of batch) {
        const def = definitions.get(record.attributeKey);
        if (!def) continue;
        const isCanceled = canceled.has(record.accountId);
        rows.push({
          accountId: record.accountId,
          attributeKey: record.attributeKey,
          days: materializeDays(def, record.state, now, isCanceled),
        });
        if (!isCanceled) statesMaterialized++;
      }
      await this.days.saveMany(rows);
      statesSeen += batch.length;
      cursor = batch[batch.length - 1]!.id;
      await checkpoint({ day, cursor, statesMaterialized, statesSeen });
    }

    await this.publisher.publish('day.rolled', { day, statesMaterialized }, { id: dayRolledEventId(day), occurredAt: now });
    return { day, statesMaterialized, statesSeen };
  }
}
