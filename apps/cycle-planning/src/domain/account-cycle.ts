/**
 * A SuccessCycle running on an account: an instance of a template with due dates and progress.
 * Every function is pure and returns new objects; inputs are never mutated. Time is passed in.
 *
 * Decisions (where the spec is silent):
 * - Item ids are the template item ids. Sibling `order` is stored as positions 1..n in template order.
 * - C4: every due date is computed once, at assignment, from `startDate` and the subscription then.
 * - C6 roll-up: an activity completes when it has at least one task and all are completed; a stage
 *   when it has at least one activity and all are completed; the cycle when it has at least one
 *   stage and all are completed. Empty containers never complete by themselves: an activity without
 *   tasks completes with `completeActivity`, a stage without activities with `completeStage`.
 *   Completing a container that has children directly is refused (`ActivityHasTasks`, …).
 * - A rolled-up item's `completedAt` is the latest `completedAt` of its children (not the time of
 *   the call), so the result does not depend on the order in which tasks were completed, even with
 *   backdated completions. Nothing is ever un-completed.
 * - `primary` only means something for active cycles (C5: exactly one active cycle is primary). A
 *   completed cycle keeps the flag it had when it completed, which C8 needs ("primary if the
 *   completed one was primary"); a removed cycle loses it. Only active cycles can be removed.
 * - The current stage (C6) exists only for active cycles: the first incomplete stage in order; its
 *   days-in count from the latest completion among the stages before it (or the cycle start).
 */
import { CycleError, CycleErrorCode } from './cycle-errors';
import { byOrder, validateTemplate } from './cycle-template';
import type { CycleTemplate, DaysDue, ItemKind } from './cycle-template';
import { assertValidDate, computeDueDate, elapsedWholeDays } from './due-dates';
import type { DueDateContext, SubscriptionFacts } from './due-dates';

export type CycleStatus = 'active' | 'completed' | 'removed';

/** What every stage, activity and task of a running cycle carries. */
export interface CycleItemState {
  /** = the template item id. */
  id: string;
  name: string;
  /** Position among siblings, 1..n. */
  order: number;
  /** The rule the due date was computed from (kept for C11/C12 recalculation). */
  daysDue?: DaysDue;
  dueDate: Date | null;
  /** Why `dueDate` is null although `daysDue` is set (C4), e.g. "no renewal date". */
  dueDateReason: string | null;
  completedAt: Date | null;
}

export interface CycleTask extends CycleItemState {
  ownerRole?: string;
  ownerId?: string;
}

export interface CycleActivity extends CycleItemState {
  tasks: CycleTask[];
}

export interface CycleStage extends CycleItemState {
  activities: CycleActivity[];
}

export interface AccountCycle {
  cycleId: string;
  accountId: string;
  templateId: string;
  templateVersion: number;
  name: string;
  primary: boolean;
  status: CycleStatus;
  startDate: Date;
  assignedAt: Date;
  completedAt: Date | null;
  stages: CycleStage[];
}

export type CycleEvent = { type: 'stage-completed'; stageId: string; stageName: string; at: Date } | { type: 'cycle-completed'; at: Date };

export interface CompletionResult {
  cycle: AccountCycle;
  events: CycleEvent[];
}

/** Team members by role (e.g. `{ csm: 'user-7' }`): they give template tasks an owner. */
export type OwnersByRole = Readonly<Record<string, string>>;

export interface AssignCycleInput {
  cycleId: string;
  accountId: string;
  startDate: Date;
  assignedAt: Date;
  subscription: SubscriptionFacts | null;
  primary: boolean;
  ownersByRole?: OwnersByRole;
}

/** C4: a new cycle from a template, every due date computed now from the start date and subscription. */
export function instantiateCycle(template: CycleTemplate, input: AssignCycleInput): AccountCycle {
  validateTemplate(template);
  if (input.cycleId.trim() === '' || input.accountId.trim() === '') {
    throw new CycleError(CycleErrorCode.InvalidCycleInput, 'cycleId and accountId must not be empty', {
      cycleId: input.cycleId,
      accountId: input.accountId,
    });
  }
  assertValidDate(input.startDate, 'startDate');
  assertValidDate(input.assignedAt, 'assignedAt');
  const ctx: DueDateContext = { cycleStart: input.startDate, subscription: input.subscription };
  return {
    cycleId: input.cycleId,
    accountId: input.accountId,
    templateId: template.id,
    templateVersion: template.version,
    name: template.name,
    primary: input.primary,
    status: 'active',
    startDate: input.startDate,
    assignedAt: input.assignedAt,
    completedAt: null,
    stages: byOrder(template.stages).map((stage, s) => ({
      ...newItemState(stage, s + 1, ctx),
      activities: byOrder(stage.activities).map((activity, a) => ({
        ...newItemState(activity, a + 1, ctx),
        tasks: byOrder(activity.tasks).map((task, t) => newTask(task, t + 1, ctx, input.ownersByRole)),
      })),
    })),
  };
}

/** The state of a freshly added item: due date computed from `ctx`, not completed. */
export function newItemState(item: { id: string; name: string; daysDue?: DaysDue }, order: number, ctx: DueDateContext): CycleItemState {
  const { dueDate, reason } = computeDueDate(item.daysDue, ctx);
  return {
    id: item.id,
    name: item.name,
    order,
    ...(item.daysDue === undefined ? {} : { daysDue: { ...item.daysDue } }),
    dueDate,
    dueDateReason: reason,
    completedAt: null,
  };
}

export function newTask(
  task: { id: string; name: string; daysDue?: DaysDue; ownerRole?: string },
  order: number,
  ctx: DueDateContext,
  ownersByRole: OwnersByRole | undefined,
): CycleTask {
  const ownerId = task.ownerRole === undefined ? undefined : ownersByRole?.[task.ownerRole];
  return {
    ...newItemState(task, order, ctx),
    ...(task.ownerRole === undefined ? {} : { ownerRole: task.ownerRole }),
    ...(ownerId === undefined ? {} : { ownerId }),
  };
}

// ---------------------------------------------------------------------------------------------
// Progress (C6)
// ---------------------------------------------------------------------------------------------

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

/** Gives a task an owner (or none). Completed tasks keep theirs: they are a record. */
export function assignTaskOwner(cycle: AccountCycle, taskId: string, ownerId: string | null): AccountCycle {
  assertActive(cycle);
  const task = findItem(cycle, 'task', taskId);
  if (task === null) {
    throw new CycleError(CycleErrorCode.TaskNotFound, `Task "${taskId}" is not part of cycle "${cycle.name}"`, {
      cycleId: cycle.cycleId,
      taskId,
    });
  }
  if (task.completedAt !== null) {
    throw new CycleError(CycleErrorCode.TaskAlreadyCompleted, `Task "${task.name}" is completed; its owner is kept`, {
      cycleId: cycle.cycleId,
      taskId,
    });
  }
  return {
    ...cycle,
    stages: cycle.stages.map((stage) => ({
      ...stage,
      activities: stage.activities.map((activity) => ({
        ...activity,
        tasks: activity.tasks.map((t) => {
          if (t.id !== taskId) return t;
          const { ownerId: _previous, ...rest } = t;
          return ownerId === null ? rest : { ...rest, ownerId };
        }),
      })),
    })),
  };
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

// ---------------------------------------------------------------------------------------------
// Concurrent cycles and the primary one (C5, C7, C8)
// ---------------------------------------------------------------------------------------------

/** Oldest first: start date, then assignment time, then id (so ties are still deterministic). */
export function compareByAge(a: AccountCycle, b: AccountCycle): number {
  return (
    a.startDate.getTime() - b.startDate.getTime() ||
    a.assignedAt.getTime() - b.assignedAt.getTime() ||
    (a.cycleId < b.cycleId ? -1 : a.cycleId > b.cycleId ? 1 : 0)
  );
}

/**
 * C5: which active cycle should be primary now: the active primary if there still is one (so
 * removing a non-primary cycle changes nothing), else the oldest active cycle, else none.
 */
export function choosePrimaryAfterRemoval(cycles: readonly AccountCycle[]): string | null {
  const active = cycles.filter((c) => c.status === 'active').sort(compareByAge);
  return (active.find((c) => c.primary) ?? active[0] ?? null)?.cycleId ?? null;
}

export interface PrimaryChange {
  cycles: AccountCycle[];
  primaryCycleId: string | null;
  previousPrimaryCycleId: string | null;
  changed: boolean;
}

/** C5/C13: makes `cycleId` the one primary among the account's active cycles. */
export function setPrimary(cycles: readonly AccountCycle[], cycleId: string): PrimaryChange {
  assertSameAccount(cycles);
  const target = cycles.find((c) => c.cycleId === cycleId);
  if (target === undefined) {
    throw new CycleError(CycleErrorCode.CycleNotFound, `Cycle "${cycleId}" does not belong to this account`, {
      cycleId,
    });
  }
  if (target.status !== 'active') {
    throw new CycleError(CycleErrorCode.CycleNotActive, `Cycle "${target.name}" is ${target.status}; only an active cycle can be primary`, {
      cycleId,
      status: target.status,
    });
  }
  return withPrimary(cycles, cycleId);
}

/**
 * C5: removes an active cycle. If it was the primary, the oldest remaining active cycle becomes
 * primary (or none is left).
 */
export function removeCycle(cycles: readonly AccountCycle[], cycleId: string): PrimaryChange {
  assertSameAccount(cycles);
  const target = cycles.find((c) => c.cycleId === cycleId);
  if (target === undefined) {
    throw new CycleError(CycleErrorCode.CycleNotFound, `Cycle "${cycleId}" does not belong to this account`, {
      cycleId,
    });
  }
  assertActive(target);
  const remaining = cycles.map((c): AccountCycle => (c.cycleId === cycleId ? { ...c, status: 'removed', primary: false } : c));
  return withPrimary(remaining, choosePrimaryAfterRemoval(remaining), activePrimaryId(cycles));
}

function withPrimary(
  cycles: readonly AccountCycle[],
  primaryCycleId: string | null,
  previousPrimaryCycleId: string | null = activePrimaryId(cycles),
): PrimaryChange {
  const updated = cycles.map((c) => {
    if (c.status !== 'active') return c;
    const primary = c.cycleId === primaryCycleId;
    return c.primary === primary ? c : { ...c, primary };
  });
  return {
    cycles: updated,
    primaryCycleId,
    previousPrimaryCycleId,
    changed: previousPrimaryCycleId !== primaryCycleId,
  };
}

function activePrimaryId(cycles: readonly AccountCycle[]): string | null {
  return [...cycles].sort(compareByAge).find((c) => c.status === 'active' && c.primary)?.cycleId ?? null;
}

/** C7: templates available to the client type, minus those the account completed or is running. */
export function availableTemplates(clientTypeTemplates: readonly string[], accountCycles: readonly AccountCycle[]): string[] {
  const taken = new Set(accountCycles.filter((c) => c.status !== 'removed').map((c) => c.templateId));
  return [...new Set(clientTypeTemplates)].filter((templateId) => !taken.has(templateId));
}

export interface NextCyclePlan {
  templateId: string;
  startDate: Date;
  primary: boolean;
}

/**
 * C8: what to start when `completedCycle` (a cycle of `template`) completes: the template's next
 * template, starting on the completion date, primary if the completed cycle was. Null when the
 * template names no next one, or when the account already runs the next template (`accountCycles`
 * given): a chain never starts a second concurrent copy. Chaining back to a completed template is
 * allowed (a yearly renewal cycle may chain to itself).
 */
export function nextInChain(
  template: CycleTemplate,
  completedCycle: AccountCycle,
  accountCycles: readonly AccountCycle[] = [],
): NextCyclePlan | null {
  if (template.id !== completedCycle.templateId) {
    throw new CycleError(
      CycleErrorCode.TemplateMismatch,
      `Cycle "${completedCycle.cycleId}" runs template "${completedCycle.templateId}", not "${template.id}"`,
      { cycleId: completedCycle.cycleId, templateId: template.id },
    );
  }
  if (completedCycle.status !== 'completed' || completedCycle.completedAt === null) {
    throw new CycleError(
      CycleErrorCode.CycleNotCompleted,
      `Cycle "${completedCycle.name}" is ${completedCycle.status}; the next cycle of a chain starts when it completes`,
      { cycleId: completedCycle.cycleId, status: completedCycle.status },
    );
  }
  const nextTemplateId = template.nextTemplateId ?? null;
  if (nextTemplateId === null) return null;
  if (accountCycles.some((c) => c.status === 'active' && c.templateId === nextTemplateId)) return null;
  return { templateId: nextTemplateId, startDate: completedCycle.completedAt, primary: completedCycle.primary };
}

// ---------------------------------------------------------------------------------------------
// Shared helpers of the cycle tree
// ---------------------------------------------------------------------------------------------

export function assertActive(cycle: AccountCycle): void {
  if (cycle.status !== 'active') {
    throw new CycleError(
      CycleErrorCode.CycleNotActive,
      `Cycle "${cycle.name}" (${cycle.cycleId}) is ${cycle.status}; only an active cycle can change`,
      { cycleId: cycle.cycleId, status: cycle.status },
    );
  }
}

function assertSameAccount(cycles: readonly AccountCycle[]): void {
  const accounts = new Set(cycles.map((c) => c.accountId));
  if (accounts.size > 1) {
    throw new CycleError(CycleErrorCode.MixedAccounts, 'Primary cycles are chosen per account; got cycles of several accounts', {
      accountIds: [...accounts],
    });
  }
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

/** The stage, activity or task with that id (ids are unique per cycle), or null. */
export function findItem(cycle: AccountCycle, kind: ItemKind, id: string): CycleItemState | null {
  for (const stage of cycle.stages) {
    if (kind === 'stage' && stage.id === id) return stage;
    for (const activity of stage.activities) {
      if (kind === 'activity' && activity.id === id) return activity;
      for (const task of activity.tasks) {
        if (kind === 'task' && task.id === id) return task;
      }
    }
  }
  return null;
}

function findActivity(cycle: AccountCycle, id: string): CycleActivity | null {
  for (const stage of cycle.stages) {
    const activity = stage.activities.find((a) => a.id === id);
    if (activity !== undefined) return activity;
  }
  return null;
}

/**
 * Applies `fn` to every item of the cycle, children before their parent; an item `fn` returns
 * unchanged keeps its identity when none of its children changed either.
 */
export function mapCycleItems(cycle: AccountCycle, fn: <T extends CycleItemState>(item: T, kind: ItemKind) => T): AccountCycle {
  let changed = false;
  const stages = cycle.stages.map((stage) => {
    let stageChanged = false;
    const activities = stage.activities.map((activity) => {
      let activityChanged = false;
      const tasks = activity.tasks.map((task) => {
        const next = fn(task, 'task');
        if (next !== task) activityChanged = true;
        return next;
      });
      const base = activityChanged ? { ...activity, tasks } : activity;
      const next = fn(base, 'activity');
      if (next !== activity) stageChanged = true;
      return next;
    });
    const base = stageChanged ? { ...stage, activities } : stage;
    const next = fn(base, 'stage');
    if (next !== stage) changed = true;
    return next;
  });
  return changed ? { ...cycle, stages } : cycle;
}

function markCompleted(cycle: AccountCycle, kind: ItemKind, id: string, at: Date): AccountCycle {
  return mapCycleItems(cycle, (item, itemKind) => (itemKind === kind && item.id === id ? { ...item, completedAt: at } : item));
}
