/**
 * Dates without a time or a zone ("civil" dates, `2025-03-01`), as whole day numbers: days since
 * 1970-01-01. Business-day arithmetic (B2, B6) works on these; the calendar's time zone turns an
 * instant into one (`zonedDay`) and a day back into the instant it begins (`startOfZonedDay`).
 */
import { MS_PER_DAY } from './days';

/** Days since 1970-01-01 (a Thursday); negative before it. */
export type DayNumber = number;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → day number; null for anything else, including dates that do not exist (2025-02-29). */
export function parseCivilDate(text: string): DayNumber | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, date);
  const check = new Date(ms);
  // Date.UTC rolls 2025-02-29 over to March 1st: a date that does not exist comes back different.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) return null;
  return Math.round(ms / MS_PER_DAY);
}

/** Day number → `YYYY-MM-DD`. */
export function formatCivilDate(day: DayNumber): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: DayNumber): number {
  // 1970-01-01 was a Thursday (4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}
