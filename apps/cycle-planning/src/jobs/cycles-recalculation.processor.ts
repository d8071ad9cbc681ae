import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { BulkPrimaryRunner } from './bulk-primary.runner';
import { CYCLES_QUEUE, type BulkPrimaryJobResult, type CycleJob, type PropagateTemplateJobResult } from './cycle-jobs';
import { YIELDED, type JobHooks } from './job-hooks';
import { TemplatePropagationRunner } from './template-propagation.runner';

/** Pause a yielded job this long before a worker (this one restarted, or another) takes it again. */
const RESUME_DELAY_MS = 200;

/**
 * The worker of `cycles-recalculation`: one handler per job name (the switch is exhaustive).
 * On shutdown, a running job stops after its current page and goes back to the queue (delayed,
 * not failed: no attempt is spent) with its cursor saved, so a restarted worker resumes it.
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
    const typed = { name: job.name, data: job.data as unknown } as CycleJob;
    let outcome: PropagateTemplateJobResult | BulkPrimaryJobResult | typeof YIELDED;
    switch (typed.name) {
      case 'propagate-template':
        outcome = await this.propagation.run(typed.data, this.hooks(job));
        break;
      case 'bulk-primary':
        outcome = await this.bulkPrimary.run(typed.data, this.hooks(job));
        break;
      default: {
        const unknown: never = typed;
        throw new UnrecoverableError(`no handler for job ${String((unknown as { name: unknown }).name)}`);
      }
    }
    if (outcome === YIELDED) {
      this.logger.log(`job ${job.id} paused for shutdown; it resumes from its saved cursor`);
      await job.moveToDelayed(Date.now() + RESUME_DELAY_MS, token);
      throw new DelayedError();
    }
    return outcome;
  }

  private hooks<TData>(job: Job): JobHooks<TData> {
    return {
      checkpoint: async (data, progress) => {
        await job.updateData(data);
        await job.updateProgress(progress);
      },
      shouldYield: () => this.stopping,
    };
  }
}
