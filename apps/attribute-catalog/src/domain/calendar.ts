import { CALENDAR_KEY_PATTERN, DEFAULT_CALENDAR_KEY, type CalendarPayload, type EventTypesOf, type Topics } from '@lifecycle/contracts';
import { calendarProblems, parseCivilDate, type BusinessCalendar } from '@lifecycle/rules';
import { calendarInvalid, CalendarError, CalendarErrorCode } from './calendar-errors';

/**
 * B1: the business calendar aggregate — working weekdays, holidays and an IANA time zone, under
 * a key. Versioned like attributes (every change, deletion included, is the next version) and
 * announced in full on `lifecycle.calendars`. The calendar keyed `default` always exists: it is
 * what an account without `calendarKey`, or naming a calendar that does not exist, is counted on.
 */
export interface Calendar extends BusinessCalendar {
  readonly key: string;
  readonly name: string;
  readonly workingWeekdays: readonly number[];
  /** `YYYY-MM-DD`, ascending, without repeats. */
  readonly holidays: readonly string[];
  readonly timeZone: string;
  readonly version: number;
  readonly deleted: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type CalendarEventType = EventTypesOf<typeof Topics.LifecycleCalendars>;

export interface CalendarChange {
  readonly calendar: Calendar;
  /** Null when nothing changed (no new version). */
  readonly event: { readonly type: CalendarEventType; readonly data: CalendarPayload } | null;
}

export interface NewCalendar {
  key: string;
  name: string;
  workingWeekdays?: readonly number[];
  holidays?: readonly string[];
  timeZone: string;
}

export type CalendarPatch = Partial<Pick<NewCalendar, 'name' | 'workingWeekdays' | 'holidays' | 'timeZone'>>;

export const CALENDAR_LIMITS = { keyLength: 64, nameLength: 200, holidays: 1000 } as const;
export const MONDAY_TO_FRIDAY: readonly number[] = [1, 2, 3, 4, 5];

/** The default calendar as it first exists: Monday to Friday in UTC, no holidays. */
export function initialDefaultCalendar(): NewCalendar {
  return { key: DEFAULT_CALENDAR_KEY, name: 'Default calendar', workingWeekdays: MONDAY_TO_FRIDAY, holidays: [], timeZone: 'UTC' };
}

/** A new calendar, or a deleted key taken again (its versions go on: replicas keep the highest). */
export function createCalendar(input: NewCalendar, previous: Calendar | null, now: Date): CalendarChange {
  if (previous && !previous.deleted) {
    throw new CalendarError(
      CalendarErrorCode.CalendarAlreadyExists,
      `A calendar with key "${input.key}" already exists; change it with PATCH /v1/calendars/${input.key}`,
      { key: input.key },
    );
  }
  const at = now.toISOString();
  const calendar = validCalendar({
    key: validKey(input.key),
    name: input.name,
    workingWeekdays: input.workingWeekdays ?? MONDAY_TO_FRIDAY,
    holidays: input.holidays ?? [],
    timeZone: input.timeZone,
    version: (previous?.version ?? 0) + 1,
    deleted: false,
    createdAt: at,
    updatedAt: at,
  });
  return { calendar, event: { type: 'calendar.created', data: toCalendarPayload(calendar) } };
}

export function updateCalendar(current: Calendar, patch: CalendarPatch, now: Date): CalendarChange {
  const next = validCalendar({
    ...current,
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.workingWeekdays === undefined ? {} : { workingWeekdays: patch.workingWeekdays }),
    ...(patch.holidays === undefined ? {} : { holidays: patch.holidays }),
    ...(patch.timeZone === undefined ? {} : { timeZone: patch.timeZone }),
  });
  if (sameCalendar(current, next)) return { calendar: current, event: null };
  const calendar = { ...next, version: current.version + 1, updatedAt: now.toISOString() };
  return { calendar, event: { type: 'calendar.updated', data: toCalendarPayload(calendar) } };
}

/** The default calendar cannot be deleted: something must always count business days (B1). */
export function deleteCalendar(current: Calendar, now: Date): CalendarChange {
  if (current.key === DEFAULT_CALENDAR_KEY) {
    throw new CalendarError(
      CalendarErrorCode.DefaultCalendarLocked,
      `The calendar "${DEFAULT_CALENDAR_KEY}" is the default calendar and cannot be deleted; change its weekdays, holidays or time zone instead`,
      { key: current.key },
    );
  }
  const calendar = { ...current, deleted: true, version: current.version + 1, updatedAt: now.toISOString() };
  return { calendar, event: { type: 'calendar.deleted', data: toCalendarPayload(calendar) } };
}

export function toCalendarPayload(calendar: Calendar): CalendarPayload {
  return {
    key: calendar.key,
    name: calendar.name,
    workingWeekdays: [...calendar.workingWeekdays],
    holidays: [...calendar.holidays],
    timeZone: calendar.timeZone,
    version: calendar.version,
    deleted: calendar.deleted,
    updatedAt: calendar.updatedAt,
  };
}

function sameCalendar(a: Calendar, b: Calendar): boolean {
  const content = (c: Calendar) => JSON.stringify([c.name, c.workingWeekdays, c.holidays, c.timeZone]);
  return content(a) === content(b);
}

/** Trims the name, sorts weekdays and holidays (without repeats), and refuses what B1 does not allow. */
function validCalendar(calendar: Calendar): Calendar {
  const name = calendar.name.trim();
  if (name.length === 0 || name.length > CALENDAR_LIMITS.nameLength) {
    throw calendarInvalid('name', `name must be 1 to ${CALENDAR_LIMITS.nameLength} characters`);
  }
  if (calendar.holidays.length > CALENDAR_LIMITS.holidays) {
    throw calendarInvalid('holidays', `holidays may list at most ${CALENDAR_LIMITS.holidays} dates; got ${calendar.holidays.length}`);
  }
  const problems = calendarProblems(calendar);
  if (problems.length > 0) {
    const field = problems[0]!.split(' ')[0]!;
    throw calendarInvalid(field, `Calendar "${calendar.key}" is not valid: ${problems.join('; ')}`, problems);
  }
  const holidays = [...new Set(calendar.holidays)].sort((a, b) => parseCivilDate(a)! - parseCivilDate(b)!);
  return { ...calendar, name, workingWeekdays: [...new Set(calendar.workingWeekdays)].sort((a, b) => a - b), holidays };
}

function validKey(key: string): string {
  if (key.length === 0 || key.length > CALENDAR_LIMITS.keyLength || !CALENDAR_KEY_PATTERN.test(key)) {
    throw calendarInvalid(
      'key',
      `key must be a lowercase slug of at most ${CALENDAR_LIMITS.keyLength} characters (letters, digits, single dashes), e.g. germany`,
    );
  }
  return key;
}
