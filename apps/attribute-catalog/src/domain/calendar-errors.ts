import { DomainError, type ErrorKind } from '@lifecycle/contracts';

/**
 * Typed domain errors of the calendars (B1); the kind of each code decides the HTTP status (libs/http).
 */
export enum CalendarErrorCode {
  /** A field has a value B1 does not accept (weekdays, holiday dates, time zone, key, name). */
  InvalidCalendar = 'INVALID_CALENDAR',
  CalendarNotFound = 'CALENDAR_NOT_FOUND',
  CalendarAlreadyExists = 'CALENDAR_ALREADY_EXISTS',
  /** The default calendar always exists. */
  DefaultCalendarLocked = 'DEFAULT_CALENDAR_LOCKED',
  /** Optimistic concurrency: another change took the version first. */
  ConcurrentModification = 'CALENDAR_CONCURRENT_MODIFICATION',
}

export const CALENDAR_ERROR_KIND: Readonly<Record<CalendarErrorCode, ErrorKind>> = {
  [CalendarErrorCode.InvalidCalendar]: 'invalid',
  [CalendarErrorCode.CalendarNotFound]: 'not-found',
  [CalendarErrorCode.CalendarAlreadyExists]: 'conflict',
  [CalendarErrorCode.DefaultCalendarLocked]: 'conflict',
  [CalendarErrorCode.ConcurrentModification]: 'conflict',
};

export class CalendarError extends DomainError<CalendarErrorCode> {
  override readonly name = 'CalendarError';

  get kind(): ErrorKind {
    return CALENDAR_ERROR_KIND[this.code];
  }
}

export function calendarInvalid(field: string, message: string, problems?: readonly string[]): CalendarError {
  return new CalendarError(CalendarErrorCode.InvalidCalendar, message, { field, ...(problems ? { problems } : {}) });
}

export function calendarNotFound(key: string): CalendarError {
  return new CalendarError(CalendarErrorCode.CalendarNotFound, `Calendar "${key}" does not exist`, { key });
}

export function calendarModifiedConcurrently(key: string): CalendarError {
  return new CalendarError(CalendarErrorCode.ConcurrentModification, `Calendar "${key}" was modified concurrently; reload and retry`, {
    key,
  });
}
