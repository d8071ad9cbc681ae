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
 */
import { CycleError, CycleErrorCode } from './cycle-errors';
import { validateDaysDue } from './cycle-template';
import type { DaysDue } from './cycle-template';

export const MS_PER_DAY = 86_400_000;

export const DUE_DATE_REASONS = {
  noActiveSubscription: 'no active subscription',
  noRenewalDate: 'no renewal date',
} as const;

export type DueDateReason = (typeof DUE_DATE_REASONS)[keyof typeof DUE_DATE_REASONS];

/** What cycle planning knows of an account's subscription (from `crm.account.upserted`). */
export interface SubscriptionFacts {
  active: boolean;
  renewalDate: Date | null;
}

export interface DueDateContext {
  cycleStart: Date;
  subscription: SubscriptionFacts | null;
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

/** C4: base date + `days`, or null with the reason a renewal-relative date cannot be known yet. */
export function computeDueDate(daysDue: DaysDue | undefined, ctx: DueDateContext): DueDateResult {
  if (daysDue === undefined) return { dueDate: null, reason: null };
  validateDaysDue(daysDue);
  switch (daysDue.relativeTo) {
    case 'cycleStart':
      assertValidDate(ctx.cycleStart, 'cycle start date');
      return { dueDate: addUtcDays(ctx.cycleStart, daysDue.days), reason: null };
    case 'renewal': {
      const subscription = ctx.subscription;
      if (subscription === null || !subscription.active) {
        return { dueDate: null, reason: DUE_DATE_REASONS.noActiveSubscription };
      }
      if (subscription.renewalDate === null) return { dueDate: null, reason: DUE_DATE_REASONS.noRenewalDate };
      assertValidDate(subscription.renewalDate, 'subscription renewal date');
      return { dueDate: addUtcDays(subscription.renewalDate, daysDue.days), reason: null };
    }
  }
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
