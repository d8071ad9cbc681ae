import { countersAt } from './counters';
import { MS_PER_DAY } from './days';
import { applyChange, initialLifecycleState, replay, stateAsOf } from './fold';
import type { HistoryEntry } from './history';
import { CHURNED, CONFIGURATION, GO_LIVE, IMPLEMENTATION, KICKOFF, ONBOARDING, ONBOARDING_PLUS, day } from './rule-cases.fixture';
import { diffTransitions, droppedTransitions } from './transition-diff';

/**
 * What the fold yields beside the counters the rule table checks: transitions (L15), cycle
 * records (L5), the timestamps of the state, and the L11 re-emission helpers.
 */
const stages = ONBOARDING;
const ms = (days: number, hours = 0): number => days * MS_PER_DAY + hours * 3_600_000;

/** Builds a history in insertion order: seq and changeId follow the steps. */
function history(...steps: [string | null, Date][]): HistoryEntry[] {
  return steps.map(([to, at], seq) => ({ changeId: `c${seq}`, seq, to, at }));
}

describe('fold', () => {
  describe('L2 start', () => {
    it('starts cycle 1 with the first value, from its timestamp, with a transition from nothing', () => {
      const { state, transitions } = replay(stages, history([KICKOFF, day(0)]));
      expect(state).toMatchObject({ stageId: KICKOFF, cycle: 1, cycleStartedAt: day(0), stageEnteredAt: day(0), lastChangedAt: day(0) });
      expect(transitions).toEqual([
        { changeId: 'c0', at: day(0), from: null, to: KICKOFF, cause: 'set', cycle: 1, msInStageLeft: null, completedCycle: null },
      ]);
    });

    it('setting an end stage on an empty value completes the new cycle at once, with a zero-length record', () => {
      const { state, transitions } = replay(stages, history([GO_LIVE, day(2)]));
      expect(state).toMatchObject({ stageId: GO_LIVE, cycle: 1, completedCycles: 1, completed: true, lastCompletedAt: day(2) });
      expect(transitions[0]?.completedCycle).toEqual({
        cycle: 1,
        startedAt: day(2),
        completedAt: day(2),
        ms: 0,
        stages: [KICKOFF, CONFIGURATION, IMPLEMENTATION, GO_LIVE].map((stageId) => ({ stageId, ms: 0 })),
      });
    });
  });

  describe('L3 forward / sideways', () => {
    it('reports the time of the stage left and counts it exactly in ms', () => {
      const { state, transitions } = replay(stages, history([KICKOFF, day(0)], [CONFIGURATION, day(6)]));
      const counters = countersAt(stages, state, day(10));
      expect(counters.stages[0]).toEqual({ stageId: KICKOFF, days: 6, ms: 518_400_000, totalDays: 6, totalMs: 518_400_000 });
      expect(counters.stages[1]).toMatchObject({ days: 4, ms: 345_600_000, totalDays: 4 });
      expect(counters.msInAttribute).toBe(864_000_000);
      expect(state.stageEnteredAt).toEqual(day(6));
      expect(transitions[1]).toMatchObject({ from: KICKOFF, to: CONFIGURATION, cause: 'set', cycle: 1, msInStageLeft: ms(6) });
    });

    it('a sideways move (same order) is a plain set, in both directions', () => {
      const { transitions } = replay(ONBOARDING_PLUS, history([CONFIGURATION, day(0)], ['stg-training', day(3)], [CONFIGURATION, day(4)]));
      expect(transitions.map((t) => t.cause)).toEqual(['set', 'set', 'set']);
    });
  });

  describe('L4 move back', () => {
    it('is a moved-back transition that reports the time of the stage left', () => {
      const h = history([KICKOFF, day(0)], [CONFIGURATION, day(6)], [IMPLEMENTATION, day(8)], [CONFIGURATION, day(10)]);
      const { state, transitions } = replay(stages, h);
      expect(state.cycle).toBe(1);
      expect(transitions[3]).toMatchObject({
        from: IMPLEMENTATION,
        to: CONFIGURATION,
        cause: 'moved-back',
        cycle: 1,
        msInStageLeft: ms(2),
      });
    });
  });

  describe('L5 end stage reached', () => {
    const h = history([KICKOFF, day(0)], [CONFIGURATION, day(6)], [GO_LIVE, day(10)]);

    it('freezes every counter while the account sits in the end stage', () => {
      const { state } = replay(stages, h);
      const at10 = countersAt(stages, state, day(10));
      for (const now of [day(30), day(400)]) expect(countersAt(stages, state, now)).toEqual(at10);
      expect(state).toMatchObject({ completed: true, completedCycles: 1, lastCompletedAt: day(10), cycleEndedAt: day(10) });
      expect(at10.msInAttribute).toBe(ms(10));
    });

    it('keeps the completed cycle as a record and carries it on the transition', () => {
      const { state, transitions } = replay(stages, h);
      const record = {
        cycle: 1,
        startedAt: day(0),
        completedAt: day(10),
        ms: ms(10),
        stages: [
          { stageId: KICKOFF, ms: ms(6) },
          { stageId: CONFIGURATION, ms: ms(4) },
          { stageId: IMPLEMENTATION, ms: 0 },
          { stageId: GO_LIVE, ms: 0 },
        ],
      };
      expect(state.cycleRecords).toEqual([record]);
      expect(transitions[2]).toEqual({
        changeId: 'c2',
        at: day(10),
        from: CONFIGURATION,
        to: GO_LIVE,
        cause: 'set',
        cycle: 1,
        msInStageLeft: ms(4),
        completedCycle: record,
      });
    });
  });

  describe('L6 leaving an end stage', () => {
    it('is a cycle-restarted transition of the new cycle; the end stage left reports 0', () => {
      const h = history([KICKOFF, day(0)], [CONFIGURATION, day(6)], [GO_LIVE, day(10)], [IMPLEMENTATION, day(15)]);
      const { state, transitions } = replay(stages, h);
      expect(state).toMatchObject({ cycle: 2, completedCycles: 1, completed: false, cycleStartedAt: day(15) });
      expect(state.cycleRecords).toHaveLength(1);
      expect(transitions[3]).toMatchObject({
        from: GO_LIVE,
        to: IMPLEMENTATION,
        cause: 'cycle-restarted',
        cycle: 2,
        msInStageLeft: 0,
        completedCycle: null,
      });
    });

    it('the second completion moves lastCompletedAt on', () => {
      const { state } = replay(stages, history([KICKOFF, day(0)], [GO_LIVE, day(10)], [KICKOFF, day(12)], [GO_LIVE, day(15)]));
      expect(state).toMatchObject({ cycle: 2, completedCycles: 2, lastCompletedAt: day(15) });
      expect(state.cycleRecords.map((r) => [r.cycle, r.ms])).toEqual([
        [1, ms(10)],
        [2, ms(3)],
      ]);
    });

    it('moving between two end stages yields a plain set and no record', () => {
      const { state, transitions } = replay(ONBOARDING_PLUS, history([KICKOFF, day(0)], [GO_LIVE, day(10)], [CHURNED, day(12)]));
      expect(state).toMatchObject({ stageId: CHURNED, cycle: 1, completed: true, lastCompletedAt: day(10), stageEnteredAt: day(12) });
      expect(state.cycleRecords).toHaveLength(1);
      expect(transitions[2]).toMatchObject({ cause: 'set', cycle: 1, msInStageLeft: 0, completedCycle: null });
    });
  });

  describe('L7 clearing', () => {
    it('is a cleared transition of the ending cycle; the cycle start and stage entry are gone', () => {
      const { state, transitions } = replay(stages, history([KICKOFF, day(0)], [CONFIGURATION, day(6)], [null, day(8)]));
      expect(state).toMatchObject({ stageId: null, cycle: 1, completed: false, cycleStartedAt: null, stageEnteredAt: null });
      expect(state.stageMs).toEqual({});
      expect(transitions[2]).toMatchObject({
        from: CONFIGURATION,
        to: null,
        cause: 'cleared',
        cycle: 1,
        msInStageLeft: ms(2),
        completedCycle: null,
      });
    });

    it('the next value is a set from nothing in the next cycle', () => {
      const { state, transitions } = replay(stages, history([KICKOFF, day(0)], [null, day(8)], [KICKOFF, day(9)]));
      expect(state.cycleStartedAt).toEqual(day(9));
      expect(transitions[2]).toMatchObject({ from: null, cause: 'set', cycle: 2, msInStageLeft: null });
    });

    it('a stage no longer in the list is a cleared transition', () => {
      const { transitions } = replay(stages, history([KICKOFF, day(0)], ['stg-removed', day(4)]));
      expect(transitions[1]).toMatchObject({ from: KICKOFF, to: null, cause: 'cleared', msInStageLeft: ms(4) });
    });

    it('clearing a completed cycle keeps its completion and record', () => {
      const { state, transitions } = replay(stages, history([KICKOFF, day(0)], [GO_LIVE, day(5)], [null, day(7)]));
      expect(state).toMatchObject({ stageId: null, completed: false, completedCycles: 1, lastCompletedAt: day(5) });
      expect(state.cycleRecords).toHaveLength(1);
      expect(transitions[2]).toMatchObject({ from: GO_LIVE, cause: 'cleared', cycle: 1, msInStageLeft: 0 });
    });
  });

  describe('L8 no-ops', () => {
    it('setting the same stage again changes nothing and yields nothing', () => {
      const a = replay(stages, history([KICKOFF, day(0)]));
      const b = replay(stages, history([KICKOFF, day(0)], [KICKOFF, day(3)]));
      expect(b.transitions).toHaveLength(1);
      expect(b.state).toEqual(a.state);
    });

    it('clearing an empty value changes nothing and yields nothing', () => {
      const { state, transitions } = replay(stages, history([null, day(1)]));
      expect(transitions).toEqual([]);
      expect(state).toEqual(initialLifecycleState());
    });

    it('applyChange returns the same state object for a no-op', () => {
      const { state } = replay(stages, history([KICKOFF, day(0)]));
      const result = applyChange(stages, state, { changeId: 'x', seq: 9, to: KICKOFF, at: day(2) });
      expect(result.transition).toBeNull();
      expect(result.state).toBe(state);
    });
  });

  describe('L9 reading the counters before the last change', () => {
    it('never shows negative days when the instant is before the last change', () => {
      const counters = countersAt(stages, replay(stages, history([KICKOFF, day(5)])).state, day(2));
      expect(counters.daysInAttribute).toBe(0);
      expect(counters.stages[0]).toMatchObject({ days: 0, ms: 0 });
    });

    it('as of an instant folds only what happened by then', () => {
      const h = history([KICKOFF, day(0)], [CONFIGURATION, day(6)]);
      expect(stateAsOf(stages, h, day(6))).toEqual(replay(stages, h).state);
      expect(stateAsOf(stages, h, new Date(day(6).getTime() - 1))).toEqual(replay(stages, h.slice(0, 1)).state);
    });
  });

  describe('L11 history order and late inserts', () => {
    it('orders by at, then by seq, whatever the input order', () => {
      const h = history([KICKOFF, day(0)], [CONFIGURATION, day(6)], [IMPLEMENTATION, day(8)]);
      expect(replay(stages, [...h].reverse())).toEqual(replay(stages, h));
    });

    it('breaks ties of equal at by seq (insertion order)', () => {
      const h: HistoryEntry[] = [
        { changeId: 'a', seq: 2, to: CONFIGURATION, at: day(3) },
        { changeId: 'b', seq: 1, to: KICKOFF, at: day(3) },
        { changeId: 'z', seq: 0, to: KICKOFF, at: day(0) },
      ];
      const { state, transitions } = replay(stages, h);
      expect(state.stageId).toBe(CONFIGURATION);
      // 'b' is a no-op (already in Kickoff); 'a' comes after it and leaves Kickoff after 3 days.
      expect(transitions.map((t) => t.changeId)).toEqual(['z', 'a']);
      expect(transitions[1]?.msInStageLeft).toBe(ms(3));
    });

    it('a late insert equals the replay of the sorted history and re-emits only what changed', () => {
      const before = history([KICKOFF, day(0)], [IMPLEMENTATION, day(10)]);
      const late: HistoryEntry = { changeId: 'late', seq: 2, to: CONFIGURATION, at: day(4) };
      const old = replay(stages, before);
      const recomputed = replay(stages, [...before, late]);
      const sorted = [before[0], late, before[1]].filter((c): c is HistoryEntry => c !== undefined);
      expect(recomputed).toEqual(replay(stages, sorted));

      const changed = diffTransitions(old.transitions, recomputed.transitions);
      expect(changed.map((t) => t.changeId)).toEqual(['late', 'c1']);
      expect(changed[1]).toMatchObject({ from: CONFIGURATION, to: IMPLEMENTATION, msInStageLeft: ms(6) });
      expect(droppedTransitions(old.transitions, recomputed.transitions)).toEqual([]);
    });

    it('reports the transitions a backdated insert turned into no-ops', () => {
      const before = history([KICKOFF, day(0)], [CONFIGURATION, day(10)]);
      const backdated: HistoryEntry = { changeId: 'back', seq: 2, to: CONFIGURATION, at: day(5) };
      const old = replay(stages, before);
      const recomputed = replay(stages, [...before, backdated]);
      expect(diffTransitions(old.transitions, recomputed.transitions).map((t) => t.changeId)).toEqual(['back']);
      expect(droppedTransitions(old.transitions, recomputed.transitions).map((t) => t.changeId)).toEqual(['c1']);
    });

    it('diffTransitions is empty when nothing changed and notices a changed cycle record', () => {
      const h = history([KICKOFF, day(0)], [GO_LIVE, day(6)]);
      const a = replay(stages, h).transitions;
      expect(diffTransitions(a, replay(stages, h).transitions)).toEqual([]);
      const withLate = replay(stages, [...h, { changeId: 'late', seq: 5, to: CONFIGURATION, at: day(2) }]).transitions;
      expect(diffTransitions(a, withLate).map((t) => t.changeId)).toEqual(['late', 'c1']);
    });

    it('applyChange on top of a replay equals the replay of the longer history', () => {
      const h = history([KICKOFF, day(0)], [CONFIGURATION, day(6)]);
      const next: HistoryEntry = { changeId: 'n', seq: 2, to: GO_LIVE, at: day(9) };
      const incremental = applyChange(stages, replay(stages, h).state, next);
      const full = replay(stages, [...h, next]);
      expect(incremental.state).toEqual(full.state);
      expect(incremental.transition).toEqual(full.transitions[2]);
    });
  });
});
