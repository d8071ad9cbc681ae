import { IsBoolean, IsISO8601, IsOptional, IsString, ValidateIf } from 'class-validator';

class CycleEventBase {
  @IsString() accountId!: string;
  @IsString() cycleId!: string;
  @IsString() templateId!: string;
}

/** `cycle.assigned` */
export class CycleAssigned extends CycleEventBase {
  @IsString() name!: string;
  @IsBoolean() primary!: boolean;
  @IsISO8601() startDate!: string;
}

/** `cycle.primary-changed` */
export class CyclePrimaryChanged {
  @IsString() accountId!: string;
  @ValidateIf((_o, v) => v !== null) @IsString() cycleId!: string | null;
  @ValidateIf((_o, v) => v !== null) @IsString() previousCycleId!: string | null;
}

/** `cycle.stage-completed` */
export class CycleStageCompleted extends CycleEventBase {
  @IsString() stageId!: string;
  @IsString() stageName!: string;
  @IsISO8601() completedAt!: string;
}

/** `cycle.completed` */
export class CycleCompleted extends CycleEventBase {
  @IsISO8601() completedAt!: string;
  @IsOptional() @IsString() nextCycleId?: string | null;
}

/** `cycle.removed` */
export class CycleRemoved extends CycleEventBase {}

/** `cycle.due-dates-recalculated` */
export class CycleDueDatesRecalculated extends CycleEventBase {
  /** B6: `task-completed` and `stage-entered` move the dates that count from them. */
  @IsString() reason!: 'start-date-changed' | 'renewal-date-changed' | 'template-edited' | 'task-completed' | 'stage-entered';
  @IsISO8601() at!: string;
}
