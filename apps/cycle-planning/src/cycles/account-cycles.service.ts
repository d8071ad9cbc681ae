import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { AccountRepository, type AccountFacts } from '../accounts/account.repository';
import { ClientTypeRepository } from '../client-types/client-type.repository';
import {
  accountNotFound,
  availableTemplates,
  completeActivity,
  completeStage,
  completeTask,
  currentStage,
  CycleError,
  CycleErrorCode,
  recalculateForStartDate,
  removeCycle,
  setPrimary,
  settleDueDates,
  templateNotFound,
  type AccountCycle,
  type CompletionResult,
  type DueDateChange,
} from '../domain';
import { CycleTemplateRepository, type TemplateRecord } from '../templates/cycle-template.repository';
import { AccountCyclesRepository } from './account-cycles.repository';
import { AccountCyclesWriter, unchanged, type CycleChangeContext } from './account-cycles.writer';
import { newCycle } from './cycle-assignment';
import { CycleCompletionService } from './cycle-completion.service';
import { CycleEvents } from './cycle-events';

export interface AssignCycleCommand {
  templateId: string;
  startDate?: Date;
  /** Default: primary when the account has no primary cycle yet. */
  primary?: boolean;
  /**
   * P2: the new cycle's id, given by a caller that may repeat the command (a play firing): when the
   * account already runs the template under this id, the command is the same one done again.
   */
  cycleId?: string;
}

export interface UpdateCycleCommand {
  primary?: true;
  startDate?: Date;
  recalculate?: boolean;
}

export type CompletableKind = 'task' | 'activity' | 'stage';

export interface AccountCyclesSnapshot {
  accountId: string;
  cycles: AccountCycle[];
  now: Date;
}

export interface CycleChangeResult {
  cycle: AccountCycle;
  dueDateChanges: DueDateChange[];
  now: Date;
}

export interface CompletionAnswer {
  cycle: AccountCycle;
  /** C8: the cycle the completion started, if any. */
  nextCycle: AccountCycle | null;
  primaryCycleId: string | null;
  now: Date;
}

export interface PrimaryCycleSummary {
  cycleId: string;
  templateId: string;
  name: string;
  stage: string | null;
  daysInStage: number | null;
}

const COMPLETE: Record<CompletableKind, (cycle: AccountCycle, id: string, at: Date) => CompletionResult> = {
  task: completeTask,
  activity: completeActivity,
  stage: completeStage,
};

/** The account cycle commands of C4–C8, C11 and the reads of an account's cycles (C5, C7). */
@Injectable()
export class AccountCyclesService {
  private readonly events: CycleEvents;

  constructor(
    private readonly writer: AccountCyclesWriter,
    private readonly cycles: AccountCyclesRepository,
    private readonly accounts: AccountRepository,
    private readonly templates: CycleTemplateRepository,
    private readonly clientTypes: ClientTypeRepository,
    private readonly completion: CycleCompletionService,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.events = new CycleEvents(config.serviceName);
  }

  async list(accountId: string): Promise<AccountCyclesSnapshot> {
    const [record, account] = await Promise.all([this.cycles.get(accountId), this.accounts.get(accountId)]);
    if (record === undefined && account === undefined) throw accountNotFound(accountId);
    return { accountId, cycles: record?.cycles ?? [], now: new Date() };
  }

  /** C5/5.4: the primary cycle with its current stage and "Primary Stage (days in)". */
  async primaryCycle(accountId: string): Promise<PrimaryCycleSummary | null> {
    const { cycles, now } = await this.list(accountId);
    const primary = cycles.find((c) => c.status === 'active' && c.primary);
    if (primary === undefined) return null;
    const stage = currentStage(primary, now);
    return {
      cycleId: primary.cycleId,
      templateId: primary.templateId,
      name: primary.name,
      stage: stage?.name ?? null,
      daysInStage: stage?.daysIn ?? null,
    };
  }

  /**
   * C7: templates available to the account's client type, minus those it completed or runs.
   * Decision: an account without a client type, or with one not configured here, may use every
   * template.
   */
  async available(accountId: string): Promise<TemplateRecord[]> {
    const [record, account] = await Promise.all([this.cycles.get(accountId), this.accounts.get(accountId)]);
    if (account === undefined) throw accountNotFound(accountId);
    const type = account.clientType === null ? undefined : await this.clientTypes.get(account.clientType);
    const all = await this.templates.list();
    const offered = type === undefined ? all.map((r) => r.template.id) : type.templateIds;
    const ids = new Set(availableTemplates(offered, record?.cycles ?? []));
    return all.filter((r) => ids.has(r.template.id));
  }

  /** C4: assigns a template; every due date is computed now. */
  async assign(accountId: string, command: AssignCycleCommand): Promise<CycleChangeResult> {
    const account = await this.knownAccount(accountId);
    const template = (await this.templates.get(command.templateId))?.template;
    if (template === undefined) throw templateNotFound(command.templateId);
    return this.writer.change(accountId, ({ cycles, dueDates, now }) => {
      const running = cycles.find((c) => c.status === 'active' && c.templateId === template.id);
      if (running !== undefined && command.cycleId !== undefined && running.cycleId === command.cycleId) {
        return unchanged({ cycle: running, dueDateChanges: [], now });
      }
      if (running !== undefined) {
        throw new CycleError(
          CycleErrorCode.TemplateAlreadyRunning,
          `Account "${accountId}" already runs an active "${template.name}" cycle (${running.cycleId}); complete or remove it first`,
          { accountId, templateId: template.id, cycleId: running.cycleId },
        );
      }
      const created = newCycle(template, accountId, account, command.startDate ?? now, now, dueDates, command.cycleId);
      const hasPrimary = cycles.some((c) => c.status === 'active' && c.primary);
      const primary = command.primary ?? !hasPrimary;
      let next = [...cycles, created];
      let previousPrimary: string | null = null;
      if (primary) {
        const change = setPrimary(next, created.cycleId);
        next = change.cycles;
        previousPrimary = change.previousPrimaryCycleId;
      }
      const cycle = next.find((c) => c.cycleId === created.cycleId)!;
      const events = [this.events.assigned(cycle, now)];
      if (primary) events.push(this.events.primaryChanged(accountId, cycle.cycleId, previousPrimary, now));
      return { cycles: next, events, result: { cycle, dueDateChanges: [], now } };
    });
  }

  /** C5 (make primary) and C11 (move the start date, recalculating if asked), in one change. */
  async update(accountId: string, cycleId: string, command: UpdateCycleCommand): Promise<CycleChangeResult> {
    await this.knownAccount(accountId);
    return this.writer.change(accountId, (ctx) => {
      let cycles = ctx.cycles;
      let cycle = this.cycleOf(ctx, cycleId);
      const events: AnyEnvelope[] = [];
      let dueDateChanges: DueDateChange[] = [];
      if (command.startDate !== undefined) {
        const moved = recalculateForStartDate(
          cycle,
          command.startDate,
          { recalculate: command.recalculate ?? false },
          ctx.account?.subscription ?? null,
          ctx.dueDates,
        );
        cycle = moved.cycle;
        dueDateChanges = moved.changes;
        cycles = cycles.map((c) => (c.cycleId === cycleId ? cycle : c));
        if (moved.changes.length > 0) events.push(this.events.dueDatesRecalculated(cycle, 'start-date-changed', ctx.now));
      }
      if (command.primary === true) {
        const change = setPrimary(cycles, cycleId);
        cycles = change.cycles;
        if (change.changed)
          events.push(this.events.primaryChanged(accountId, change.primaryCycleId, change.previousPrimaryCycleId, ctx.now));
      }
      const result = { cycle: cycles.find((c) => c.cycleId === cycleId)!, dueDateChanges, now: ctx.now };
      const same = command.startDate === undefined || command.startDate.getTime() === this.cycleOf(ctx, cycleId).startDate.getTime();
      return same && events.length === 0 ? unchanged(result) : { cycles, events, result };
    });
  }

  /** C5: removes an active cycle; removing the primary promotes the oldest active one (or none). */
  async remove(accountId: string, cycleId: string): Promise<{ cycleId: string; primaryCycleId: string | null }> {
    await this.knownAccount(accountId);
    return this.writer.change(accountId, (ctx) => {
      const cycle = this.cycleOf(ctx, cycleId);
      const change = removeCycle(ctx.cycles, cycleId);
      const events = [this.events.removed(cycle, ctx.now)];
      if (change.changed) events.push(this.events.primaryChanged(accountId, change.primaryCycleId, change.previousPrimaryCycleId, ctx.now));
      return { cycles: change.cycles, events, result: { cycleId, primaryCycleId: change.primaryCycleId } };
    });
  }

  /** C6 roll-up, then C8 chaining and C5 primary promotion if the cycle completed. */
  async complete(accountId: string, cycleId: string, kind: CompletableKind, itemId: string, at?: Date): Promise<CompletionAnswer> {
    await this.knownAccount(accountId);
    return this.writer.change(accountId, async (ctx) => {
      const when = at ?? ctx.now;
      if (when.getTime() > ctx.now.getTime()) {
        throw new CycleError(CycleErrorCode.InvalidDate, 'at (the completion time) must not be in the future', { at: when.toISOString() });
      }
      const rolled = COMPLETE[kind](this.cycleOf(ctx, cycleId), itemId, when);
      // B6: completing an item moves the open due dates that count from it (cascading).
      const settled = settleDueDates(rolled.cycle, ctx.dueDates);
      const cycles = ctx.cycles.map((c) => (c.cycleId === cycleId ? settled.cycle : c));
      const outcome = await this.completion.follow(cycles, [{ cycleId, events: rolled.events }], {
        accountId,
        account: ctx.account,
        dueDates: ctx.dueDates,
        now: ctx.now,
        events: this.events,
      });
      if (settled.changes.length > 0) outcome.events.unshift(this.events.dueDatesRecalculated(settled.cycle, 'task-completed', ctx.now));
      const result: CompletionAnswer = {
        cycle: outcome.cycles.find((c) => c.cycleId === cycleId)!,
        nextCycle: outcome.started.get(cycleId) ?? null,
        primaryCycleId: outcome.cycles.find((c) => c.status === 'active' && c.primary)?.cycleId ?? null,
        now: ctx.now,
      };
      return { cycles: outcome.cycles, events: outcome.events, result };
    });
  }

  private async knownAccount(accountId: string): Promise<AccountFacts> {
    const account = await this.accounts.get(accountId);
    if (account === undefined) throw accountNotFound(accountId);
    return account;
  }

  private cycleOf(ctx: CycleChangeContext, cycleId: string): AccountCycle {
    const cycle = ctx.cycles.find((c) => c.cycleId === cycleId && c.status !== 'removed');
    if (cycle === undefined) {
      throw new CycleError(CycleErrorCode.CycleNotFound, `Account "${ctx.accountId}" has no cycle "${cycleId}"`, {
        accountId: ctx.accountId,
        cycleId,
      });
    }
    return cycle;
  }
}
