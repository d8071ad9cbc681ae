import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { JOB_RETENTION, SlaCheckJob, SlaSweepJob, type SlaCheckJobData, type SlaSweepJobData } from '../jobs/tracking-jobs';

/** Typed access to `tracking-sla`: timers at crossing instants, and sweeps. */
@Injectable()
export class SlaTimersQueue {
  constructor(@InjectQueue(SlaCheckJob.queue) private readonly queue: Queue<SlaCheckJobData | SlaSweepJobData>) {}

  /** A look at the pair at `at` (a delayed job); asking again for the same pair and instant queues nothing more. */
  async lookAt(accountId: string, attributeKey: string, at: Date, now: Date): Promise<void> {
    const pairHash = createHash('sha1').update(`${accountId}|${attributeKey}`).digest('hex').slice(0, 24);
    await this.queue.add(
      SlaCheckJob.name,
      { accountId, attributeKey, at: at.toISOString() },
      {
        jobId: SlaCheckJob.jobId(pairHash, at),
        delay: Math.max(0, at.getTime() - now.getTime()),
        attempts: 5,
        backoff: { type: 'exponential', delay: 2_000 },
        // Removed once done, so a later look at the same instant (the pair left and came back) can be queued.
        removeOnComplete: true,
        removeOnFail: JOB_RETENTION.removeOnFail,
      },
    );
  }

  /** A sweep; `reason` makes its id (the same reason twice while one is pending queues one). Returns the job id. */
  async sweep(reason: string, data: SlaSweepJobData = {}): Promise<string> {
    const jobId = SlaSweepJob.jobId(reason);
    await this.queue.add(SlaSweepJob.name, data, { jobId, attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, ...JOB_RETENTION });
    return jobId;
  }
}
