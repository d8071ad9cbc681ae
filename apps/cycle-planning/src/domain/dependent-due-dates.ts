/**
 * B6: due dates that count from something that happens during the cycle — the account entering a
 * lifecycle stage, or another task of the cycle being completed (or, until then, its due date).
 * They are settled again whenever their base may have moved: at assignment, when a task is
 * completed, when the account enters a stage, after C11/C12 moved the dates they may hang on.
 *
 * Decisions:
 * - Only open items move; a completed item's due date is a record (B6: completed items never move).
 * - Dependencies form no loop (refused when the template is saved), so settling runs pass after
 *   pass until nothing changes: each pass fixes at least one more level of the chain.
 * - An item whose task is no longer part of the cycle (a template edit removed it) has no date,
 *   with the reason.
 */
import { mapCycleItems } from './account-cycle';
import type { AccountCycle, CycleItemState } from './account-cycle';
import type { DaysDue, ItemKind } from './cycle-template';
import { computeDueDate, sameInstant } from './due-dates';
import type { DueDateContext, SubscriptionFacts } from './due-dates';
import type { DueDateChange, RecalculationResult } from './recalculation';
import type { BusinessCalendar } from '@lifecycle/rules';

/** What the dependent dates of an account's cycles are computed from, besides the cycle itself. */
export interface DueDateEnvironment {
  subscription: SubscriptionFacts | null;
  calendar?: BusinessCalendar;
  stageEntries?: ReadonlyMap<string, Date>;
}

const DEPENDENT_BASES = new Set(['stageEntry', 'taskCompletion']);

/** B6: a rule counting from something that happens during the cycle (a stage entry, a task's completion). */
export function isDependentDaysDue(daysDue: DaysDue | undefined): boolean {
  return daysDue !== undefined && DEPENDENT_BASES.has(daysDue.relativeTo);
}

/** B6: the open items counting from a stage entry or a task, recomputed; `only` limits it to those ids. */
export function settleDueDates(cycle: AccountCycle, env: DueDateEnvironment, only?: ReadonlySet<string>): RecalculationResult {
  if (cycle.status !== 'active') return { cycle, changes: [] };
  const before = itemsById(cycle);
  let current = cycle;
  for (let pass = 0; pass <= before.size; pass++) {
    const tasks = tasksById(current);
    const ctx: DueDateContext = {
      cycleStart: current.startDate,
      subscription: env.subscription,
      ...(env.calendar === undefined ? {} : { calendar: env.calendar }),
      ...(env.stageEntries === undefined ? {} : { stageEntries: env.stageEntries }),
      taskBase: (taskId) => {
        const task = tasks.get(taskId);
        return task === undefined ? undefined : { at: task.completedAt ?? task.dueDate };
      },
    };
    let changed = false;
    current = mapCycleItems(current, <T extends CycleItemState>(item: T): T => {
      if (item.completedAt !== null || !isDependentDaysDue(item.daysDue)) return item;
      if (only !== undefined && !only.has(item.id)) return item;
      const { dueDate, reason } = computeDueDate(item.daysDue, ctx);
      if (sameInstant(dueDate, item.dueDate) && reason === item.dueDateReason) return item;
      changed = true;
      return { ...item, dueDate, dueDateReason: reason };
    });
    if (!changed) break;
  }
  const changes: DueDateChange[] = [];
  for (const [id, after] of itemsById(current)) {
    const was = before.get(id);
    if (was === undefined) continue;
    if (sameInstant(was.item.dueDate, after.item.dueDate) && was.item.dueDateReason === after.item.dueDateReason) continue;
    changes.push({
      kind: after.kind,
      id,
      name: after.item.name,
      previousDueDate: was.item.dueDate,
      dueDate: after.item.dueDate,
      reason: after.item.dueDateReason,
    });
  }
  return { cycle: current, changes };
}

/** Two recalculations one after the other, as one: an item changed by both shows its first and its last date. */
export function mergeChanges(first: readonly DueDateChange[], second: readonly DueDateChange[]): DueDateChange[] {
  const merged = new Map(first.map((c) => [c.id, c]));
  for (const change of second) {
    const earlier = merged.get(change.id);
    merged.set(change.id, earlier === undefined ? change : { ...change, previousDueDate: earlier.previousDueDate });
  }
  return [...merged.values()];
}

function itemsById(cycle: AccountCycle): Map<string, { kind: ItemKind; item: CycleItemState }> {
  const items = new Map<string, { kind: ItemKind; item: CycleItemState }>();
  for (const stage of cycle.stages) {
    items.set(stage.id, { kind: 'stage', item: stage });
    for (const activity of stage.activities) {
      items.set(activity.id, { kind: 'activity', item: activity });
      for (const task of activity.tasks) items.set(task.id, { kind: 'task', item: task });
    }
  }
  return items;
}

function tasksById(cycle: AccountCycle): Map<string, CycleItemState> {
  const tasks = new Map<string, CycleItemState>();
  for (const stage of cycle.stages) for (const activity of stage.activities) for (const task of activity.tasks) tasks.set(task.id, task);
  return tasks;
}
