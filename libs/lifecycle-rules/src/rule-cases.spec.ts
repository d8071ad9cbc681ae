import { businessCountersAt } from './business-counters';
import { countersAt } from './counters';
import { daysFromMs } from './days';
import { stateAsOf } from './fold';
import { RULE_CASES, type BusinessOutcome, type RuleCase, type RuleOutcome, type SlaOutcome } from './rule-cases.fixture';
import { stageSlaAt } from './stage-sla';

/** The library's answer to a case: the fold of the history as of the case's instant, read then. */
function outcome(c: RuleCase): RuleOutcome {
  const state = stateAsOf(c.stages, c.history, c.at);
  const counters = countersAt(c.stages, state, c.at, { canceled: c.canceled });
  return {
    stageId: state.stageId,
    cycle: state.cycle,
    completedCycles: state.completedCycles,
    completed: state.completed,
    daysInAttribute: counters.daysInAttribute,
    daysInStage: counters.daysInStage,
    days: Object.fromEntries(counters.stages.map((s) => [s.stageId, s.days])),
    totalDays: Object.fromEntries(counters.stages.map((s) => [s.stageId, s.totalDays])),
    cycleDays: state.cycleRecords.map((record) => daysFromMs(record.ms)),
    ...(c.expected.msInAttribute === undefined ? {} : { msInAttribute: counters.msInAttribute }),
    ...(c.expected.msInStage === undefined ? {} : { msInStage: counters.msInStage }),
  };
}

/** B2 from the library: the business-day clock over the same history. */
function businessOutcome(c: RuleCase): BusinessOutcome {
  const counters = businessCountersAt(c.stages, c.history, c.at, c.calendar, { canceled: c.canceled });
  return {
    businessDaysInAttribute: counters.businessDaysInAttribute,
    businessDaysInStage: counters.businessDaysInStage,
    businessDays: Object.fromEntries(counters.stages.map((s) => [s.stageId, s.businessDays])),
  };
}

/** B3 from the library. */
function slaOutcome(c: RuleCase): SlaOutcome {
  const reading = stageSlaAt(c.stages, c.history, c.at, c.calendar, { canceled: c.canceled });
  return { status: reading.status, entryChangeId: reading.entry?.changeId ?? null, atRiskAt: reading.atRiskAt, dueAt: reading.dueAt };
}

describe('the rule table (L2–L11, B2, B3) against the fold', () => {
  it('has examples of every rule', () => {
    expect(new Set(RULE_CASES.map((c) => c.rule))).toEqual(
      new Set(['L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8', 'L9', 'L10', 'L11', 'B2', 'B3']),
    );
  });

  it.each(RULE_CASES.map((c) => [c.rule, c.name, c] as const))('%s %s', (_rule, _name, c) => {
    expect(outcome(c)).toEqual(c.expected);
    if (c.expectedBusiness) expect(businessOutcome(c)).toEqual(c.expectedBusiness);
    if (c.expectedSla) expect(slaOutcome(c)).toEqual(c.expectedSla);
  });
});
