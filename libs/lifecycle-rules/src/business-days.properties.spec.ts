import fc from 'fast-check';
import { indexCalendar, type BusinessCalendar } from './business-calendar';
import { addBusinessDays, addWorkingDays, businessDaysBetween, isWorkingDate, workingDaysIn } from './business-days';
import { formatCivilDate, isoWeekday, parseCivilDate } from './civil-date';
import { MS_PER_DAY } from './days';
import { startOfZonedDay, zonedDay } from './time-zone';

// Zones from −12 to +14 hours, with and without DST (north and south), and one that skips midnight.
const ZONES = [
  'UTC',
  'Etc/GMT+12',
  'Pacific/Kiritimati',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'America/Santiago',
  'Pacific/Chatham',
];
// 2023-01-01 … 2026-12-31: leap day 2024-02-29 and several DST changes of every zone above.
const FIRST = Date.UTC(2023, 0, 1);
const SPAN = 4 * 365 * MS_PER_DAY;

const instant = fc.integer({ min: FIRST, max: FIRST + SPAN }).map((ms) => new Date(ms));
const holiday = fc.integer({ min: 0, max: 4 * 365 }).map((d) => formatCivilDate(Math.round(FIRST / MS_PER_DAY) + d));
const calendar: fc.Arbitrary<BusinessCalendar> = fc.record({
  workingWeekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
  holidays: fc.array(holiday, { maxLength: 40 }),
  timeZone: fc.constantFrom(...ZONES),
});
const sorted = <T extends Date>(...dates: T[]): T[] => [...dates].sort((a, b) => a.getTime() - b.getTime());

describe('B2 business days: properties', () => {
  it('additive: days(a, b) + days(b, c) = days(a, c) for a ≤ b ≤ c (so within ±1 a fortiori)', () => {
    fc.assert(
      fc.property(calendar, instant, instant, instant, (cal, x, y, z) => {
        const [a, b, c] = sorted(x, y, z) as [Date, Date, Date];
        expect(businessDaysBetween(cal, a, b) + businessDaysBetween(cal, b, c)).toBe(businessDaysBetween(cal, a, c));
      }),
    );
  });

  it('monotone: never decreases as `to` moves later, never increases as `from` does', () => {
    fc.assert(
      fc.property(calendar, instant, instant, instant, (cal, x, y, z) => {
        const [a, b, c] = sorted(x, y, z) as [Date, Date, Date];
        expect(businessDaysBetween(cal, a, c)).toBeGreaterThanOrEqual(businessDaysBetween(cal, a, b));
        expect(businessDaysBetween(cal, b, c)).toBeLessThanOrEqual(businessDaysBetween(cal, a, c));
      }),
    );
  });

  it('adding n then counting gives n back, and one millisecond earlier gives n − 1', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 400 }), (cal, from, n) => {
        const due = addBusinessDays(cal, from, n);
        expect(businessDaysBetween(cal, from, due)).toBe(n);
        expect(businessDaysBetween(cal, from, new Date(due.getTime() - 1))).toBe(n - 1);
      }),
    );
  });

  it('agrees with counting day by day (each working day whose end lies in (from, to])', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 60 * MS_PER_DAY }), (cal, from, length) => {
        const to = new Date(from.getTime() + length);
        const index = indexCalendar(cal);
        let count = 0;
        for (let day = zonedDay(from.getTime(), cal.timeZone) - 1; day <= zonedDay(to.getTime(), cal.timeZone) + 1; day++) {
          const end = startOfZonedDay(day + 1, cal.timeZone);
          const working = index.working[isoWeekday(day)] && !cal.holidays.includes(formatCivilDate(day));
          if (working && end > from.getTime() && end <= to.getTime()) count++;
        }
        expect(businessDaysBetween(cal, from, to)).toBe(count);
      }),
    );
  });

  it('every day working, in UTC: the count is the number of UTC midnights passed, within one of the calendar days', () => {
    const cal: BusinessCalendar = { workingWeekdays: [1, 2, 3, 4, 5, 6, 7], holidays: [], timeZone: 'UTC' };
    fc.assert(
      fc.property(instant, instant, (x, y) => {
        const [a, b] = sorted(x, y) as [Date, Date];
        const days = businessDaysBetween(cal, a, b);
        expect(days).toBe(Math.floor(b.getTime() / MS_PER_DAY) - Math.floor(a.getTime() / MS_PER_DAY));
        expect(Math.abs(days - Math.floor((b.getTime() - a.getTime()) / MS_PER_DAY))).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('a holiday on a day off changes nothing; one on a working day removes at most one day', () => {
    fc.assert(
      fc.property(calendar, instant, instant, holiday, (cal, x, y, extra) => {
        const [a, b] = sorted(x, y) as [Date, Date];
        const withExtra = { ...cal, holidays: [...cal.holidays, extra] };
        const before = businessDaysBetween(cal, a, b);
        const after = businessDaysBetween(withExtra, a, b);
        if (!cal.workingWeekdays.includes(isoWeekday(parseCivilDate(extra)!))) expect(after).toBe(before);
        expect(before - after).toBeGreaterThanOrEqual(0);
        expect(before - after).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('a day of the zone begins at an instant of that day whose previous millisecond is the day before', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer({ min: 0, max: 4 * 365 }), (zone, offset) => {
        const day = Math.round(FIRST / MS_PER_DAY) + offset;
        const start = startOfZonedDay(day, zone);
        expect(zonedDay(start, zone)).toBe(day);
        expect(zonedDay(start - 1, zone)).toBe(day - 1);
      }),
    );
  });

  it('working days in a range agree with a day-by-day count', () => {
    fc.assert(
      fc.property(calendar, fc.integer({ min: 0, max: 4 * 365 }), fc.integer({ min: -3, max: 120 }), (cal, offset, length) => {
        const first = Math.round(FIRST / MS_PER_DAY) + offset;
        let count = 0;
        for (let day = first; day <= first + length; day++) if (isWorkingDate(cal, formatCivilDate(day))) count++;
        expect(workingDaysIn(indexCalendar(cal), first, first + length)).toBe(count);
      }),
    );
  });

  it('B6: going n working days forward then n back returns to a working date', () => {
    fc.assert(
      fc.property(calendar, holiday, fc.integer({ min: 1, max: 300 }), (cal, date, n) => {
        fc.pre(isWorkingDate(cal, date));
        const later = addWorkingDays(cal, date, n);
        expect(isWorkingDate(cal, later)).toBe(true);
        expect(later > date).toBe(true);
        expect(addWorkingDays(cal, later, -n)).toBe(date);
      }),
    );
  });
});
