import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import {
  ACCOUNT_ID_MESSAGE,
  ACCOUNT_ID_PATTERN,
  PLAY_ACTION_TYPES,
  PLAY_TRIGGER_TYPES,
  type PlayActionType,
  type PlayTriggerType,
} from '@lifecycle/contracts';
import { IsIsoDate, PresentIfGiven } from '@lifecycle/http';
import { PLAY_LIMITS } from '../../domain';
import { ID_MESSAGE, ID_PATTERN } from '../../templates/dto/template.request';

/** Segment ids are UUIDs; attribute keys and stage ids are slugs and ids of the catalog. */
const REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const REF_MESSAGE = '$property must be 1-100 letters, digits, "_", ".", ":" or "-", starting with a letter or digit';
const PLAY_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PLAY_ID_MESSAGE = '$property must be a play id (a UUID)';
export const MAX_PLAY_PAGE_SIZE = 200;

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

/** P1: what sets the play off. Which fields go with which `type` is checked by the rules (422 `INVALID_PLAY`). */
export class PlayTriggerBody {
  @ApiProperty({ enum: PLAY_TRIGGER_TYPES, example: 'stage.sla-breached' })
  @IsIn(PLAY_TRIGGER_TYPES)
  type!: PlayTriggerType;

  @ApiPropertyOptional({ example: '0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10', description: '`segment.entered`: the saved segment.' })
  @PresentIfGiven()
  @Matches(REF_PATTERN, { message: REF_MESSAGE })
  segmentId?: string;

  @ApiPropertyOptional({ example: 'onboarding-status', description: 'SLA triggers: the attribute whose stage SLAs are watched.' })
  @PresentIfGiven()
  @Matches(REF_PATTERN, { message: REF_MESSAGE })
  attributeKey?: string;

  @ApiPropertyOptional({ example: 'stg-kickoff', description: 'SLA triggers: one stage of the attribute (every stage when absent).' })
  @PresentIfGiven()
  @Matches(REF_PATTERN, { message: REF_MESSAGE })
  stageId?: string;
}

/** P1: what the play does. Which fields go with which `type` is checked by the rules (422 `INVALID_PLAY`). */
export class PlayActionBody {
  @ApiProperty({ enum: PLAY_ACTION_TYPES, example: 'create-task' })
  @IsIn(PLAY_ACTION_TYPES)
  type!: PlayActionType;

  @ApiPropertyOptional({ example: 'onboarding-rescue', description: '`assign-template`: the SuccessCycle template.' })
  @PresentIfGiven()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  templateId?: string;

  @ApiPropertyOptional({
    example: 'Call the customer: onboarding is overdue',
    description: '`create-task`: the task for the account owner.',
  })
  @PresentIfGiven()
  @IsString()
  @Matches(/\S/, { message: '$property must not be empty' })
  @MaxLength(PLAY_LIMITS.taskName)
  taskName?: string;

  @ApiPropertyOptional({
    example: 2,
    type: 'integer',
    minimum: 0,
    maximum: PLAY_LIMITS.maxDueDays,
    description: '`create-task`: due this many business days after the trigger, on the account calendar.',
  })
  @PresentIfGiven()
  @IsInt({ message: '$property must be a whole number' })
  @Min(0)
  @Max(PLAY_LIMITS.maxDueDays)
  dueInBusinessDays?: number;
}

export class CreatePlayBody {
  @ApiProperty({ example: 'Kickoff overdue → call' })
  @IsString()
  @Matches(/\S/, { message: '$property must not be empty' })
  @MaxLength(PLAY_LIMITS.name)
  name!: string;

  @ApiProperty({ type: PlayTriggerBody })
  @ValidateNested()
  @Type(() => PlayTriggerBody)
  trigger!: PlayTriggerBody;

  @ApiProperty({ type: PlayActionBody })
  @ValidateNested()
  @Type(() => PlayActionBody)
  action!: PlayActionBody;

  @ApiPropertyOptional({ example: false, default: false, description: 'A paused play records nothing (P2).' })
  @PresentIfGiven()
  @IsBoolean()
  paused?: boolean;
}

export class UpdatePlayBody {
  @ApiPropertyOptional({ example: 'Kickoff overdue → call' })
  @PresentIfGiven()
  @IsString()
  @Matches(/\S/, { message: '$property must not be empty' })
  @MaxLength(PLAY_LIMITS.name)
  name?: string;

  @ApiPropertyOptional({ type: PlayTriggerBody })
  @PresentIfGiven()
  @ValidateNested()
  @Type(() => PlayTriggerBody)
  trigger?: PlayTriggerBody;

  @ApiPropertyOptional({ type: PlayActionBody })
  @PresentIfGiven()
  @ValidateNested()
  @Type(() => PlayActionBody)
  action?: PlayActionBody;

  @ApiPropertyOptional({ example: true, description: 'Pause (true) or resume (false); occurrences while paused are not replayed.' })
  @PresentIfGiven()
  @IsBoolean()
  paused?: boolean;
}

export class PlayParams {
  @Matches(PLAY_ID_PATTERN, { message: PLAY_ID_MESSAGE })
  playId!: string;
}

export class AccountFiringsParams {
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId!: string;
}

export class PlayTaskParams {
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId!: string;

  @Matches(PLAY_ID_PATTERN, { message: '$property must be a play task id (a UUID: the id of the firing that made it)' })
  taskId!: string;
}

export class CompletePlayTaskBody {
  @ApiPropertyOptional({
    example: '2025-03-10T10:00:00Z',
    description: 'When it was done; default now, never in the future, never before the play fired.',
  })
  @PresentIfGiven()
  @IsIsoDate('$property must be an ISO-8601 timestamp, e.g. 2025-03-10T10:00:00Z')
  at?: string;
}

export class PageQuery {
  @ApiPropertyOptional({ example: 1, default: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: '$property must be a whole number' })
  @Min(1)
  @Max(100_000)
  page?: number;

  @ApiPropertyOptional({ example: 50, default: 50, maximum: MAX_PLAY_PAGE_SIZE })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: '$property must be a whole number' })
  @Min(1)
  @Max(MAX_PLAY_PAGE_SIZE)
  pageSize?: number;
}
