import fc from 'fast-check';
import { CycleError, CycleErrorCode } from './cycle-errors';
import { afterStart, day, instant, renewal, subscription } from './cycle.fixture';
import { addUtcDays, computeDueDate, DUE_DATE_REASONS, elapsedWholeDays, isOverdue, MS_PER_DAY, startOfUtcDay } from './due-dates';

const start = instant('2024-03-10T15:30:00Z');

describe('computeDueDate (C4)', () => {
  it('adds whole days to the cycle start day and keeps the date at 00:00Z', () => {
    expect(computeDueDate(afterStart(7), { cycleStart: start, subscription: null })).toEqual({
      dueDate: day('2024-03-17'),
      reason: null,
    });
  });

  it('counts from the UTC day of the start, whatever its time of day', () => {
    const late = instant('2024-03-10T23:59:59.999Z');
    expect(computeDueDate(afterStart(1), { cycleStart: late, subscription: null }).dueDate).toEqual(day('2024-03-11'));
    const offset = new Date('2024-03-10T22:00:00-05:00'); // = 2024-03-11T03:00Z
    expect(computeDueDate(afterStart(0), { cycleStart: offset, subscription: null }).dueDate).toEqual(day('2024-03-11'));
  });

  it('supports negative days before the cycle start', () => {
    expect(computeDueDate(afterStart(-3), { cycleStart: start, subscription: null }).dueDate).toEqual(day('2024-03-07'));
  });

  it('crosses month, leap-day and year boundaries by calendar days', () => {
    const ctx = (iso: string) => ({ cycleStart: day(iso), subscription: null });
    expect(computeDueDate(afterStart(10), ctx('2024-02-20')).dueDate).toEqual(day('2024-03-01')); // 2024 has Feb 29
    expect(computeDueDate(afterStart(10), ctx('2023-02-20')).dueDate).toEqual(day('2023-03-02'));
    expect(computeDueDate(afterStart(1), ctx('2024-12-31')).dueDate).toEqual(day('2025-01-01'));
    expect(computeDueDate(afterStart(365), ctx('2024-01-01')).dueDate).toEqual(day('2024-12-31'));
  });

  it('computes renewal-relative dates from the renewal date, negative = before renewal', () => {
    const ctx = { cycleStart: start, subscription: subscription('2025-01-15') };
    expect(computeDueDate(renewal(-60), ctx)).toEqual({ dueDate: day('2024-11-16'), reason: null });
    expect(computeDueDate(renewal(-14), ctx)).toEqual({ dueDate: day('2025-01-01'), reason: null });
    expect(computeDueDate(renewal(0), ctx)).toEqual({ dueDate: day('2025-01-15'), reason: null });
    expect(computeDueDate(renewal(30), ctx)).toEqual({ dueDate: day('2025-02-14'), reason: null });
  });

  it('gives no renewal-relative date, with a reason, without an active subscription or renewal date', () => {
    expect(computeDueDate(renewal(-30), { cycleStart: start, subscription: null })).toEqual({
      dueDate: null,
      reason: 'no active subscription',
    });
    expect(computeDueDate(renewal(-30), { cycleStart: start, subscription: subscription('2025-01-15', false) })).toEqual({
      dueDate: null,
      reason: DUE_DATE_REASONS.noActiveSubscription,
    });
    expect(computeDueDate(renewal(-30), { cycleStart: start, subscription: subscription(null) })).toEqual({
      dueDate: null,
      reason: 'no renewal date',
    });
  });

  it('a cycle-start date does not need a subscription', () => {
    expect(computeDueDate(afterStart(5), { cycleStart: start, subscription: null }).reason).toBeNull();
  });

  it('gives neither date nor reason without daysDue', () => {
    expect(computeDueDate(undefined, { cycleStart: start, subscription: null })).toEqual({ dueDate: null, reason: null });
  });

  it('rejects fractional days and invalid dates with typed errors', () => {
    expect(() => computeDueDate({ days: 1.5, relativeTo: 'cycleStart' }, { cycleStart: start, subscription: null })).toThrow(
      expect.objectContaining({ code: CycleErrorCode.InvalidDaysDue }),
    );
    expect(() => computeDueDate(afterStart(1), { cycleStart: new Date('nope'), subscription: null })).toThrow(CycleError);
  });

  it('property: the due date is a midnight UTC, exactly `days` days after the start day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z') }),
        fc.integer({ min: -1000, max: 1000 }),
        (cycleStart, days) => {
          const { dueDate } = computeDueDate(afterStart(days), { cycleStart, subscription: null });
          expect(dueDate).not.toBeNull();
          const due = dueDate as Date;
          expect(due.getTime() % MS_PER_DAY).toBe(0);
          expect((due.getTime() - startOfUtcDay(cycleStart).getTime()) / MS_PER_DAY).toBe(days);
        },
      ),
    );
  });
});

describe('date helpers', () => {
  it('addUtcDays and startOfUtcDay keep date-only semantics', () => {
    expect(startOfUtcDay(instant('2024-06-30T23:59:59Z'))).toEqual(day('2024-06-30'));
    expect(addUtcDays(instant('2024-06-30T23:59:59Z'), 1)).toEqual(day('2024-07-01'));
  });

  it('isOverdue: once the due day has passed, not on the day itself (C9)', () => {
    const due = day('2024-04-01');
    expect(isOverdue(due, instant('2024-04-01T23:59:59Z'))).toBe(false);
    expect(isOverdue(due, instant('2024-04-02T00:00:00Z'))).toBe(true);
    expect(isOverdue(null, instant('2030-01-01T00:00:00Z'))).toBe(false);
  });

  it('elapsedWholeDays floors and never goes negative', () => {
    expect(elapsedWholeDays(instant('2024-04-01T12:00:00Z'), instant('2024-04-04T11:59:59Z'))).toBe(2);
    expect(elapsedWholeDays(instant('2024-04-01T12:00:00Z'), instant('2024-04-04T12:00:00Z'))).toBe(3);
    expect(elapsedWholeDays(instant('2024-04-04T00:00:00Z'), instant('2024-04-01T00:00:00Z'))).toBe(0);
  });
});
