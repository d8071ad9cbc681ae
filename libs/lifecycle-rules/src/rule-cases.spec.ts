import { countersAt } from './counters';
import { daysFromMs } from './days';
import { stateAsOf } from './fold';
import { RULE_CASES, type RuleCase, type RuleOutcome } from './rule-cases.fixture';

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

describe('the rule table (L2–L11) against the fold', () => {
  it('has examples of every rule', () => {
    expect(new Set(RULE_CASES.map((c) => c.rule))).toEqual(new Set(['L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8', 'L9', 'L10', 'L11']));
  });

  it.each(RULE_CASES.map((c) => [c.rule, c.name, c] as const))('%s %s', (_rule, _name, c) => {
    expect(outcome(c)).toEqual(c.expected);
  });
});
