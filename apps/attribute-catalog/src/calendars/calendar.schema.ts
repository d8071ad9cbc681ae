import type { AnyEnvelope } from '@lifecycle/messaging';
import type { Calendar } from '../domain/calendar';

export const CALENDARS_COLLECTION = 'calendars';
export const CALENDAR_REVISIONS_COLLECTION = 'calendar_revisions';

/** The current version of a calendar, deleted ones included (`_id` = key): what reads serve. */
export type CalendarRecord = Omit<Calendar, 'key'> & { _id: string };

/**
 * One version of a calendar, never changed after it is written (except that the outbox empties).
 * `_id` = `<key>@<version>`: inserting it is the compare-and-set of a change (a unique insert is
 * atomic on every engine), and it carries the change's event.
 */
export type CalendarRevisionRecord = {
  _id: string;
  key: string;
  version: number;
  calendar: Calendar;
  recordedAt: string;
  outbox: AnyEnvelope[];
};

export function calendarRevisionId(key: string, version: number): string {
  return `${key}@${version}`;
}
