import { replay } from '@lifecycle/rules';
import { RULE_CASES } from '@lifecycle/rules/rule-cases.fixture';
import type { LifecycleDefinition } from './lifecycle-definition';
import { CONFIGURATION, GO_LIVE, IMPLEMENTATION, KICKOFF, day, history, onboardingStatus, stage } from './lifecycle.fixture';
import { fold, view } from './lifecycle-view';

const def = onboardingStatus();
const running = { canceled: false };

describe('lifecycle view (SPEC 5.4)', () => {
  it('before any value shows no stage, cycle 0 and every stage named with zero counters', () => {
    expect(fold(def, [], day(5), running)).toEqual({
      stage: null,
      cycle: 0,
      completedCycles: 0,
      completed: false,
      cycleStartedAt: null,
      stageEnteredAt: null,
      lastCompletedAt: null,
      daysInAttribute: null,
      msInAttribute: null,
      stages: [
        { id: KICKOFF, name: 'Kickoff', days: 0, ms: 0, totalDays: 0, totalMs: 0 },
        { id: CONFIGURATION, name: 'Configuration', days: 0, ms: 0, totalDays: 0, totalMs: 0 },
        { id: IMPLEMENTATION, name: 'Implementation', days: 0, ms: 0, totalDays: 0, totalMs: 0 },
        { id: GO_LIVE, name: 'Go Live', days: 0, ms: 0, totalDays: 0, totalMs: 0 },
      ],
    });
  });

  it('lists the stages in order even when the definition declares them out of order', () => {
    const shuffled: LifecycleDefinition = { ...def, stages: [...def.stages].reverse() };
    expect(fold(shuffled, [], day(0), running).stages.map((s) => s.name)).toEqual([
      'Kickoff',
      'Configuration',
      'Implementation',
      'Go Live',
    ]);
  });

  it('names the current stage and shows the timestamps of the state', () => {
    const v = fold(def, history().set(KICKOFF, day(0)).set(CONFIGURATION, day(6)).build(), day(10), running);
    expect(v).toMatchObject({
      stage: { id: CONFIGURATION, name: 'Configuration' },
      cycleStartedAt: day(0),
      stageEnteredAt: day(6),
      daysInAttribute: 10,
    });
    expect(v.stages[0]).toEqual({ id: KICKOFF, name: 'Kickoff', days: 6, ms: 518_400_000, totalDays: 6, totalMs: 518_400_000 });
  });

  it('a current stage the definition no longer has keeps its id as its name', () => {
    const withExtra: LifecycleDefinition = { ...def, stages: [...def.stages, stage('stg-extra', 'Extra', 5)] };
    const { state } = replay(withExtra.stages, history().set('stg-extra', day(0)).build());
    expect(view(def, state, day(1), running).stage).toEqual({ id: 'stg-extra', name: 'stg-extra' });
  });

  it('L10: a canceled account keeps its named stage and cycle, every counter null', () => {
    const v = fold(def, history().set(KICKOFF, day(0)).set(CONFIGURATION, day(6)).build(), day(10), { canceled: true });
    expect(v).toMatchObject({ stage: { id: CONFIGURATION, name: 'Configuration' }, cycle: 1, daysInAttribute: null, msInAttribute: null });
    for (const s of v.stages) expect(s).toMatchObject({ days: null, ms: null, totalDays: null, totalMs: null });
  });

  // The live view at a case's instant: the case's later entries have not happened yet.
  it.each(RULE_CASES.map((c) => [c.rule, c.name, c] as const))('the rule table: %s %s', (_rule, _name, c) => {
    const caseDef: LifecycleDefinition = { ...def, stages: c.stages };
    const happened = c.history.filter((entry) => entry.at.getTime() <= c.at.getTime());
    const v = fold(caseDef, happened, c.at, { canceled: c.canceled });
    expect({
      stageId: v.stage?.id ?? null,
      cycle: v.cycle,
      completedCycles: v.completedCycles,
      completed: v.completed,
      daysInAttribute: v.daysInAttribute,
      days: Object.fromEntries(v.stages.map((s) => [s.id, s.days])),
      totalDays: Object.fromEntries(v.stages.map((s) => [s.id, s.totalDays])),
    }).toEqual({
      stageId: c.expected.stageId,
      cycle: c.expected.cycle,
      completedCycles: c.expected.completedCycles,
      completed: c.expected.completed,
      daysInAttribute: c.expected.daysInAttribute,
      days: c.expected.days,
      totalDays: c.expected.totalDays,
    });
    if (c.expected.msInAttribute !== undefined) expect(v.msInAttribute).toBe(c.expected.msInAttribute);
    if (c.expected.msInStage !== undefined) expect(v.stages.find((s) => s.id === v.stage?.id)?.ms ?? null).toBe(c.expected.msInStage);
  });
});
