/**
 * Due dates (C4, C11, C12): pure functions of dates; "now" is always passed in.
 *
 * Decisions:
 * - Due dates are calendar dates, held as a `Date` at 00:00:00Z of the day. The base date (cycle
 *   start or renewal date) is first truncated to its UTC day, then `days` whole days are added, so
 *   a start at 2024-03-10T18:00Z with `days: 1` is due 2024-03-11T00:00Z.
 * - A renewal-relative date is `null` with a reason while the subscription is missing or inactive
 *   ("no active subscription") or has no renewal date ("no renewal date"). No `daysDue` → no date
 *   and no reason.
 * - An item is overdue once its due day has passed: due day < today (UTC). Due today is not overdue.
 * - Elapsed "days in" are whole days, `floor(ms / 86_400_000)` like L9, never negative.
 * - B6, business days: the base is truncated to its UTC day as for calendar days (due dates are
 *   dates held at 00:00Z, whatever the zone), then `days` working days of the account's calendar
 *   (weekdays and holidays) are counted from it, the base date itself not counted (the spreadsheet
 *   `WORKDAY` convention: Friday + 1 = Monday, Monday − 1 = Friday, 0 = the base date).
 * - B6, stage entry: the latest entry of the account into that stage (`status.changed` of status
 *   tracking); null with a reason until the account enters it.
 * - B6, task completion: the task's completion date once it is completed, else its own due date
 *   (a projection: completing it late moves the dates that count from it); null with a reason
 *   while the task has no date either.
 */
import { addWorkingDays, MONDAY_TO_FRIDAY_UTC, type BusinessCalendar } from '@lifecycle/rules';
import { CycleError, CycleErrorCode } from './cycle-errors';
import { validateDaysDue } from './cycle-template';
import type { DaysDue } from './cycle-template';

export const MS_PER_DAY = 86_400_000;

export const DUE_DATE_REASONS = {
  noActiveSubscription: 'no active subscription',
  noRenewalDate: 'no renewal date',
  stageNotEntered: 'the account has not entered the stage yet',
  taskNotScheduled: 'the task it counts from has no due date yet',
  taskMissing: 'the task it counts from is not part of the cycle',
} as const;

export type DueDateReason = (typeof DUE_DATE_REASONS)[keyof typeof DUE_DATE_REASONS];

/** B6: the key of a stage entry in `DueDateContext.stageEntries`. */
export function stageEntryKey(attributeKey: string, stageId: string): string {
  return `${attributeKey}|${stageId}`;
}

/** What cycle planning knows of an account's subscription (from `crm.account.upserted`). */
export interface SubscriptionFacts {
  active: boolean;
  renewalDate: Date | null;
}

export interface DueDateContext {
  cycleStart: Date;
  subscription: SubscriptionFacts | null;
  /** B6: what business days count on (the account's calendar); Monday to Friday in UTC when absent. */
  calendar?: BusinessCalendar;
  /** B6: the latest entry instant per `stageEntryKey(attribute, stage)`. */
  stageEntries?: ReadonlyMap<string, Date>;
  /** B6: the base of a task-completion date: the task's completion, else its due date; undefined = no such task. */
  taskBase?: (taskId: string) => { at: Date | null } | undefined;
}

export interface DueDateResult {
  dueDate: Date | null;
  reason: string | null;
}

export function assertValidDate(value: Date, field: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new CycleError(CycleErrorCode.InvalidDate, `${field} must be a valid date`, { field });
  }
}

/** The UTC calendar day of `date`, as 00:00:00Z. */
export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** `days` whole calendar days after the UTC day of `date` (negative: before), as 00:00:00Z. */
export function addUtcDays(date: Date, days: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));
}

/** C4/B6: base date + `days` in the rule's unit, or null with the reason the base is not known yet. */
export function computeDueDate(daysDue: DaysDue | undefined, ctx: DueDateContext): DueDateResult {
  if (daysDue === undefined) return { dueDate: null, reason: null };
  validateDaysDue(daysDue);
  const due = (base: Date): DueDateResult => ({ dueDate: shiftDate(base, daysDue, ctx.calendar ?? MONDAY_TO_FRIDAY_UTC), reason: null });
  switch (daysDue.relativeTo) {
    case 'cycleStart':
      assertValidDate(ctx.cycleStart, 'cycle start date');
      return due(ctx.cycleStart);
    case 'renewal': {
      const subscription = ctx.subscription;
      if (subscription === null || !subscription.active) {
        return { dueDate: null, reason: DUE_DATE_REASONS.noActiveSubscription };
      }
      if (subscription.renewalDate === null) return { dueDate: null, reason: DUE_DATE_REASONS.noRenewalDate };
      assertValidDate(subscription.renewalDate, 'subscription renewal date');
      return due(subscription.renewalDate);
    }
    case 'stageEntry': {
      const entered = ctx.stageEntries?.get(stageEntryKey(daysDue.attributeKey!, daysDue.stageId!));
      return entered === undefined ? { dueDate: null, reason: DUE_DATE_REASONS.stageNotEntered } : due(entered);
    }
    case 'taskCompletion': {
      const base = ctx.taskBase?.(daysDue.taskId!);
      if (base === undefined) return { dueDate: null, reason: DUE_DATE_REASONS.taskMissing };
      return base.at === null ? { dueDate: null, reason: DUE_DATE_REASONS.taskNotScheduled } : due(base.at);
    }
  }
}

/** `days` after the base's UTC day: calendar days (C4), or working days of the calendar (B6). */
export function shiftDate(base: Date, daysDue: Pick<DaysDue, 'days' | 'unit'>, calendar: BusinessCalendar): Date {
  if (daysDue.unit !== 'business-days') return addUtcDays(base, daysDue.days);
  const day = startOfUtcDay(base).toISOString().slice(0, 10);
  return new Date(`${addWorkingDays(calendar, day, daysDue.days)}T00:00:00.000Z`);
}

/** C9: the due day has passed (due today is not yet overdue). */
export function isOverdue(dueDate: Date | null, now: Date): boolean {
  return dueDate !== null && dueDate.getTime() < startOfUtcDay(now).getTime();
}

/** L9/C6: whole days elapsed from `from` to `to`, floor(ms / 1 day), 0 if `to` is earlier. */
export function elapsedWholeDays(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / MS_PER_DAY));
}

export function sameInstant(a: Date | null, b: Date | null): boolean {
  return a === null || b === null ? a === b : a.getTime() === b.getTime();
}
