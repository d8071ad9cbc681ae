import { randomUUID } from 'node:crypto';
import type { ChangeCauseName, LifecycleClock, LifecycleCompleted, StageRef, StatusChanged } from '@lifecycle/contracts';
import { daysFromMs } from '../domain/account-projection';

/**
 * Test builder: what status-tracking publishes on `lifecycle.status` while one account moves
 * through one attribute — `status.changed` with a realistic `clock` (L2–L7: cycles start,
 * forward moves keep a stage's time, moves back reset it, end stages freeze and complete,
 * leaving an end stage restarts, clearing ends the cycle) and `lifecycle.completed`.
 */
export interface ScriptStage {
  id: string;
  name: string;
  order: number;
  endStage: boolean;
}

export type ScriptEvent =
  { type: 'status.changed'; data: StatusChanged; at: Date } | { type: 'lifecycle.completed'; data: LifecycleCompleted; at: Date };

export class LifecycleScript {
  private stageId: string | null = null;
  private cycle = 0;
  private completedCycles = 0;
  private completed = false;
  private cycleStartedAt: Date | null = null;
  private stageEnteredAt: Date | null = null;
  private lastCompletedAt: Date | null = null;
  private readonly stageMs = new Map<string, number>();

  constructor(
    readonly accountId: string,
    readonly attributeKey: string,
    private readonly stages: readonly ScriptStage[],
  ) {}

  /** Moves to a stage (name or id; null clears) at `at`; the events status-tracking would publish (none for L8). */
  move(stage: string | null, at: Date): ScriptEvent[] {
    const target = stage === null ? null : this.stage(stage);
    const to = target?.id ?? null;
    if (to === this.stageId) return []; // L8
    const changeId = randomUUID();
    const from = this.stageId;
    let cause: ChangeCauseName = 'set';
    let msInStageLeft: number | null = null;
    let completedRecord: LifecycleCompleted | null = null;

    if (to === null) {
      // L7
      if (from !== null && !this.completed) msInStageLeft = this.stopClock(from, at);
      cause = 'cleared';
      this.stageId = null;
      this.completed = false;
      this.cycleStartedAt = null;
      this.stageEnteredAt = null;
      this.stageMs.clear();
    } else if (from === null || (this.completed && !target!.endStage)) {
      // L2 / L6
      if (from !== null) cause = 'cycle-restarted';
      this.startCycle(to, at);
      if (target!.endStage) completedRecord = this.complete(changeId, at);
    } else if (this.completed) {
      this.stageId = to; // L6: end → end starts nothing
    } else {
      msInStageLeft = this.stopClock(from, at);
      const fromOrder = this.stage(from).order;
      this.stageId = to;
      this.stageEnteredAt = at;
      if (target!.endStage)
        completedRecord = this.complete(changeId, at); // L5
      else if (target!.order < fromOrder) {
        this.stageMs.set(to, 0); // L4
        cause = 'moved-back';
      }
    }

    const events: ScriptEvent[] = [
      {
        type: 'status.changed',
        at,
        data: {
          accountId: this.accountId,
          attributeKey: this.attributeKey,
          changeId,
          from: this.ref(from),
          to: this.ref(to),
          cycle: this.cycle,
          daysInStageLeft: msInStageLeft === null ? null : daysFromMs(msInStageLeft),
          msInStageLeft,
          cause,
          at: at.toISOString(),
          clock: this.clock(),
        },
      },
    ];
    if (completedRecord !== null) events.push({ type: 'lifecycle.completed', at, data: completedRecord });
    return events;
  }

  /** The current clock, as `status.recomputed` would carry it. */
  clock(): LifecycleClock {
    const stageMsBefore = this.stageId === null ? 0 : (this.stageMs.get(this.stageId) ?? 0);
    return {
      stageId: this.stageId,
      cycle: this.cycle,
      completedCycles: this.completedCycles,
      completed: this.completed,
      cycleStartedAt: this.cycleStartedAt?.toISOString() ?? null,
      stageEnteredAt: this.stageEnteredAt?.toISOString() ?? null,
      stageMsBefore,
      frozenStageMs: this.completed ? stageMsBefore : null,
      frozenAttributeMs:
        this.completed && this.cycleStartedAt && this.lastCompletedAt
          ? this.lastCompletedAt.getTime() - this.cycleStartedAt.getTime()
          : null,
      lastCompletedAt: this.lastCompletedAt?.toISOString() ?? null,
    };
  }

  private startCycle(to: string, at: Date): void {
    this.cycle += 1;
    this.stageMs.clear();
    this.stageId = to;
    this.completed = false;
    this.cycleStartedAt = at;
    this.stageEnteredAt = at;
  }

  private stopClock(stageId: string, at: Date): number {
    const ms = (this.stageMs.get(stageId) ?? 0) + (at.getTime() - (this.stageEnteredAt?.getTime() ?? at.getTime()));
    this.stageMs.set(stageId, ms);
    return ms;
  }

  private complete(changeId: string, at: Date): LifecycleCompleted {
    this.completed = true;
    this.completedCycles += 1;
    this.lastCompletedAt = at;
    const startedAt = this.cycleStartedAt ?? at;
    const ms = at.getTime() - startedAt.getTime();
    return {
      accountId: this.accountId,
      attributeKey: this.attributeKey,
      changeId,
      cycle: this.cycle,
      startedAt: startedAt.toISOString(),
      completedAt: at.toISOString(),
      ms,
      days: daysFromMs(ms),
      stages: [...this.stageMs].map(([stageId, stageMs]) => ({
        stageId,
        name: this.stage(stageId).name,
        ms: stageMs,
        days: daysFromMs(stageMs),
      })),
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
