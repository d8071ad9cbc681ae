import type { AnyEnvelope, CycleDueDatesRecalculated } from '@lifecycle/contracts';
import { buildEnvelope } from '@lifecycle/messaging';
import type { AccountCycle } from '../domain';

/** The `successcycle.events` envelopes of cycle changes (SPEC 5.2), keyed by account. */
export class CycleEvents {
  constructor(private readonly source: string) {}

  assigned(cycle: AccountCycle, at: Date): AnyEnvelope {
    return buildEnvelope(
      this.source,
      'cycle.assigned',
      {
        accountId: cycle.accountId,
        cycleId: cycle.cycleId,
        templateId: cycle.templateId,
        name: cycle.name,
        primary: cycle.primary,
        startDate: cycle.startDate.toISOString(),
      },
      { occurredAt: at },
    );
  }

  primaryChanged(accountId: string, cycleId: string | null, previousCycleId: string | null, at: Date): AnyEnvelope {
    return buildEnvelope(this.source, 'cycle.primary-changed', { accountId, cycleId, previousCycleId }, { occurredAt: at });
  }

  stageCompleted(cycle: AccountCycle, stageId: string, stageName: string, at: Date): AnyEnvelope {
    return buildEnvelope(
      this.source,
      'cycle.stage-completed',
      {
        accountId: cycle.accountId,
        cycleId: cycle.cycleId,
        templateId: cycle.templateId,
        stageId,
        stageName,
        completedAt: at.toISOString(),
      },
      { occurredAt: at },
    );
  }

  completed(cycle: AccountCycle, at: Date, nextCycleId: string | null): AnyEnvelope {
    return buildEnvelope(
      this.source,
      'cycle.completed',
      { accountId: cycle.accountId, cycleId: cycle.cycleId, templateId: cycle.templateId, completedAt: at.toISOString(), nextCycleId },
      { occurredAt: at },
    );
  }

  removed(cycle: AccountCycle, at: Date): AnyEnvelope {
    return buildEnvelope(
      this.source,
      'cycle.removed',
      { accountId: cycle.accountId, cycleId: cycle.cycleId, templateId: cycle.templateId },
      { occurredAt: at },
    );
  }

  dueDatesRecalculated(cycle: AccountCycle, reason: CycleDueDatesRecalculated['reason'], at: Date): AnyEnvelope {
    return buildEnvelope(
      this.source,
      'cycle.due-dates-recalculated',
      { accountId: cycle.accountId, cycleId: cycle.cycleId, templateId: cycle.templateId, reason, at: at.toISOString() },
      { occurredAt: at },
    );
  }
}
