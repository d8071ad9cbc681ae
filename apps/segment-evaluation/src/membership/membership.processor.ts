import { Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { putOffOnOutage } from '@lifecycle/http';
import { EvaluateMembershipJob, type EvaluateMembershipJobData, type EvaluateMembershipJobResult } from './membership-jobs';
import { MembershipEvaluation } from './membership-evaluation.service';

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
      // The pass resumes by its query; an outage puts the run off without spending an attempt.
      return putOffOnOutage(job, token, e, this.logger);
    }
  }
}
