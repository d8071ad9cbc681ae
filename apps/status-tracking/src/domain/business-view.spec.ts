import { RULE_CASES } from '@lifecycle/rules/rule-cases.fixture';
import { businessView, NO_SLA } from './business-view';
import type { LifecycleDefinition } from './lifecycle-definition';
import { onboardingStatus } from './lifecycle.fixture';

const def = onboardingStatus();

describe('business view (B2, B3) against the rule table', () => {
  // The live view at a case's instant: the case's later entries have not happened yet.
  const cases = RULE_CASES.filter((c) => c.expectedBusiness !== undefined || c.expectedSla !== undefined);

  it('has business-day and SLA cases to run', () => {
    expect(cases.filter((c) => c.expectedBusiness).length).toBeGreaterThan(5);
    expect(cases.filter((c) => c.expectedSla).length).toBeGreaterThan(5);
  });

  it.each(cases.map((c) => [c.rule, c.name, c] as const))('%s %s', (_rule, _name, c) => {
    const caseDef: LifecycleDefinition = { ...def, stages: c.stages };
    const happened = c.history.filter((entry) => entry.at.getTime() <= c.at.getTime());
    const v = businessView(caseDef, happened, c.at, c.calendar, { canceled: c.canceled });
    if (c.expectedBusiness) {
      expect({
        businessDaysInAttribute: v.businessDaysInAttribute,
        businessDaysInStage: v.businessDaysInStage,
        businessDays: Object.fromEntries(v.businessDays),
      }).toEqual(c.expectedBusiness);
    }
    if (c.expectedSla) {
      expect({ status: v.sla.status, atRiskAt: v.sla.atRiskAt, dueAt: v.sla.dueAt }).toEqual({
        status: c.expectedSla.status,
        atRiskAt: c.expectedSla.atRiskAt,
        dueAt: c.expectedSla.dueAt,
      });
      if (c.expectedSla.status === 'none') expect(v.sla).toEqual(NO_SLA);
    }
  });
});
