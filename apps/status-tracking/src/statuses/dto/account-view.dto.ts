import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ACCOUNT_ID_MESSAGE, ACCOUNT_ID_PATTERN, ATTRIBUTE_KEY_PATTERN } from '@lifecycle/contracts';
import { LifecycleViewDto } from './lifecycle-view.dto';

export class AccountParamsDto {
  @ApiProperty({ example: 'acme' })
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId!: string;
}

export class SubscriptionViewDto {
  @ApiProperty({ example: true }) active!: boolean;
  @ApiProperty({ example: '2026-01-31', nullable: true, type: String }) renewalDate!: string | null;
}

/** SPEC 5.4 without `primaryCycle` (the gateway adds it from cycle planning). */
@ApiExtraModels(LifecycleViewDto)
export class AccountViewDto {
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ example: 'Acme', nullable: true, type: String, description: 'Null until the CRM sent the account.' }) name!: string | null;
  @ApiProperty({ example: 'enterprise', nullable: true, type: String }) clientType!: string | null;
  @ApiProperty({ example: 'csm-42', nullable: true, type: String }) ownerId!: string | null;
  @ApiProperty({ example: false }) canceled!: boolean;
  @ApiProperty({ type: SubscriptionViewDto, nullable: true }) subscription!: SubscriptionViewDto | null;
  @ApiProperty({ example: '2025-01-15T00:00:00.000Z', nullable: true, type: String }) createdAt!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(LifecycleViewDto) },
    description: 'Every attribute the account has a state of, by attribute key; counters computed at read time.',
  })
  lifecycle!: Record<string, LifecycleViewDto>;
}

export class ListAccountsQueryDto {
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

export class AccountPageDto {
  @ApiProperty({ type: [AccountViewDto] }) items!: AccountViewDto[];
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 50 }) pageSize!: number;
  @ApiProperty({ example: 120 }) total!: number;
}
