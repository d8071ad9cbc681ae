import { randomUUID } from 'node:crypto';
import type { LifecycleClock, LifecycleCompleted, StageRef, StatusChanged } from '@lifecycle/contracts';
import {
  applyChange,
  daysFromMs,
  frozenClockOf,
  initialLifecycleState,
  type CycleRecord,
  type LifecycleState,
  type LifecycleStage,
} from '@lifecycle/rules';

/**
 * Test builder: what status-tracking publishes on `lifecycle.status` while one account moves
 * through one attribute — `status.changed` with the clock right after the change and
 * `lifecycle.completed` — from the "Days in" rules of `@lifecycle/rules` (L2–L8).
 */
export interface ScriptStage extends LifecycleStage {
  name: string;
}

export type ScriptEvent =
  { type: 'status.changed'; data: StatusChanged; at: Date } | { type: 'lifecycle.completed'; data: LifecycleCompleted; at: Date };

export class LifecycleScript {
  private state: LifecycleState = initialLifecycleState();
  private seq = 0;

  constructor(
    readonly accountId: string,
    readonly attributeKey: string,
    private readonly stages: readonly ScriptStage[],
  ) {}

  /** Moves to a stage (name or id; null clears) at `at`; the events status-tracking would publish (none for L8). */
  move(stage: string | null, at: Date): ScriptEvent[] {
    const to = stage === null ? null : this.stage(stage).id;
    const changeId = randomUUID();
    const { state, transition } = applyChange(this.stages, this.state, { changeId, seq: this.seq++, to, at });
    if (transition === null) return [];
    this.state = state;

    const events: ScriptEvent[] = [
      {
        type: 'status.changed',
        at,
        data: {
          accountId: this.accountId,
          attributeKey: this.attributeKey,
          changeId,
          from: this.ref(transition.from),
          to: this.ref(transition.to),
          cycle: transition.cycle,
          daysInStageLeft: transition.msInStageLeft === null ? null : daysFromMs(transition.msInStageLeft),
          msInStageLeft: transition.msInStageLeft,
          cause: transition.cause,
          at: at.toISOString(),
          clock: this.clock(),
        },
      },
    ];
    if (transition.completedCycle !== null)
      events.push({ type: 'lifecycle.completed', at, data: this.completed(changeId, transition.completedCycle) });
    return events;
  }

  /** The current clock, as `status.recomputed` would carry it. */
  clock(): LifecycleClock {
    const { stageId, cycle, completedCycles, completed, cycleStartedAt, stageEnteredAt, lastCompletedAt } = this.state;
    return {
      stageId,
      cycle,
      completedCycles,
      completed,
      cycleStartedAt: cycleStartedAt?.toISOString() ?? null,
      stageEnteredAt: stageEnteredAt?.toISOString() ?? null,
      ...frozenClockOf(this.state),
      lastCompletedAt: lastCompletedAt?.toISOString() ?? null,
    };
  }

  private completed(changeId: string, record: CycleRecord): LifecycleCompleted {
    return {
      accountId: this.accountId,
      attributeKey: this.attributeKey,
      changeId,
      cycle: record.cycle,
      startedAt: record.startedAt.toISOString(),
      completedAt: record.completedAt.toISOString(),
      ms: record.ms,
      days: daysFromMs(record.ms),
      stages: record.stages.map((s) => ({ stageId: s.stageId, name: this.stage(s.stageId).name, ms: s.ms, days: daysFromMs(s.ms) })),
    };
  }

  private stage(ref: string): ScriptStage {
    const found = this.stages.find((s) => s.id === ref) ?? this.stages.find((s) => s.name.toLowerCase() === ref.toLowerCase());
    if (found === undefined) throw new Error(`test script: no stage ${ref}`);
    return found;
  }

  private ref(stageId: string | null): StageRef | null {
    return stageId === null ? null : { id: stageId, name: this.stage(stageId).name };
  }
}
