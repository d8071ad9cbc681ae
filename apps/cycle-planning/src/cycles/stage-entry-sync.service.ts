import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { AggregateLock } from '@lifecycle/storage';
import { StageEntriesRepository, type StageEntry } from '../accounts/stage-entries.repository';
import { settleDueDates } from '../domain';
import { AccountCyclesRepository, type AccountCyclesRecord } from './account-cycles.repository';
import { AccountCyclesWriter, unchanged } from './account-cycles.writer';
import { CycleEvents } from './cycle-events';

/** Accounts whose due dates are settled at once (each a read-decide-write of its own). */
const SETTLED_AT_ONCE = 16;

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

  /**
   * Keeps the entries (a run of `status.changed`, in order per account) in bulk, reads the accounts'
   * cycles at once, and settles the due dates of each account that has cycles. Returns the error of
   * each account whose settling failed (the others are done).
   */
  async enteredMany(entries: readonly StageEntry[]): Promise<Map<string, unknown>> {
    await this.entries.recordMany(entries);
    const accountIds = [...new Set(entries.map((e) => e.accountId))];
    // An account that never had a cycle has no due date to settle (`change` would decide and write
    // nothing): its facts, calendar and entries are not read. Read under the accounts' locks, so an
    // assignment in progress here is seen; one that starts after reads the entries kept above.
    const records = await this.lock.runAll(accountIds, () => this.cycles.getMany(accountIds));
    const failed = new Map<string, unknown>();
    const settling = accountIds.filter((id) => records.has(id));
    for (let from = 0; from < settling.length; from += SETTLED_AT_ONCE) {
      await Promise.all(
        settling
          .slice(from, from + SETTLED_AT_ONCE)
          .map((accountId) => this.settle(accountId, records.get(accountId)!).catch((error: unknown) => failed.set(accountId, error))),
      );
    }
    return failed;
  }

  /** Settled whether or not an entry was new: a redelivery after a crash between the two finishes the job. */
  private async settle(accountId: string, record: AccountCyclesRecord): Promise<void> {
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
