/**
 * B2: business days between two instants, and instants N business days on.
 *
 * A working day counts once it has ended: between `from` and `to` the business days are the
 * working days of the calendar's zone whose end (the next day's first instant) lies after `from`
 * and no later than `to`. Holidays and non-working weekdays never count. Counted this way the
 * measure is additive — days(a, b) + days(b, c) = days(a, c) for a ≤ b ≤ c — exactly like
 * elapsed milliseconds, so a stage's business days summed over its stretches (L3/L4) and the
 * attribute's business days over the whole cycle agree, whatever the partition.
 *
 * A day's end is a day boundary, so only the two instants' days in the zone matter: counting is
 * two `Intl` look-ups and day-number arithmetic (whole weeks at once, holidays by binary search).
 */
import { indexCalendar, type BusinessCalendar, type CalendarIndex } from './business-calendar';
import { isoWeekday, parseCivilDate, formatCivilDate, type DayNumber } from './civil-date';
import type { Measure } from './clock';
import { startOfZonedDay, zonedDay } from './time-zone';

/** B2: whole business days elapsed from `from` to `to` (0 when `to` is not after `from`). */
export function businessDaysBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  const index = indexCalendar(calendar);
  const first = zonedDay(from.getTime(), index.timeZone);
  // The last day that has ended by `to` is the one before `to`'s own day.
  const last = zonedDay(to.getTime(), index.timeZone) - 1;
  return workingDaysIn(index, first, last);
}

/**
 * The earliest instant at which `n` business days have elapsed since `from`
 * (`businessDaysBetween(from, result) === n`): the end of the n-th working day that ends after
 * `from`. `n` = 0 is `from` itself.
 */
export function addBusinessDays(calendar: BusinessCalendar, from: Date, n: number): Date {
  assertWholeNumber(n, 'business days to add');
  if (n < 0) throw new Error(`addBusinessDays counts forward only; got ${n}`);
  if (n === 0) return from;
  const index = indexCalendar(calendar);
  const last = nthWorkingDay(index, zonedDay(from.getTime(), index.timeZone), n);
  return new Date(startOfZonedDay(last + 1, index.timeZone));
}

/**
 * B6: a date `n` working days after (n > 0) or before (n < 0) `date`, the date itself not counted
 * (spreadsheet `WORKDAY` convention); n = 0 is the date itself, even on a day off.
 */
export function addWorkingDays(calendar: BusinessCalendar, date: string, n: number): string {
  assertWholeNumber(n, 'working days to add');
  const day = parseCivilDate(date);
  if (day === null) throw new Error(`"${date}" is not a date written YYYY-MM-DD`);
  if (n === 0) return date;
  const index = indexCalendar(calendar);
  return formatCivilDate(n > 0 ? nthWorkingDay(index, day + 1, n) : nthWorkingDayBefore(index, day - 1, -n));
}

/** The day of the calendar's zone that an instant falls on, `YYYY-MM-DD`. */
export function calendarDate(calendar: BusinessCalendar, at: Date): string {
  return formatCivilDate(zonedDay(at.getTime(), indexCalendar(calendar).timeZone));
}

/** Whether the date (`YYYY-MM-DD`) is a working day of the calendar. */
export function isWorkingDate(calendar: BusinessCalendar, date: string): boolean {
  const day = parseCivilDate(date);
  if (day === null) throw new Error(`"${date}" is not a date written YYYY-MM-DD`);
  return isWorking(indexCalendar(calendar), day);
}

/**
 * A clock (see `Measure`) that measures a stretch in business days of the calendar. Its unit is
 * a whole day, not a millisecond: feed it to `stageMsAtIntervalEnds` and read the figures as days.
 */
export function businessDayClock(calendar: BusinessCalendar): Measure {
  return (from, to) => businessDaysBetween(calendar, from, to);
}

// ---------------------------------------------------------------------------------------------

function isWorking(index: CalendarIndex, day: DayNumber): boolean {
  return index.working[isoWeekday(day)] === true && !isHoliday(index, day);
}

function isHoliday(index: CalendarIndex, day: DayNumber): boolean {
  const h = index.holidays;
  const i = lowerBound(h, day);
  return i < h.length && h[i] === day;
}

/** Working days in `first..last` (inclusive); 0 when the range is empty. */
export function workingDaysIn(index: CalendarIndex, first: DayNumber, last: DayNumber): number {
  if (last < first) return 0;
  const length = last - first + 1;
  const weeks = Math.floor(length / 7);
  let count = weeks * index.workingPerWeek;
  for (let day = first + weeks * 7; day <= last; day++) if (index.working[isoWeekday(day)]) count++;
  // Holidays are stored only when they fall on working weekdays: each one in range removes a day.
  return count - (lowerBound(index.holidays, last + 1) - lowerBound(index.holidays, first));
}

/** The n-th (n ≥ 1) working day counting from `first` itself. Whole weeks at a time never overshoot. */
function nthWorkingDay(index: CalendarIndex, first: DayNumber, n: number): DayNumber {
  let day = first - 1; // the last day looked at
  let remaining = n;
  while (remaining > 0) {
    const weeks = Math.floor(remaining / index.workingPerWeek);
    if (weeks > 0) {
      remaining -= workingDaysIn(index, day + 1, day + weeks * 7);
      day += weeks * 7;
    } else {
      day += 1;
      if (isWorking(index, day)) remaining -= 1;
    }
  }
  // Whole weeks may end on days off after the n-th working day: step back to it.
  while (!isWorking(index, day)) day -= 1;
  return day;
}

/** The n-th (n ≥ 1) working day counting back from `last` itself. */
function nthWorkingDayBefore(index: CalendarIndex, last: DayNumber, n: number): DayNumber {
  let day = last + 1; // the last day looked at
  let remaining = n;
  while (remaining > 0) {
    const weeks = Math.floor(remaining / index.workingPerWeek);
    if (weeks > 0) {
      remaining -= workingDaysIn(index, day - weeks * 7, day - 1);
      day -= weeks * 7;
    } else {
      day -= 1;
      if (isWorking(index, day)) remaining -= 1;
    }
  }
  while (!isWorking(index, day)) day += 1;
  return day;
}

/** The first position whose value is ≥ `value` in an ascending list. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function assertWholeNumber(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new Error(`${what} must be a whole number; got ${n}`);
}
