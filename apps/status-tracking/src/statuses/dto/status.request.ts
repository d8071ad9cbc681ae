import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { IsIsoDate, PresentIfGiven } from '@lifecycle/http';
import { ACCOUNT_ID_MESSAGE, ACCOUNT_ID_PATTERN, ATTRIBUTE_KEY_PATTERN } from '@lifecycle/contracts';

export class AccountParams {
  @ApiProperty({ example: 'acme' })
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId!: string;
}

export class ListAccountsQuery {
  @ApiProperty({ required: false, example: 'onboarding-status', description: 'Only accounts with a state of this attribute.' })
  @IsOptional()
  @Matches(ATTRIBUTE_KEY_PATTERN, { message: 'attribute must be an attribute key (slug)' })
  attribute?: string;

  @ApiProperty({ required: false, example: 'Kickoff', description: 'Stage name or id (needs `attribute`); "none" = no value.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  stage?: string;

  @ApiProperty({ required: false, example: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiProperty({ required: false, example: 50, default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

export class StatusParams {
  @ApiProperty({ example: 'acme' })
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId!: string;

  @ApiProperty({ example: 'onboarding-status' })
  @Matches(ATTRIBUTE_KEY_PATTERN, { message: 'attributeKey must be an attribute key (slug)' })
  @Length(1, 64)
  attributeKey!: string;
}

export class SetStatusBody {
  @ApiProperty({ example: 'Configuration', nullable: true, type: String, description: 'Stage name or id; null clears the value (L7).' })
  @ValidateIf((_o, v) => v !== null)
  @IsString({ message: 'stage must be a stage name or id, or null to clear' })
  @Length(1, 100)
  stage!: string | null;

  @ApiProperty({
    required: false,
    example: '2025-03-07T09:00:00.000Z',
    description: 'Effective time (default: now; not in the future). Earlier than the latest change = backdated (L11).',
  })
  @PresentIfGiven()
  @IsIsoDate('at must be an ISO-8601 timestamp')
  at?: string;
}
