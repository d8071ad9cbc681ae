import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { describeError } from '@lifecycle/messaging';
import { SlaCheckJob, SlaSweepJob, type SlaCheckJobData, type SlaSweepJobData } from '../jobs/tracking-jobs';
import { SlaSweepRunner, type SlaSweepResult } from './sla-sweep.runner';
import { SlaTrackerService } from './sla-tracker.service';

@Processor(SlaCheckJob.queue, { concurrency: 4 })
export class SlaProcessor extends WorkerHost {
  private readonly logger = new Logger(SlaProcessor.name);

  constructor(
    private readonly tracker: SlaTrackerService,
    private readonly sweeps: SlaSweepRunner,
  ) {
    super();
  }

  async process(job: Job<SlaCheckJobData | SlaSweepJobData>): Promise<SlaSweepResult | { published: number }> {
    if (job.name === SlaSweepJob.name) {
      return this.sweeps.run(job.data as SlaSweepJobData, (p) => job.updateProgress({ ...p }));
    }
    const data = job.data as SlaCheckJobData;
    // A timer may fire a moment early by this process's clock: the look is as of the crossing it is for.
    const now = new Date(Math.max(Date.now(), Date.parse(data.at)));
    const look = await this.tracker.look(data.accountId, data.attributeKey, now);
    return { published: look?.published ?? 0 };
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn(`SLA worker: ${describeError(error)}`);
  }
}
