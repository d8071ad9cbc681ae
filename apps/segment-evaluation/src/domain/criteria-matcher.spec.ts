import type { AccountProjection } from './account-projection';
import { attributeOf, msInAttribute, msInStage } from './account-projection';
import { matches } from './criteria-matcher';
import { resolveCriteria } from './criteria-validation';
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
