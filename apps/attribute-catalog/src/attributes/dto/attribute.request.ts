import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { SLA_MAX_DAYS, SLA_UNITS, type SlaUnit } from '@lifecycle/rules';
import { PresentIfGiven } from '@lifecycle/http';
import { ATTRIBUTE_KEY_PATTERN, COLOR_PATTERN } from '@lifecycle/contracts';
import { LIMITS, type AttributeState } from '../../domain/attribute';

/** The request classes of the catalog's routes: what the ValidationPipe enforces and the document shows. */

export const KEY_MESSAGE = '$property must be a lowercase slug (letters, digits, single dashes), e.g. onboarding-status';
/** Stage ids are generated (UUIDs); the path takes 1-64 letters, digits, "_" and "-". */
export const STAGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export class AttributeParams {
  @ApiProperty({ example: 'onboarding-status' })
  @Length(1, LIMITS.keyLength)
  @Matches(ATTRIBUTE_KEY_PATTERN, { message: KEY_MESSAGE })
  key!: string;
}

export class StageParams extends AttributeParams {
  @ApiProperty({ example: '0b6c1f9e-3f0a-4c7e-9d51-1a2b3c4d5e6f' })
  @Matches(STAGE_ID_PATTERN, { message: '$property must be a stage id (1-64 letters, digits, "_" or "-")' })
  stageId!: string;
}

export const NOT_BLANK = /\S/;
export const COLOR_MESSAGE = '$property must be a colour #RRGGBB, e.g. #1E88E5';

/** B3: a stage's SLA. End stages refuse one (409 `SLA_ON_END_STAGE`). */
export class StageSlaBody {
  @ApiProperty({ example: 5, minimum: 1, maximum: SLA_MAX_DAYS, description: 'Expected time in the stage, in whole days of `unit`.' })
  @IsInt()
  @Min(1)
  @Max(SLA_MAX_DAYS)
  expected!: number;

  @ApiProperty({ enum: SLA_UNITS, example: 'business-days', description: "Business days count on the account's calendar (B2)." })
  @IsIn(SLA_UNITS)
  unit!: SlaUnit;

  @ApiPropertyOptional({
    example: 0.8,
    minimum: 0.01,
    maximum: 0.99,
    default: 0.8,
    description: 'At risk from this fraction of `expected`.',
  })
  @PresentIfGiven()
  @IsNumber()
  @Min(0.01)
  @Max(0.99)
  atRisk?: number;
}

const SLA_PROPERTY = {
  type: StageSlaBody,
  nullable: true,
  example: { expected: 5, unit: 'business-days', atRisk: 0.8 },
} as const;

/** A new stage (on create, or appended with POST /v1/attributes/{key}/stages). Its id is generated. */
export class StageBody {
  @ApiProperty({ example: 'Kickoff', description: 'Unique within the attribute, ignoring case.' })
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be empty' })
  @MaxLength(LIMITS.stageNameLength)
  name!: string;

  @ApiProperty({ example: '#1E88E5' })
  @IsString()
  @Matches(COLOR_PATTERN, { message: COLOR_MESSAGE })
  color!: string;

  @ApiPropertyOptional({ example: false, default: false, description: 'Reaching an end stage completes the cycle (L5).' })
  @PresentIfGiven()
  @IsBoolean()
  endStage?: boolean;

  @ApiPropertyOptional({ example: false, default: false, description: 'A disabled stage cannot be set on new accounts (A5).' })
  @PresentIfGiven()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ ...SLA_PROPERTY, description: 'B3: expected time in the stage; null = no SLA. End stages have none.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => StageSlaBody)
  sla?: StageSlaBody | null;
}

export class CreateAttributeBody {
  @ApiProperty({
    example: 'onboarding-status',
    description: 'Slug; unique and immutable (A1).',
  })
  @IsString()
  @Length(1, LIMITS.keyLength)
  @Matches(ATTRIBUTE_KEY_PATTERN, { message: KEY_MESSAGE })
  key!: string;

  @ApiProperty({ example: 'Onboarding Status' })
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be empty' })
  @MaxLength(LIMITS.nameLength)
  name!: string;

  @ApiPropertyOptional({ example: 'Tracks onboarding from kickoff to go-live' })
  @PresentIfGiven()
  @IsString()
  @MaxLength(LIMITS.descriptionLength)
  description?: string;

  @ApiPropertyOptional({
    example: 'Onboarding',
    description: 'Free text: Onboarding, Escalation, Adoption, Renewal, Upsell …',
  })
  @PresentIfGiven()
  @IsString()
  @MaxLength(LIMITS.flowLength)
  flow?: string;

  @ApiPropertyOptional({
    type: [StageBody],
    description: 'Initial stages, in order.',
    example: [
      { name: 'Kickoff', color: '#1E88E5' },
      { name: 'Configuration', color: '#43A047' },
      { name: 'Go Live', color: '#8E24AA', endStage: true },
    ],
  })
  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(LIMITS.stages)
  @ValidateNested({ each: true })
  @Type(() => StageBody)
  stages?: StageBody[];
}

/** PATCH /v1/attributes/{key}: absent fields stay as they are. The key and the state cannot be patched. */
export class UpdateAttributeBody {
  @ApiPropertyOptional({ example: 'Onboarding Status' })
  @PresentIfGiven()
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be empty' })
  @MaxLength(LIMITS.nameLength)
  name?: string;

  @ApiPropertyOptional({ example: 'Tracks onboarding from kickoff to go-live' })
  @PresentIfGiven()
  @IsString()
  @MaxLength(LIMITS.descriptionLength)
  description?: string;

  @ApiPropertyOptional({ example: 'Onboarding', nullable: true, description: '`null` unlinks the flow.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.flowLength)
  flow?: string | null;
}

/** PATCH /v1/attributes/{key}/stages/{stageId}: absent fields stay as they are. */
export class UpdateStageBody {
  @ApiPropertyOptional({ example: 'Kick-off' })
  @PresentIfGiven()
  @IsString()
  @Matches(NOT_BLANK, { message: '$property must not be empty' })
  @MaxLength(LIMITS.stageNameLength)
  name?: string;

  @ApiPropertyOptional({ example: '#FB8C00' })
  @PresentIfGiven()
  @IsString()
  @Matches(COLOR_PATTERN, { message: COLOR_MESSAGE })
  color?: string;

  @ApiPropertyOptional({ example: true, description: 'Allowed in any state (A4, A5).' })
  @PresentIfGiven()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ example: false, description: 'May change only while the attribute is a draft (409 once active).' })
  @PresentIfGiven()
  @IsBoolean()
  endStage?: boolean;

  @ApiPropertyOptional({
    ...SLA_PROPERTY,
    description: 'B3: set, change, or remove (null) the stage SLA, in any state. End stages have none.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => StageSlaBody)
  sla?: StageSlaBody | null;
}

/** PUT /v1/attributes/{key}/stage-order: every stage id exactly once, in the new order. */
export class StageOrderBody {
  @ApiProperty({ type: [String], example: ['0b6c…-kickoff-id', '5d1e…-configuration-id', '9f3a…-go-live-id'] })
  @IsArray()
  @ArrayMaxSize(LIMITS.stages)
  @IsString({ each: true })
  stageIds!: string[];
}

export class ListAttributesQuery {
  @ApiPropertyOptional({ enum: ['draft', 'active'], example: 'active' })
  @IsOptional()
  @IsIn(['draft', 'active'])
  state?: AttributeState;

  @ApiPropertyOptional({ example: 'Onboarding', description: 'Exact flow, ignoring case and surrounding spaces.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.flowLength)
  flow?: string;
}
