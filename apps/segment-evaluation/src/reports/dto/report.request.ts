import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { REPORT_INTERVALS, type ReportInterval } from '../../domain/lifecycle-report';

const ISO_DATE_OR_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;
const ISO_MESSAGE = 'must be an ISO-8601 date ("2025-01-31") or date-time with zone';

export class LifecycleReportQuery {
  @ApiProperty({ example: 'onboarding-status' })
  @IsString()
  @Length(1, 64)
  attribute!: string;

  @ApiPropertyOptional({ example: '2025-01-01', description: 'Window start (inclusive); default: 90 days before `to`.' })
  @IsOptional()
  @Matches(ISO_DATE_OR_TIME, { message: `from ${ISO_MESSAGE}` })
  from?: string;

  @ApiPropertyOptional({ example: '2025-03-31', description: 'Window end (exclusive; a date includes that whole day); default: now.' })
  @IsOptional()
  @Matches(ISO_DATE_OR_TIME, { message: `to ${ISO_MESSAGE}` })
  to?: string;

  @ApiPropertyOptional({
    enum: REPORT_INTERVALS,
    description: 'Timeline step; default: day up to 62 days, week up to 2 years, else month.',
  })
  @IsOptional()
  @IsIn(REPORT_INTERVALS)
  interval?: ReportInterval;
}
