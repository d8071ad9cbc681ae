import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Min, ValidateIf, ValidateNested } from 'class-validator';

export class StageRef {
  @IsString() id!: string;
  @IsString() name!: string;
}

export const CHANGE_CAUSES = ['set', 'moved-back', 'cycle-restarted', 'cleared', 'recomputed'] as const;
export type ChangeCauseName = (typeof CHANGE_CAUSES)[number];

/** The timestamps from which every "Days in" figure is computed (for replicas such as segments). */
export class LifecycleClock {
  @ValidateIf((_o, v) => v !== null) @IsString() stageId!: string | null;
  @IsInt() @Min(0) cycle!: number;
  @IsInt() @Min(0) completedCycles!: number;
  @IsIn([true, false]) completed!: boolean;
  @ValidateIf((_o, v) => v !== null) @IsISO8601() cycleStartedAt!: string | null;
  @ValidateIf((_o, v) => v !== null) @IsISO8601() stageEnteredAt!: string | null;
  /** ms accumulated in the current stage in this cycle before stageEnteredAt (L3). */
  @IsInt() @Min(0) stageMsBefore!: number;
  /** Frozen values while completed (L5), else null. */
  @ValidateIf((_o, v) => v !== null) @IsInt() frozenStageMs!: number | null;
  @ValidateIf((_o, v) => v !== null) @IsInt() frozenAttributeMs!: number | null;
  @IsOptional() @IsISO8601() lastCompletedAt?: string | null;
}

/** `status.changed` (L15) */
export class StatusChanged {
  @IsString() accountId!: string;
  @IsString() attributeKey!: string;
  /** The history entry that caused it. */
  @IsString() changeId!: string;
  @ValidateIf((_o, v) => v !== null) @ValidateNested() @Type(() => StageRef) from!: StageRef | null;
  @ValidateIf((_o, v) => v !== null) @ValidateNested() @Type(() => StageRef) to!: StageRef | null;
  @IsInt() @Min(0) cycle!: number;
  /** Whole days spent in the stage left, in this cycle (null when there was none). */
  @ValidateIf((_o, v) => v !== null) @IsInt() daysInStageLeft!: number | null;
  @ValidateIf((_o, v) => v !== null) @IsInt() msInStageLeft!: number | null;
  @IsIn(CHANGE_CAUSES) cause!: ChangeCauseName;
  /** Effective time of the change. */
  @IsISO8601() at!: string;
  /** The counters' clock after this change (event-carried state: replicas compute days from it). */
  @ValidateNested() @Type(() => LifecycleClock) clock!: LifecycleClock;
}

export class CycleStageRecord {
  @IsString() stageId!: string;
  @IsString() name!: string;
  @IsInt() @Min(0) ms!: number;
  @IsInt() @Min(0) days!: number;
}

/** `lifecycle.completed` (L5, L15): the completed cycle's record. */
export class LifecycleCompleted {
  @IsString() accountId!: string;
  @IsString() attributeKey!: string;
  @IsString() changeId!: string;
  @IsInt() @Min(1) cycle!: number;
  @IsISO8601() startedAt!: string;
  @IsISO8601() completedAt!: string;
  @IsInt() @Min(0) ms!: number;
  @IsInt() @Min(0) days!: number;
  @ValidateNested({ each: true }) @Type(() => CycleStageRecord) stages!: CycleStageRecord[];
}

/** `status.recomputed` (L11): a late or backdated change rewrote the fold; `clock` is the new state. */
export class StatusRecomputed {
  @IsString() accountId!: string;
  @IsString() attributeKey!: string;
  @IsString() changeId!: string;
  @ValidateNested() @Type(() => LifecycleClock) clock!: LifecycleClock;
}

/**
 * The pair (account, attribute) a `status.changed` or `status.recomputed` is about, for a reader
 * that needs no more of either (a handler's `reads`).
 */
export class StatusPairRef {
  @IsString() accountId!: string;
  @IsString() attributeKey!: string;
}

/** `day.rolled` (L14) */
export class DayRolled {
  /** The day that began, YYYY-MM-DD (UTC). */
  @IsISO8601({ strict: true }) day!: string;
  @IsInt() @Min(0) statesMaterialized!: number;
}
