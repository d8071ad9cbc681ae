import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export const ATTRIBUTE_KEY_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const COLOR_PATTERN = /^#[0-9A-Fa-f]{6}$/;

/** B3: how long an account is expected to stay in a stage, and from which fraction of it the stage is at risk. */
export class StageSlaPayload {
  /** Whole days, 1 to 3 650. */
  @IsInt() @Min(1) @Max(3650) expected!: number;
  @IsIn(['business-days', 'calendar-days']) unit!: 'business-days' | 'calendar-days';
  /** Above 0 and below 1; 0.8 when absent. */
  @IsOptional() @IsNumber() @Min(0.01) @Max(0.99) atRisk?: number;
}

export class StagePayload {
  @IsString() @Length(1, 64) id!: string;
  @IsString() @Length(1, 100) name!: string;
  @Matches(COLOR_PATTERN) color!: string;
  @IsInt() @Min(0) order!: number;
  @IsBoolean() endStage!: boolean;
  @IsBoolean() disabled!: boolean;
  /** B3: absent or null = no SLA; end stages never have one. */
  @IsOptional() @ValidateNested() @Type(() => StageSlaPayload) sla?: StageSlaPayload | null;
}

/** A lifecycle status attribute, in full (A1, A2, A6: event-carried state). */
export class AttributePayload {
  @Matches(ATTRIBUTE_KEY_PATTERN) @Length(1, 64) key!: string;
  @IsString() @Length(1, 200) name!: string;
  @IsOptional() @IsString() @Length(0, 2000) description?: string;
  @IsOptional() @IsString() @Length(0, 100) flow?: string;
  @IsIn(['draft', 'active']) state!: 'draft' | 'active';
  /** Increases by one with every change (optimistic concurrency; replicas keep the highest). */
  @IsInt() @Min(1) version!: number;
  @ValidateNested({ each: true }) @Type(() => StagePayload) @ArrayMinSize(0) @ArrayMaxSize(100) stages!: StagePayload[];
  @IsISO8601() updatedAt!: string;
}
