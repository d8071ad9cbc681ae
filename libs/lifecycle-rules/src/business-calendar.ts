/**
 * B1: a business calendar — the weekdays that are worked, the holidays (dates that are not) and
 * the IANA time zone whose days they are. Pure data plus its validation; the arithmetic is in
 * `business-days.ts`.
 */
import { isoWeekday, parseCivilDate, type DayNumber } from './civil-date';
import { isTimeZone } from './time-zone';

export interface BusinessCalendar {
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  workingWeekdays: readonly number[];
  /** `YYYY-MM-DD` dates of the zone that never count, whatever their weekday. */
  holidays: readonly string[];
  /** IANA time-zone name: the calendar's days begin and end at its midnights. */
  timeZone: string;
}

/** Monday to Friday, no holidays, UTC: what a calendar-less account is counted on when no default exists. */
export const MONDAY_TO_FRIDAY_UTC: BusinessCalendar = { workingWeekdays: [1, 2, 3, 4, 5], holidays: [], timeZone: 'UTC' };

/** What is wrong with a calendar, one message per problem (empty = valid); each names the field and what is allowed. */
export function calendarProblems(calendar: BusinessCalendar): string[] {
  const problems: string[] = [];
  const weekdays = calendar.workingWeekdays;
  if (weekdays.length === 0) problems.push('workingWeekdays must name at least one working weekday (1 = Monday … 7 = Sunday)');
  const badDays = weekdays.filter((d) => !Number.isInteger(d) || d < 1 || d > 7);
  if (badDays.length > 0) problems.push(`workingWeekdays may hold 1 (Monday) to 7 (Sunday) only; got ${badDays.join(', ')}`);
  if (new Set(weekdays).size !== weekdays.length) problems.push('workingWeekdays must not repeat a weekday');
  const badDates = calendar.holidays.filter((h) => parseCivilDate(h) === null);
  if (badDates.length > 0)
    problems.push(`holidays must be dates written YYYY-MM-DD that exist; got ${badDates.map((h) => `"${h}"`).join(', ')}`);
  if (!isTimeZone(calendar.timeZone)) {
    problems.push(`timeZone "${calendar.timeZone}" is not an IANA time-zone name (e.g. "Europe/Berlin", "America/New_York", "UTC")`);
  }
  return problems;
}

/** A calendar prepared for arithmetic: a weekday mask and the holidays that fall on working weekdays, sorted. */
export interface CalendarIndex {
  readonly timeZone: string;
  /** `working[isoWeekday]`; index 0 unused. */
  readonly working: readonly boolean[];
  readonly workingPerWeek: number;
  /** Day numbers of holidays on working weekdays (a holiday on a Sunday off changes nothing), ascending, unique. */
  readonly holidays: readonly DayNumber[];
}

const indexes = new WeakMap<BusinessCalendar, CalendarIndex>();

/** The index of a calendar, built once per calendar object (calendars are read-only). Throws on an invalid calendar. */
export function indexCalendar(calendar: BusinessCalendar): CalendarIndex {
  let index = indexes.get(calendar);
  if (index === undefined) {
    const problems = calendarProblems(calendar);
    if (problems.length > 0) throw new Error(`invalid business calendar: ${problems.join('; ')}`);
    const working = Array.from({ length: 8 }, (_, d) => d > 0 && calendar.workingWeekdays.includes(d));
    const holidays = [...new Set(calendar.holidays.map((h) => parseCivilDate(h)!))]
      .filter((day) => working[isoWeekday(day)])
      .sort((a, b) => a - b);
    index = { timeZone: calendar.timeZone, working, workingPerWeek: working.filter(Boolean).length, holidays };
    indexes.set(calendar, index);
  }
  return index;
}
