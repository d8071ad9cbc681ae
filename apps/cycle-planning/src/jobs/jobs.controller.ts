import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { jobNotFound } from '../domain';
import { CycleJobsQueue, type JobView } from './cycle-jobs.queue';

export class JobParamsDto {
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'jobId must be a job id' })
  jobId!: string;
}

@ApiTags('jobs')
@Controller('v1/jobs')
export class JobsController {
  constructor(private readonly jobs: CycleJobsQueue) {}

  @Get(':jobId')
  @ApiOperation({ summary: 'State and progress of a cycle-planning job (`cycles-…`: template propagation, bulk primary)' })
  async get(@Param() params: JobParamsDto): Promise<JobView> {
    const view = await this.jobs.view(params.jobId);
    if (view === undefined) throw jobNotFound(params.jobId);
    return view;
  }
}
