import { Injectable, Logger } from '@nestjs/common';
import type { AnyEnvelope } from '@lifecycle/contracts';
import type { AccountFacts } from '../accounts/account.repository';
import { choosePrimaryAfterRemoval, nextInChain, setPrimary, type AccountCycle, type CycleEvent, type DueDateEnvironment } from '../domain';
import { CycleTemplateRepository } from '../templates/cycle-template.repository';
import { newCycle } from './cycle-assignment';
import type { CycleEvents } from './cycle-events';

export interface CompletionOutcome {
  cycles: AccountCycle[];
  events: AnyEnvelope[];
  /** Cycles started by chaining (C8), by the id of the cycle whose completion started them. */
  started: Map<string, AccountCycle>;
}

/**
 * What follows the roll-up events of a change (C6): the stage-completed and completed events, and
 * when a cycle completed,
 * - C8: its template's next template starts (start date = completion date), primary if the
 *   completed cycle was (the account never runs two active cycles of one template);
 * - C5: if it was the primary and nothing took over, the oldest active cycle becomes primary (or none).
 */
@Injectable()
export class CycleCompletionService {
  private readonly logger = new Logger(CycleCompletionService.name);

  constructor(private readonly templates: CycleTemplateRepository) {}

  async follow(
    before: readonly AccountCycle[],
    rolledUp: ReadonlyArray<{ cycleId: string; events: readonly CycleEvent[] }>,
    context: { accountId: string; account: AccountFacts | undefined; dueDates: DueDateEnvironment; now: Date; events: CycleEvents },
  ): Promise<CompletionOutcome> {
    let cycles = [...before];
    const envelopes: AnyEnvelope[] = [];
    const started = new Map<string, AccountCycle>();
    for (const { cycleId, events } of rolledUp) {
      for (const event of events) {
        const cycle = cycles.find((c) => c.cycleId === cycleId)!;
        if (event.type === 'stage-completed') {
          envelopes.push(context.events.stageCompleted(cycle, event.stageId, event.stageName, event.at));
          continue;
        }
        const template = (await this.templates.get(cycle.templateId))?.template;
        const plan = template === undefined ? null : nextInChain(template, cycle, cycles);
        const nextTemplate = plan === null ? undefined : (await this.templates.get(plan.templateId))?.template;
        if (plan !== null && nextTemplate === undefined) {
          this.logger.warn(`cycle ${cycleId}: next template ${plan.templateId} no longer exists; nothing chained`);
        }
        if (plan !== null && nextTemplate !== undefined) {
          let next = newCycle(nextTemplate, context.accountId, context.account, plan.startDate, context.now, context.dueDates);
          cycles.push(next);
          if (plan.primary) cycles = setPrimary(cycles, next.cycleId).cycles;
          next = cycles.find((c) => c.cycleId === next.cycleId)!;
          started.set(cycleId, next);
          envelopes.push(context.events.completed(cycle, event.at, next.cycleId), context.events.assigned(next, context.now));
          if (plan.primary) envelopes.push(context.events.primaryChanged(context.accountId, next.cycleId, cycleId, context.now));
          continue;
        }
        envelopes.push(context.events.completed(cycle, event.at, null));
        if (cycle.primary && !cycles.some((c) => c.status === 'active' && c.primary)) {
          const promoted = choosePrimaryAfterRemoval(cycles);
          if (promoted !== null) cycles = setPrimary(cycles, promoted).cycles;
          envelopes.push(context.events.primaryChanged(context.accountId, promoted, cycleId, context.now));
        }
      }
    }
    return { cycles, events: envelopes, started };
  }
}
