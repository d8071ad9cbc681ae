import fc from 'fast-check';

import type { Counters } from './counters';
import { countersAt, currentCountersAt, frozenClockOf } from './counters';
import { stageMsAtIntervalEnds, traceCycles } from './cycle-trace';
import { MS_PER_DAY } from './days';
import type { LifecycleState, Transition } from './fold';
import { applyChange, replay, replayWithStates, stateAsOf } from './fold';
import type { HistoryEntry } from './history';
import { compareChanges, sortHistory } from './history';
import {
  CHURNED,
  CONFIGURATION,
  GO_LIVE,
  IMPLEMENTATION,
  KICKOFF,
  ONBOARDING_PLUS,
  REMOVED,
  TRAINING,
  day,
  type RuleCaseStage,
} from './rule-cases.fixture';
import { stagesInOrder } from './stages';
import { diffTransitions } from './transition-diff';

// The stages of docs/rules.md's example plus a second end stage (L6 between end stages), a stage sharing an order
// (L3 sideways) and a disabled stage (history may hold it; the fold does not care).
const PAUSED = 'stg-paused';
const stages: readonly RuleCaseStage[] = [...ONBOARDING_PLUS, { id: PAUSED, name: 'Paused', order: 3, endStage: false, disabled: true }];
const NON_END = [KICKOFF, CONFIGURATION, TRAINING, IMPLEMENTATION, PAUSED];

const ORIGIN = day(0).getTime();

const stageRef = fc.constantFrom<string | null>(KICKOFF, CONFIGURATION, TRAINING, IMPLEMENTATION, PAUSED, GO_LIVE, CHURNED, REMOVED, null);
// Coarse offsets (6-hour steps) make equal timestamps common, so seq tie-breaks get exercised.
const offset = fc.oneof(
  fc.integer({ min: 0, max: 240 }).map((steps) => steps * 6 * 3_600_000),
  fc.integer({ min: 0, max: 60 * MS_PER_DAY }),
);
const entries = fc.array(fc.record({ to: stageRef, offset }), { maxLength: 25 });

function toHistory(list: readonly { to: string | null; offset: number }[]): HistoryEntry[] {
  return list.map((e, seq) => ({ changeId: `c${seq}`, seq, to: e.to, at: new Date(ORIGIN + e.offset) }));
}

const historyArb = entries.map(toHistory);

function lastAt(history: readonly HistoryEntry[]): number {
  return history.reduce((max, c) => Math.max(max, c.at.getTime()), ORIGIN);
}

/** A history with a `now` no earlier than its last entry. */
const historyAndNow = fc
  .tuple(historyArb, fc.integer({ min: 0, max: 30 * MS_PER_DAY }))
  .map(([history, after]) => ({ history, now: new Date(lastAt(history) + after) }));

function values(c: Counters): (number | null)[] {
  return [
    c.daysInAttribute,
    c.msInAttribute,
    c.daysInStage,
    c.msInStage,
    ...c.stages.flatMap((s) => [s.days, s.ms, s.totalDays, s.totalMs]),
  ];
}

const read = (state: LifecycleState, at: Date, canceled = false): Counters => countersAt(stages, state, at, { canceled });

describe('lifecycle fold properties', () => {
  it('days and ms are never negative, whatever now is', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: -10 * MS_PER_DAY, max: 100 * MS_PER_DAY }), (history, t) => {
        const v = read(replay(stages, history).state, new Date(ORIGIN + t));
        for (const value of values(v)) expect(value === null || value >= 0).toBe(true);
      }),
    );
  });

  it('days are floor(ms / 86_400_000) everywhere (L9)', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const v = read(replay(stages, history).state, now);
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
        const v = read(replay(stages, history).state, now);
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
        const orderOf = (id: string): number => stages.find((s) => s.id === id)?.order ?? 0;
        const ids = list.map((e) => NON_END[e.stageIndex] ?? KICKOFF).sort((a, b) => orderOf(a) - orderOf(b));
        const offsets = list.map((e) => e.offset).sort((a, b) => a - b);
        return toHistory(ids.map((to, i) => ({ to, offset: offsets[i] ?? 0 })));
      });
    fc.assert(
      fc.property(forward, fc.integer({ min: 0, max: 10 * MS_PER_DAY }), (history, after) => {
        const v = read(replay(stages, history).state, new Date(lastAt(history) + after));
        const sum = v.stages.reduce((acc, s) => acc + (s.ms ?? 0), 0);
        expect(sum).toBe(v.msInAttribute);
      }),
    );
  });

  it('totals are never below the current cycle for any stage', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const { state } = replay(stages, history);
        for (const s of read(state, now).stages) expect(s.totalMs ?? 0).toBeGreaterThanOrEqual(s.ms ?? 0);
        for (const [stageId, ms] of Object.entries(state.stageMs)) {
          expect(state.totalMs[stageId] ?? 0).toBeGreaterThanOrEqual(ms);
        }
      }),
    );
  });

  it('replay is deterministic', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        expect(replay(stages, history)).toEqual(replay(stages, history));
      }),
    );
  });

  it('the input order does not matter: replay sorts by at, then seq (L11)', () => {
    const shuffled = historyArb.chain((history) =>
      fc.tuple(fc.constant(history), fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length })),
    );
    fc.assert(
      fc.property(shuffled, ([history, permuted]) => {
        expect(replay(stages, permuted)).toEqual(replay(stages, sortHistory(history)));
      }),
    );
  });

  it('folding entries as they arrive (applyChange, or a replay for a late one) equals replaying the full history', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        let folded: HistoryEntry[] = [];
        let state: LifecycleState = replay(stages, []).state;
        let emitted: Transition[] = [];
        for (const change of history) {
          const sorted = sortHistory(folded);
          const last = sorted[sorted.length - 1];
          folded = [...folded, change];
          if (last === undefined || compareChanges(change, last) > 0) {
            const next = applyChange(stages, state, change);
            state = next.state;
            if (next.transition) emitted = [...emitted, next.transition];
          } else {
            // L11: a late entry recomputes the fold and re-emits only what changed.
            const recomputed = replay(stages, folded);
            const changed = diffTransitions(emitted, recomputed.transitions);
            expect(changed.every((t) => recomputed.transitions.includes(t))).toBe(true);
            state = recomputed.state;
            emitted = recomputed.transitions;
          }
        }
        const full = replay(stages, history);
        expect(state).toEqual(full.state);
        expect(emitted).toEqual(full.transitions);
      }),
    );
  });

  it('a late insert re-emits its own transition and nothing that sorts before it', () => {
    fc.assert(
      fc.property(historyArb, stageRef, offset, (history, to, lateOffset) => {
        const late: HistoryEntry = { changeId: 'late', seq: history.length, to, at: new Date(ORIGIN + lateOffset) };
        const before = replay(stages, history).transitions;
        const after = replay(stages, [...history, late]);
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
        const { state } = replay(stages, cleared);
        const v = read(state, new Date(now.getTime() + later));
        expect(state.stageId).toBeNull();
        expect(state.completed).toBe(false);
        expect(v.msInAttribute).toBeNull();
        expect(v.daysInAttribute).toBeNull();
        expect([v.msInStage, v.daysInStage]).toEqual([null, null]);
        for (const s of v.stages) expect([s.days, s.ms]).toEqual([0, 0]);
      }),
    );
  });

  it('completedCycles equals the number of cycle records and of completing transitions (L5)', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const { state, transitions } = replay(stages, history);
        expect(state.completedCycles).toBe(state.cycleRecords.length);
        expect(transitions.filter((t) => t.completedCycle !== null).map((t) => t.completedCycle)).toEqual(state.cycleRecords);
        let previousCycle = 0;
        for (const record of state.cycleRecords) {
          expect(record.cycle).toBeGreaterThan(previousCycle);
          previousCycle = record.cycle;
          expect(record.ms).toBe(record.completedAt.getTime() - record.startedAt.getTime());
          expect(record.stages.reduce((acc, s) => acc + s.ms, 0)).toBeLessThanOrEqual(record.ms);
          expect(record.stages.map((s) => s.stageId)).toEqual(stagesInOrder(stages).map((s) => s.id));
        }
      }),
    );
  });

  it('cycle counts every start (L2) and restart (L6) and never goes back', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const { state, transitions } = replay(stages, history);
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
        const { state } = replay(stages, history);
        fc.pre(state.completed);
        expect(read(state, new Date(now.getTime() + later))).toEqual(read(state, now));
      }),
    );
  });

  it('setting the current stage again (or clearing an empty value) changes nothing (L8)', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const before = replay(stages, history);
        const again: HistoryEntry = { changeId: 'again', seq: history.length, to: before.state.stageId, at: now };
        const after = replay(stages, [...history, again]);
        expect(after.state).toEqual(before.state);
        expect(after.transitions).toEqual(before.transitions);
      }),
    );
  });

  it('canceled accounts show no days, for every stage (L10)', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const { state } = replay(stages, history);
        const canceled = read(state, now, true);
        const active = read(state, now);
        expect(values(canceled).every((value) => value === null)).toBe(true);
        expect(canceled.stages.map((s) => s.stageId)).toEqual(active.stages.map((s) => s.stageId));
      }),
    );
  });

  it('the end stages never accumulate time', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const v = read(replay(stages, history).state, now);
        for (const s of v.stages.filter((s) => s.stageId === GO_LIVE || s.stageId === CHURNED)) {
          expect([s.ms, s.totalMs]).toEqual([0, 0]);
        }
      }),
    );
  });

  it('replayWithStates is replay, and the state after each change is the replay of the history up to it', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const withStates = replayWithStates(stages, history);
        const plain = replay(stages, history);
        expect(withStates.state).toEqual(plain.state);
        expect(withStates.transitions).toEqual(plain.transitions);
        const sorted = sortHistory(history);
        sorted.forEach((change, i) => {
          expect(withStates.stateAfter.get(change.changeId)).toEqual(replay(stages, sorted.slice(0, i + 1)).state);
        });
      }),
    );
  });
  it('whole days of the stages of the current cycle never add up to more than the days in the attribute (L9)', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const v = read(replay(stages, history).state, now);
        const sum = v.stages.reduce((acc, s) => acc + (s.days ?? 0), 0);
        expect(sum).toBeLessThanOrEqual(v.daysInAttribute ?? 0);
      }),
    );
  });

  it('as of now equals the live state (L11)', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const live = replay(stages, history).state;
        const asOf = stateAsOf(stages, history, now);
        expect(asOf).toEqual(live);
        expect(read(asOf, now)).toEqual(read(live, now));
      }),
    );
  });

  it('as of a past instant shows what the live state showed at that instant (L11)', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: -MS_PER_DAY, max: 70 * MS_PER_DAY }), (history, t) => {
        const instant = new Date(ORIGIN + t);
        // The live state at `instant`: every entry applied as it arrived, in time order, up to then.
        let live = replay(stages, []).state;
        for (const entry of sortHistory(history)) {
          if (entry.at.getTime() > instant.getTime()) break;
          live = applyChange(stages, live, entry).state;
        }
        expect(read(stateAsOf(stages, history, instant), instant)).toEqual(read(live, instant));
      }),
    );
  });

  it('the cycle trace measures to the same counters and cycle records as the fold', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const { state } = replay(stages, history);
        const traces = traceCycles(stages, history);
        expect(traces.map((t) => t.cycle)).toEqual(Array.from({ length: state.cycle }, (_, i) => i + 1));
        expect(traces.filter((t) => t.end?.kind === 'completed').map((t) => t.cycle)).toEqual(state.cycleRecords.map((r) => r.cycle));

        const lastCounters = (intervals: (typeof traces)[number]['intervals']): Map<string, number> => {
          const ends = stageMsAtIntervalEnds(intervals, now);
          return new Map(intervals.map((interval, i) => [interval.stageId, ends[i] ?? 0]));
        };
        for (const record of state.cycleRecords) {
          const counters = lastCounters(traces[record.cycle - 1]?.intervals ?? []);
          expect(record.stages).toEqual(record.stages.map((s) => ({ stageId: s.stageId, ms: counters.get(s.stageId) ?? 0 })));
        }
        const current = traces[traces.length - 1];
        if (state.stageId !== null && current !== undefined) {
          const counters = lastCounters(current.intervals);
          for (const s of read(state, now).stages) expect(s.ms).toBe(counters.get(s.stageId) ?? 0);
        }
      }),
    );
  });
  it('the frozen clock tells a replica the same counters: frozen values while completed, the time before the open stretch otherwise', () => {
    fc.assert(
      fc.property(historyAndNow, ({ history, now }) => {
        const { state } = replay(stages, history);
        const clock = frozenClockOf(state);
        const v = read(state, now);
        if (state.completed) expect([clock.frozenStageMs, clock.frozenAttributeMs]).toEqual([v.msInStage, v.msInAttribute]);
        else expect([clock.frozenStageMs, clock.frozenAttributeMs]).toEqual([null, null]);
        if (state.stageId !== null && !state.completed && state.stageEnteredAt !== null) {
          expect(clock.stageMsBefore + (now.getTime() - state.stageEnteredAt.getTime())).toBe(v.msInStage);
        }
      }),
    );
  });
  it('currentCountersAt is countersAt without the stage list', () => {
    fc.assert(
      fc.property(historyAndNow, fc.boolean(), ({ history, now }, canceled) => {
        const { state } = replay(stages, history);
        const { stages: _list, ...current } = read(state, now, canceled);
        expect(currentCountersAt(state, now, { canceled })).toEqual(current);
      }),
    );
  });
});
