import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { ACCOUNT_ID_MESSAGE, ACCOUNT_ID_PATTERN, ATTRIBUTE_KEY_PATTERN } from '@lifecycle/contracts';
import { LifecycleViewDto, StageRefDto } from './lifecycle-view.dto';

export class StatusParamsDto {
  @ApiProperty({ example: 'acme' })
  @Matches(ACCOUNT_ID_PATTERN, { message: ACCOUNT_ID_MESSAGE })
  accountId!: string;

  @ApiProperty({ example: 'onboarding-status' })
  @Matches(ATTRIBUTE_KEY_PATTERN, { message: 'attributeKey must be an attribute key (slug)' })
  @Length(1, 64)
  attributeKey!: string;
}

export class SetStatusBodyDto {
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
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'at must be an ISO-8601 timestamp' })
  at?: string;
}

export class SetStatusResponseDto {
  @ApiProperty({
    enum: ['applied', 'noop', 'duplicate'],
    example: 'applied',
    description: 'applied: written to the history; noop: same value (L8); duplicate: idempotency key seen before (L12).',
  })
  outcome!: 'applied' | 'noop' | 'duplicate';
  @ApiProperty({ example: '1f0c…', nullable: true, type: String }) changeId!: string | null;
  @ApiProperty({ example: false, description: 'The change landed before the latest one and the counters were recomputed (L11).' })
  recomputed!: boolean;
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ example: 'onboarding-status' }) attributeKey!: string;
  @ApiProperty({ example: false }) canceled!: boolean;
  @ApiProperty({ type: LifecycleViewDto }) lifecycle!: LifecycleViewDto;
}

export class StatusHistoryEntryDto {
  @ApiProperty({ example: '1f0c…' }) changeId!: string;
  @ApiProperty({ example: 2, description: 'Insertion order.' }) seq!: number;
  @ApiProperty({ type: StageRefDto, nullable: true }) from!: StageRefDto | null;
  @ApiProperty({ type: StageRefDto, nullable: true }) to!: StageRefDto | null;
  @ApiProperty({ example: '2025-03-07T09:00:00.000Z' }) at!: string;
  @ApiProperty({ example: '2025-03-07T09:00:01.000Z' }) recordedAt!: string;
  @ApiProperty({ enum: ['rest', 'csv', 'crm'] }) source!: 'rest' | 'csv' | 'crm';
  @ApiProperty({ example: 'csm-42', nullable: true, type: String }) actor!: string | null;
  @ApiProperty({ example: 'b7d1…', nullable: true, type: String }) requestId!: string | null;
  @ApiProperty({ example: true, description: 'False when, in time order, the entry repeats the value it lands on (no transition).' })
  effective!: boolean;
  @ApiProperty({ enum: ['set', 'moved-back', 'cycle-restarted', 'cleared'], nullable: true, type: String }) cause!: string | null;
  @ApiProperty({ example: 1, nullable: true, type: Number }) cycle!: number | null;
}

export class StatusHistoryDto {
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ example: 'onboarding-status' }) attributeKey!: string;
  @ApiProperty({ type: [StatusHistoryEntryDto], description: 'In time order (L11).' }) entries!: StatusHistoryEntryDto[];
}
