import { ApiProperty } from '@nestjs/swagger';
import { REPORT_INTERVALS, type LifecycleReport, type ReportInterval } from '../../domain/lifecycle-report';

export class DurationStatisticsResponse {
  @ApiProperty({ example: 14, type: 'integer' }) count!: number;
  @ApiProperty({ example: 6.5, nullable: true, type: Number }) medianDays!: number | null;
  @ApiProperty({ example: 12, nullable: true, type: Number }) p90Days!: number | null;
}

export class StageReportResponse {
  @ApiProperty({ example: 'stg-kickoff' }) stageId!: string;
  @ApiProperty({ example: 'Kickoff' }) name!: string;
  @ApiProperty({ example: 0, type: 'integer' }) order!: number;
  @ApiProperty({ example: false }) endStage!: boolean;
  @ApiProperty({ example: false }) disabled!: boolean;
  @ApiProperty({ example: 5, type: 'integer', description: 'Accounts in this stage at `to`.' }) accounts!: number;
  @ApiProperty({ example: 20, type: 'integer', description: 'Cycles in scope that entered the stage.' }) entered!: number;
  @ApiProperty({ example: 14, type: 'integer', description: 'Of those, cycles that reached a later stage afterwards.' }) advanced!: number;
  @ApiProperty({ example: 0.7, nullable: true, type: Number, description: 'advanced / entered; null for an end stage or none entered.' })
  conversion!: number | null;
  @ApiProperty({ type: DurationStatisticsResponse }) days!: DurationStatisticsResponse;
}

export class TimelinePointResponse {
  @ApiProperty({ example: '2025-03-02T00:00:00.000Z', format: 'date-time' }) at!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { 'stg-kickoff': 4, 'stg-configuration': 2 },
    description: 'Accounts per stage id at `at`.',
  })
  stages!: Record<string, number>;
  @ApiProperty({ example: 1, type: 'integer' }) none!: number;
}

export class ReportCyclesResponse {
  @ApiProperty({ example: 20, type: 'integer' }) inScope!: number;
  @ApiProperty({ example: 8, type: 'integer' }) completed!: number;
  @ApiProperty({ example: 12, type: 'integer' }) running!: number;
  @ApiProperty({ example: 1, type: 'integer' }) cleared!: number;
  @ApiProperty({ example: 2, type: 'integer' }) restarted!: number;
  @ApiProperty({ example: 3, type: 'integer' }) movedBack!: number;
}

/** The lifecycle report of an attribute over a window. */
export class LifecycleReportResponse {
  @ApiProperty({ example: 'onboarding-status' }) attribute!: string;
  @ApiProperty({ example: '2025-01-01T00:00:00.000Z', format: 'date-time' }) from!: string;
  @ApiProperty({ example: '2025-04-01T00:00:00.000Z', format: 'date-time' }) to!: string;
  @ApiProperty({ enum: REPORT_INTERVALS, example: 'week' }) interval!: ReportInterval;
  @ApiProperty({ example: 20, type: 'integer', description: 'Accounts with at least one cycle in scope.' }) accounts!: number;
  @ApiProperty({ example: 1, type: 'integer', description: 'Accounts without a value at `to`.' }) accountsWithoutValue!: number;
  @ApiProperty({ type: ReportCyclesResponse }) cycles!: ReportCyclesResponse;
  @ApiProperty({ type: [StageReportResponse] }) stages!: StageReportResponse[];
  @ApiProperty({ type: DurationStatisticsResponse }) cycleDays!: DurationStatisticsResponse;
  @ApiProperty({ type: [TimelinePointResponse] }) timeline!: TimelinePointResponse[];
}

export function toLifecycleReportResponse(report: LifecycleReport): LifecycleReportResponse {
  return {
    ...report,
    from: report.from.toISOString(),
    to: report.to.toISOString(),
    timeline: report.timeline.map((point) => ({ ...point, at: point.at.toISOString() })),
  };
}
