import { calendarProblems, type BusinessCalendar } from './business-calendar';
import { addBusinessDays, addWorkingDays, businessDaysBetween, calendarDate, isWorkingDate } from './business-days';
import { formatCivilDate, isoWeekday, parseCivilDate } from './civil-date';
import { isTimeZone, startOfZonedDay } from './time-zone';

const at = (iso: string): Date => new Date(iso);
const weekdays = (timeZone = 'UTC', holidays: string[] = []): BusinessCalendar => ({
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays,
  timeZone,
});
const everyDay = (timeZone: string): BusinessCalendar => ({ workingWeekdays: [1, 2, 3, 4, 5, 6, 7], holidays: [], timeZone });

describe('civil dates', () => {
  it('parses and formats YYYY-MM-DD, refusing dates that do not exist (leap days only in leap years)', () => {
    expect(formatCivilDate(parseCivilDate('2024-02-29')!)).toBe('2024-02-29');
    expect(parseCivilDate('2025-02-29')).toBeNull();
    expect(parseCivilDate('2025-13-01')).toBeNull();
    expect(parseCivilDate('1.3.2025')).toBeNull();
    expect(parseCivilDate('1970-01-01')).toBe(0);
  });

  it('knows the ISO weekday (1970-01-01 was a Thursday, 2025-03-03 a Monday)', () => {
    expect(isoWeekday(0)).toBe(4);
    expect(isoWeekday(parseCivilDate('2025-03-03')!)).toBe(1);
    expect(isoWeekday(parseCivilDate('1969-12-28')!)).toBe(7);
  });
});

describe('time zones through Intl', () => {
  it('accepts IANA names from −12 to +14 hours and refuses offsets and unknown names', () => {
    expect(isTimeZone('Etc/GMT+12')).toBe(true);
    expect(isTimeZone('Pacific/Kiritimati')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('+02:00')).toBe(false);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('a day of the zone begins at its local midnight (Etc/GMT+12 is UTC−12, Kiritimati UTC+14)', () => {
    const day = parseCivilDate('2025-01-01')!;
    expect(new Date(startOfZonedDay(day, 'Etc/GMT+12')).toISOString()).toBe('2025-01-01T12:00:00.000Z');
    expect(new Date(startOfZonedDay(day, 'Pacific/Kiritimati')).toISOString()).toBe('2024-12-31T10:00:00.000Z');
  });

  it('where a clock change skips midnight the day begins after the jump (Chile, 2024-09-08 starts at 01:00)', () => {
    expect(new Date(startOfZonedDay(parseCivilDate('2024-09-08')!, 'America/Santiago')).toISOString()).toBe('2024-09-08T04:00:00.000Z');
  });

  it('the same instant is a different date at each end of the offsets', () => {
    const noon = at('2025-01-01T12:30:00Z');
    expect(calendarDate(everyDay('Etc/GMT+12'), noon)).toBe('2025-01-01');
    expect(calendarDate(everyDay('Pacific/Kiritimati'), noon)).toBe('2025-01-02');
  });
});

describe('B1: calendar validation', () => {
  it('names every problem and what is allowed', () => {
    expect(calendarProblems({ workingWeekdays: [], holidays: ['2025-02-29', 'tomorrow'], timeZone: 'GMT+2' })).toEqual([
      'workingWeekdays must name at least one working weekday (1 = Monday … 7 = Sunday)',
      'holidays must be dates written YYYY-MM-DD that exist; got "2025-02-29", "tomorrow"',
      'timeZone "GMT+2" is not an IANA time-zone name (e.g. "Europe/Berlin", "America/New_York", "UTC")',
    ]);
    expect(calendarProblems({ workingWeekdays: [0, 1, 1, 8], holidays: [], timeZone: 'UTC' })).toEqual([
      'workingWeekdays may hold 1 (Monday) to 7 (Sunday) only; got 0, 8',
      'workingWeekdays must not repeat a weekday',
    ]);
    expect(calendarProblems(weekdays('Europe/Berlin', ['2024-02-29']))).toEqual([]);
  });
});

describe('B2: business days between two instants', () => {
  // 2025-03-03 is a Monday.
  it('a working day counts once it has ended, not before', () => {
    const cal = weekdays();
    expect(businessDaysBetween(cal, at('2025-03-03T10:00Z'), at('2025-03-03T23:59:59.999Z'))).toBe(0);
    expect(businessDaysBetween(cal, at('2025-03-03T10:00Z'), at('2025-03-04T00:00Z'))).toBe(1);
    expect(businessDaysBetween(cal, at('2025-03-03T00:00Z'), at('2025-03-08T00:00Z'))).toBe(5);
  });

  it('weekends never count: Friday afternoon to Monday morning is one day (Friday), to Tuesday two', () => {
    const cal = weekdays();
    expect(businessDaysBetween(cal, at('2025-03-07T17:00Z'), at('2025-03-10T09:00Z'))).toBe(1);
    expect(businessDaysBetween(cal, at('2025-03-07T17:00Z'), at('2025-03-11T00:00Z'))).toBe(2);
    expect(businessDaysBetween(cal, at('2025-03-08T10:00Z'), at('2025-03-10T00:00Z'))).toBe(0);
  });

  it('holidays never count, and a holiday on a weekend changes nothing', () => {
    const monday = [at('2025-03-03T00:00Z'), at('2025-03-10T00:00Z')] as const;
    expect(businessDaysBetween(weekdays('UTC', ['2025-03-05']), ...monday)).toBe(4);
    expect(businessDaysBetween(weekdays('UTC', ['2025-03-08', '2025-03-09']), ...monday)).toBe(5);
  });

  it('is 0 when `to` is not after `from`', () => {
    expect(businessDaysBetween(weekdays(), at('2025-03-10T00:00Z'), at('2025-03-03T00:00Z'))).toBe(0);
  });

  it('counts the days of the calendar’s zone: a Berlin Monday ends at 23:00 UTC in winter', () => {
    const berlin = weekdays('Europe/Berlin');
    expect(businessDaysBetween(berlin, at('2025-03-03T08:00Z'), at('2025-03-03T22:59:59Z'))).toBe(0);
    expect(businessDaysBetween(berlin, at('2025-03-03T08:00Z'), at('2025-03-03T23:00Z'))).toBe(1);
    // The same instants on a UTC calendar: Monday has not ended yet.
    expect(businessDaysBetween(weekdays(), at('2025-03-03T08:00Z'), at('2025-03-03T23:00Z'))).toBe(0);
  });

  it('DST: the 23-hour and 25-hour days of Europe/Berlin are one day each', () => {
    const berlin = everyDay('Europe/Berlin');
    // 2025-03-30: 00:00 CET = 23:00Z the day before; ends at 00:00 CEST = 22:00Z.
    expect(businessDaysBetween(berlin, at('2025-03-29T23:00Z'), at('2025-03-30T22:00Z'))).toBe(1);
    expect(businessDaysBetween(berlin, at('2025-03-29T23:00Z'), at('2025-03-30T21:59:59Z'))).toBe(0);
    // 2025-10-26: 00:00 CEST = 22:00Z the day before; ends at 00:00 CET = 23:00Z.
    expect(businessDaysBetween(berlin, at('2025-10-25T22:00Z'), at('2025-10-26T23:00Z'))).toBe(1);
    expect(businessDaysBetween(berlin, at('2025-10-25T22:00Z'), at('2025-10-26T22:59:59Z'))).toBe(0);
  });

  it('DST: New York’s spring-forward week still has five weekdays', () => {
    const ny = weekdays('America/New_York');
    // Sunday 2025-03-09 springs forward; Monday 2025-03-10 00:00 EDT = 04:00Z, Saturday 2025-03-15 00:00 EDT = 04:00Z.
    expect(businessDaysBetween(ny, at('2025-03-10T04:00Z'), at('2025-03-15T04:00Z'))).toBe(5);
    expect(businessDaysBetween(ny, at('2025-03-07T05:00Z'), at('2025-03-10T04:00Z'))).toBe(1);
  });

  it('leap years: February 2024 has 21 weekdays, February 2025 has 20', () => {
    const cal = weekdays();
    expect(businessDaysBetween(cal, at('2024-02-01T00:00Z'), at('2024-03-01T00:00Z'))).toBe(21);
    expect(businessDaysBetween(cal, at('2025-02-01T00:00Z'), at('2025-03-01T00:00Z'))).toBe(20);
    expect(businessDaysBetween(weekdays('UTC', ['2024-02-29']), at('2024-02-01T00:00Z'), at('2024-03-01T00:00Z'))).toBe(20);
  });

  it('zones at both ends: the same stretch counts the days of each zone', () => {
    const from = at('2025-01-06T00:00Z');
    const to = at('2025-01-07T11:00Z');
    // Etc/GMT+12: Monday 2025-01-06 begins at 12:00Z and has not ended at 11:00Z the next day.
    expect(businessDaysBetween(weekdays('Etc/GMT+12'), from, to)).toBe(0);
    // Kiritimati: Monday 6th ended at 10:00Z on the 6th, Tuesday 7th at 10:00Z on the 7th.
    expect(businessDaysBetween(weekdays('Pacific/Kiritimati'), from, to)).toBe(2);
  });
});

describe('B2: adding business days to an instant', () => {
  it('is the end of the n-th working day that ends after the start', () => {
    const cal = weekdays();
    expect(addBusinessDays(cal, at('2025-03-03T10:00Z'), 1).toISOString()).toBe('2025-03-04T00:00:00.000Z');
    expect(addBusinessDays(cal, at('2025-03-07T17:00Z'), 2).toISOString()).toBe('2025-03-11T00:00:00.000Z');
    expect(addBusinessDays(cal, at('2025-03-08T10:00Z'), 1).toISOString()).toBe('2025-03-11T00:00:00.000Z');
    expect(addBusinessDays(cal, at('2025-03-03T10:00Z'), 0).toISOString()).toBe('2025-03-03T10:00:00.000Z');
  });

  it('skips holidays and jumps whole weeks', () => {
    const cal = weekdays('UTC', ['2025-12-25', '2025-12-26', '2026-01-01']);
    // From Monday 2025-12-22: 22, 23, 24, 29, 30, 31, 2 Jan → the 7th ends on 2026-01-03.
    expect(addBusinessDays(cal, at('2025-12-22T09:00Z'), 7).toISOString()).toBe('2026-01-03T00:00:00.000Z');
    expect(addBusinessDays(weekdays(), at('2025-03-03T09:00Z'), 260).toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });

  it('ends at the local midnight of the calendar’s zone, across a DST change', () => {
    const berlin = weekdays('Europe/Berlin');
    // Friday 2025-03-28 in Berlin + 1 → Friday ends at 23:00Z (CET); + 2 → Monday 31st ends at 22:00Z (CEST).
    expect(addBusinessDays(berlin, at('2025-03-28T10:00Z'), 1).toISOString()).toBe('2025-03-28T23:00:00.000Z');
    expect(addBusinessDays(berlin, at('2025-03-28T10:00Z'), 2).toISOString()).toBe('2025-03-31T22:00:00.000Z');
  });

  it('refuses negative and fractional counts', () => {
    expect(() => addBusinessDays(weekdays(), at('2025-03-03T10:00Z'), -1)).toThrow('forward only');
    expect(() => addBusinessDays(weekdays(), at('2025-03-03T10:00Z'), 1.5)).toThrow('whole number');
  });
});

describe('B6: working days from a date (WORKDAY convention)', () => {
  it('counts after (or before) the date, never the date itself', () => {
    const cal = weekdays('UTC', ['2025-03-10']);
    expect(addWorkingDays(cal, '2025-03-07', 1)).toBe('2025-03-11'); // Friday + 1: Monday is a holiday
    expect(addWorkingDays(cal, '2025-03-11', -1)).toBe('2025-03-07');
    expect(addWorkingDays(cal, '2025-03-08', 0)).toBe('2025-03-08');
    expect(addWorkingDays(cal, '2025-03-08', -1)).toBe('2025-03-07');
    expect(addWorkingDays(weekdays(), '2024-02-28', 1)).toBe('2024-02-29');
  });

  it('knows working dates', () => {
    expect(isWorkingDate(weekdays('UTC', ['2025-03-05']), '2025-03-05')).toBe(false);
    expect(isWorkingDate(weekdays(), '2025-03-08')).toBe(false);
    expect(isWorkingDate(weekdays(), '2025-03-07')).toBe(true);
  });
});
