import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SegmentResponse {
  @ApiProperty({ example: '0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10' }) id!: string;
  @ApiProperty({ example: 'Stuck in Kickoff over 30 days' }) name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Canonical form: stages as ids, windows as ISO date-times.',
    example: { attribute: 'onboarding-status', isOneOf: ['stg-kickoff'], daysInStage: { gt: 30 } },
  })
  criteria!: unknown;
  @ApiProperty({ example: ['onboarding-status'] }) attributes!: string[];
  @ApiProperty({ description: 'Membership changes with time alone (re-evaluated daily).' }) timeBased!: boolean;
  @ApiProperty({ example: 1, type: 'integer' }) version!: number;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', format: 'date-time' }) createdAt!: string;
  @ApiProperty({ example: '2025-03-01T09:00:00.000Z', format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({
    description: 'The membership re-evaluation this change started (GET /v1/jobs/{jobId}).',
    example: 'segments-membership-segment-0b5c2c1e-v1',
  })
  membershipJobId?: string;
}

export class SegmentListResponse {
  @ApiProperty({ type: [SegmentResponse] }) items!: SegmentResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class MemberResponse {
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ example: 'Acme' }) name!: string;
  @ApiProperty({ nullable: true, type: String }) clientType!: string | null;
  @ApiProperty({ nullable: true, type: String }) ownerId!: string | null;
  @ApiProperty() canceled!: boolean;
}

export class MembersPageResponse {
  @ApiProperty({ type: [MemberResponse] }) items!: MemberResponse[];
  @ApiProperty({ description: 'All members (count).' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'The instant the (time-based) criteria were evaluated at.' }) evaluatedAt!: string;
}

export class PreviewResponse {
  @ApiProperty({ description: 'Matching accounts.' }) count!: number;
  @ApiProperty({ type: [MemberResponse], description: 'The first page of members.' }) members!: MemberResponse[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The criteria in canonical form.' }) criteria!: unknown;
  @ApiProperty() evaluatedAt!: string;
}

export class DeletedSegmentResponse {
  @ApiProperty() id!: string;
  @ApiProperty() deleted!: boolean;
  @ApiProperty({ description: 'Members leave the segment (segment.exited) in this job.' }) membershipJobId!: string;
}

export class DayStatisticsResponse {
  @ApiProperty({ example: 12, type: 'integer', description: 'Accounts the figures are computed from (non-canceled, with a known clock).' })
  accounts!: number;
  @ApiProperty({ example: 17.25, nullable: true, type: Number }) avg!: number | null;
  @ApiProperty({ example: 16, nullable: true, type: Number }) median!: number | null;
  @ApiProperty({ example: 41, nullable: true, type: Number }) max!: number | null;
}

export class SlaCountsResponse {
  @ApiProperty({ example: 7, type: 'integer', description: 'Accounts before the at-risk point of the stage SLA (B3).' }) onTrack!: number;
  @ApiProperty({ example: 3, type: 'integer', description: 'Accounts from the at-risk point until the expected duration.' })
  atRisk!: number;
  @ApiProperty({ example: 2, type: 'integer', description: 'Accounts past the expected duration.' }) overdue!: number;
}

export class ProgressGroupResponse {
  @ApiProperty({ example: 'stg-kickoff', nullable: true, type: String, description: 'null: the "None" group (no value).' })
  stageId!: string | null;
  @ApiProperty({ example: 'Kickoff' }) name!: string;
  @ApiProperty({ example: 0, nullable: true, type: 'integer' }) order!: number | null;
  @ApiProperty({ example: false }) endStage!: boolean;
  @ApiProperty({ example: false }) disabled!: boolean;
  @ApiProperty({ example: true, description: 'False for a stage id the catalog does not (or no longer) know.' }) known!: boolean;
  @ApiProperty({ example: 12, type: 'integer' }) count!: number;
  @ApiProperty({ example: ['acme', 'globex'], type: [String] }) accountIds!: string[];
  @ApiProperty({ example: false, description: 'More members in the group than listed (`limitPerStage`).' }) accountIdsTruncated!: boolean;
  @ApiProperty({
    type: DayStatisticsResponse,
    description: 'Whole days in the current stage (L9); canceled accounts are not measured (L10).',
  })
  daysInStage!: DayStatisticsResponse;
  @ApiProperty({
    type: SlaCountsResponse,
    description:
      'B3: the accounts of the group by the SLA status of their stage; all 0 for a stage without an SLA, canceled accounts not counted.',
  })
  sla!: SlaCountsResponse;
}

/** S4: the members of a segment by stage of one attribute, now or as of a past date. */
export class ProgressResponse {
  @ApiProperty({ example: '0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10' }) segmentId!: string;
  @ApiProperty({ example: 'onboarding-status' }) attribute!: string;
  @ApiProperty({ example: '2025-03-08T10:00:00.000Z', format: 'date-time', description: 'The instant the board describes.' }) at!: string;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' }) asOf!: string | null;
  @ApiProperty({ example: 40, type: 'integer' }) total!: number;
  @ApiProperty({ type: [ProgressGroupResponse], description: 'Stages in order, then "None", then stages the catalog no longer knows.' })
  groups!: ProgressGroupResponse[];
}

/** S5: the saved segments an account is a member of. */
export class AccountSegmentResponse {
  @ApiProperty({ example: '0b5c2c1e-7c1d-4d3a-9a55-2f7e3c1d9b10' }) id!: string;
  @ApiProperty({ example: 'Stuck in Kickoff over 30 days' }) name!: string;
}

export class AccountSegmentsResponse {
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ type: [AccountSegmentResponse], description: 'The saved segments the account is a member of (S5), by name.' })
  segments!: AccountSegmentResponse[];
}
