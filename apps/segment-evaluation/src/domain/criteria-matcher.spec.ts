import type { AccountProjection } from './account-projection';
import { attributeOf, msInAttribute, msInStage } from './account-projection';
import { matches } from './criteria-matcher';
import { resolveCriteria } from './criteria-validation';
import { businessContextOf } from './business-context';
import {
  account,
  ago,
  catalogOf,
  days,
  frozen,
  NOW,
  noValue,
  ONBOARDING_STAGES,
  running,
  STAGE,
  transition,
  withAttribute,
} from './testing/account-projection.builder';

describe('matches', () => {
  // `constructor` is a valid attribute slug: it must not resolve to Object.prototype.constructor.
  const catalog = catalogOf({ key: 'constructor', stages: ONBOARDING_STAGES }, { key: 'toString', stages: ONBOARDING_STAGES });

  it('reads own attributes only, so prototype names are ordinary attribute keys', () => {
    const bare = account();
    expect(matches(resolveCriteria({ attribute: 'constructor', doesNotExist: true }, catalog), bare, NOW)).toBe(true);
    expect(matches(resolveCriteria({ attribute: 'toString', isNotOneOf: ['Kickoff'] }, catalog), bare, NOW)).toBe(true);
    expect(matches(resolveCriteria({ attribute: 'constructor', completed: true }, catalog), bare, NOW)).toBe(false);
    expect(matches(resolveCriteria({ attribute: 'constructor', changed: { lastDays: 3 } }, catalog), bare, NOW)).toBe(false);
    const inKickoff = account({ lifecycle: { constructor: running(STAGE.kickoff, days(2)) } });
    expect(
      matches(resolveCriteria({ attribute: 'constructor', isOneOf: ['Kickoff'], daysInStage: { eq: 2 } }, catalog), inKickoff, NOW),
    ).toBe(true);
  });

  it('treats a document without lifecycle, or with malformed arrays, as having no value and no history', () => {
    const broken = { ...account(), lifecycle: undefined } as unknown as AccountProjection;
    const onboarding = catalogOf({ key: 'onboarding', stages: ONBOARDING_STAGES });
    expect(matches(resolveCriteria({ attribute: 'onboarding', doesNotExist: true }, onboarding), broken, NOW)).toBe(true);
    const noArrays = account({
      lifecycle: { onboarding: { ...noValue(), transitions: undefined, completions: null } as unknown as ReturnType<typeof noValue> },
    });
    expect(matches(resolveCriteria({ attribute: 'onboarding', changed: { lastDays: 3 } }, onboarding), noArrays, NOW)).toBe(false);
    expect(matches(resolveCriteria({ attribute: 'onboarding', completed: { lastDays: 3 } }, onboarding), noArrays, NOW)).toBe(false);
  });
});

describe('projection clocks', () => {
  it('reads running clocks at now and frozen values when stopped (L5, L9)', () => {
    const state = running(STAGE.configuration, days(3) + 5, days(10));
    expect(msInStage(state, NOW)).toBe(days(3) + 5);
    expect(msInAttribute(state, NOW)).toBe(days(10));
    expect(msInStage(state, new Date(NOW.getTime() + 1000))).toBe(days(3) + 1005);
    const done = frozen(STAGE.goLive, 0, days(42));
    expect(msInStage(done, NOW)).toBe(0);
    expect(msInAttribute(done, NOW)).toBe(days(42));
    expect(msInStage({ ...state, stageClockStart: null }, NOW)).toBeNull();
    expect(msInAttribute({ ...done, frozenAttributeMs: null }, NOW)).toBeNull();
  });

  it('attributeOf returns own entries only', () => {
    const acc = account({ lifecycle: { onboarding: running(STAGE.kickoff, 0) } });
    expect(attributeOf(acc, 'onboarding')?.stageId).toBe(STAGE.kickoff);
    expect(attributeOf(acc, 'constructor')).toBeUndefined();
    expect(attributeOf(acc, '__proto__')).toBeUndefined();
    expect(ago(0)).toEqual(NOW);
  });
});

describe('business days and stage SLAs in criteria (B2, B3, B5)', () => {
  const onboarding = catalogOf({ key: 'onboarding', stages: ONBOARDING_STAGES });
  // Kickoff: 5 business days, at risk from 4 (0.8); Configuration: none.
  const context = businessContextOf(
    new Map([
      [
        'onboarding',
        ONBOARDING_STAGES.map((s) => ({ ...s, sla: s.id === STAGE.kickoff ? { expected: 5, unit: 'business-days' as const } : null })),
      ],
    ]),
    new Map([['berlin', { workingWeekdays: [1, 2, 3, 4, 5], holidays: ['2024-06-12'], timeZone: 'Europe/Berlin' }]]),
  );
  // Entered Kickoff on Monday 10 June 2024, 09:00Z; NOW is Saturday 15 June, 12:00Z.
  const entered = new Date('2024-06-10T09:00:00Z');
  const inKickoff = (overrides: Partial<AccountProjection> = {}): AccountProjection =>
    withAttribute(
      'onboarding',
      running(STAGE.kickoff, NOW.getTime() - entered.getTime(), NOW.getTime() - entered.getTime(), {
        transitions: [transition(null, STAGE.kickoff, entered)],
      }),
      overrides,
    );
  const sla = (statuses: string[]) => resolveCriteria({ attribute: 'onboarding', sla: statuses }, onboarding);
  const businessDays = (comparison: object) =>
    resolveCriteria({ attribute: 'onboarding', isOneOf: ['Kickoff'], businessDaysInStage: comparison }, onboarding);

  it('counts the working days of the default calendar: Monday to Friday have ended, 5 days, overdue (B2, B3)', () => {
    expect(matches(businessDays({ eq: 5 }), inKickoff(), NOW, context)).toBe(true);
    expect(matches(sla(['overdue']), inKickoff(), NOW, context)).toBe(true);
    expect(matches(sla(['at-risk', 'on-track']), inKickoff(), NOW, context)).toBe(false);
  });

  it("counts on the account's own calendar: a Wednesday holiday in Berlin leaves 4 days, at risk (B1)", () => {
    const berlin = inKickoff({ calendarKey: 'berlin' });
    expect(matches(businessDays({ eq: 4 }), berlin, NOW, context)).toBe(true);
    expect(matches(businessDays({ gt: 4 }), berlin, NOW, context)).toBe(false);
    expect(matches(sla(['at-risk']), berlin, NOW, context)).toBe(true);
    // An unknown calendar key counts on the default.
    expect(matches(businessDays({ eq: 5 }), inKickoff({ calendarKey: 'gone' }), NOW, context)).toBe(true);
  });

  it('is on track before the at-risk point: on Wednesday evening 2 days have ended', () => {
    const wednesday = new Date('2024-06-12T20:00:00Z');
    expect(matches(sla(['on-track']), inKickoff(), wednesday, context)).toBe(true);
    expect(matches(businessDays({ eq: 2 }), inKickoff(), wednesday, context)).toBe(true);
  });

  it('gives canceled accounts, stages without an SLA and accounts without a value the status none, and no business days (L10, B3)', () => {
    const canceled = inKickoff({ canceled: true });
    expect(matches(sla(['none']), canceled, NOW, context)).toBe(true);
    expect(matches(businessDays({ gte: 0 }), canceled, NOW, context)).toBe(false);
    const configuration = withAttribute(
      'onboarding',
      running(STAGE.configuration, days(1), days(6), {
        transitions: [transition(null, STAGE.kickoff, entered), transition(STAGE.kickoff, STAGE.configuration, ago(days(1)))],
      }),
    );
    expect(matches(sla(['none']), configuration, NOW, context)).toBe(true);
    expect(matches(sla(['none']), account(), NOW, context)).toBe(true);
    expect(matches(sla(['overdue', 'at-risk', 'on-track']), account(), NOW, context)).toBe(false);
  });

  it('matches nothing without the business context (no SLA known, no stages to fold)', () => {
    expect(matches(sla(['overdue']), inKickoff(), NOW)).toBe(false);
    expect(matches(businessDays({ gte: 0 }), inKickoff(), NOW)).toBe(false);
  });
});
