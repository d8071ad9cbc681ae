import type { CycleRecord, Transition } from './fold';

/**
 * L11: after a late or backdated insert, the transitions of `after` that are new or differ from
 * `before` (matched by changeId), so only what changed is re-emitted.
 */
export function diffTransitions(before: readonly Transition[], after: readonly Transition[]): Transition[] {
  const previous = new Map(before.map((transition) => [transition.changeId, transition]));
  return after.filter((transition) => {
    const old = previous.get(transition.changeId);
    return old === undefined || !sameTransition(old, transition);
  });
}

/** The counterpart of `diffTransitions`: changes that yielded a transition before and no longer do. */
export function droppedTransitions(before: readonly Transition[], after: readonly Transition[]): Transition[] {
  const kept = new Set(after.map((transition) => transition.changeId));
  return before.filter((transition) => !kept.has(transition.changeId));
}

function sameTransition(a: Transition, b: Transition): boolean {
  return (
    a.changeId === b.changeId &&
    a.at.getTime() === b.at.getTime() &&
    a.from === b.from &&
    a.to === b.to &&
    a.cause === b.cause &&
    a.cycle === b.cycle &&
    a.msInStageLeft === b.msInStageLeft &&
    sameCycleRecord(a.completedCycle, b.completedCycle)
  );
}

function sameCycleRecord(a: CycleRecord | null, b: CycleRecord | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.cycle === b.cycle &&
    a.startedAt.getTime() === b.startedAt.getTime() &&
    a.completedAt.getTime() === b.completedAt.getTime() &&
    a.ms === b.ms &&
    a.stages.length === b.stages.length &&
    a.stages.every((stage, i) => stage.stageId === b.stages[i]?.stageId && stage.ms === b.stages[i]?.ms)
  );
}
