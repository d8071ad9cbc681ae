import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNumber, IsString, Max, Min, ValidateNested } from 'class-validator';
import { StageRef } from './status.events';

export const SLA_THRESHOLDS = ['at-risk', 'breached'] as const;
export type SlaThresholdName = (typeof SLA_THRESHOLDS)[number];

/**
 * `stage.sla-at-risk` / `stage.sla-breached` (B4): a stage entry crossed its SLA's at-risk point
 * or used up its expected duration. Once per stage entry and threshold; the envelope's
 * `occurredAt` is `crossedAt`, the moment the history says it crossed.
 */
export class StageSlaCrossed {
  @IsString() accountId!: string;
  @IsString() attributeKey!: string;
  @ValidateNested() @Type(() => StageRef) stage!: StageRef;
  @IsInt() @Min(1) cycle!: number;
  /** The history entry that put the account in the stage: what "once per stage entry" counts. */
  @IsString() entryChangeId!: string;
  @IsISO8601() enteredAt!: string;
  @IsIn(SLA_THRESHOLDS) threshold!: SlaThresholdName;
  @IsInt() @Min(1) expected!: number;
  @IsIn(['business-days', 'calendar-days']) unit!: 'business-days' | 'calendar-days';
  @IsNumber() @Min(0.01) @Max(0.99) atRisk!: number;
  /** When the expected duration is used up. */
  @IsISO8601() dueAt!: string;
  @IsISO8601() crossedAt!: string;
  /** The calendar business days were counted on. */
  @IsString() calendarKey!: string;
}
