import { MS_PER_DAY } from '@lifecycle/rules';
/**
 * Instants in query parameters (`asOf`, report windows) and criteria windows: an ISO-8601 date (a
 * UTC day) or a date-time with zone. `Date.parse` alone accepts 2025-02-30 (as March 2nd): the calendar is
 * checked here.
 */
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;
const EARLIEST_MS = Date.UTC(1900, 0, 1);
const LATEST_MS = Date.UTC(9000, 0, 1);

export interface ParsedInstant {
  /** The start of the day for a date, the instant for a date-time. */
  at: Date;
  dateOnly: boolean;
}

/** Why a string is not an instant: not ISO-8601 or not a calendar date, or outside 1900–9000. */
export type IsoInstantProblem = 'malformed' | 'out-of-range';

/**
 * The instant a string names, or why it names none. The range 1900-01-01 to 9000-01-01 keeps every
 * instant a fixed-width ISO string (four-digit years).
 */
export function readIsoInstant(value: string): ParsedInstant | IsoInstantProblem {
  const date = DATE_RE.exec(value);
  const dateTime = date === null ? DATE_TIME_RE.exec(value) : null;
  const parts = date ?? dateTime;
  if (parts === null) return 'malformed';
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return 'malformed';
  if (dateTime !== null) {
    const [hour, minute, second] = [Number(parts[4]), Number(parts[5]), Number(parts[6] ?? '0')];
    const [offsetHours, offsetMinutes] = [Number(parts[7] ?? '0'), Number(parts[8] ?? '0')];
    if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return 'malformed';
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return 'malformed';
  if (ms < EARLIEST_MS || ms >= LATEST_MS) return 'out-of-range';
  return { at: new Date(ms), dateOnly: date !== null };
}

/** `readIsoInstant`, null for any problem. */
export function parseIsoInstant(value: string): ParsedInstant | null {
  const read = readIsoInstant(value);
  return typeof read === 'string' ? null : read;
}

/** The exclusive end of a date (the next day's start), or the date-time itself. */
export function endOf(instant: ParsedInstant): Date {
  return instant.dateOnly ? new Date(instant.at.getTime() + MS_PER_DAY) : instant.at;
}
