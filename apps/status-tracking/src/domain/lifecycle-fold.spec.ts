import type { LifecycleDefinition } from './lifecycle-definition';
import { CONFIGURATION, GO_LIVE, IMPLEMENTATION, KICKOFF, day, history, ms, onboardingStatus, stage } from './lifecycle.fixture';
import type { LifecycleView } from './lifecycle-fold';
import {
  MS_PER_DAY,
  applyChange,
  daysFromMs,
  diffTransitions,
  droppedTransitions,
  fold,
  initialLifecycleState,
  replay,
  view,
} from './lifecycle-fold';
import type { StatusChange } from './status-change';

const def = onboardingStatus();
const running = { canceled: false };

/** Stage name → days, in stage order. */
function days(v: LifecycleView): Record<string, number | null> {
  return Object.fromEntries(v.stages.map((s) => [s.name, s.days]));
}

function totalDays(v: LifecycleView): Record<string, number | null> {
  return Object.fromEntries(v.stages.map((s) => [s.name, s.totalDays]));
}

describe('lifecycle fold', () => {
  describe('before any value', () => {
    it('shows no stage, cycle 0 and zero stage counters', () => {
      const v = fold(def, [], day(5), running);
      expect(v).toEqual({
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
  });

  describe('L2 start', () => {
    it('starts cycle 1 with the first value and counts from its timestamp', () => {
      const h = history().set(KICKOFF, day(0)).build();
      const { state, transitions } = replay(def, h);
      const v = view(def, state, day(3, 12), running);

      expect(v.stage).toEqual({ id: KICKOFF, name: 'Kickoff' });
      expect(v.cycle).toBe(1);
      expect(v.cycleStartedAt).toEqual(day(0));
      expect(v.stageEnteredAt).toEqual(day(0));
      expect(v.daysInAttribute).toBe(3);
      expect(v.msInAttribute).toBe(ms(3, 12));
      expect(days(v)).toEqual({ Kickoff: 3, Configuration: 0, Implementation: 0, 'Go Live': 0 });
      expect(transitions).toEqual([
        {
          changeId: 'c0',
          at: day(0),
          from: null,
          to: KICKOFF,
          cause: 'set',
          cycle: 1,
          msInStageLeft: null,
          completedCycle: null,
        },
      ]);
    });

    it('setting an end stage on an empty value starts a cycle and completes it at once', () => {
      const { state, transitions } = replay(def, history().set(GO_LIVE, day(2)).build());
      expect(state).toMatchObject({
        stageId: GO_LIVE,
        cycle: 1,
        completedCycles: 1,
        completed: true,
        lastCompletedAt: day(2),
      });
      expect(transitions[0]?.completedCycle).toEqual({
        cycle: 1,
        startedAt: day(2),
        completedAt: day(2),
        ms: 0,
        stages: [KICKOFF, CONFIGURATION, IMPLEMENTATION, GO_LIVE].map((stageId) => ({ stageId, ms: 0 })),
      });
      expect(view(def, state, day(9), running).daysInAttribute).toBe(0);
    });
  });

  describe('L3 forward / sideways', () => {
    it('keeps the days of the stage left and runs the target (Kickoff 6, Configuration 4, attribute 10)', () => {
      const h = history().set(KICKOFF, day(0)).set(CONFIGURATION, day(6)).build();
      const { state, transitions } = replay(def, h);
      const v = view(def, state, day(10), running);

      expect(days(v)).toEqual({ Kickoff: 6, Configuration: 4, Implementation: 0, 'Go Live': 0 });
      expect(v.daysInAttribute).toBe(10);
      expect(v.msInAttribute).toBe(864_000_000);
      expect(v.stages[0]).toEqual({
        id: KICKOFF,
        name: 'Kickoff',
        days: 6,
        ms: 518_400_000,
        totalDays: 6,
        totalMs: 518_400_000,
      });
      expect(v.stages[1]).toMatchObject({ days: 4, ms: 345_600_000, totalDays: 4 });
      expect(v.stageEnteredAt).toEqual(day(6));
      expect(transitions[1]).toMatchObject({
        from: KICKOFF,
        to: CONFIGURATION,
        cause: 'set',
        cycle: 1,
        msInStageLeft: ms(6),
      });
    });

    it('resumes a stage revisited by a forward move from what it had in this cycle', () => {
      const h = history()
        .set(KICKOFF, day(0))
        .set(CONFIGURATION, day(2)) // Configuration runs 2 days
        .set(KICKOFF, day(4)) // L4 back to Kickoff (reset), Configuration keeps 2
        .set(CONFIGURATION, day(5)) // L3 forward: Configuration resumes from 2
        .build();
      const v = fold(def, h, day(8), running);
      expect(days(v)).toEqual({ Kickoff: 1, Configuration: 5, Implementation: 0, 'Go Live': 0 });
      expect(totalDays(v)).toEqual({ Kickoff: 3, Configuration: 5, Implementation: 0, 'Go Live': 0 });
      expect(v.daysInAttribute).toBe(8);
    });

    it('treats a stage of the same order as sideways: the target resumes, nothing resets', () => {
      const withTraining: LifecycleDefinition = {
        ...def,
        stages: [...def.stages, stage('stg-training', 'Training', 2)],
      };
      const h = history()
        .set(CONFIGURATION, day(0))
        .set('stg-training', day(3))
        .set(CONFIGURATION, day(4)) // same order: sideways, Configuration resumes from 3
        .build();
      const { transitions, state } = replay(withTraining, h);
      const v = view(withTraining, state, day(6), running);
      expect(transitions.map((t) => t.cause)).toEqual(['set', 'set', 'set']);
      expect(v.stages.find((s) => s.name === 'Configuration')?.days).toBe(5);
      expect(v.stages.find((s) => s.name === 'Training')?.days).toBe(1);
    });
  });

  describe('L4 move back', () => {
    it('resets only the target stage and keeps the days of the stage left', () => {
      const h = history()
        .set(KICKOFF, day(0))
        .set(CONFIGURATION, day(6))
        .set(IMPLEMENTATION, day(8))
        .set(CONFIGURATION, day(10)) // back: Configuration had 2 days, starts again from 0
        .build();
      const { state, transitions } = replay(def, h);
      const v = view(def, state, day(13), running);

      expect(days(v)).toEqual({ Kickoff: 6, Configuration: 3, Implementation: 2, 'Go Live': 0 });
      expect(totalDays(v)).toEqual({ Kickoff: 6, Configuration: 5, Implementation: 2, 'Go Live': 0 });
      expect(v.daysInAttribute).toBe(13);
      expect(v.cycle).toBe(1);
      expect(transitions[3]).toMatchObject({
        from: IMPLEMENTATION,
        to: CONFIGURATION,
        cause: 'moved-back',
        cycle: 1,
        msInStageLeft: ms(2),
      });
    });

    it('resets the target even when the move back is to the very first stage', () => {
      const h = history().set(KICKOFF, day(0)).set(IMPLEMENTATION, day(5)).set(KICKOFF, day(7)).build();
      expect(days(fold(def, h, day(8), running))).toEqual({
        Kickoff: 1,
        Configuration: 0,
        Implementation: 2,
        'Go Live': 0,
      });
    });
  });

  describe('L5 end stage reached', () => {
    const h = history().set(KICKOFF, day(0)).set(CONFIGURATION, day(6)).set(GO_LIVE, day(10)).build();

    it('completes the cycle and freezes every counter while the account sits in the end stage', () => {
      const { state } = replay(def, h);
      for (const now of [day(10), day(30), day(400)]) {
        const v = view(def, state, now, running);
        expect(v.completed).toBe(true);
        expect(v.completedCycles).toBe(1);
        expect(v.lastCompletedAt).toEqual(day(10));
        expect(v.daysInAttribute).toBe(10);
        expect(v.msInAttribute).toBe(ms(10));
        expect(days(v)).toEqual({ Kickoff: 6, Configuration: 4, Implementation: 0, 'Go Live': 0 });
        expect(totalDays(v)).toEqual({ Kickoff: 6, Configuration: 4, Implementation: 0, 'Go Live': 0 });
      }
    });

    it('keeps the completed cycle as a record and emits it with the transition', () => {
      const { state, transitions } = replay(def, h);
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
    it('starts a new cycle with reset counters; totals and the cycle record are kept', () => {
      const h = history().set(KICKOFF, day(0)).set(CONFIGURATION, day(6)).set(GO_LIVE, day(10)).set(IMPLEMENTATION, day(15)).build();
      const { state, transitions } = replay(def, h);
      const v = view(def, state, day(18), running);

      expect(v).toMatchObject({ cycle: 2, completedCycles: 1, completed: false, cycleStartedAt: day(15) });
      expect(v.daysInAttribute).toBe(3);
      expect(days(v)).toEqual({ Kickoff: 0, Configuration: 0, Implementation: 3, 'Go Live': 0 });
      expect(totalDays(v)).toEqual({ Kickoff: 6, Configuration: 4, Implementation: 3, 'Go Live': 0 });
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

    it('completes the second cycle with its own record', () => {
      const h = history().set(KICKOFF, day(0)).set(GO_LIVE, day(10)).set(KICKOFF, day(12)).set(GO_LIVE, day(15)).build();
      const { state } = replay(def, h);
      expect(state.cycleRecords.map((r) => [r.cycle, daysFromMs(r.ms)])).toEqual([
        [1, 10],
        [2, 3],
      ]);
      const v = view(def, state, day(50), running);
      expect(v).toMatchObject({ cycle: 2, completedCycles: 2, lastCompletedAt: day(15), daysInAttribute: 3 });
      expect(v.stages[0]).toMatchObject({ days: 3, totalDays: 13 });
    });

    it('moving between two end stages changes the stage but starts nothing', () => {
      const withChurn: LifecycleDefinition = {
        ...def,
        stages: [...def.stages, stage('stg-churned', 'Churned', 5, { endStage: true })],
      };
      const h = history().set(KICKOFF, day(0)).set(GO_LIVE, day(10)).set('stg-churned', day(12)).build();
      const { state, transitions } = replay(withChurn, h);
      const v = view(withChurn, state, day(20), running);

      expect(v).toMatchObject({
        stage: { id: 'stg-churned', name: 'Churned' },
        cycle: 1,
        completedCycles: 1,
        completed: true,
        lastCompletedAt: day(10),
        stageEnteredAt: day(12),
        daysInAttribute: 10,
      });
      expect(state.cycleRecords).toHaveLength(1);
      expect(transitions[2]).toMatchObject({ cause: 'set', cycle: 1, msInStageLeft: 0, completedCycle: null });
    });
  });

  describe('L7 clearing', () => {
    it('empties the value, resets the running cycle and keeps the totals', () => {
      const h = history().set(KICKOFF, day(0)).set(CONFIGURATION, day(6)).clear(day(8)).build();
      const { state, transitions } = replay(def, h);
      const v = view(def, state, day(20), running);

      expect(v).toMatchObject({
        stage: null,
        cycle: 1,
        completedCycles: 0,
        completed: false,
        cycleStartedAt: null,
        stageEnteredAt: null,
        daysInAttribute: null,
        msInAttribute: null,
      });
      expect(days(v)).toEqual({ Kickoff: 0, Configuration: 0, Implementation: 0, 'Go Live': 0 });
      expect(totalDays(v)).toEqual({ Kickoff: 6, Configuration: 2, Implementation: 0, 'Go Live': 0 });
      expect(transitions[2]).toMatchObject({
        from: CONFIGURATION,
        to: null,
        cause: 'cleared',
        cycle: 1,
        msInStageLeft: ms(2),
        completedCycle: null,
      });
    });

    it('starts a new cycle with the next value, counting from zero', () => {
      const h = history().set(KICKOFF, day(0)).clear(day(8)).set(KICKOFF, day(9)).build();
      const { state, transitions } = replay(def, h);
      const v = view(def, state, day(12), running);
      expect(v).toMatchObject({ cycle: 2, completedCycles: 0, cycleStartedAt: day(9), daysInAttribute: 3 });
      expect(v.stages[0]).toMatchObject({ days: 3, totalDays: 11 });
      expect(transitions[2]).toMatchObject({ from: null, cause: 'set', cycle: 2, msInStageLeft: null });
    });

    it('treats a stage that is no longer in the definition as a clear (the stage removed)', () => {
      const h = history().set(KICKOFF, day(0)).set('stg-removed', day(4)).build();
      const { state, transitions } = replay(def, h);
      expect(state.stageId).toBeNull();
      expect(transitions[1]).toMatchObject({ from: KICKOFF, to: null, cause: 'cleared', msInStageLeft: ms(4) });
      expect(view(def, state, day(9), running).daysInAttribute).toBeNull();
    });

    it('clearing a completed cycle keeps its completion and record', () => {
      const h = history().set(KICKOFF, day(0)).set(GO_LIVE, day(5)).clear(day(7)).build();
      const { state, transitions } = replay(def, h);
      expect(state).toMatchObject({ stageId: null, completed: false, completedCycles: 1, lastCompletedAt: day(5) });
      expect(state.cycleRecords).toHaveLength(1);
      expect(transitions[2]).toMatchObject({ from: GO_LIVE, cause: 'cleared', cycle: 1, msInStageLeft: 0 });
      expect(view(def, state, day(9), running).stages[0]).toMatchObject({ days: 0, totalDays: 5 });
    });
  });

  describe('L8 no-ops', () => {
    it('setting the same stage again changes nothing and emits nothing', () => {
      const once = history().set(KICKOFF, day(0)).build();
      const twice = history().set(KICKOFF, day(0)).set(KICKOFF, day(3)).build();
      const a = replay(def, once);
      const b = replay(def, twice);
      expect(b.transitions).toHaveLength(1);
      expect(b.state).toEqual(a.state);
      expect(days(view(def, b.state, day(5), running)).Kickoff).toBe(5);
    });

    it('clearing an empty value changes nothing and emits nothing', () => {
      const { state, transitions } = replay(def, history().clear(day(1)).build());
      expect(transitions).toEqual([]);
      expect(state).toEqual(initialLifecycleState());
    });

    it('applyChange returns the same state object for a no-op', () => {
      const { state } = replay(def, history().set(KICKOFF, day(0)).build());
      const result = applyChange(def, state, { changeId: 'x', seq: 9, to: KICKOFF, at: day(2) });
      expect(result.transition).toBeNull();
      expect(result.state).toBe(state);
    });
  });

  describe('L9 days and ms', () => {
    it('days are whole days (floor) and the exact milliseconds are exposed', () => {
      const v = fold(def, history().set(KICKOFF, day(0)).build(), day(1, 23), running);
      expect(v.daysInAttribute).toBe(1);
      expect(v.msInAttribute).toBe(ms(1, 23));
      expect(v.stages[0]).toMatchObject({ days: 1, ms: ms(1, 23) });
      expect(daysFromMs(MS_PER_DAY - 1)).toBe(0);
      expect(daysFromMs(MS_PER_DAY)).toBe(1);
    });

    it('never shows negative days when now is before the last change', () => {
      const v = fold(def, history().set(KICKOFF, day(5)).build(), day(2), running);
      expect(v.daysInAttribute).toBe(0);
      expect(v.stages[0]).toMatchObject({ days: 0, ms: 0 });
    });
  });

  describe('L10 canceled accounts', () => {
    const h = history().set(KICKOFF, day(0)).set(CONFIGURATION, day(6)).build();

    it('shows no days or ms but keeps stage and cycle', () => {
      const v = fold(def, h, day(10), { canceled: true });
      expect(v).toMatchObject({
        stage: { id: CONFIGURATION, name: 'Configuration' },
        cycle: 1,
        daysInAttribute: null,
        msInAttribute: null,
      });
      for (const s of v.stages) expect(s).toMatchObject({ days: null, ms: null, totalDays: null, totalMs: null });
    });

    it('un-canceling shows the counters again', () => {
      expect(fold(def, h, day(10), running).daysInAttribute).toBe(10);
    });
  });

  describe('L11 history order and late inserts', () => {
    it('orders by at, then by seq, whatever the input order', () => {
      const h = history().set(KICKOFF, day(0)).set(CONFIGURATION, day(6)).set(IMPLEMENTATION, day(8)).build();
      const reversed = [...h].reverse();
      expect(replay(def, reversed)).toEqual(replay(def, h));
    });

    it('breaks ties of equal at by seq (insertion order)', () => {
      const h: StatusChange[] = [
        { changeId: 'a', seq: 2, to: CONFIGURATION, at: day(3) },
        { changeId: 'b', seq: 1, to: KICKOFF, at: day(3) },
        { changeId: 'z', seq: 0, to: KICKOFF, at: day(0) },
      ];
      const { state, transitions } = replay(def, h);
      expect(state.stageId).toBe(CONFIGURATION);
      // 'b' is a no-op (already in Kickoff); 'a' comes after it and leaves Kickoff after 3 days.
      expect(transitions.map((t) => t.changeId)).toEqual(['z', 'a']);
      expect(transitions[1]?.msInStageLeft).toBe(ms(3));
    });

    it('a late insert equals the replay of the sorted history and re-emits only what changed', () => {
      const before = history().set(KICKOFF, day(0)).set(IMPLEMENTATION, day(10)).build();
      const late: StatusChange = { changeId: 'late', seq: 2, to: CONFIGURATION, at: day(4) };
      const after = [...before, late];

      const old = replay(def, before);
      const recomputed = replay(def, after);
      const sorted = [before[0], late, before[1]].filter((c): c is StatusChange => c !== undefined);
      expect(recomputed).toEqual(replay(def, sorted));

      expect(days(view(def, recomputed.state, day(12), running))).toEqual({
        Kickoff: 4,
        Configuration: 6,
        Implementation: 2,
        'Go Live': 0,
      });
      const changed = diffTransitions(old.transitions, recomputed.transitions);
      expect(changed.map((t) => t.changeId)).toEqual(['late', 'c1']);
      expect(changed[1]).toMatchObject({ from: CONFIGURATION, to: IMPLEMENTATION, msInStageLeft: ms(6) });
      expect(droppedTransitions(old.transitions, recomputed.transitions)).toEqual([]);
    });

    it('reports the transitions a backdated insert turned into no-ops', () => {
      const before = history().set(KICKOFF, day(0)).set(CONFIGURATION, day(10)).build();
      const backdated: StatusChange = { changeId: 'back', seq: 2, to: CONFIGURATION, at: day(5) };
      const old = replay(def, before);
      const recomputed = replay(def, [...before, backdated]);
      expect(diffTransitions(old.transitions, recomputed.transitions).map((t) => t.changeId)).toEqual(['back']);
      expect(droppedTransitions(old.transitions, recomputed.transitions).map((t) => t.changeId)).toEqual(['c1']);
    });

    it('diffTransitions is empty when nothing changed and notices a changed cycle record', () => {
      const h = history().set(KICKOFF, day(0)).set(GO_LIVE, day(6)).build();
      const a = replay(def, h).transitions;
      expect(diffTransitions(a, replay(def, h).transitions)).toEqual([]);
      const withLate = replay(def, [...h, { changeId: 'late', seq: 5, to: CONFIGURATION, at: day(2) }]).transitions;
      expect(diffTransitions(a, withLate).map((t) => t.changeId)).toEqual(['late', 'c1']);
    });

    it('applyChange on top of a replay equals the replay of the longer history', () => {
      const h = history().set(KICKOFF, day(0)).set(CONFIGURATION, day(6)).build();
      const next: StatusChange = { changeId: 'n', seq: 2, to: GO_LIVE, at: day(9) };
      const incremental = applyChange(def, replay(def, h).state, next);
      const full = replay(def, [...h, next]);
      expect(incremental.state).toEqual(full.state);
      expect(incremental.transition).toEqual(full.transitions[2]);
    });
  });
});
