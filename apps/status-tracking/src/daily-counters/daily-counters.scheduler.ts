import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { JOB_RETENTION, MaterializeDayJob, type MaterializeDayJobData } from '../jobs/tracking-jobs';

/** The one place the daily counters schedule is declared (upserted at every start: idempotent). */
@Injectable()
export class DailyCountersScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(DailyCountersScheduler.name);

  constructor(@InjectQueue(MaterializeDayJob.queue) private readonly queue: Queue<MaterializeDayJobData>) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      MaterializeDayJob.schedulerId,
      { pattern: MaterializeDayJob.pattern, tz: 'UTC' },
      { name: MaterializeDayJob.name, data: {}, opts: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, ...JOB_RETENTION } },
    );
    this.logger.log(`daily counters scheduled (${MaterializeDayJob.pattern} UTC)`);
  }

  /** A run now (admins, tests); returns the job id to follow at GET /v1/jobs/{jobId}. */
  async runNow(day: string | undefined, runId: string): Promise<string> {
    const dayLabel = day ?? new Date().toISOString().slice(0, 10);
    const jobId = MaterializeDayJob.jobId(dayLabel, runId);
    await this.queue.add(MaterializeDayJob.name, day === undefined ? {} : { day }, {
      jobId,
      attempts: 3,
      backoff: { type: 'exponential', delay: 2_000 },
      ...JOB_RETENTION,
    });
    return jobId;
  }
}
