import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { SLA_STATUSES, SLA_UNITS, type SlaStatus, type SlaUnit } from '@lifecycle/rules';

export class StageRefResponse {
  @ApiProperty({ example: 'stg-configuration' }) id!: string;
  @ApiProperty({ example: 'Configuration' }) name!: string;
}

export class StageCountersResponse {
  @ApiProperty({ example: 'stg-kickoff' }) id!: string;
  @ApiProperty({ example: 'Kickoff' }) name!: string;
  @ApiProperty({
    example: 6,
    nullable: true,
    type: Number,
    description: 'Whole days in this stage in the current cycle (L9); null for a canceled account (L10).',
  })
  days!: number | null;
  @ApiProperty({ example: 518400000, nullable: true, type: Number }) ms!: number | null;
  @ApiProperty({ example: 6, nullable: true, type: Number, description: 'Cumulative days over all cycles.' }) totalDays!: number | null;
  @ApiProperty({ example: 518400000, nullable: true, type: Number }) totalMs!: number | null;
  @ApiProperty({
    example: 4,
    nullable: true,
    type: Number,
    description: "B2: whole business days in this stage in the current cycle, on the account's calendar; null when canceled.",
  })
  businessDays!: number | null;
}

/** B3: the SLA of the current stage; `none` without one (and then every other field is null). */
export class SlaResponse {
  @ApiProperty({ enum: SLA_STATUSES, example: 'at-risk' }) status!: SlaStatus;
  @ApiProperty({ example: 5, nullable: true, type: Number }) expected!: number | null;
  @ApiProperty({ enum: SLA_UNITS, example: 'business-days', nullable: true }) unit!: SlaUnit | null;
  @ApiProperty({ example: 0.8, nullable: true, type: Number }) atRisk!: number | null;
  @ApiProperty({
    example: '2025-03-06T23:00:00.000Z',
    nullable: true,
    type: String,
    description: 'When the stage entry reaches the at-risk point.',
  })
  atRiskAt!: string | null;
  @ApiProperty({
    example: '2025-03-07T23:00:00.000Z',
    nullable: true,
    type: String,
    description: 'When the expected duration is used up (overdue from then).',
  })
  dueAt!: string | null;
}

/** SPEC 5.4: one attribute of an account's `lifecycle`. */
export class LifecycleResponse {
  @ApiProperty({ type: StageRefResponse, nullable: true, description: 'Null = no value ("None").' }) stage!: StageRefResponse | null;
  @ApiProperty({ example: 1, description: '0 = never started.' }) cycle!: number;
  @ApiProperty({ example: 0 }) completedCycles!: number;
  @ApiProperty({ example: false, description: 'Sitting in an end stage (L5).' }) completed!: boolean;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', nullable: true, type: String }) cycleStartedAt!: string | null;
  @ApiProperty({ example: '2025-03-07T09:00:00.000Z', nullable: true, type: String }) stageEnteredAt!: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) lastCompletedAt!: string | null;
  @ApiProperty({ example: 10, nullable: true, type: Number }) daysInAttribute!: number | null;
  @ApiProperty({ example: 864000000, nullable: true, type: Number }) msInAttribute!: number | null;
  @ApiProperty({
    example: 8,
    nullable: true,
    type: Number,
    description: "B2: whole business days of the current cycle, on the account's calendar.",
  })
  businessDaysInAttribute!: number | null;
  @ApiProperty({ example: 4, nullable: true, type: Number, description: 'B2: whole business days in the current stage in this cycle.' })
  businessDaysInStage!: number | null;
  @ApiProperty({ type: SlaResponse, description: 'B3: the SLA status of the current stage.' }) sla!: SlaResponse;
  @ApiProperty({ type: [StageCountersResponse], description: 'Every stage of the attribute, in order.' }) stages!: StageCountersResponse[];
}

export class SubscriptionResponse {
  @ApiProperty({ example: true }) active!: boolean;
  @ApiProperty({ example: '2026-01-31', nullable: true, type: String }) renewalDate!: string | null;
}

/** SPEC 5.4 without `primaryCycle` (the gateway adds it from cycle planning). */
@ApiExtraModels(LifecycleResponse)
export class AccountResponse {
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ example: 'Acme', nullable: true, type: String, description: 'Null until the CRM sent the account.' }) name!: string | null;
  @ApiProperty({ example: 'enterprise', nullable: true, type: String }) clientType!: string | null;
  @ApiProperty({ example: 'csm-42', nullable: true, type: String }) ownerId!: string | null;
  @ApiProperty({ example: false }) canceled!: boolean;
  @ApiProperty({ type: SubscriptionResponse, nullable: true }) subscription!: SubscriptionResponse | null;
  @ApiProperty({
    example: 'germany',
    nullable: true,
    type: String,
    description: 'B1: the calendar named by the CRM; null = the default calendar.',
  })
  calendarKey!: string | null;
  @ApiProperty({ example: '2025-01-15T00:00:00.000Z', nullable: true, type: String }) createdAt!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(LifecycleResponse) },
    description: 'Every attribute the account has a state of, by attribute key; counters computed at read time.',
  })
  lifecycle!: Record<string, LifecycleResponse>;
}

export class AccountPageResponse {
  @ApiProperty({ type: [AccountResponse] }) items!: AccountResponse[];
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 50 }) pageSize!: number;
  @ApiProperty({ example: 120 }) total!: number;
}

export class SetStatusResponse {
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
  @ApiProperty({ type: LifecycleResponse }) lifecycle!: LifecycleResponse;
}

export class StatusHistoryEntryResponse {
  @ApiProperty({ example: '1f0c…' }) changeId!: string;
  @ApiProperty({ example: 2, description: 'Insertion order.' }) seq!: number;
  @ApiProperty({ type: StageRefResponse, nullable: true }) from!: StageRefResponse | null;
  @ApiProperty({ type: StageRefResponse, nullable: true }) to!: StageRefResponse | null;
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

export class StatusHistoryResponse {
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ example: 'onboarding-status' }) attributeKey!: string;
  @ApiProperty({ type: [StatusHistoryEntryResponse], description: 'In time order (L11).' }) entries!: StatusHistoryEntryResponse[];
}
