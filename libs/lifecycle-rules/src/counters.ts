import { calendarMs } from './clock';
import { daysFromMs } from './days';
import type { LifecycleState } from './fold';
import { indexStages } from './fold';
import type { LifecycleStage } from './stages';

/** One stage's "Days in" at an instant (L9); all null for a canceled account (L10). */
export interface StageCounter {
  stageId: string;
  /** Current cycle, under L3/L4. */
  ms: number | null;
  days: number | null;
  /** All cycles: the time actually spent in the stage. */
  totalMs: number | null;
  totalDays: number | null;
}

/** The "Days in" figures of the current cycle and stage of a state read at an instant (L9, L10). */
export interface CurrentCounters {
  /** The current cycle from its start to its completion, or to `at` while it runs; null without a value. */
  msInAttribute: number | null;
  daysInAttribute: number | null;
  /** The current stage's counter in this cycle (0 in an end stage); null without a value. */
  msInStage: number | null;
  daysInStage: number | null;
}

/** `CurrentCounters` and every stage of the list, in stage order. */
export interface Counters extends CurrentCounters {
  stages: StageCounter[];
}

export interface CounterOptions {
  /** L10: a canceled account shows no "Days in". */
  canceled: boolean;
}

/**
 * L9/L10: the counters of the current cycle and stage of `state` with a running clock read at
 * `at`. An `at` earlier than the last change counts the open stretch as 0 (never negative days);
 * for an as-of view, fold only the history up to that instant (`stateAsOf`).
 */
export function currentCountersAt(state: LifecycleState, at: Date, options: CounterOptions = { canceled: false }): CurrentCounters {
  // L10: canceled accounts keep their stage and cycle but show no "Days in".
  if (options.canceled) return { msInAttribute: null, daysInAttribute: null, msInStage: null, daysInStage: null };

  let msInAttribute: number | null = null;
  if (state.stageId !== null && state.cycleStartedAt !== null) {
    msInAttribute =
      state.completed && state.cycleEndedAt
        ? calendarMs(state.cycleStartedAt, state.cycleEndedAt) // L5: frozen at completion
        : calendarMs(state.cycleStartedAt, at); // L9: running to `at`
  }
  const msInStage = state.stageId === null ? null : (state.stageMs[state.stageId] ?? 0) + openMs(state, at);
  return {
    msInAttribute,
    daysInAttribute: msInAttribute === null ? null : daysFromMs(msInAttribute),
    msInStage,
    daysInStage: msInStage === null ? null : daysFromMs(msInStage),
  };
}

/** `currentCountersAt`, plus the counters of every stage of the list (L3/L4 this cycle, all cycles). */
export function countersAt(
  stages: readonly LifecycleStage[],
  state: LifecycleState,
  at: Date,
  options: CounterOptions = { canceled: false },
): Counters {
  const open = openMs(state, at);
  return {
    ...currentCountersAt(state, at, options),
    stages: indexStages(stages).ordered.map((stage): StageCounter => {
      if (options.canceled) return { stageId: stage.id, ms: null, days: null, totalMs: null, totalDays: null };
      const running = stage.id === state.stageId ? open : 0;
      const ms = (state.stageMs[stage.id] ?? 0) + running;
      const totalMs = (state.totalMs[stage.id] ?? 0) + running;
      return { stageId: stage.id, ms, days: daysFromMs(ms), totalMs, totalDays: daysFromMs(totalMs) };
    }),
  };
}

/** The running stretch of the current stage up to `at`; 0 in an end stage (L5) or without a value (L7). */
function openMs(state: LifecycleState, at: Date): number {
  return state.stageId !== null && !state.completed && state.stageEnteredAt !== null ? calendarMs(state.stageEnteredAt, at) : 0;
}

/**
 * What a replica needs to count "Days in" itself from timestamps (L9): the current stage's time
 * in this cycle before its running stretch, and the values frozen while the cycle is completed (L5).
 */
export interface FrozenClock {
  stageMsBefore: number;
  frozenStageMs: number | null;
  frozenAttributeMs: number | null;
}

export function frozenClockOf(state: LifecycleState): FrozenClock {
  const stageMsBefore = state.stageId === null ? 0 : (state.stageMs[state.stageId] ?? 0);
  return {
    stageMsBefore,
    frozenStageMs: state.completed ? stageMsBefore : null,
    frozenAttributeMs:
      state.completed && state.cycleStartedAt && state.cycleEndedAt ? calendarMs(state.cycleStartedAt, state.cycleEndedAt) : null,
  };
}
