/**
 * C9: the tasks view: open activities and tasks across all concurrent active cycles.
 *
 * Decisions:
 * - Only active cycles count; completed items are not open. Items without a due date are listed too
 *   (last), unless a date filter (`dueBefore`, `overdue: true`) asks for dates.
 * - An open activity is listed as its own row (`kind: 'activity'`) besides its open tasks: activities
 *   without tasks are work items, and an activity with tasks has its own due date.
 * - Only tasks have owners: filtering by `ownerId` lists the owner's tasks and no activity rows.
 * - `overdue`: the due day has passed (due-dates.ts `isOverdue`); `overdue: false` lists the rest,
 *   including items without a due date. `dueBefore` is exclusive and compares days:
 *   `dueBefore: 2024-05-01` (any time of day) lists items due up to 2024-04-30.
 * - Sorted by due date (nulls last), then item name, then account, cycle and position, so the
 *   order is total and stable between calls.
 * - A play's one-off task (P1) is a row of its own (`kind: 'play-task'`): it has no cycle, stage or
 *   activity (those fields are null) and names its play instead; it always has a due date and an
 *   owner (the account owner when the play fired, or null when the account had none).
 */
import type { AccountCycle, CycleActivity, CycleStage, CycleTask } from './account-cycle';
import { byOrder } from './cycle-template';
import { isOverdue, startOfUtcDay } from './due-dates';
import type { PlayTask } from './play';

export interface OpenItemsFilter {
  accountId?: string;
  ownerId?: string;
  overdue?: boolean;
  dueBefore?: Date;
  now: Date;
}

/** Cycle rows name their cycle, stage and activity; play-task rows their play (the rest null). */
export interface OpenItem {
  accountId: string;
  cycleId: string | null;
  cycleName: string | null;
  stageId: string | null;
  stageName: string | null;
  activityId: string | null;
  activityName: string | null;
  taskId: string | null;
  taskName: string | null;
  kind: 'activity' | 'task' | 'play-task';
  dueDate: Date | null;
  ownerId: string | null;
  overdue: boolean;
  playId: string | null;
  playName: string | null;
}

/**
 * Visits the open items of active cycles in cycle order: each open activity of an open stage
 * (`task` null), then its open tasks. The one definition of "open" the tasks view and the stored
 * query fields share.
 */
export function forEachOpenItem(
  cycles: readonly AccountCycle[],
  visit: (cycle: AccountCycle, stage: CycleStage, activity: CycleActivity, task: CycleTask | null) => void,
): void {
  for (const cycle of cycles) {
    if (cycle.status !== 'active') continue;
    for (const stage of byOrder(cycle.stages)) {
      if (stage.completedAt !== null) continue;
      for (const activity of byOrder(stage.activities)) {
        if (activity.completedAt !== null) continue;
        visit(cycle, stage, activity, null);
        for (const task of byOrder(activity.tasks)) if (task.completedAt === null) visit(cycle, stage, activity, task);
      }
    }
  }
}

export function openItems(cycles: readonly AccountCycle[], filter: OpenItemsFilter): OpenItem[] {
  const rows: Array<{ item: OpenItem; position: number }> = [];
  const selected = filter.accountId === undefined ? cycles : cycles.filter((c) => c.accountId === filter.accountId);
  forEachOpenItem(selected, (cycle, stage, activity, task) => {
    const base = {
      playId: null,
      playName: null,
      accountId: cycle.accountId,
      cycleId: cycle.cycleId,
      cycleName: cycle.name,
      stageId: stage.id,
      stageName: stage.name,
      activityId: activity.id,
      activityName: activity.name,
    };
    const item: OpenItem =
      task === null
        ? {
            ...base,
            taskId: null,
            taskName: null,
            kind: 'activity',
            dueDate: activity.dueDate,
            ownerId: null,
            overdue: isOverdue(activity.dueDate, filter.now),
          }
        : {
            ...base,
            taskId: task.id,
            taskName: task.name,
            kind: 'task',
            dueDate: task.dueDate,
            ownerId: task.ownerId ?? null,
            overdue: isOverdue(task.dueDate, filter.now),
          };
    rows.push({ item, position: rows.length });
  });
  return rows
    .filter(({ item }) => matches(item, filter))
    .sort((a, b) => compareItems(a.item, b.item) || a.position - b.position)
    .map(({ item }) => item);
}

/** P1 + C9: the open one-off tasks of plays as rows of the tasks view, filtered and sorted like the cycles' rows. */
export function openPlayTaskItems(tasks: readonly PlayTask[], filter: OpenItemsFilter): OpenItem[] {
  return tasks
    .filter((task) => task.completedAt === null && (filter.accountId === undefined || task.accountId === filter.accountId))
    .map((task): OpenItem => ({
      accountId: task.accountId,
      cycleId: null,
      cycleName: null,
      stageId: null,
      stageName: null,
      activityId: null,
      activityName: null,
      taskId: task.taskId,
      taskName: task.taskName,
      kind: 'play-task',
      dueDate: task.dueDate,
      ownerId: task.ownerId,
      overdue: isOverdue(task.dueDate, filter.now),
      playId: task.playId,
      playName: task.playName,
    }))
    .filter((item) => matches(item, filter))
    .sort(compareItems);
}

function matches(item: OpenItem, filter: OpenItemsFilter): boolean {
  if (filter.ownerId !== undefined && item.ownerId !== filter.ownerId) return false;
  if (filter.overdue !== undefined && item.overdue !== filter.overdue) return false;
  if (filter.dueBefore !== undefined) {
    if (item.dueDate === null || item.dueDate.getTime() >= startOfUtcDay(filter.dueBefore).getTime()) return false;
  }
  return true;
}

/** The tasks view order (due date, nulls last, then name, account, cycle), to merge pages of rows. */
export function compareOpenItems(a: OpenItem, b: OpenItem): number {
  return compareItems(a, b);
}

function compareItems(a: OpenItem, b: OpenItem): number {
  if (a.dueDate === null || b.dueDate === null) {
    if (a.dueDate !== b.dueDate) return a.dueDate === null ? 1 : -1;
  } else if (a.dueDate.getTime() !== b.dueDate.getTime()) {
    return a.dueDate.getTime() - b.dueDate.getTime();
  }
  return (
    compareText(a.taskName ?? a.activityName ?? '', b.taskName ?? b.activityName ?? '') ||
    compareText(a.accountId, b.accountId) ||
    compareText(a.cycleId ?? a.playId ?? '', b.cycleId ?? b.playId ?? '') ||
    // Two occurrences of one play: the task (firing) id; rows of one cycle keep their position instead.
    (a.kind === 'play-task' && b.kind === 'play-task' ? compareText(a.taskId ?? '', b.taskId ?? '') : 0)
  );
}

function compareText(a: string, b: string): number {
  return a.localeCompare(b, 'en', { sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}
