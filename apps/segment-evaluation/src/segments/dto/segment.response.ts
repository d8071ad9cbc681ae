import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SegmentView {
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
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({
    description: 'The membership re-evaluation this change started (GET /v1/jobs/{jobId}).',
    example: 'segments-segment-0b5c2c1e-v1',
  })
  membershipJobId?: string;
}

export class SegmentListView {
  @ApiProperty({ type: [SegmentView] }) items!: SegmentView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class MemberView {
  @ApiProperty({ example: 'acme' }) accountId!: string;
  @ApiProperty({ example: 'Acme' }) name!: string;
  @ApiProperty({ nullable: true, type: String }) clientType!: string | null;
  @ApiProperty({ nullable: true, type: String }) ownerId!: string | null;
  @ApiProperty() canceled!: boolean;
}

export class MembersView {
  @ApiProperty({ type: [MemberView] }) items!: MemberView[];
  @ApiProperty({ description: 'All members (count).' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'The instant the (time-based) criteria were evaluated at.' }) evaluatedAt!: string;
}

export class PreviewView {
  @ApiProperty({ description: 'Matching accounts.' }) count!: number;
  @ApiProperty({ type: [MemberView], description: 'The first page of members.' }) members!: MemberView[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The criteria in canonical form.' }) criteria!: unknown;
  @ApiProperty() evaluatedAt!: string;
}

export class DeletedSegmentView {
  @ApiProperty() id!: string;
  @ApiProperty() deleted!: boolean;
  @ApiProperty({ description: 'Members leave the segment (segment.exited) in this job.' }) membershipJobId!: string;
}
