import type { LifecycleState } from '@lifecycle/rules';
import type { LifecycleDefinition } from '../domain/lifecycle-definition';
import { view } from '../domain/lifecycle-view';
import type { MaterializedDays } from './lifecycle-days.schema';

/** L14: the day counts of one state at `now`, as stored for reports and indexed queries. */
export function materializeDays(def: LifecycleDefinition, state: LifecycleState, now: Date, canceled: boolean): MaterializedDays {
  const counters = view(def, state, now, { canceled });
  const current = counters.stages.find((s) => s.id === state.stageId);
  return {
    day: utcDay(now),
    asOf: now,
    canceled,
    stageId: state.stageId,
    daysInStage: current?.days ?? null,
    daysInAttribute: counters.daysInAttribute,
    stages: counters.stages.map((s) => ({ stageId: s.id, days: s.days })),
  };
}

/** YYYY-MM-DD of `date` in UTC. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
