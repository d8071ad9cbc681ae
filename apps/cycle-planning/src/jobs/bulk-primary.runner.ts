import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import { AccountRepository } from '../accounts/account.repository';
import { AccountCyclesRepository } from '../cycles/account-cycles.repository';
import { AccountCyclesWriter, unchanged, type ChangeOptions } from '../cycles/account-cycles.writer';
import { newCycle } from '../cycles/cycle-assignment';
import { CycleEvents } from '../cycles/cycle-events';
import { planBulkPrimary, setPrimary, type CycleTemplate } from '../domain';
import { SegmentMembershipRepository } from '../segments/segment-membership.repository';
import { CycleTemplateRepository } from '../templates/cycle-template.repository';
import type { BulkPrimaryCounts, BulkPrimaryJobData, BulkPrimaryJobResult } from './cycle-jobs';
import { forEachBounded, YIELDED, type JobHooks } from './job-hooks';

export const BULK_PAGE = 100;
const ACCOUNTS_IN_PARALLEL = 4;

type Outcome = keyof BulkPrimaryCounts;

/**
 * C13: sets the primary cycle (a template) of many accounts: by the ids given, or by the members
 * of a saved segment (this service's replica of `segment.membership`). Per account one write:
 * the running cycle of the template becomes primary, or the template is assigned as primary
 * (starting on the request's date). Resumable like propagation (position/cursor saved per page);
 * redoing an account is a no-op ("unchanged"), so nothing is done twice.
 */
@Injectable()
export class BulkPrimaryRunner {
  private readonly events: CycleEvents;

  constructor(
    private readonly templates: CycleTemplateRepository,
    private readonly segments: SegmentMembershipRepository,
    private readonly cycles: AccountCyclesRepository,
    private readonly accounts: AccountRepository,
    private readonly writer: AccountCyclesWriter,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.events = new CycleEvents(config.serviceName);
  }

  async run(data: BulkPrimaryJobData, hooks: JobHooks<BulkPrimaryJobData>): Promise<BulkPrimaryJobResult | typeof YIELDED> {
    const template = (await this.templates.get(data.templateId))?.template;
    if (template === undefined) throw new UnrecoverableError(`cycle template ${data.templateId} no longer exists`);
    const startDate = new Date(data.startDate);
    const state: BulkPrimaryJobData & Required<Pick<BulkPrimaryJobData, 'position' | 'cursor' | 'total' | 'done' | 'counts'>> = {
      ...data,
      position: data.position ?? 0,
      cursor: data.cursor ?? null,
      total: data.total ?? data.accountIds?.length ?? (data.segmentId === undefined ? 0 : await this.segments.countMembers(data.segmentId)),
      done: data.done ?? 0,
      counts: data.counts ?? { unchanged: 0, primarySet: 0, assigned: 0, skipped: 0 },
    };
    await hooks.checkpoint(state, progressOf(state));

    for (;;) {
      if (hooks.shouldYield()) return YIELDED;
      const accountIds =
        data.accountIds !== undefined
          ? data.accountIds.slice(state.position, state.position + BULK_PAGE)
          : await this.segments.membersAfter(data.segmentId!, state.cursor, BULK_PAGE);
      if (accountIds.length === 0) break;
      const [records, facts] = await Promise.all([this.cycles.getMany(accountIds), this.accounts.getMany(accountIds)]);
      await forEachBounded(accountIds, ACCOUNTS_IN_PARALLEL, async (accountId) => {
        const prefetched = { record: { value: records.get(accountId) }, facts: { value: facts.get(accountId) } };
        state.counts[await this.apply(accountId, template, startDate, prefetched)]++;
      });
      state.position += accountIds.length;
      state.cursor = accountIds[accountIds.length - 1]!;
      state.done += accountIds.length;
      state.total = Math.max(state.total, state.done);
      await hooks.checkpoint(state, progressOf(state));
    }
    return { templateId: data.templateId, accounts: state.done, counts: state.counts };
  }

  private apply(accountId: string, template: CycleTemplate, startDate: Date, prefetched: ChangeOptions): Promise<Outcome> {
    return this.writer.change(
      accountId,
      ({ cycles, account, dueDates, now }) => {
        if (account === undefined) return unchanged<Outcome>('skipped');
        const step = planBulkPrimary(cycles, { templateId: template.id });
        switch (step.action) {
          case 'unchanged':
            return unchanged<Outcome>('unchanged');
          case 'set-primary': {
            const change = setPrimary(cycles, step.cycleId);
            const events = [this.events.primaryChanged(accountId, change.primaryCycleId, change.previousPrimaryCycleId, now)];
            return { cycles: change.cycles, events, result: 'primarySet' as const };
          }
          case 'assign': {
            const created = newCycle(template, accountId, account, startDate, now, dueDates);
            const change = setPrimary([...cycles, created], created.cycleId);
            const cycle = change.cycles.find((c) => c.cycleId === created.cycleId)!;
            const events = [
              this.events.assigned(cycle, now),
              this.events.primaryChanged(accountId, cycle.cycleId, change.previousPrimaryCycleId, now),
            ];
            return { cycles: change.cycles, events, result: 'assigned' as const };
          }
        }
      },
      prefetched,
    );
  }
}

function progressOf(state: { templateId: string; done: number; total: number; counts: BulkPrimaryCounts }): Record<string, unknown> {
  return {
    templateId: state.templateId,
    processed: state.done,
    total: state.total,
    percent: state.total === 0 ? 100 : Math.min(100, Math.round((state.done / state.total) * 100)),
    ...state.counts,
  };
}
