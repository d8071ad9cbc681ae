import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { EvaluateMembershipJob, type EvaluateMembershipJobData, type EvaluateMembershipJobResult } from './membership-jobs';
import { MembershipEvaluation } from './membership-evaluation.service';

@Processor(EvaluateMembershipJob.queue, { concurrency: 1 })
export class MembershipProcessor extends WorkerHost {
  constructor(private readonly evaluation: MembershipEvaluation) {
    super();
  }

  async process(job: Job<EvaluateMembershipJobData>): Promise<EvaluateMembershipJobResult> {
    return this.evaluation.run(job.data, async (data) => {
      // The position lives in the job itself: a retry after a crash starts from the last batch done.
      await job.updateData(data);
      await job.updateProgress({
        reason: data.reason,
        segments: data.segmentIds?.length ?? null,
        segment: data.position === undefined ? null : data.position.index + 1,
        phase: data.position?.phase ?? null,
        cursor: data.position?.cursor ?? null,
        ...data.counts,
      });
    });
  }
}
