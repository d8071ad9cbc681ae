/**
 * B2: `businessDaysInStage` and `businessDaysInAttribute`. The rules decide where the clocks ran
 * (`traceCycles`: resets L4, freezes L5, new cycles L6, clears L7); the business-day clock only
 * measures those stretches, so these figures reset, freeze, restart and hide (L10) exactly as the
 * calendar-day counters do.
 */
import type { BusinessCalendar } from './business-calendar';
import { businessDayClock, businessDaysBetween } from './business-days';
import type { CounterOptions } from './counters';
import { stageMsAtIntervalEnds, traceCycles, type CycleTrace, type StageInterval } from './cycle-trace';
import { indexStages, stateAsOf, type LifecycleState } from './fold';
import type { HistoryEntry } from './history';
import type { LifecycleStage } from './stages';

export interface BusinessCounters {
  /** The current cycle's business days, frozen at completion (L5); null without a value or when canceled (L10). */
  businessDaysInAttribute: number | null;
  /** The current stage's business days in this cycle (L3/L4; 0 in an end stage); null without a value or when canceled. */
  businessDaysInStage: number | null;
  /** Every stage of the list: its business days in the current cycle; null when canceled. */
  stages: { stageId: string; businessDays: number | null }[];
}

/** The history as it stood at `at` (L11: later entries have not happened yet), its state and its cycles. */
export interface TracedHistory {
  state: LifecycleState;
  /** The cycle the state is in (completed or running); null without a value. */
  cycle: CycleTrace | null;
}

/** Folds and traces the entries up to `at`; the current cycle is the last one while the value is not empty. */
export function traceAt(stages: readonly LifecycleStage[], history: readonly HistoryEntry[], at: Date): TracedHistory {
  const happened = history.filter((entry) => entry.at.getTime() <= at.getTime());
  const state = stateAsOf(stages, happened, at);
  if (state.stageId === null) return { state, cycle: null };
  const traces = traceCycles(stages, happened);
  return { state, cycle: traces[traces.length - 1] ?? null };
}

/** B2 at an instant (`now`, or a past `asOf`), from the history of one (account, attribute). */
export function businessCountersAt(
  stages: readonly LifecycleStage[],
  history: readonly HistoryEntry[],
  at: Date,
  calendar: BusinessCalendar,
  options: CounterOptions = { canceled: false },
): BusinessCounters {
  const ordered = indexStages(stages).ordered;
  if (options.canceled) {
    return {
      businessDaysInAttribute: null,
      businessDaysInStage: null,
      stages: ordered.map((s) => ({ stageId: s.id, businessDays: null })),
    };
  }
  const { state, cycle } = traceAt(stages, history, at);
  const perStage = cycle === null ? new Map<string, number>() : stageBusinessDays(cycle.intervals, at, calendar);
  const stageList = ordered.map((s) => ({ stageId: s.id, businessDays: perStage.get(s.id) ?? 0 }));
  if (cycle === null || state.stageId === null) return { businessDaysInAttribute: null, businessDaysInStage: null, stages: stageList };
  // L5: a completed cycle's length is frozen at its completion; a running one runs to `at`.
  const end = cycle.end?.kind === 'completed' ? cycle.end.at : at;
  return {
    businessDaysInAttribute: businessDaysBetween(calendar, cycle.startedAt, end),
    businessDaysInStage: state.completed ? 0 : (perStage.get(state.stageId) ?? 0),
    stages: stageList,
  };
}

/** L3/L4 over one cycle: each stage's counter after its last stretch, in business days. */
export function stageBusinessDays(intervals: readonly StageInterval[], until: Date, calendar: BusinessCalendar): Map<string, number> {
  const ends = stageMsAtIntervalEnds(intervals, until, businessDayClock(calendar));
  const result = new Map<string, number>();
  intervals.forEach((interval, i) => result.set(interval.stageId, ends[i]!));
  return result;
}
