import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { PresentIfGiven } from '@lifecycle/http';
import { ACCOUNT_ID_MESSAGE, ACCOUNT_ID_PATTERN } from '@lifecycle/contracts';

const CRITERIA_EXAMPLE = {
  all: [
    { attribute: 'onboarding-status', isOneOf: ['Kickoff'], daysInStage: { gt: 30 } },
    { field: 'clientType', isOneOf: ['enterprise'] },
  ],
};

const CRITERIA_DESCRIPTION =
  'A criteria tree (SPEC S1): {"all": [...]} / {"any": [...]} of conditions. Lifecycle: {"attribute", "isOneOf" (+ "daysInStage" / "daysInAttribute": {gt, gte, lt, lte, eq}) | "isNotOneOf" | "changed": {lastDays | from / to, fromStage?, toStage?} | "completed": true | window | "doesNotExist": true}; account: {"field": "clientType" | "ownerId", "isOneOf"}, {"field": "canceled", "is"}, {"field": "renewalDate", "withinDays"}. Stages by name (case-insensitive) or id.';

const CRITERIA_MESSAGE = 'criteria must be a criteria tree (a JSON object)';

export class CreateSegmentBody {
  @ApiProperty({ example: 'Stuck in Kickoff over 30 days' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: 'Enterprise onboardings that have not left Kickoff within a month.', nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @Length(0, 2000)
  description?: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, example: CRITERIA_EXAMPLE, description: CRITERIA_DESCRIPTION })
  @IsDefined({ message: 'criteria is required' })
  @IsObject({ message: CRITERIA_MESSAGE })
  criteria!: Record<string, unknown>;
}

export class UpdateSegmentBody {
  @ApiPropertyOptional({ example: 'Stuck in Kickoff over 45 days' })
  @PresentIfGiven()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @Length(0, 2000)
  description?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: CRITERIA_EXAMPLE, description: CRITERIA_DESCRIPTION })
  @PresentIfGiven()
  @IsObject({ message: CRITERIA_MESSAGE })
  criteria?: Record<string, unknown>;
}

export class PreviewSegmentBody {
  @ApiProperty({ type: 'object', additionalProperties: true, example: CRITERIA_EXAMPLE, description: CRITERIA_DESCRIPTION })
  @IsDefined({ message: 'criteria is required' })
  @IsObject({ message: CRITERIA_MESSAGE })
  criteria!: Record<string, unknown>;

  @ApiPropertyOptional({ example: 20, minimum: 1, maximum: 200, description: 'Members returned with the count (the first page).' })
  @PresentIfGiven()
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

export class AccountParams {
  @ApiProperty({ example: 'acme' })
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId!: string;
}

export class SegmentParams {
  @ApiProperty({ example: '0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10' })
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'id must be a segment id' })
  id!: string;
}

export class PageQuery {
  @ApiPropertyOptional({ example: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'pageSize must be a whole number' })
  @Min(1)
  @Max(200)
  pageSize?: number;
}

export class ProgressQuery {
  @ApiProperty({ example: 'onboarding-status', description: 'The attribute whose stages make the board.' })
  @IsString()
  @Length(1, 64)
  attribute!: string;

  @ApiPropertyOptional({
    example: '2025-01-31',
    description: 'The board as it was then (stages and days from the history); not after now.',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/, {
    message: 'asOf must be an ISO-8601 date ("2025-01-31") or date-time with zone',
  })
  asOf?: string;

  @ApiPropertyOptional({
    example: 50,
    minimum: 0,
    maximum: 1000,
    description: 'Account ids listed per stage (counts and statistics cover all).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  limitPerStage?: number;
}
