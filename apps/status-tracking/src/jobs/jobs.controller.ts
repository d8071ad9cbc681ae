import { Controller, Get, Param } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { Matches } from 'class-validator';
import { readJobSnapshot } from '@lifecycle/http';
import { jobNotFound } from '../domain/tracking-errors';
import { ImportStatusesJob, JOB_ID_PREFIX, MaterializeDayJob } from './tracking-jobs';

export class JobParamsDto {
  @ApiProperty({ example: 'tracking-import-9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10' })
  @Matches(/^[A-Za-z0-9:_-]{1,200}$/, { message: 'jobId must be a job id' })
  jobId!: string;
}

export class JobViewDto {
  @ApiProperty({ example: 'tracking-import-9b2f6c1e-3f7a-4d55-9c1e-0f5a8e7d2b10' }) jobId!: string;
  @ApiProperty({ example: 'tracking-imports' }) queue!: string;
  @ApiProperty({ example: 'import-statuses' }) name!: string;
  @ApiProperty({
    enum: ['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized', 'waiting-children', 'unknown'],
    example: 'active',
  })
  state!: string;
  @ApiProperty({ example: { phase: 'applying', rowsDone: 5000, totalRows: 100000 }, description: 'Job-specific progress.' })
  progress!: unknown;
  @ApiProperty({ example: null, nullable: true, description: 'The return value once completed.' }) result!: unknown;
  @ApiProperty({ example: null, nullable: true, type: String }) failedReason!: string | null;
  @ApiProperty({ example: 1 }) attemptsMade!: number;
  @ApiProperty({ example: '2025-03-08T00:05:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '2025-03-08T00:05:00.120Z', nullable: true, type: String }) processedAt!: string | null;
  @ApiProperty({ example: '2025-03-08T00:05:09.800Z', nullable: true, type: String }) finishedAt!: string | null;
}

/** `GET /v1/jobs/{jobId}` for this service's jobs (ids starting with `tracking-`). */
@ApiTags('jobs')
@Controller('v1/jobs')
export class JobsController {
  constructor(
    @InjectQueue(ImportStatusesJob.queue) private readonly imports: Queue,
    @InjectQueue(MaterializeDayJob.queue) private readonly dailyCounters: Queue,
  ) {}

  @Get(':jobId')
  @ApiOperation({ summary: 'State and progress of a background job of status tracking (CSV import, daily counters)' })
  @ApiOkResponse({ type: JobViewDto })
  @ApiNotFoundResponse({ description: 'Unknown or expired job id.' })
  async get(@Param() params: JobParamsDto): Promise<JobViewDto> {
    const queue = this.queueOf(params.jobId);
    const job = queue ? await readJobSnapshot(queue, params.jobId) : undefined;
    if (!queue || !job) throw jobNotFound(params.jobId);
    return {
      jobId: params.jobId,
      queue: queue.name,
      ...job,
    };
  }

  private queueOf(jobId: string): Queue | null {
    if (jobId.startsWith(ImportStatusesJob.jobId(''))) return this.imports;
    if (jobId.startsWith(`${JOB_ID_PREFIX}daily-counters-`)) return this.dailyCounters;
    return null;
  }
}
