/**
 * SPEC 5.4: one attribute of an account's `lifecycle`, as status-tracking shows it. The rules
 * (the fold, the counters at an instant, L2–L11) are `@lifecycle/rules`; this adds the names of
 * the definition's stages.
 */
import { countersAt, replay, stagesInOrder, type HistoryEntry, type LifecycleState } from '@lifecycle/rules';
import type { LifecycleDefinition } from './lifecycle-definition';
import { findStage } from './lifecycle-definition';

export interface ViewOptions {
  canceled: boolean;
}

export interface StageCounters {
  id: string;
  name: string;
  days: number | null;
  ms: number | null;
  totalDays: number | null;
  totalMs: number | null;
}

export interface LifecycleView {
  stage: { id: string; name: string } | null;
  cycle: number;
  completedCycles: number;
  completed: boolean;
  cycleStartedAt: Date | null;
  stageEnteredAt: Date | null;
  lastCompletedAt: Date | null;
  daysInAttribute: number | null;
  msInAttribute: number | null;
  stages: StageCounters[];
}

/** L9/L10: the counters of `state` with a running clock read at `now`, every stage named. */
export function view(def: LifecycleDefinition, state: LifecycleState, now: Date, opts: ViewOptions): LifecycleView {
  const counters = countersAt(def.stages, state, now, opts);
  const byStage = new Map(counters.stages.map((counter) => [counter.stageId, counter]));
  return {
    // A stage removed from the definition keeps its id as its name (history refers to ids, A5).
    stage: state.stageId === null ? null : { id: state.stageId, name: findStage(def, state.stageId)?.name ?? state.stageId },
    cycle: state.cycle,
    completedCycles: state.completedCycles,
    completed: state.completed,
    cycleStartedAt: state.cycleStartedAt,
    stageEnteredAt: state.stageEnteredAt,
    lastCompletedAt: state.lastCompletedAt,
    daysInAttribute: counters.daysInAttribute,
    msInAttribute: counters.msInAttribute,
    stages: stagesInOrder(def.stages).map((stage): StageCounters => {
      const counter = byStage.get(stage.id);
      return {
        id: stage.id,
        name: stage.name,
        days: counter?.days ?? null,
        ms: counter?.ms ?? null,
        totalDays: counter?.totalDays ?? null,
        totalMs: counter?.totalMs ?? null,
      };
    }),
  };
}

/** The pure core the style guide names: `fold(definition, history, now)`. */
export function fold(def: LifecycleDefinition, history: readonly HistoryEntry[], now: Date, opts: ViewOptions): LifecycleView {
  return view(def, replay(def.stages, history).state, now, opts);
}
