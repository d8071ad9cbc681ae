import { randomUUID } from 'node:crypto';
import type { StageSlaCrossed } from '@lifecycle/contracts';

/** A `stage.sla-breached` payload of onboarding-status for one account: 10 business days due at `crossedAt`. */
export function slaBreach(accountId: string, stageId: string, crossedAt: Date, calendarKey: string): StageSlaCrossed {
  return {
    accountId,
    attributeKey: 'onboarding-status',
    stage: { id: stageId, name: stageId },
    cycle: 1,
    entryChangeId: randomUUID(),
    enteredAt: '2025-02-20T09:00:00.000Z',
    threshold: 'breached',
    expected: 10,
    unit: 'business-days',
    atRisk: 0.8,
    dueAt: crossedAt.toISOString(),
    crossedAt: crossedAt.toISOString(),
    calendarKey,
  };
}
