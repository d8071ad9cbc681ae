import { MS_PER_DAY } from '@lifecycle/rules';
/**
 * Instants in query parameters (`asOf`, report windows): an ISO-8601 date (a UTC day) or a
 * date-time with zone. `Date.parse` alone accepts 2025-02-30 (as March 2nd): the calendar is
 * checked here.
 */
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;

export interface ParsedInstant {
  /** The start of the day for a date, the instant for a date-time. */
  at: Date;
  dateOnly: boolean;
}

export function parseIsoInstant(value: string): ParsedInstant | null {
  const date = DATE_RE.exec(value);
  const dateTime = date === null ? DATE_TIME_RE.exec(value) : null;
  const parts = date ?? dateTime;
  if (parts === null) return null;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  if (dateTime !== null) {
    const [hour, minute, second] = [Number(parts[4]), Number(parts[5]), Number(parts[6] ?? '0')];
    const [offsetHours, offsetMinutes] = [Number(parts[7] ?? '0'), Number(parts[8] ?? '0')];
    if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || ms < Date.UTC(1900, 0, 1) || ms >= Date.UTC(9000, 0, 1)) return null;
  return { at: new Date(ms), dateOnly: date !== null };
}

/** The exclusive end of a date (the next day's start), or the date-time itself. */
export function endOf(instant: ParsedInstant): Date {
  return instant.dateOnly ? new Date(instant.at.getTime() + MS_PER_DAY) : instant.at;
}
