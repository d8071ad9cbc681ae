import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { describeError } from '@lifecycle/messaging';
import { runResumable } from '../jobs/job-handoff';
import { MaterializeDayJob } from '../jobs/tracking-jobs';
import { DailyCountersService, type DailyCountersJobData, type DailyCountersResult } from './daily-counters.service';

@Processor(MaterializeDayJob.queue, { concurrency: 1 })
export class DailyCountersProcessor extends WorkerHost {
  private readonly logger = new Logger(DailyCountersProcessor.name);

  constructor(private readonly counters: DailyCountersService) {
    super();
  }

  async process(job: Job<DailyCountersJobData>, token?: string): Promise<DailyCountersResult> {
    return runResumable(job, token, () =>
      this.counters.materialize(job.data, {
        // The run's `asOf` (then its totals) live in the job itself: a retry or a handed-back job
        // continues the same run; what it already wrote is in the run's staging collection.
        checkpoint: (data) => job.updateData(data),
        progress: (progress) => job.updateProgress({ ...progress }),
      }),
    );
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn(`daily counters worker: ${describeError(error)}`);
  }
}
