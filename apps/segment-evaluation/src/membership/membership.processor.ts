import { Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, type Job } from 'bullmq';
import { describeError, isInfrastructureError } from '@lifecycle/messaging';
import { EvaluateMembershipJob, type EvaluateMembershipJobData, type EvaluateMembershipJobResult } from './membership-jobs';
import { MembershipEvaluation } from './membership-evaluation.service';

/** A run that met an outage waits this long, doubled per outage in a row up to the maximum. */
const OUTAGE_RETRY_MS = 5_000;
const MAX_OUTAGE_RETRY_MS = 60_000;

@Processor(EvaluateMembershipJob.queue, { concurrency: 1 })
export class MembershipProcessor extends WorkerHost {
  private readonly logger = new Logger(MembershipProcessor.name);

  constructor(private readonly evaluation: MembershipEvaluation) {
    super();
  }

  async process(job: Job<EvaluateMembershipJobData>, token?: string): Promise<EvaluateMembershipJobResult> {
    try {
      return await this.evaluation.run(job.data, async (data) => {
        // The counts live in the job itself: a retry adds to them (the pass itself resumes by its query).
        await job.updateData(data);
        await job.updateProgress({ reason: data.reason, segments: data.segmentIds?.length ?? null, ...data.counts });
      });
    } catch (e) {
      // An unreachable or busy (SQLITE_BUSY) database is no reason to give up (the 5 attempts last ~30 s): the
      // run is put off without using an attempt, as the consumer retries such errors until they pass.
      if (token === undefined || !isInfrastructureError(e)) throw e;
      const outages = (job.data.outages ?? 0) + 1;
      const delay = Math.min(OUTAGE_RETRY_MS * 2 ** Math.min(outages - 1, 4), MAX_OUTAGE_RETRY_MS);
      this.logger.warn(`membership job ${job.id} put off ${Math.round(delay / 1000)} s (outage ${outages}): ${describeError(e)}`);
      await job.updateData({ ...job.data, outages });
      await job.moveToDelayed(Date.now() + delay, token);
      throw new DelayedError();
    }
  }
}
