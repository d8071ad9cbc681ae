/**
 * L15: what a fold's transitions mean on `lifecycle.status`. Pure: builds envelopes for the
 * outbox; nothing is sent from here.
 */
import type { AnyEnvelope, ChangeCauseName, LifecycleClock, StageRef } from '@lifecycle/contracts';
import { buildEnvelope } from '@lifecycle/messaging';
import { daysFromMs, frozenClockOf, stagesInOrder, type CycleRecord, type LifecycleState, type Transition } from '@lifecycle/rules';
import type { LifecycleDefinition } from '../domain/lifecycle-definition';
import { findStage } from '../domain/lifecycle-definition';

export interface EventSubject {
  source: string;
  accountId: string;
  attributeKey: string;
  definition: LifecycleDefinition;
}

export function stageRef(def: LifecycleDefinition, stageId: string | null): StageRef | null {
  if (stageId === null) return null;
  // A stage removed from the definition keeps its id as its name (history refers to ids, A5).
  return { id: stageId, name: findStage(def, stageId)?.name ?? stageId };
}

/**
 * `status.changed` (with the clock right after the change, for replicas that count days
 * themselves), then `lifecycle.completed` when the transition completed a cycle (L5).
 */
export function transitionEvents(
  subject: EventSubject,
  transition: Transition,
  stateAfter: LifecycleState,
  cause: ChangeCauseName = transition.cause,
): AnyEnvelope[] {
  const { definition: def, accountId, attributeKey } = subject;
  const events: AnyEnvelope[] = [
    buildEnvelope(
      subject.source,
      'status.changed',
      {
        accountId,
        attributeKey,
        changeId: transition.changeId,
        from: stageRef(def, transition.from),
        to: stageRef(def, transition.to),
        cycle: transition.cycle,
        daysInStageLeft: transition.msInStageLeft === null ? null : daysFromMs(transition.msInStageLeft),
        msInStageLeft: transition.msInStageLeft,
        cause,
        at: transition.at.toISOString(),
        clock: lifecycleClock(stateAfter),
      },
      { occurredAt: transition.at },
    ),
  ];
  if (transition.completedCycle) {
    events.push(completedEvent(subject, transition.changeId, transition.completedCycle));
  }
  return events;
}

function completedEvent(subject: EventSubject, changeId: string, record: CycleRecord): AnyEnvelope {
  const order = new Map(stagesInOrder(subject.definition.stages).map((s, i) => [s.id, i]));
  const stages = [...record.stages]
    .sort((a, b) => (order.get(a.stageId) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.stageId) ?? Number.MAX_SAFE_INTEGER))
    .map((s) => ({
      stageId: s.stageId,
      name: findStage(subject.definition, s.stageId)?.name ?? s.stageId,
      ms: s.ms,
      days: daysFromMs(s.ms),
    }));
  return buildEnvelope(
    subject.source,
    'lifecycle.completed',
    {
      accountId: subject.accountId,
      attributeKey: subject.attributeKey,
      changeId,
      cycle: record.cycle,
      startedAt: record.startedAt.toISOString(),
      completedAt: record.completedAt.toISOString(),
      ms: record.ms,
      days: daysFromMs(record.ms),
      stages,
    },
    { occurredAt: record.completedAt },
  );
}

/** `status.recomputed` (L11): the clock after a late or backdated change rewrote the fold. */
export function recomputedEvent(subject: EventSubject, changeId: string, state: LifecycleState, now: Date): AnyEnvelope {
  return buildEnvelope(
    subject.source,
    'status.recomputed',
    { accountId: subject.accountId, attributeKey: subject.attributeKey, changeId, clock: lifecycleClock(state) },
    { occurredAt: now },
  );
}

/** The timestamps every "Days in" figure follows from, for replicas (segments) that compute their own. */
export function lifecycleClock(state: LifecycleState): LifecycleClock {
  return {
    stageId: state.stageId,
    cycle: state.cycle,
    completedCycles: state.completedCycles,
    completed: state.completed,
    cycleStartedAt: state.cycleStartedAt?.toISOString() ?? null,
    stageEnteredAt: state.stageEnteredAt?.toISOString() ?? null,
    ...frozenClockOf(state),
    lastCompletedAt: state.lastCompletedAt?.toISOString() ?? null,
  };
}
