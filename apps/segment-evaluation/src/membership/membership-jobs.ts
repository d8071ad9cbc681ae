/**
 * The BullMQ job of segment evaluation, typed in one place: queue, job name, payload, job ids
 * (`<queue>-<key>`, contracts/queues.ts).
 */
import { jobId, Queues } from '@lifecycle/contracts';

export type MembershipJobReason = 'day-rolled' | 'segment-saved' | 'segment-deleted' | 'membership-resumed' | 'business-changed';

export const EvaluateMembershipJob = {
  queue: Queues.SegmentsMembership,
  name: 'evaluate-membership',
  /** One per day: a redelivered or repeated `day.rolled` of the same day adds nothing. */
  dayRolledJobId: (day: string) => jobId(Queues.SegmentsMembership, `day-rolled-${day}`),
  /** One per saved version of a segment. */
  segmentSavedJobId: (segmentId: string, version: number) => jobId(Queues.SegmentsMembership, `segment-${segmentId}-v${version}`),
  segmentDeletedJobId: (segmentId: string) => jobId(Queues.SegmentsMembership, `segment-${segmentId}-deleted`),
  allJobId: (runId: string) => jobId(Queues.SegmentsMembership, `all-${runId}`),
  /** B1/B3: one per version of a calendar or an attribute (its SLAs) that business-day and SLA conditions read. */
  businessChangedJobId: (kind: 'calendar' | 'attribute', key: string, version: number) =>
    jobId(Queues.SegmentsMembership, `business-${kind}-${key}-v${version}`),
} as const;

export interface MembershipJobCounts {
  examined: number;
  entered: number;
  exited: number;
}

/**
 * Resumable without a position: a run is one pass over the accounts still to change (matching
 * non-members, non-matching members), so a retried run finds only what the last one left; the
 * counts so far are saved in the job after every batch.
 */
export interface EvaluateMembershipJobData {
  reason: MembershipJobReason;
  /** The segments to evaluate; null = decided at the first run (`scope`). */
  segmentIds: string[] | null;
  /** With `segmentIds: null`: every time-based saved segment, those with business-day or SLA conditions (B5), or every one. */
  scope?: 'time-based' | 'business' | 'all';
  day?: string;
  counts?: MembershipJobCounts;
  /** Runs put off because the database or the broker was unreachable (they use no attempt). */
  outages?: number;
}

export interface EvaluateMembershipJobResult extends MembershipJobCounts {
  segments: number;
  skipped?: string;
}

export const JOB_RETENTION = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 1000 },
} as const;

export const JOB_ATTEMPTS = { attempts: 5, backoff: { type: 'exponential', delay: 2_000 } } as const;
