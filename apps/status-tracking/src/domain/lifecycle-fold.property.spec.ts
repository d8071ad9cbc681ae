import fc from 'fast-check';

import type { LifecycleDefinition } from './lifecycle-definition';
import { CONFIGURATION, GO_LIVE, IMPLEMENTATION, KICKOFF, day, onboardingStatus, stage } from './lifecycle.fixture';
import type { LifecycleState, LifecycleView, Transition } from './lifecycle-fold';
import { MS_PER_DAY, applyChange, diffTransitions, replay, replayWithStates, view } from './lifecycle-fold';
import type { StatusChange } from './status-change';
import { compareChanges, sortHistory } from './status-change';

// The seed's stages plus a second end stage (L6 between end stages), a stage sharing an order
// (L3 sideways) and a disabled stage (history may hold it; the fold does not care).
const TRAINING = 'stg-training';
const CHURNED = 'stg-churned';
const PAUSED = 'stg-paused';
const REMOVED = 'stg-removed'; // in history, no longer in the definition (L7)
const base = onboardingStatus();
const def: LifecycleDefinition = {
  ...base,
  stages: [
    ...base.stages,
    stage(TRAINING, 'Training', 2),
    stage(CHURNED, 'Churned', 5, { endStage: true }),
    stage(PAUSED, 'Paused', 3, { disabled: true }),
  ],
};
const NON_END = [KICKOFF, CONFIGURATION, TRAINING, IMPLEMENTATION, PAUSED];

const ORIGIN = day(0).getTime();
const running = { canceled: false };

const stageRef = fc.constantFrom<string | null>(KICKOFF, CONFIGURATION, TRAINING, IMPLEMENTATION, PAUSED, GO_LIVE, CHURNED, REMOVED, null);
// Coarse offsets (6-hour steps) make equal timestamps common, so seq tie-breaks get exercised.
const offset = fc.oneof(
  fc.integer({ min: 0, max: 240 }).map((steps) => steps * 6 * 3_600_000),
  fc.integer({ min: 0, max: 60 * MS_PER_DAY }),
);
const entries = fc.array(fc.record({ to: stageRef, offset }), { maxLength: 25 });

function toHistory(list: readonly { to: string | null; offset: number }[]): StatusChange[] {
  return list.map((e, seq) => ({ changeId: `c${seq}`, seq, to: e.to, at: new Date(ORIGIN + e.offset) }));
}

const historyArb = entries.map(toHistory);

function lastAt(history: readonly StatusChange[]): number {
  return history.reduce((max, c) => Math.max(max, c.at.getTime()), ORIGIN);
}

/** A history with a `now` no earlier than its last entry. */
const historyAndNow = fc
  .tuple(historyArb, fc.integer({ min: 0, max: 30 * MS_PER_DAY }))
  .map(([history, after]) => ({ history, now: new Date(lastAt(history) + after) }));

function counters(v: LifecycleView): (number | null)[] {
  return [v.daysInAttribute, v.msInAttribute, ...v.stages.flatMap((s) => [s.days, s.ms, s.totalDays, s.totalMs])];
}

describe('lifecycle fold properties', () => {
  it('days and ms are never negative, whatever now is', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: -10 * MS_PER_DAY, max: 100 * MS_PER_DAY }), (history, t) => {
        const v = view(def, replay(def, history).state, new Date(ORIGIN + t), running);
        for (const value of counters(v)) expect(value === null || value >= 0).toBe(true);
      }),
    );
  });

  it('days are floor(ms / 86_400_000) everywhere (L9)', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const v = view(def, replay(def, history).state, now, running);
        expect(v.daysInAttribute).toBe(v.msInAttribute === null ? null : Math.floor(v.msInAttribute / MS_PER_DAY));
        for (const s of v.stages) {
          expect(s.days).toBe(Math.floor((s.ms ?? NaN) / MS_PER_DAY));
          expect(s.totalDays).toBe(Math.floor((s.totalMs ?? NaN) / MS_PER_DAY));
        }
      }),
    );
  });

  it('the stages of the current cycle never add up to more than the attribute', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const v = view(def, replay(def, history).state, now, running);
        const sum = v.stages.reduce((acc, s) => acc + (s.ms ?? 0), 0);
        expect(sum).toBeLessThanOrEqual(v.msInAttribute ?? 0);
      }),
    );
  });

  it('without moves back, clears or end stages, the stages add up exactly to the attribute (L3)', () => {
    const forward = fc
      .array(fc.record({ stageIndex: fc.integer({ min: 0, max: NON_END.length - 1 }), offset }), {
        minLength: 1,
        maxLength: 20,
      })
      .map((list) => {
        const orderOf = (id: string): number => def.stages.find((s) => s.id === id)?.order ?? 0;
        const ids = list.map((e) => NON_END[e.stageIndex] ?? KICKOFF).sort((a, b) => orderOf(a) - orderOf(b));
        const offsets = list.map((e) => e.offset).sort((a, b) => a - b);
        return toHistory(ids.map((to, i) => ({ to, offset: offsets[i] ?? 0 })));
      });
    fc.assert(
      fc.property(forward, fc.integer({ min: 0, max: 10 * MS_PER_DAY }), (history, after) => {
        const v = view(def, replay(def, history).state, new Date(lastAt(history) + after), running);
        const sum = v.stages.reduce((acc, s) => acc + (s.ms ?? 0), 0);
        expect(sum).toBe(v.msInAttribute);
      }),
    );
  });

  it('totals are never below the current cycle for any stage', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const { state } = replay(def, history);
        for (const s of view(def, state, now, running).stages) expect(s.totalMs ?? 0).toBeGreaterThanOrEqual(s.ms ?? 0);
        for (const [stageId, ms] of Object.entries(state.stageMs)) {
          expect(state.totalMs[stageId] ?? 0).toBeGreaterThanOrEqual(ms);
        }
      }),
    );
  });

  it('replay is deterministic', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        expect(replay(def, history)).toEqual(replay(def, history));
      }),
    );
  });

  it('the input order does not matter: replay sorts by at, then seq (L11)', () => {
    const shuffled = historyArb.chain((history) =>
      fc.tuple(fc.constant(history), fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length })),
    );
    fc.assert(
      fc.property(shuffled, ([history, permuted]) => {
        expect(replay(def, permuted)).toEqual(replay(def, sortHistory(history)));
      }),
    );
  });

  it('folding entries as they arrive (applyChange, or a replay for a late one) equals replaying the full history', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        let folded: StatusChange[] = [];
        let state: LifecycleState = replay(def, []).state;
        let emitted: Transition[] = [];
        for (const change of history) {
          const sorted = sortHistory(folded);
          const last = sorted[sorted.length - 1];
          folded = [...folded, change];
          if (last === undefined || compareChanges(change, last) > 0) {
            const next = applyChange(def, state, change);
            state = next.state;
            if (next.transition) emitted = [...emitted, next.transition];
          } else {
            // L11: a late entry recomputes the fold and re-emits only what changed.
            const recomputed = replay(def, folded);
            const changed = diffTransitions(emitted, recomputed.transitions);
            expect(changed.every((t) => recomputed.transitions.includes(t))).toBe(true);
            state = recomputed.state;
            emitted = recomputed.transitions;
          }
        }
        const full = replay(def, history);
        expect(state).toEqual(full.state);
        expect(emitted).toEqual(full.transitions);
      }),
    );
  });

  it('a late insert re-emits its own transition and nothing that sorts before it', () => {
    fc.assert(
      fc.property(historyArb, stageRef, offset, (history, to, lateOffset) => {
        const late: StatusChange = { changeId: 'late', seq: history.length, to, at: new Date(ORIGIN + lateOffset) };
        const before = replay(def, history).transitions;
        const after = replay(def, [...history, late]);
        const changed = diffTransitions(before, after.transitions);

        const lateTransition = after.transitions.find((t) => t.changeId === 'late');
        if (lateTransition) expect(changed).toContain(lateTransition);
        const earlier = new Set(history.filter((c) => compareChanges(c, late) < 0).map((c) => c.changeId));
        expect(changed.filter((t) => earlier.has(t.changeId))).toEqual([]);
        // Everything not re-emitted is exactly what was emitted before.
        for (const t of after.transitions) {
          if (!changed.includes(t)) expect(before).toContainEqual(t);
        }
      }),
    );
  });

  it('after a clear, every counter of the current cycle is zero and no attribute clock runs (L7)', () => {
    fc.assert(
      fc.property(historyAndNow, fc.integer({ min: 0, max: 5 * MS_PER_DAY }), ({ history, now }, later) => {
        const cleared = [...history, { changeId: 'clear', seq: history.length, to: null, at: now }];
        const v = view(def, replay(def, cleared).state, new Date(now.getTime() + later), running);
        expect(v.stage).toBeNull();
        expect(v.completed).toBe(false);
        expect(v.msInAttribute).toBeNull();
        expect(v.daysInAttribute).toBeNull();
        for (const s of v.stages) expect([s.days, s.ms]).toEqual([0, 0]);
      }),
    );
  });

  it('completedCycles equals the number of cycle records and of completing transitions (L5)', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const { state, transitions } = replay(def, history);
        expect(state.completedCycles).toBe(state.cycleRecords.length);
        expect(transitions.filter((t) => t.completedCycle !== null).map((t) => t.completedCycle)).toEqual(state.cycleRecords);
        let previousCycle = 0;
        for (const record of state.cycleRecords) {
          expect(record.cycle).toBeGreaterThan(previousCycle);
          previousCycle = record.cycle;
          expect(record.ms).toBe(record.completedAt.getTime() - record.startedAt.getTime());
          expect(record.stages.reduce((acc, s) => acc + s.ms, 0)).toBeLessThanOrEqual(record.ms);
          expect(record.stages.map((s) => s.stageId)).toEqual([...def.stages].sort((a, b) => a.order - b.order).map((s) => s.id));
        }
      }),
    );
  });

  it('cycle counts every start (L2) and restart (L6) and never goes back', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const { state, transitions } = replay(def, history);
        const starts = transitions.filter((t) => (t.from === null && t.to !== null) || t.cause === 'cycle-restarted');
        expect(state.cycle).toBe(starts.length);
        const cycles = transitions.map((t) => t.cycle);
        expect(cycles).toEqual([...cycles].sort((a, b) => a - b));
      }),
    );
  });

  it('counters stay frozen while the account sits in an end stage (L5)', () => {
    fc.assert(
      fc.property(historyAndNow, fc.integer({ min: 1, max: 100 * MS_PER_DAY }), ({ history, now }, later) => {
        const { state } = replay(def, history);
        fc.pre(state.completed);
        expect(view(def, state, new Date(now.getTime() + later), running)).toEqual(view(def, state, now, running));
      }),
    );
  });

  it('setting the current stage again (or clearing an empty value) changes nothing (L8)', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const before = replay(def, history);
        const again: StatusChange = { changeId: 'again', seq: history.length, to: before.state.stageId, at: now };
        const after = replay(def, [...history, again]);
        expect(after.state).toEqual(before.state);
        expect(after.transitions).toEqual(before.transitions);
      }),
    );
  });

  it('canceled accounts show no days but the same stage and cycle (L10)', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const { state } = replay(def, history);
        const canceled = view(def, state, now, { canceled: true });
        const active = view(def, state, now, running);
        expect(counters(canceled).every((value) => value === null)).toBe(true);
        expect({ ...canceled, stages: [], daysInAttribute: 0, msInAttribute: 0 }).toEqual({
          ...active,
          stages: [],
          daysInAttribute: 0,
          msInAttribute: 0,
        });
        expect(canceled.stages.map((s) => s.id)).toEqual(active.stages.map((s) => s.id));
      }),
    );
  });

  it('the end stages never accumulate time', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const v = view(def, replay(def, history).state, now, running);
        for (const s of v.stages.filter((s) => s.id === GO_LIVE || s.id === CHURNED)) {
          expect([s.ms, s.totalMs]).toEqual([0, 0]);
        }
      }),
    );
  });

  it('replayWithStates is replay, and the state after each change is the replay of the history up to it', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const withStates = replayWithStates(def, history);
        const plain = replay(def, history);
        expect(withStates.state).toEqual(plain.state);
        expect(withStates.transitions).toEqual(plain.transitions);
        const sorted = sortHistory(history);
        sorted.forEach((change, i) => {
          expect(withStates.stateAfter.get(change.changeId)).toEqual(replay(def, sorted.slice(0, i + 1)).state);
        });
      }),
    );
  });
});
