import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { AccountCyclesRepository } from '../cycles/account-cycles.repository';
import { AccountRepository } from '../accounts/account.repository';
import { AccountCyclesWriter, unchanged, type ChangeOptions } from '../cycles/account-cycles.writer';
import { ownersByRoleOf } from '../cycles/cycle-assignment';
import { CycleCompletion } from '../cycles/cycle-completion';
import { CycleEvents } from '../cycles/cycle-events';
import { planPropagation, type CycleEvent, type CycleTemplate } from '../domain';
import { CycleTemplateRepository } from '../templates/cycle-template.repository';
import type { PropagateTemplateJobData, PropagateTemplateJobResult } from './cycle-jobs';
import { forEachBounded, YIELDED, type JobHooks } from './job-hooks';

/** Accounts read per page (one checkpoint each) and changed at once within a page. */
export const PROPAGATION_PAGE = 100;
const ACCOUNTS_IN_PARALLEL = 4;

/**
 * C10: applies a saved template version to every active cycle of the template.
 *
 * Pages through the accounts running the template by `_id`; each account is one versioned write
 * (`planPropagation` on each of its active cycles still on an older version, the events in the
 * outbox). The cursor and counts are saved in the job after every page, so a retried or
 * restarted job resumes after the last page done; an account of the page in progress that was
 * already written is on the new version and is skipped: nothing is done twice.
 * Events: `cycle.due-dates-recalculated` (reason `template-edited`) for each cycle the edit
 * changed, and the roll-up (stage/cycle completed, C8 chaining) when a removal completed something.
 */
@Injectable()
export class TemplatePropagationRunner {
  private readonly events: CycleEvents;

  constructor(
    private readonly templates: CycleTemplateRepository,
    private readonly cycles: AccountCyclesRepository,
    private readonly accounts: AccountRepository,
    private readonly writer: AccountCyclesWriter,
    private readonly completion: CycleCompletion,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.events = new CycleEvents(config.serviceName);
  }

  async run(
    data: PropagateTemplateJobData,
    hooks: JobHooks<PropagateTemplateJobData>,
  ): Promise<PropagateTemplateJobResult | typeof YIELDED> {
    const next = await this.templates.getVersion(data.templateId, data.version);
    if (next === undefined) throw new UnrecoverableError(`template ${data.templateId} has no version ${data.version}`);
    // The merge is between each cycle and the new version; the previous version is only checked.
    const previous = (await this.templates.getVersion(data.templateId, data.version - 1)) ?? { ...next, version: data.version - 1 };
    const state: Required<PropagateTemplateJobData> = {
      templateId: data.templateId,
      version: data.version,
      cursor: data.cursor ?? null,
      total: data.total ?? (await this.cycles.countAccountsRunningTemplate(data.templateId)),
      accountsDone: data.accountsDone ?? 0,
      cyclesUpdated: data.cyclesUpdated ?? 0,
      cyclesChanged: data.cyclesChanged ?? 0,
    };
    await hooks.checkpoint(state, progressOf(state));

    for (;;) {
      if (hooks.shouldYield()) return YIELDED;
      const accountIds = await this.cycles.accountsRunningTemplate(data.templateId, state.cursor, PROPAGATION_PAGE);
      if (accountIds.length === 0) break;
      // One read per page for the documents and the facts; each account is then one write.
      const [records, facts] = await Promise.all([this.cycles.getMany(accountIds), this.accounts.getMany(accountIds)]);
      await forEachBounded(accountIds, ACCOUNTS_IN_PARALLEL, async (accountId) => {
        const counts = await this.propagate(accountId, previous, next, {
          record: { value: records.get(accountId) },
          facts: { value: facts.get(accountId) },
        });
        state.cyclesUpdated += counts.updated;
        state.cyclesChanged += counts.changed;
      });
      state.accountsDone += accountIds.length;
      state.total = Math.max(state.total, state.accountsDone);
      state.cursor = accountIds[accountIds.length - 1]!;
      await hooks.checkpoint(state, progressOf(state));
    }
    await this.templates.markPropagated(data.templateId, data.version);
    return {
      templateId: data.templateId,
      version: data.version,
      accounts: state.accountsDone,
      cyclesUpdated: state.cyclesUpdated,
      cyclesChanged: state.cyclesChanged,
    };
  }

  /** One account, one write: every active cycle of the template still on an older version. */
  private async propagate(
    accountId: string,
    previous: CycleTemplate,
    next: CycleTemplate,
    prefetched: ChangeOptions,
  ): Promise<{ updated: number; changed: number }> {
    return this.writer.change(
      accountId,
      async ({ cycles, account, now }) => {
        let updated = 0;
        let changed = 0;
        const events: AnyEnvelope[] = [];
        const rolledUp: { cycleId: string; events: CycleEvent[] }[] = [];
        const merged = cycles.map((cycle) => {
          if (cycle.templateId !== next.id || cycle.status !== 'active' || cycle.templateVersion >= next.version) return cycle;
          const result = planPropagation(previous, next, cycle, {
            subscription: account?.subscription ?? null,
            ownersByRole: ownersByRoleOf(account),
          });
          if (!result.reached) return cycle;
          updated++;
          const { added, renamed, removed } = result.changes;
          if (added.length + renamed.length + removed.length > 0) {
            changed++;
            events.push(this.events.dueDatesRecalculated(result.cycle, 'template-edited', now));
          }
          if (result.events.length > 0) rolledUp.push({ cycleId: cycle.cycleId, events: result.events });
          return result.cycle;
        });
        if (updated === 0) return unchanged({ updated, changed });
        const outcome = await this.completion.follow(merged, rolledUp, { accountId, account, now, events: this.events });
        return { cycles: outcome.cycles, events: [...events, ...outcome.events], result: { updated, changed } };
      },
      prefetched,
    );
  }
}

function progressOf(state: Required<PropagateTemplateJobData>): Record<string, unknown> {
  return {
    templateId: state.templateId,
    version: state.version,
    processed: state.accountsDone,
    total: state.total,
    percent: state.total === 0 ? 100 : Math.min(100, Math.round((state.accountsDone / state.total) * 100)),
    cyclesUpdated: state.cyclesUpdated,
    cyclesChanged: state.cyclesChanged,
  };
}
