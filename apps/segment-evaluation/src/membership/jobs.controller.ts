import { Controller, Get, Param } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { Matches } from 'class-validator';
import { readJobSnapshot } from '@lifecycle/http';
import { SegmentError, SegmentErrorCode } from '../domain/segment-errors';
import { EvaluateMembershipJob, JOB_ID_PREFIX } from './membership-jobs';

export class JobParamsDto {
  @ApiProperty({ example: 'segments-day-rolled-2025-03-08' })
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'jobId must be a job id' })
  jobId!: string;
}

export class JobViewDto {
  @ApiProperty({ example: 'segments-day-rolled-2025-03-08' }) jobId!: string;
  @ApiProperty({ example: 'segments-membership' }) queue!: string;
  @ApiProperty({ example: 'evaluate-membership' }) name!: string;
  @ApiProperty({
    enum: ['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized', 'waiting-children', 'unknown'],
    example: 'active',
  })
  state!: string;
  @ApiProperty({ example: { reason: 'day-rolled', segments: 3, examined: 1500, entered: 12, exited: 3 } })
  progress!: unknown;
  @ApiProperty({ example: null, nullable: true, description: 'The return value once completed.' }) result!: unknown;
  @ApiProperty({ example: null, nullable: true, type: String }) failedReason!: string | null;
  @ApiProperty({ example: 1 }) attemptsMade!: number;
  @ApiProperty({ example: '2025-03-08T00:05:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '2025-03-08T00:05:00.120Z', nullable: true, type: String }) processedAt!: string | null;
  @ApiProperty({ example: '2025-03-08T00:05:09.800Z', nullable: true, type: String }) finishedAt!: string | null;
}

/** `GET /v1/jobs/{jobId}` for this service's jobs (ids starting with `segments-`). */
@ApiTags('jobs')
@Controller('v1/jobs')
export class JobsController {
  constructor(@InjectQueue(EvaluateMembershipJob.queue) private readonly queue: Queue) {}

  @Get(':jobId')
  @ApiOperation({ summary: 'State and progress of a membership re-evaluation job (segment saved or deleted, day rolled)' })
  @ApiOkResponse({ type: JobViewDto })
  @ApiNotFoundResponse({ description: 'Unknown or expired job id.' })
  async get(@Param() params: JobParamsDto): Promise<JobViewDto> {
    const job = params.jobId.startsWith(JOB_ID_PREFIX) ? await readJobSnapshot(this.queue, params.jobId) : undefined;
    if (!job) throw new SegmentError(SegmentErrorCode.JobNotFound, `No job ${params.jobId} (unknown, or removed after its retention)`);
    return {
      jobId: params.jobId,
      queue: this.queue.name,
      ...job,
    };
  }
}
