import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { AggregateLock } from '@lifecycle/storage';
import { StageEntriesRepository } from '../accounts/stage-entries.repository';
import { settleDueDates } from '../domain';
import { AccountCyclesRepository } from './account-cycles.repository';
import { AccountCyclesWriter, unchanged } from './account-cycles.writer';
import { CycleEvents } from './cycle-events';

/**
 * B6: a stage entry is kept (the latest per stage), then the open due dates of the account's
 * active cycles that count from stage entries are settled again, announced with
 * `cycle.due-dates-recalculated` (reason `stage-entered`) where they moved. Idempotent: an entry
 * not later than the one held changes nothing, and settling twice moves nothing the second time.
 */
@Injectable()
export class StageEntrySyncService {
  private readonly events: CycleEvents;

  constructor(
    private readonly entries: StageEntriesRepository,
    private readonly writer: AccountCyclesWriter,
    private readonly cycles: AccountCyclesRepository,
    private readonly lock: AggregateLock,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.events = new CycleEvents(config.serviceName);
  }

  async entered(accountId: string, attributeKey: string, stageId: string, at: Date): Promise<void> {
    await this.entries.record(accountId, attributeKey, stageId, at);
    // An account that never had a cycle has no due date to settle (`change` would decide and write
    // nothing): its facts, calendar and entries are not read. Read under the account's lock, so an
    // assignment in progress here is seen; one that starts after reads the entry kept above.
    const record = await this.lock.run(accountId, () => this.cycles.get(accountId));
    if (record === undefined) return;
    // Settled whether or not the entry was new: a redelivery after a crash between the two finishes the job.
    await this.writer.change(
      accountId,
      ({ cycles, dueDates, now }) => {
        const events: AnyEnvelope[] = [];
        const next = cycles.map((cycle) => {
          const settled = settleDueDates(cycle, dueDates);
          if (settled.changes.length > 0) events.push(this.events.dueDatesRecalculated(settled.cycle, 'stage-entered', now));
          return settled.cycle;
        });
        return events.length === 0 ? unchanged(undefined) : { cycles: next, events, result: undefined };
      },
      { record: { value: record } },
    );
  }
}
