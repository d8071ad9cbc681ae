import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { describeError, isInfrastructureError } from '@lifecycle/messaging';
import { BulkPrimaryRunner } from './bulk-primary.runner';
import { CYCLES_QUEUE, type BulkPrimaryJobResult, type CycleJob, type PropagateTemplateJobResult } from './cycle-jobs';
import { YIELDED, type JobHooks } from './job-hooks';
import { TemplatePropagationRunner } from './template-propagation.runner';

/** Pause a yielded job this long before a worker (this one restarted, or another) takes it again. */
const RESUME_DELAY_MS = 200;
/** After an infrastructure failure: 1 s, doubling, at most 30 s between tries, for as long as it lasts. */
const OUTAGE_DELAY_MS = 1_000;
const OUTAGE_DELAY_MAX_MS = 30_000;

/** Kept in a job's data by the processor: infrastructure failures since the job last saved progress. */
interface OutageCount {
  outageRetries?: number;
}

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
      if (!isInfrastructureError(e)) throw e;
      const outages = ((job.data as OutageCount).outageRetries ?? 0) + 1;
      const delay = Math.min(OUTAGE_DELAY_MS * 2 ** Math.min(outages - 1, 10), OUTAGE_DELAY_MAX_MS);
      this.logger.warn(
        `job ${job.id} interrupted by an infrastructure failure (${outages} in a row), resuming in ${delay} ms: ${describeError(e)}`,
      );
      await job.updateData({ ...(job.data as object), outageRetries: outages });
      await job.moveToDelayed(Date.now() + delay, token);
      throw new DelayedError();
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
        const { outageRetries: _outages, ...rest } = data as TData & OutageCount;
        await job.updateData(rest);
        await job.updateProgress(progress);
      },
      shouldYield: () => this.stopping,
    };
  }
}
