import { createCalendar, deleteCalendar, initialDefaultCalendar, updateCalendar, type Calendar } from './calendar';
import { CalendarError, CalendarErrorCode } from './calendar-errors';

const NOW = new Date('2025-03-01T09:00:00.000Z');
const LATER = new Date('2025-03-02T09:00:00.000Z');

function errorOf(fn: () => unknown): CalendarError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CalendarError) return e;
    throw e;
  }
  throw new Error('expected a CalendarError');
}

const germany = (): Calendar =>
  createCalendar(
    { key: 'germany', name: ' Germany ', holidays: ['2025-12-26', '2025-12-25', '2025-12-25'], timeZone: 'Europe/Berlin' },
    null,
    NOW,
  ).calendar;

describe('B1: business calendars in the catalog', () => {
  it('creates version 1 with Monday to Friday by default, holidays sorted without repeats, the name trimmed', () => {
    const { calendar, event } = createCalendar(
      { key: 'germany', name: ' Germany ', holidays: ['2025-12-26', '2025-12-25', '2025-12-25'], timeZone: 'Europe/Berlin' },
      null,
      NOW,
    );
    expect(calendar).toEqual({
      key: 'germany',
      name: 'Germany',
      workingWeekdays: [1, 2, 3, 4, 5],
      holidays: ['2025-12-25', '2025-12-26'],
      timeZone: 'Europe/Berlin',
      version: 1,
      deleted: false,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    expect(event).toEqual({
      type: 'calendar.created',
      data: {
        key: 'germany',
        name: 'Germany',
        workingWeekdays: [1, 2, 3, 4, 5],
        holidays: ['2025-12-25', '2025-12-26'],
        timeZone: 'Europe/Berlin',
        version: 1,
        deleted: false,
        updatedAt: NOW.toISOString(),
      },
    });
  });

  it('the default calendar is Monday to Friday in UTC', () => {
    expect(createCalendar(initialDefaultCalendar(), null, NOW).calendar).toMatchObject({
      key: 'default',
      workingWeekdays: [1, 2, 3, 4, 5],
      timeZone: 'UTC',
    });
  });

  it('refuses a bad calendar with 400 INVALID_CALENDAR listing every problem', () => {
    const e = errorOf(() =>
      createCalendar({ key: 'x', name: 'X', workingWeekdays: [], holidays: ['2025-02-29'], timeZone: 'Berlin' }, null, NOW),
    );
    expect(e.code).toBe(CalendarErrorCode.InvalidCalendar);
    expect(e.kind).toBe('invalid');
    expect(e.details.problems).toEqual([
      'workingWeekdays must name at least one working weekday (1 = Monday … 7 = Sunday)',
      'holidays must be dates written YYYY-MM-DD that exist; got "2025-02-29"',
      'timeZone "Berlin" is not an IANA time-zone name (e.g. "Europe/Berlin", "America/New_York", "UTC")',
    ]);
    expect(errorOf(() => createCalendar({ key: 'Not A Slug', name: 'X', timeZone: 'UTC' }, null, NOW)).details).toEqual({ field: 'key' });
  });

  it('refuses a key in use (409) and takes a deleted key again at the next version', () => {
    const current = germany();
    expect(errorOf(() => createCalendar({ key: 'germany', name: 'G', timeZone: 'UTC' }, current, NOW)).code).toBe(
      CalendarErrorCode.CalendarAlreadyExists,
    );
    const deleted = deleteCalendar(current, LATER).calendar;
    const again = createCalendar({ key: 'germany', name: 'G', timeZone: 'UTC' }, deleted, LATER);
    expect(again.calendar).toMatchObject({ version: 3, deleted: false });
    expect(again.event?.type).toBe('calendar.created');
  });

  it('an edit is the next version with calendar.updated; the same values again change nothing', () => {
    const current = germany();
    const changed = updateCalendar(current, { holidays: ['2025-10-03'], workingWeekdays: [5, 1, 2, 3, 4, 6] }, LATER);
    expect(changed.calendar).toMatchObject({
      version: 2,
      holidays: ['2025-10-03'],
      workingWeekdays: [1, 2, 3, 4, 5, 6],
      updatedAt: LATER.toISOString(),
    });
    expect(changed.event?.type).toBe('calendar.updated');
    expect(updateCalendar(current, { name: 'Germany', timeZone: 'Europe/Berlin' }, LATER)).toEqual({ calendar: current, event: null });
  });

  it('a deletion is the next version with calendar.deleted; the default calendar cannot be deleted (409)', () => {
    expect(deleteCalendar(germany(), LATER)).toMatchObject({
      calendar: { version: 2, deleted: true },
      event: { type: 'calendar.deleted' },
    });
    const defaultCalendar = createCalendar(initialDefaultCalendar(), null, NOW).calendar;
    expect(errorOf(() => deleteCalendar(defaultCalendar, LATER)).code).toBe(CalendarErrorCode.DefaultCalendarLocked);
  });
});
