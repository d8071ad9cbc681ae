import fc from 'fast-check';

import { CodedFold, CycleTraceBuffer, CYCLE_END, StageCodes } from './coded-fold';
import { countersAt, currentCountersAt } from './counters';
import { stageMsAtIntervalEnds, traceCycles, type CycleTrace } from './cycle-trace';
import { daysFromMs, MS_PER_DAY } from './days';
import { stateAsOf } from './fold';
import type { HistoryEntry } from './history';
import {
  CHURNED,
  CONFIGURATION,
  day,
  GO_LIVE,
  IMPLEMENTATION,
  KICKOFF,
  ONBOARDING_PLUS,
  REMOVED,
  RULE_CASES,
  TRAINING,
  type RuleCase,
  type RuleCaseStage,
  type RuleOutcome,
} from './rule-cases.fixture';
import { stagesInOrder } from './stages';

// As fold.properties.spec.ts: the example's stages, a second end stage, a shared order, a disabled stage.
const PAUSED = 'stg-paused';
const stages: readonly RuleCaseStage[] = [...ONBOARDING_PLUS, { id: PAUSED, name: 'Paused', order: 3, endStage: false, disabled: true }];
const ORIGIN = day(0).getTime();

const stageRef = fc.constantFrom<string | null>(KICKOFF, CONFIGURATION, TRAINING, IMPLEMENTATION, PAUSED, GO_LIVE, CHURNED, REMOVED, null);
// Coarse offsets make equal times common (ties broken by position), fine ones cover the rest.
const offset = fc.oneof(
  fc.integer({ min: 0, max: 240 }).map((steps) => steps * 6 * 3_600_000),
  fc.integer({ min: 0, max: 60 * MS_PER_DAY }),
);
const historyArb = fc
  .array(fc.record({ to: stageRef, offset }), { maxLength: 25 })
  .map((list) => list.map((e, seq): HistoryEntry => ({ changeId: `c${seq}`, seq, to: e.to, at: new Date(ORIGIN + e.offset) })));
const untilArb = fc.oneof(
  fc.constant(Number.POSITIVE_INFINITY),
  fc.integer({ min: -MS_PER_DAY, max: 61 * MS_PER_DAY }).map((t) => ORIGIN + t),
);

/** A caller's dictionary of stage ids (code → id), in an order unrelated to the stage list. */
const DICTIONARY: (string | null)[] = [null, REMOVED, GO_LIVE, KICKOFF, PAUSED, CHURNED, TRAINING, IMPLEMENTATION, CONFIGURATION];

interface Coded {
  at: Float64Array;
  to: Uint8Array;
}

/** A history as columns: a few unrelated entries before and after it, as in a pool. */
function coded(history: readonly HistoryEntry[], codeOf: (id: string | null) => number): Coded & { start: number } {
  const at = new Float64Array(history.length + 3).fill(ORIGIN);
  const to = new Uint8Array(history.length + 3).fill(codeOf(KICKOFF));
  history.forEach((entry, i) => {
    at[i + 2] = entry.at.getTime();
    to[i + 2] = codeOf(entry.to);
  });
  return { at, to, start: 2 };
}

const codeOf = (id: string | null): number => {
  const code = DICTIONARY.indexOf(id);
  return code >= 0 ? code : DICTIONARY.length;
};
const codes = new StageCodes(stages, DICTIONARY);
const idOf = (code: number): string | null => DICTIONARY[code] ?? null;

function fold(history: readonly HistoryEntry[], until: number, trace: CycleTraceBuffer | null = null): CodedFold {
  const { at, to, start } = coded(history, codeOf);
  return new CodedFold().run(codes, at, to, start, history.length, until, trace);
}

const msOrNull = (date: Date | null): number | null => (date === null ? null : date.getTime());
const nanToNull = (ms: number): number | null => (Number.isNaN(ms) ? null : ms);

/** A coded trace as `CycleTrace[]`. */
function tracesOf(buffer: CycleTraceBuffer): CycleTrace[] {
  return Array.from({ length: buffer.cycles }, (_, c): CycleTrace => {
    const entered = Array.from({ length: buffer.enteredCount[c]! }, (_, k) => idOf(buffer.entered[buffer.enteredStart[c]! + k]!)!);
    const intervals = Array.from({ length: buffer.intervalCount[c]! }, (_, k) => {
      const i = buffer.intervalStart[c]! + k;
      const to = buffer.intervalTo[i]!;
      return {
        stageId: idOf(buffer.intervalStage[i]!)!,
        from: new Date(buffer.intervalFrom[i]!),
        to: Number.isNaN(to) ? null : new Date(to),
        resets: buffer.intervalResets[i] === 1,
        // `coded` puts entry `seq` at position seq + 2.
        changeId: `c${buffer.intervalEntry[i]! - 2}`,
      };
    });
    const kind = buffer.endKind[c];
    return {
      cycle: c + 1,
      startedAt: new Date(buffer.startedAt[c]!),
      restarted: buffer.restarted[c] === 1,
      entered,
      intervals,
      end:
        kind === CYCLE_END.none ? null : { kind: kind === CYCLE_END.completed ? 'completed' : 'cleared', at: new Date(buffer.endAt[c]!) },
    };
  });
}

describe('the coded fold ≡ the fold', () => {
  it('leaves the state stateAsOf leaves, read the same at any instant (L2–L11)', () => {
    fc.assert(
      fc.property(historyArb, untilArb, fc.integer({ min: 0, max: 90 * MS_PER_DAY }), (history, until, readAfter) => {
        const state = stateAsOf(stages, history, new Date(Number.isFinite(until) ? until : 8.64e15));
        const f = fold(history, until);
        expect({
          stageId: idOf(f.stage),
          cycle: f.cycle,
          completedCycles: f.completedCycles,
          completed: f.completed,
          cycleStartedAt: nanToNull(f.cycleStartedAt),
          cycleEndedAt: nanToNull(f.cycleEndedAt),
          stageEnteredAt: nanToNull(f.stageEnteredAt),
          lastChangedAt: nanToNull(f.lastChangedAt),
          lastCompletedAt: nanToNull(f.lastCompletedAt),
          stageMs: stages.map((s) => f.stageMs[codeOf(s.id)]),
          totalMs: stages.map((s) => f.totalMs[codeOf(s.id)]),
        }).toEqual({
          stageId: state.stageId,
          cycle: state.cycle,
          completedCycles: state.completedCycles,
          completed: state.completed,
          cycleStartedAt: msOrNull(state.cycleStartedAt),
          cycleEndedAt: msOrNull(state.cycleEndedAt),
          stageEnteredAt: msOrNull(state.stageEnteredAt),
          lastChangedAt: msOrNull(state.lastChangedAt),
          lastCompletedAt: msOrNull(state.lastCompletedAt),
          stageMs: stages.map((s) => state.stageMs[s.id] ?? 0),
          totalMs: stages.map((s) => state.totalMs[s.id] ?? 0),
        });
        const at = ORIGIN + readAfter;
        const counters = currentCountersAt(state, new Date(at));
        expect([f.msInStageAt(at), f.msInAttributeAt(at)]).toEqual([counters.msInStage, counters.msInAttribute]);
      }),
      { numRuns: 2_000 },
    );
  });

  it('folds the entries in history order (time, then position), up to `until`', () => {
    fc.assert(
      fc.property(historyArb, untilArb, (history, until) => {
        const f = fold(history, until);
        const expected = history
          .filter((e) => e.at.getTime() <= until)
          .sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq)
          .map((e) => e.seq + 2);
        expect(Array.from(f.order.subarray(0, f.folded))).toEqual(expected);
      }),
    );
  });

  it('traces the cycles traceCycles traces, measured as stageMsAtIntervalEnds measures them', () => {
    const buffer = new CycleTraceBuffer();
    const out = new Float64Array(64);
    const counters = new Float64Array(codes.size);
    fc.assert(
      fc.property(historyArb, untilArb, fc.integer({ min: 0, max: 90 * MS_PER_DAY }), (history, until, measureAfter) => {
        fold(history, until, buffer);
        const folded = history.filter((e) => e.at.getTime() <= until);
        const expected = traceCycles(stages, folded);
        expect(tracesOf(buffer)).toEqual(expected);
        const at = ORIGIN + measureAfter;
        expected.forEach((cycle, c) => {
          buffer.stageMsAtIntervalEnds(c, at, out, counters);
          expect(Array.from(out.subarray(0, cycle.intervals.length))).toEqual(stageMsAtIntervalEnds(cycle.intervals, new Date(at)));
        });
      }),
      { numRuns: 1_000 },
    );
  });

  it('reuses one fold and one trace buffer from history to history', () => {
    const f = new CodedFold();
    const buffer = new CycleTraceBuffer();
    fc.assert(
      fc.property(fc.array(historyArb, { minLength: 2, maxLength: 6 }), (histories) => {
        for (const history of histories) {
          const { at, to, start } = coded(history, codeOf);
          f.run(codes, at, to, start, history.length, Number.POSITIVE_INFINITY, buffer);
          const fresh = fold(history, Number.POSITIVE_INFINITY);
          expect([f.stage, f.cycle, f.completedCycles, f.msInStageAt(ORIGIN + 70 * MS_PER_DAY)]).toEqual([
            fresh.stage,
            fresh.cycle,
            fresh.completedCycles,
            fresh.msInStageAt(ORIGIN + 70 * MS_PER_DAY),
          ]);
          expect(tracesOf(buffer)).toEqual(traceCycles(stages, history));
        }
      }),
    );
  });
});

/** The coded fold's answer to a rule case, in the rule table's terms. */
function codedOutcome(c: RuleCase): RuleOutcome {
  const dictionary: (string | null)[] = [null, ...new Set(c.history.map((e) => e.to).filter((id): id is string => id !== null))];
  const caseCodes = new StageCodes(c.stages, dictionary);
  const code = (id: string | null): number => dictionary.indexOf(id);
  const at = Float64Array.from(c.history, (e) => e.at.getTime());
  const to = Uint8Array.from(c.history, (e) => code(e.to));
  const trace = new CycleTraceBuffer();
  const f = new CodedFold().run(caseCodes, at, to, 0, c.history.length, c.at.getTime(), trace);
  const instant = c.at.getTime();
  const msInStage = c.canceled ? null : f.msInStageAt(instant);
  const msInAttribute = c.canceled ? null : f.msInAttributeAt(instant);
  const perStage = (values: Float64Array): Record<string, number | null> =>
    Object.fromEntries(
      stagesInOrder(c.stages).map((s) => {
        if (c.canceled) return [s.id, null];
        const stageCode = code(s.id);
        const running = stageCode >= 0 && stageCode === f.stage ? (f.msInStageAt(instant) ?? 0) - f.stageMs[stageCode]! : 0;
        return [s.id, daysFromMs((stageCode >= 0 ? values[stageCode]! : 0) + running)];
      }),
    );
  const cycleDays: number[] = [];
  for (let k = 0; k < trace.cycles; k++) {
    if (trace.endKind[k] === CYCLE_END.completed) cycleDays.push(daysFromMs(trace.endAt[k]! - trace.startedAt[k]!));
  }
  return {
    stageId: f.stage === 0 ? null : dictionary[f.stage]!,
    cycle: f.cycle,
    completedCycles: f.completedCycles,
    completed: f.completed,
    daysInAttribute: msInAttribute === null ? null : daysFromMs(msInAttribute),
    daysInStage: msInStage === null ? null : daysFromMs(msInStage),
    days: perStage(f.stageMs),
    totalDays: perStage(f.totalMs),
    cycleDays,
    ...(c.expected.msInAttribute === undefined ? {} : { msInAttribute }),
    ...(c.expected.msInStage === undefined ? {} : { msInStage }),
  };
}

describe('the rule table (L2–L11) against the coded fold', () => {
  it.each(RULE_CASES.map((c) => [c.rule, c.name, c] as const))('%s %s', (_rule, _name, c) => {
    expect(codedOutcome(c)).toEqual(c.expected);
  });

  it('answers as countersAt does for every case (canceled included)', () => {
    for (const c of RULE_CASES) {
      const counters = countersAt(c.stages, stateAsOf(c.stages, c.history, c.at), c.at, { canceled: c.canceled });
      expect(codedOutcome(c).daysInStage).toBe(counters.daysInStage);
    }
  });
});
