import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';

export const ATTRIBUTE_KEY_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const COLOR_PATTERN = /^#[0-9A-Fa-f]{6}$/;

export class StagePayload {
  @IsString() @Length(1, 64) id!: string;
  @IsString() @Length(1, 100) name!: string;
  @Matches(COLOR_PATTERN) color!: string;
  @IsInt() @Min(0) order!: number;
  @IsBoolean() endStage!: boolean;
  @IsBoolean() disabled!: boolean;
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
