import { calendarMs } from './clock';
import { MS_PER_DAY, daysFromMs } from './days';
import { day } from './rule-cases.fixture';

describe('day arithmetic (L9)', () => {
  it('a day is 86 400 000 ms and days are whole days, rounded down', () => {
    expect(MS_PER_DAY).toBe(86_400_000);
    expect(daysFromMs(0)).toBe(0);
    expect(daysFromMs(MS_PER_DAY - 1)).toBe(0);
    expect(daysFromMs(MS_PER_DAY)).toBe(1);
    expect(daysFromMs(10 * MS_PER_DAY + 1)).toBe(10);
  });

  it('the calendar clock counts elapsed ms and never goes negative', () => {
    expect(calendarMs(day(1), day(3, 6))).toBe(2.25 * MS_PER_DAY);
    expect(calendarMs(day(3), day(1))).toBe(0);
  });
});
