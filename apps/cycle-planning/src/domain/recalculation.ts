/**
 * Due-date recalculation after a start-date change (C11) or a renewal-date change (C12).
 *
 * Decisions:
 * - Only incomplete items move; a completed item's due date is history and never changes.
 * - Each item is recomputed from its own `daysDue` rule (which follows template edits, see
 *   template-propagation.ts); items without a rule keep what they have.
 * - C11 is a user command: refused (`CycleNotActive`) on a completed or removed cycle. It always moves
 *   the start date; with `recalculate: false` no due date moves, and renewal-relative dates never do.
 * - C12 fans out from a CRM subscription update to all of an account's cycles: cycles that are not
 *   active are returned unchanged rather than refused. A subscription that became inactive or lost
 *   its renewal date turns renewal-relative dates into null with the reason (C4).
 * - `changes` lists each item whose due date or reason actually changed, for the
 *   `cycle.due-dates-recalculated` event; an empty list means nothing to publish.
 */
import { assertActive, mapCycleItems } from './account-cycle';
import { mergeChanges, settleDueDates, type DueDateEnvironment } from './dependent-due-dates';
import type { AccountCycle, CycleItemState } from './account-cycle';
import type { DaysDueBase, ItemKind } from './cycle-template';
import { assertValidDate, computeDueDate, sameInstant } from './due-dates';
import type { DueDateContext, SubscriptionFacts } from './due-dates';

export interface DueDateChange {
  kind: ItemKind;
  id: string;
  name: string;
  previousDueDate: Date | null;
  dueDate: Date | null;
  reason: string | null;
}

export interface RecalculationResult {
  cycle: AccountCycle;
  changes: DueDateChange[];
}

/** C11: moves the cycle's start date and, if asked, the cycle-start-relative due dates of incomplete items. */
export function recalculateForStartDate(
  cycle: AccountCycle,
  newStartDate: Date,
  options: { recalculate: boolean },
  subscription: SubscriptionFacts | null,
  env: Omit<DueDateEnvironment, 'subscription'> = {},
): RecalculationResult {
  assertActive(cycle);
  assertValidDate(newStartDate, 'startDate');
  const moved: AccountCycle = { ...cycle, startDate: newStartDate };
  if (!options.recalculate) return { cycle: moved, changes: [] };
  return withDependents(recompute(moved, 'cycleStart', { cycleStart: newStartDate, subscription, ...env }), { subscription, ...env });
}

/**
 * C12: recalculates the renewal-relative due dates of incomplete items, and (B6) the dates that
 * count from those items' tasks; nothing else moves.
 */
export function recalculateForRenewal(
  cycle: AccountCycle,
  subscription: SubscriptionFacts | null,
  env: Omit<DueDateEnvironment, 'subscription'> = {},
): RecalculationResult {
  if (cycle.status !== 'active') return { cycle, changes: [] };
  return withDependents(recompute(cycle, 'renewal', { cycleStart: cycle.startDate, subscription, ...env }), { subscription, ...env });
}

/** B6: the dates hanging on the ones just moved move with them (only when something moved). */
function withDependents(result: RecalculationResult, env: DueDateEnvironment): RecalculationResult {
  if (result.changes.length === 0) return result;
  const settled = settleDueDates(result.cycle, env);
  return { cycle: settled.cycle, changes: mergeChanges(result.changes, settled.changes) };
}

function recompute(cycle: AccountCycle, base: DaysDueBase, ctx: DueDateContext): RecalculationResult {
  const changes: DueDateChange[] = [];
  const updated = mapCycleItems(cycle, <T extends CycleItemState>(item: T, kind: ItemKind): T => {
    if (item.completedAt !== null || item.daysDue?.relativeTo !== base) return item;
    const { dueDate, reason } = computeDueDate(item.daysDue, ctx);
    if (sameInstant(dueDate, item.dueDate) && reason === item.dueDateReason) return item;
    changes.push({ kind, id: item.id, name: item.name, previousDueDate: item.dueDate, dueDate, reason });
    return { ...item, dueDate, dueDateReason: reason };
  });
  return { cycle: updated, changes };
}
