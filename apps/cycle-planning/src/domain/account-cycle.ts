/**
 * A SuccessCycle running on an account: an instance of a template with due dates and progress,
 * the tree helpers every rule on it uses, and direct edits of its items. The rules that change a
 * cycle live beside it: progress (C6, cycle-progress.ts), the primary cycle among concurrent ones
 * (C5, C7, primary-cycle.ts) and chaining (C8, cycle-chaining.ts). Every function is pure and
 * returns new objects; inputs are never mutated. Time is passed in.
 *
 * Decisions (where the rules are silent):
 * - Item ids are the template item ids. Sibling `order` is stored as positions 1..n in template order.
 * - C4: every due date is computed once, at assignment, from `startDate` and the subscription then.
 */
import { CycleError, CycleErrorCode } from './cycle-errors';
import { byOrder, copyDaysDue, validateTemplate } from './cycle-template';
import type { CycleTemplate, DaysDue, ItemKind } from './cycle-template';
import type { BusinessCalendar } from '@lifecycle/rules';
import { settleDueDates } from './dependent-due-dates';
import { assertValidDate, computeDueDate } from './due-dates';
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
  /** B6: the account's calendar (business-day due dates) and its latest stage entries. */
  calendar?: BusinessCalendar;
  stageEntries?: ReadonlyMap<string, Date>;
}

/**
 * C4/B6: a new cycle from a template, every due date computed now from the start date and
 * subscription, then those counting from a stage entry or a task of the cycle.
 */
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
  const ctx: DueDateContext = {
    cycleStart: input.startDate,
    subscription: input.subscription,
    ...(input.calendar === undefined ? {} : { calendar: input.calendar }),
  };
  const cycle: AccountCycle = {
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
  return settleDueDates(cycle, input).cycle;
}

/** The state of a freshly added item: due date computed from `ctx`, not completed. */
export function newItemState(item: { id: string; name: string; daysDue?: DaysDue }, order: number, ctx: DueDateContext): CycleItemState {
  const { dueDate, reason } = computeDueDate(item.daysDue, ctx);
  return {
    id: item.id,
    name: item.name,
    order,
    ...(item.daysDue === undefined ? {} : { daysDue: copyDaysDue(item.daysDue) }),
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

/** Only an active cycle changes: completed and removed cycles are records (C5, C6). */
export function assertActive(cycle: AccountCycle): void {
  if (cycle.status !== 'active') {
    throw new CycleError(
      CycleErrorCode.CycleNotActive,
      `Cycle "${cycle.name}" (${cycle.cycleId}) is ${cycle.status}; only an active cycle can change`,
      { cycleId: cycle.cycleId, status: cycle.status },
    );
  }
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
