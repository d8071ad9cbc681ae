/**
 * B4: a crossing as it goes out on `lifecycle.sla`. The event id is name-based on the stage entry
 * and the threshold, so whatever publishes it again (a crash before the outbox emptied, a second
 * look) publishes the same event, and consumers apply it once.
 */
import type { AnyEnvelope } from '@lifecycle/contracts';
import { buildEnvelope, nameBasedId } from '@lifecycle/messaging';
import type { SlaCrossing, StageSlaReading } from '@lifecycle/rules';
import type { LifecycleDefinition } from '../domain/lifecycle-definition';
import { stageRef } from '../statuses/lifecycle-events';

export interface SlaSubject {
  source: string;
  accountId: string;
  attributeKey: string;
  definition: LifecycleDefinition;
  calendarKey: string;
}

export function slaEventId(accountId: string, attributeKey: string, entryChangeId: string, threshold: string): string {
  return nameBasedId(`status-tracking:stage-sla:${accountId}|${attributeKey}|${entryChangeId}|${threshold}`);
}

export function slaCrossedEvent(subject: SlaSubject, reading: StageSlaReading, crossing: SlaCrossing): AnyEnvelope {
  const entry = reading.entry!;
  const sla = reading.sla!;
  return buildEnvelope(
    subject.source,
    crossing.threshold === 'at-risk' ? 'stage.sla-at-risk' : 'stage.sla-breached',
    {
      accountId: subject.accountId,
      attributeKey: subject.attributeKey,
      stage: stageRef(subject.definition, entry.stageId)!,
      cycle: entry.cycle,
      entryChangeId: entry.changeId,
      enteredAt: entry.enteredAt.toISOString(),
      threshold: crossing.threshold,
      expected: sla.expected,
      unit: sla.unit,
      atRisk: sla.atRisk,
      dueAt: reading.dueAt!.toISOString(),
      crossedAt: crossing.at.toISOString(),
      calendarKey: subject.calendarKey,
    },
    { id: slaEventId(subject.accountId, subject.attributeKey, entry.changeId, crossing.threshold), occurredAt: crossing.at },
  ) as AnyEnvelope;
}
