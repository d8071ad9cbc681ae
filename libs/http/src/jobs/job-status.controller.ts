import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Queue } from 'bullmq';
import { queueOfJob } from '@lifecycle/contracts';
import { jobNotFound } from './job-errors';
import { JobResponse } from './job.response';
import { readJobSnapshot } from './job-snapshot';
import { JobParams } from './jobs.request';

/** The queues of this service (by name) that `GET /v1/jobs/{jobId}` reads. */
export const JOB_QUEUES = Symbol('JOB_QUEUES');

/** `GET /v1/jobs/{jobId}` of every service: the job id names its queue, the service reads it there. */
@ApiTags('jobs')
@Controller('v1/jobs')
export class JobStatusController {
  constructor(@Inject(JOB_QUEUES) private readonly queues: ReadonlyMap<string, Queue>) {}

  @Get(':jobId')
  @ApiOperation({ summary: 'State, progress and result of a background job (CSV import, template propagation, membership …)' })
  @ApiOkResponse({ type: JobResponse })
  async get(@Param() params: JobParams): Promise<JobResponse> {
    const name = queueOfJob(params.jobId);
    const queue = name === null ? undefined : this.queues.get(name);
    const job = queue === undefined ? undefined : await readJobSnapshot(queue, params.jobId);
    if (queue === undefined || job === undefined) throw jobNotFound(params.jobId);
    return { jobId: params.jobId, queue: queue.name, ...job, state: job.state as JobResponse['state'] };
  }
}
