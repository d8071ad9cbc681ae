import fc from 'fast-check';
import type { BusinessCalendar } from './business-calendar';
import { businessCountersAt } from './business-counters';
import { countersAt } from './counters';
import { MS_PER_DAY } from './days';
import { stateAsOf } from './fold';
import type { HistoryEntry } from './history';
import { CASE_CALENDAR, CONFIGURATION, GO_LIVE, IMPLEMENTATION, KICKOFF, ONBOARDING_SLA, REMOVED, day } from './rule-cases.fixture';
import { slaCrossings, stageSlaAt, type SlaStatus } from './stage-sla';

const ORIGIN = day(0).getTime();
const EVERY_DAY_UTC: BusinessCalendar = { workingWeekdays: [1, 2, 3, 4, 5, 6, 7], holidays: [], timeZone: 'UTC' };
const BERLIN: BusinessCalendar = { workingWeekdays: [1, 2, 3, 4, 5], holidays: ['2025-01-06', '2025-02-01'], timeZone: 'Europe/Berlin' };

const stageRef = fc.constantFrom<string | null>(KICKOFF, CONFIGURATION, IMPLEMENTATION, GO_LIVE, REMOVED, null);
const toHistory = (list: readonly { to: string | null; offset: number }[]): HistoryEntry[] =>
  list.map((e, seq) => ({ changeId: `c${seq}`, seq, to: e.to, at: new Date(ORIGIN + e.offset) }));
const lastAt = (history: readonly HistoryEntry[]): number => history.reduce((max, c) => Math.max(max, c.at.getTime()), ORIGIN);

/** Entries at any millisecond over 60 days, read up to 30 days after the last one. */
const anyTime = fc
  .tuple(
    fc.array(fc.record({ to: stageRef, offset: fc.integer({ min: 0, max: 60 * MS_PER_DAY }) }), { maxLength: 20 }),
    fc.nat(30 * MS_PER_DAY),
  )
  .map(([list, after]) => {
    const history = toHistory(list);
    return { history, now: new Date(lastAt(history) + after) };
  });

/** Entries and the reading at UTC midnights only. */
const atMidnights = fc
  .tuple(fc.array(fc.record({ to: stageRef, offset: fc.nat(60).map((d) => d * MS_PER_DAY) }), { maxLength: 20 }), fc.nat(30))
  .map(([list, after]) => {
    const history = toHistory(list);
    return { history, now: new Date(lastAt(history) + after * MS_PER_DAY) };
  });

const calendar = fc.constantFrom(CASE_CALENDAR, EVERY_DAY_UTC, BERLIN);

describe('B2 business counters: properties over random histories', () => {
  it('hide exactly when the calendar-day counters hide (no value, canceled: L7, L10)', () => {
    fc.assert(
      fc.property(anyTime, calendar, fc.boolean(), ({ history, now }, cal, canceled) => {
        const calendarDays = countersAt(ONBOARDING_SLA, stateAsOf(ONBOARDING_SLA, history, now), now, { canceled });
        const business = businessCountersAt(ONBOARDING_SLA, history, now, cal, { canceled });
        expect(business.businessDaysInStage === null).toBe(calendarDays.daysInStage === null);
        expect(business.businessDaysInAttribute === null).toBe(calendarDays.daysInAttribute === null);
      }),
    );
  });

  it('every day working in UTC, changes at midnight: business days are the calendar days, stage by stage (L3–L7)', () => {
    fc.assert(
      fc.property(atMidnights, ({ history, now }) => {
        const calendarDays = countersAt(ONBOARDING_SLA, stateAsOf(ONBOARDING_SLA, history, now), now);
        const business = businessCountersAt(ONBOARDING_SLA, history, now, EVERY_DAY_UTC);
        expect(business.businessDaysInStage).toBe(calendarDays.daysInStage);
        expect(business.businessDaysInAttribute).toBe(calendarDays.daysInAttribute);
        expect(business.stages.map((s) => s.businessDays)).toEqual(calendarDays.stages.map((s) => s.days));
      }),
    );
  });

  it('never more business days in a stage than in the attribute, and never more than calendar days + 1', () => {
    fc.assert(
      fc.property(anyTime, calendar, ({ history, now }, cal) => {
        const calendarDays = countersAt(ONBOARDING_SLA, stateAsOf(ONBOARDING_SLA, history, now), now);
        const business = businessCountersAt(ONBOARDING_SLA, history, now, cal);
        if (business.businessDaysInAttribute === null) return;
        expect(business.businessDaysInStage!).toBeLessThanOrEqual(business.businessDaysInAttribute);
        expect(business.businessDaysInAttribute).toBeLessThanOrEqual(calendarDays.daysInAttribute! + 1);
      }),
    );
  });
});

const RANK: Record<SlaStatus, number> = { none: -1, 'on-track': 0, 'at-risk': 1, overdue: 2 };

describe('B3 stage SLA: properties over random histories', () => {
  it('while the account stays, the status only moves forward, and it changes exactly at the crossing instants (B4)', () => {
    fc.assert(
      fc.property(anyTime, calendar, fc.array(fc.nat(40 * MS_PER_DAY), { minLength: 1, maxLength: 6 }), ({ history, now }, cal, laters) => {
        const reading = stageSlaAt(ONBOARDING_SLA, history, now, cal);
        const times = [now.getTime(), ...laters.map((l) => now.getTime() + l)].sort((a, b) => a - b);
        const statuses = times.map((t) => stageSlaAt(ONBOARDING_SLA, history, new Date(t), cal).status);
        for (let i = 1; i < statuses.length; i++) expect(RANK[statuses[i]!]).toBeGreaterThanOrEqual(RANK[statuses[i - 1]!]);
        if (reading.status === 'none') {
          expect(new Set(statuses)).toEqual(new Set(['none']));
          return;
        }
        const [atRisk, breached] = slaCrossings(reading);
        const statusAt = (t: number): SlaStatus => stageSlaAt(ONBOARDING_SLA, history, new Date(t), cal).status;
        const entered = reading.entry!.enteredAt.getTime();
        expect(atRisk!.at.getTime()).toBeGreaterThanOrEqual(entered);
        expect(breached!.at.getTime()).toBeGreaterThanOrEqual(atRisk!.at.getTime());
        expect(statusAt(Math.max(breached!.at.getTime(), now.getTime()))).toBe('overdue');
        if (breached!.at.getTime() - 1 >= Math.max(entered, now.getTime()))
          expect(statusAt(breached!.at.getTime() - 1)).not.toBe('overdue');
        if (atRisk!.at.getTime() - 1 >= Math.max(entered, now.getTime())) expect(statusAt(atRisk!.at.getTime() - 1)).toBe('on-track');
      }),
    );
  });
});
