import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PresentIfGiven } from '@lifecycle/http';
import { ATTRIBUTE_KEY_PATTERN } from '@lifecycle/contracts';
import { DAYS_DUE_BASES, DAYS_DUE_UNITS, type DaysDueBase, type DaysDueUnit } from '../../domain';

/** Ids travel in URL paths (`…/tasks/{taskId}/complete`) and BullMQ job ids: no ":" or "/". */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
export const ID_MESSAGE = '$property must be 1-100 letters, digits, "_" or "-", starting with a letter or digit';
const NOT_BLANK = /\S/;
const NOT_BLANK_MESSAGE = '$property must not be empty';

export const TEMPLATE_LIMITS = { stages: 50, activities: 50, tasks: 100, name: 200, description: 2_000, maxDays: 3_650 } as const;

export class DaysDueBody {
  @ApiProperty({ example: -30, description: 'Whole days after (positive) or before (negative) the base date.' })
  @IsInt({ message: '$property must be an integer number of days (may be negative)' })
  @Min(-TEMPLATE_LIMITS.maxDays)
  @Max(TEMPLATE_LIMITS.maxDays)
  days!: number;

  @ApiProperty({
    enum: DAYS_DUE_BASES,
    example: 'renewal',
    description: 'B6: `stageEntry` needs attributeKey and stageId; `taskCompletion` needs taskId (a task of the same template).',
  })
  @IsIn(DAYS_DUE_BASES, { message: `$property must be one of ${DAYS_DUE_BASES.join(', ')}` })
  relativeTo!: DaysDueBase;

  @ApiPropertyOptional({
    enum: DAYS_DUE_UNITS,
    default: 'calendar-days',
    description: "B6: business days count on the account's calendar.",
  })
  @PresentIfGiven()
  @IsIn(DAYS_DUE_UNITS, { message: `$property must be one of ${DAYS_DUE_UNITS.join(', ')}` })
  unit?: DaysDueUnit;

  @ApiPropertyOptional({ example: 'onboarding-status', description: 'B6, `stageEntry`: the lifecycle attribute.' })
  @PresentIfGiven()
  @Matches(ATTRIBUTE_KEY_PATTERN, { message: '$property must be an attribute key (slug)' })
  attributeKey?: string;

  @ApiPropertyOptional({
    example: 'stg-implementation',
    description: 'B6, `stageEntry`: the stage id whose latest entry the date counts from.',
  })
  @PresentIfGiven()
  @IsString()
  @MaxLength(64)
  stageId?: string;

  @ApiPropertyOptional({
    example: 'kickoff-call',
    description: 'B6, `taskCompletion`: the id of the task whose completion (until then, its due date) the date counts from.',
  })
  @PresentIfGiven()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  taskId?: string;
}

abstract class TemplateItemBody {
  @ApiPropertyOptional({ example: 'kickoff', description: 'Keep it to keep the item (C10); omit for a new item.' })
  @PresentIfGiven()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id?: string;

  @ApiProperty({ example: 'Kickoff' })
  @IsString()
  @Matches(NOT_BLANK, { message: NOT_BLANK_MESSAGE })
  @MaxLength(TEMPLATE_LIMITS.name)
  name!: string;

  @ApiPropertyOptional({ example: 1, description: 'Sort key among siblings; default: the position in the list.' })
  @PresentIfGiven()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: '$property must be a finite number' })
  order?: number;

  @ApiPropertyOptional({ type: DaysDueBody, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => DaysDueBody)
  daysDue?: DaysDueBody | null;
}

export class TemplateTaskBody extends TemplateItemBody {
  @ApiPropertyOptional({ example: 'csm', description: '"csm" assigns the task to the account owner.' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,39}$/, { message: '$property must be a lowercase role name such as csm' })
  ownerRole?: string | null;
}

export class TemplateActivityBody extends TemplateItemBody {
  @ApiPropertyOptional({ type: [TemplateTaskBody] })
  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(TEMPLATE_LIMITS.tasks)
  @ValidateNested({ each: true })
  @Type(() => TemplateTaskBody)
  tasks?: TemplateTaskBody[];
}

export class TemplateStageBody extends TemplateItemBody {
  @ApiPropertyOptional({ type: [TemplateActivityBody] })
  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(TEMPLATE_LIMITS.activities)
  @ValidateNested({ each: true })
  @Type(() => TemplateActivityBody)
  activities?: TemplateActivityBody[];
}

/** A whole template (create, edit, preview): stages → activities → tasks, in order. */
export class TemplateBody {
  @ApiProperty({ example: 'Enterprise onboarding' })
  @IsString()
  @Matches(NOT_BLANK, { message: NOT_BLANK_MESSAGE })
  @MaxLength(TEMPLATE_LIMITS.name)
  name!: string;

  @ApiPropertyOptional({ example: 'From kickoff to go-live', nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEMPLATE_LIMITS.description)
  description?: string | null;

  @ApiPropertyOptional({ example: 'adoption', nullable: true, description: 'C8: started when a cycle of this template completes.' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  nextTemplateId?: string | null;

  @ApiPropertyOptional({ type: [TemplateStageBody] })
  @PresentIfGiven()
  @IsArray()
  @ArrayMaxSize(TEMPLATE_LIMITS.stages)
  @ValidateNested({ each: true })
  @Type(() => TemplateStageBody)
  stages?: TemplateStageBody[];
}

export class CreateTemplateBody extends TemplateBody {
  @ApiPropertyOptional({ example: 'enterprise-onboarding', description: 'Generated when omitted.' })
  @PresentIfGiven()
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  id?: string;
}

export class TemplateParams {
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  templateId!: string;
}

export class SetDefaultTemplateBody {
  @ApiProperty({ example: 'enterprise-onboarding' })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  templateId!: string;
}
