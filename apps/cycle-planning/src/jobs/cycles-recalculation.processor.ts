import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { putOffOnOutage, type OutageCount } from '@lifecycle/http';
import { BulkPrimaryRunner } from './bulk-primary.runner';
import { CYCLES_QUEUE, type BulkPrimaryJobResult, type CycleJob, type PropagateTemplateJobResult } from './cycle-jobs';
import { YIELDED, type JobHooks } from './job-hooks';
import { TemplatePropagationRunner } from './template-propagation.runner';

/** Pause a yielded job this long before a worker (this one restarted, or another) takes it again. */
const RESUME_DELAY_MS = 200;
/**
 * The worker of `cycles-recalculation`: one handler per job name (the switch is exhaustive).
 * On shutdown, a running job stops after its current page and goes back to the queue (delayed,
 * not failed: no attempt is spent) with its progress saved, so a restarted worker resumes it.
 * An infrastructure failure (database or Redis unreachable, as `isInfrastructureError` of the Kafka
 * consumer path classifies them) puts the job back the same way, with a growing delay and without
 * end: the job is valid and resumes when the server is back. Any other error spends one of the
 * job's bounded attempts (a bug must not retry forever).
 */
@Processor(CYCLES_QUEUE, { concurrency: 2, maxStalledCount: 3 })
export class CyclesRecalculationProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(CyclesRecalculationProcessor.name);
  private stopping = false;

  constructor(
    private readonly propagation: TemplatePropagationRunner,
    private readonly bulkPrimary: BulkPrimaryRunner,
  ) {
    super();
  }

  /**
   * Before the database and Redis connections close: the running job stops after its page and is
   * put back (see `process`), and the worker is closed, so no page is cut short by a closed client.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.worker.close();
  }

  async process(job: Job, token?: string): Promise<PropagateTemplateJobResult | BulkPrimaryJobResult> {
    let outcome: PropagateTemplateJobResult | BulkPrimaryJobResult | typeof YIELDED;
    try {
      outcome = await this.run(job);
    } catch (e) {
      return putOffOnOutage(job, token, e, this.logger);
    }
    if (outcome === YIELDED) {
      this.logger.log(`job ${job.id} paused for shutdown; it resumes from its saved progress`);
      await job.moveToDelayed(Date.now() + RESUME_DELAY_MS, token);
      throw new DelayedError();
    }
    return outcome;
  }

  private async run(job: Job): Promise<PropagateTemplateJobResult | BulkPrimaryJobResult | typeof YIELDED> {
    const typed = { name: job.name, data: job.data as unknown } as CycleJob;
    switch (typed.name) {
      case 'propagate-template':
        return this.propagation.run(typed.data, this.hooks(job));
      case 'bulk-primary':
        return this.bulkPrimary.run(typed.data, this.hooks(job));
      default: {
        const unknown: never = typed;
        throw new UnrecoverableError(`no handler for job ${String((unknown as { name: unknown }).name)}`);
      }
    }
  }

  private hooks<TData>(job: Job): JobHooks<TData> {
    return {
      checkpoint: async (data, progress) => {
        // Progress was made: the outage count starts again.
        const { outages: _outages, ...rest } = data as TData & OutageCount;
        await job.updateData(rest);
        await job.updateProgress(progress);
      },
      shouldYield: () => this.stopping,
    };
  }
}
