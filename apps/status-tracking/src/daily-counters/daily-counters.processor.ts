import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { describeError } from '@lifecycle/messaging';
import { runResumable } from '../jobs/job-handoff';
import { MaterializeDayJob, type MaterializeDayJobData } from '../jobs/tracking-jobs';
import { DailyCountersService, type DailyCountersResult } from './daily-counters.service';

@Processor(MaterializeDayJob.queue, { concurrency: 1 })
export class DailyCountersProcessor extends WorkerHost {
  private readonly logger = new Logger(DailyCountersProcessor.name);

  constructor(private readonly counters: DailyCountersService) {
    super();
  }

  async process(job: Job<MaterializeDayJobData>, token?: string): Promise<DailyCountersResult> {
    return runResumable(job, token, () =>
      this.counters.materialize(job.data, async (data) => {
        // The cursor lives in the job itself: a retry or a handed-back job starts after the last batch done.
        await job.updateData(data);
        await job.updateProgress({
          day: data.day,
          cursor: data.cursor,
          statesSeen: data.statesSeen,
          statesMaterialized: data.statesMaterialized,
        });
      }),
    );
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn(`daily counters worker: ${describeError(error)}`);
  }
}
