/**
 * Instants and the days of an IANA time zone, through the platform's `Intl` (the ICU time-zone
 * data that ships with Node): no time-zone table of our own, and no dependency whose data could
 * disagree with the runtime's. Only two questions are asked: which day of the zone an instant
 * falls on, and at which instant a day of the zone begins.
 */
import type { DayNumber } from './civil-date';
import { MS_PER_DAY } from './days';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** True for an IANA zone name the runtime knows (`Europe/Berlin`, `Etc/GMT+12`, `UTC`); offsets like `+02:00` are not zones. */
export function isTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Offsets (wall clock − UTC) of a zone by 15-minute bucket of UTC time: an offset read at both ends
 * of a bucket holds inside it (zones change offset at most once in months, and on quarter hours of
 * UTC), so most instants cost a map look-up instead of an `Intl` call. A bucket whose two ends
 * disagree (a clock change inside it) is never cached: those instants ask `Intl` every time.
 */
const OFFSET_BUCKET_MS = 15 * 60_000;
const MAX_CACHED_BUCKETS = 200_000;
const offsets = new Map<string, Map<number, number>>();

/** The wall clock of the zone at `ms`, read as if it were UTC (ms since the epoch). */
function wallClockMs(ms: number, timeZone: string): number {
  const bucket = Math.floor(ms / OFFSET_BUCKET_MS);
  let zone = offsets.get(timeZone);
  if (zone === undefined) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  const cached = zone.get(bucket);
  if (cached !== undefined) return ms + cached;
  const start = bucket * OFFSET_BUCKET_MS;
  const end = start + OFFSET_BUCKET_MS - 1;
  const atStart = intlWallClockMs(start, timeZone) - start;
  const atEnd = intlWallClockMs(end, timeZone) - end;
  if (atStart !== atEnd) return intlWallClockMs(ms, timeZone);
  if (zone.size >= MAX_CACHED_BUCKETS) zone.clear();
  zone.set(bucket, atStart);
  return ms + atStart;
}

/** `Intl`'s answer: the zone's wall clock at `ms` (whole seconds from `Intl`, the milliseconds kept). */
function intlWallClockMs(ms: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) parts[part.type] = part.value;
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  const utc = new Date(0);
  utc.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  utc.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
  return utc.getTime() + (((ms % 1000) + 1000) % 1000);
}

/** The day of the zone that the instant `ms` falls on. */
export function zonedDay(ms: number, timeZone: string): DayNumber {
  return Math.floor(wallClockMs(ms, timeZone) / MS_PER_DAY);
}

/**
 * The first instant of `day` in the zone: local midnight, or, where a clock change skips
 * midnight, the instant the day begins after the jump. Two offset look-ups find it in every zone
 * whose offset does not change around midnight; otherwise a search over the ±27 hours around
 * UTC midnight (every offset lies within −12 and +14 hours) finds the first instant of the day.
 */
export function startOfZonedDay(day: DayNumber, timeZone: string): number {
  const midnightUtc = day * MS_PER_DAY;
  const first = midnightUtc - (wallClockMs(midnightUtc, timeZone) - midnightUtc);
  const guess = midnightUtc - (wallClockMs(first, timeZone) - first);
  if (isStartOf(day, guess, timeZone)) return guess;
  // A clock change near midnight: the first instant whose day is `day` or later.
  let low = midnightUtc - 27 * 3_600_000;
  let high = midnightUtc + 27 * 3_600_000;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (zonedDay(mid, timeZone) >= day) high = mid;
    else low = mid;
  }
  return high;
}

function isStartOf(day: DayNumber, ms: number, timeZone: string): boolean {
  return zonedDay(ms, timeZone) === day && zonedDay(ms - 1, timeZone) < day;
}
