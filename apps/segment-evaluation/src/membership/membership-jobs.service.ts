import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { EvaluateMembershipJob, JOB_ATTEMPTS, JOB_RETENTION, type EvaluateMembershipJobData } from './membership-jobs';

/** Enqueues membership re-evaluations (S5); returns the job id to follow at GET /v1/jobs/{jobId}. */
@Injectable()
export class MembershipJobs {
  constructor(@InjectQueue(EvaluateMembershipJob.queue) private readonly queue: Queue<EvaluateMembershipJobData>) {}

  /** The daily roll: time-based segments (days comparisons, rolling windows, renewals). */
  async dayRolled(day: string): Promise<string> {
    return this.add(EvaluateMembershipJob.dayRolledJobId(day), { reason: 'day-rolled', segmentIds: null, scope: 'time-based', day });
  }

  async segmentSaved(segmentId: string, version: number): Promise<string> {
    return this.add(EvaluateMembershipJob.segmentSavedJobId(segmentId, version), { reason: 'segment-saved', segmentIds: [segmentId] });
  }

  /** Members of a deleted segment leave it (`segment.exited`), so consumers' member lists end empty. */
  async segmentDeleted(segmentId: string): Promise<string> {
    return this.add(EvaluateMembershipJob.segmentDeletedJobId(segmentId), { reason: 'segment-deleted', segmentIds: [segmentId] });
  }

  /** B1/B3: a calendar or an attribute's SLAs changed: segments with business-day or SLA conditions are evaluated again. */
  async businessChanged(kind: 'calendar' | 'attribute', key: string, version: number): Promise<string> {
    return this.add(EvaluateMembershipJob.businessChangedJobId(kind, key, version), {
      reason: 'business-changed',
      segmentIds: null,
      scope: 'business',
    });
  }

  async all(runId: string): Promise<string> {
    return this.add(EvaluateMembershipJob.allJobId(runId), { reason: 'membership-resumed', segmentIds: null, scope: 'all' });
  }

  private async add(jobId: string, data: EvaluateMembershipJobData): Promise<string> {
    // The same job id twice (a redelivered event) is ignored by BullMQ while the first is kept.
    await this.queue.add(EvaluateMembershipJob.name, data, { jobId, ...JOB_ATTEMPTS, ...JOB_RETENTION });
    return jobId;
  }
}
