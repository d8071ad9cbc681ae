/**
 * C6: progress of a running cycle. Completing a task rolls completion up to its activity, stage and
 * the cycle; the current stage is the first incomplete one.
 *
 * Decisions (where the rules are silent):
 * - Roll-up: an activity completes when it has at least one task and all are completed; a stage
 *   when it has at least one activity and all are completed; the cycle when it has at least one
 *   stage and all are completed. Empty containers never complete by themselves: an activity without
 *   tasks completes with `completeActivity`, a stage without activities with `completeStage`.
 *   Completing a container that has children directly is refused (`ActivityHasTasks`, …).
 * - A rolled-up item's `completedAt` is the latest `completedAt` of its children (not the time of
 *   the call), so the result does not depend on the order in which tasks were completed, even with
 *   backdated completions. Nothing is ever un-completed.
 * - The current stage exists only for active cycles: the first incomplete stage in order; its
 *   days-in count from the latest completion among the stages before it (or the cycle start).
 */
import { assertActive, findItem, mapCycleItems } from './account-cycle';
import type { AccountCycle, CycleActivity } from './account-cycle';
import { CycleError, CycleErrorCode } from './cycle-errors';
import { byOrder } from './cycle-template';
import type { ItemKind } from './cycle-template';
import { assertValidDate, elapsedWholeDays } from './due-dates';

export type CycleEvent = { type: 'stage-completed'; stageId: string; stageName: string; at: Date } | { type: 'cycle-completed'; at: Date };

export interface CompletionResult {
  cycle: AccountCycle;
  events: CycleEvent[];
}

/** C6: completes a task and rolls completion up to its activity, stage and the cycle. */
export function completeTask(cycle: AccountCycle, taskId: string, at: Date): CompletionResult {
  assertActive(cycle);
  assertValidDate(at, 'completion time');
  const found = findItem(cycle, 'task', taskId);
  if (found === null) {
    throw new CycleError(CycleErrorCode.TaskNotFound, `Task "${taskId}" is not part of cycle "${cycle.name}"`, {
      cycleId: cycle.cycleId,
      taskId,
    });
  }
  if (found.completedAt !== null) {
    throw new CycleError(
      CycleErrorCode.TaskAlreadyCompleted,
      `Task "${found.name}" of cycle "${cycle.name}" was already completed on ${found.completedAt.toISOString()}`,
      { cycleId: cycle.cycleId, taskId, completedAt: found.completedAt.toISOString() },
    );
  }
  return settleCompletion(cycle, markCompleted(cycle, 'task', taskId, at));
}

/** C6: completes an activity that has no tasks (one with tasks completes through them). */
export function completeActivity(cycle: AccountCycle, activityId: string, at: Date): CompletionResult {
  assertActive(cycle);
  assertValidDate(at, 'completion time');
  const activity = findActivity(cycle, activityId);
  if (activity === null) {
    throw new CycleError(CycleErrorCode.ActivityNotFound, `Activity "${activityId}" is not part of cycle "${cycle.name}"`, {
      cycleId: cycle.cycleId,
      activityId,
    });
  }
  if (activity.completedAt !== null) {
    throw new CycleError(
      CycleErrorCode.ActivityAlreadyCompleted,
      `Activity "${activity.name}" of cycle "${cycle.name}" was already completed on ${activity.completedAt.toISOString()}`,
      { cycleId: cycle.cycleId, activityId, completedAt: activity.completedAt.toISOString() },
    );
  }
  if (activity.tasks.length > 0) {
    throw new CycleError(
      CycleErrorCode.ActivityHasTasks,
      `Activity "${activity.name}" has ${activity.tasks.length} task(s); it completes when all of them are completed`,
      { cycleId: cycle.cycleId, activityId },
    );
  }
  return settleCompletion(cycle, markCompleted(cycle, 'activity', activityId, at));
}

/** C6: completes a stage that has no activities (one with activities completes through them). */
export function completeStage(cycle: AccountCycle, stageId: string, at: Date): CompletionResult {
  assertActive(cycle);
  assertValidDate(at, 'completion time');
  const stage = cycle.stages.find((s) => s.id === stageId);
  if (stage === undefined) {
    throw new CycleError(CycleErrorCode.StageNotFound, `Stage "${stageId}" is not part of cycle "${cycle.name}"`, {
      cycleId: cycle.cycleId,
      stageId,
    });
  }
  if (stage.completedAt !== null) {
    throw new CycleError(
      CycleErrorCode.StageAlreadyCompleted,
      `Stage "${stage.name}" of cycle "${cycle.name}" was already completed on ${stage.completedAt.toISOString()}`,
      { cycleId: cycle.cycleId, stageId, completedAt: stage.completedAt.toISOString() },
    );
  }
  if (stage.activities.length > 0) {
    throw new CycleError(
      CycleErrorCode.StageHasActivities,
      `Stage "${stage.name}" has ${stage.activities.length} activit(ies); it completes when all of them are completed`,
      { cycleId: cycle.cycleId, stageId },
    );
  }
  return settleCompletion(cycle, markCompleted(cycle, 'stage', stageId, at));
}

/**
 * C6 roll-up of `after` (a changed version of `before`) to its fixpoint, and the events it caused:
 * every stage completed in `after` that was not in `before`, then the cycle if it completed.
 */
export function settleCompletion(before: AccountCycle, after: AccountCycle): CompletionResult {
  const stages = after.stages.map((stage) => {
    if (stage.completedAt !== null) return stage;
    const activities = stage.activities.map((activity) => {
      const completedAt = activity.completedAt === null ? completionOf(activity.tasks) : null;
      return completedAt === null ? activity : { ...activity, completedAt };
    });
    const completedAt = completionOf(activities);
    const changed = activities.some((a, i) => a !== stage.activities[i]);
    return completedAt !== null ? { ...stage, activities, completedAt } : changed ? { ...stage, activities } : stage;
  });
  const completedAt = after.status === 'active' ? completionOf(stages) : null;
  const cycle: AccountCycle = {
    ...after,
    stages,
    ...(completedAt === null ? {} : { status: 'completed' as const, completedAt }),
  };

  const events: CycleEvent[] = [];
  const wasCompleted = new Set(before.stages.filter((s) => s.completedAt !== null).map((s) => s.id));
  for (const stage of byOrder(cycle.stages)) {
    if (stage.completedAt !== null && !wasCompleted.has(stage.id)) {
      events.push({ type: 'stage-completed', stageId: stage.id, stageName: stage.name, at: stage.completedAt });
    }
  }
  if (before.status === 'active' && cycle.status === 'completed' && cycle.completedAt !== null) {
    events.push({ type: 'cycle-completed', at: cycle.completedAt });
  }
  return { cycle, events };
}

export interface CurrentStage {
  stageId: string;
  name: string;
  daysIn: number;
  since: Date;
}

/**
 * C5/C6: the first incomplete stage, and its days-in since the previous stage completed (or the
 * cycle start). Stages may complete out of order, so "previous" is when the last of the earlier
 * stages completed, i.e. when the account reached this stage; never before the cycle start.
 */
export function currentStage(cycle: AccountCycle, now: Date): CurrentStage | null {
  if (cycle.status !== 'active') return null;
  const stages = byOrder(cycle.stages);
  const index = stages.findIndex((stage) => stage.completedAt === null);
  if (index < 0) return null;
  const stage = stages[index];
  let since = cycle.startDate;
  for (const earlier of stages.slice(0, index)) {
    if (earlier.completedAt !== null && earlier.completedAt.getTime() > since.getTime()) since = earlier.completedAt;
  }
  return { stageId: stage.id, name: stage.name, daysIn: elapsedWholeDays(since, now), since };
}

/** C6: when a container with these children completes: the latest child completion, if there
 * is at least one child and all are completed; else null (empty containers complete explicitly). */
function completionOf(children: ReadonlyArray<{ completedAt: Date | null }>): Date | null {
  let latest: Date | null = null;
  for (const child of children) {
    if (child.completedAt === null) return null;
    if (latest === null || child.completedAt.getTime() > latest.getTime()) latest = child.completedAt;
  }
  return latest;
}

function findActivity(cycle: AccountCycle, id: string): CycleActivity | null {
  for (const stage of cycle.stages) {
    const activity = stage.activities.find((a) => a.id === id);
    if (activity !== undefined) return activity;
  }
  return null;
}

function markCompleted(cycle: AccountCycle, kind: ItemKind, id: string, at: Date): AccountCycle {
  return mapCycleItems(cycle, (item, itemKind) => (itemKind === kind && item.id === id ? { ...item, completedAt: at } : item));
}
