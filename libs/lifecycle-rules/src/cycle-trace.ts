import type { Measure } from './clock';
import { calendarMs } from './clock';
import type { HistoryEntry } from './history';
import { replay } from './fold';
import type { LifecycleStage } from './stages';

/** A stretch of time one stage's clock ran in one cycle (L3/L4). */
export interface StageInterval {
  stageId: string;
  from: Date;
  /** null = still running at the end of the history. */
  to: Date | null;
  /** Entered by a move back: the stage's counter restarts from zero here (L4). */
  resets: boolean;
  /** The history entry that entered the stage: what identifies this stage entry (B4). */
  changeId: string;
}

/** One cycle as the rules lived it: when and how it started and ended, and where its clocks ran. */
export interface CycleTrace {
  cycle: number;
  startedAt: Date;
  /** Started by leaving an end stage (L6), not by a value on an empty attribute (L2). */
  restarted: boolean;
  /** The stages entered, in order: the first, every move, and the end stage that completed it (L5). */
  entered: string[];
  /** Every stretch a stage's clock ran, in order; no clock runs in an end stage (L5). */
  intervals: StageInterval[];
  /** Completed (L5), cleared while running (L7), or null while the cycle runs. */
  end: { kind: 'completed' | 'cleared'; at: Date } | null;
}

/**
 * The cycles of a history (L11: sorted by `at`, then `seq`), from the same moves as `replay`.
 * Every figure of a cycle follows from its intervals and a clock, so a clock other than the
 * calendar measures the same stretches under the same rules.
 */
export function traceCycles(stages: readonly LifecycleStage[], history: readonly HistoryEntry[]): CycleTrace[] {
  const traces: CycleTrace[] = [];
  const closeOpen = (trace: CycleTrace | undefined, at: Date): void => {
    const open = trace?.intervals[trace.intervals.length - 1];
    if (open !== undefined && open.to === null) open.to = at;
  };
  replay(stages, history, (move, after) => {
    const at = move.entry.at;
    const current = traces[traces.length - 1];
    switch (move.kind) {
      case 'start':
      case 'restart':
        traces.push({
          cycle: after.cycle,
          startedAt: at,
          restarted: move.kind === 'restart',
          entered: [move.to],
          intervals: move.completes ? [] : [{ stageId: move.to, from: at, to: null, resets: false, changeId: move.entry.changeId }],
          end: move.completes ? { kind: 'completed', at } : null,
        });
        return;
      case 'forward':
      case 'back':
        closeOpen(current, at);
        current?.entered.push(move.to);
        current?.intervals.push({ stageId: move.to, from: at, to: null, resets: move.kind === 'back', changeId: move.entry.changeId });
        return;
      case 'complete':
        closeOpen(current, at);
        current?.entered.push(move.to);
        if (current) current.end = { kind: 'completed', at };
        return;
      case 'clear':
        // A completed cycle stays completed; only a running one is cut short.
        if (current && current.end === null) {
          closeOpen(current, at);
          current.end = { kind: 'cleared', at };
        }
        return;
      case 'between-ends':
        return;
    }
  });
  return traces;
}

/**
 * L3/L4 over one cycle's intervals: the counter of each interval's stage when that interval ends
 * (what its "Days in" showed then), measured by `measure`; an open interval is measured up to
 * `until`. A stage's counter runs on over its intervals and restarts at one that `resets`.
 */
export function stageMsAtIntervalEnds(intervals: readonly StageInterval[], until: Date, measure: Measure = calendarMs): number[] {
  const counters = new Map<string, number>();
  return intervals.map((interval) => {
    const before = interval.resets ? 0 : (counters.get(interval.stageId) ?? 0);
    const ms = before + measure(interval.from, interval.to ?? until);
    counters.set(interval.stageId, ms);
    return ms;
  });
}
