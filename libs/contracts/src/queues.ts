/**
 * BullMQ queues of the platform (background work). Owned by one service each; listed here so the
 * gateway's dashboard and the job routes know them. Job ids start with the owner's short name.
 */
export const Queues = {
  TrackingDailyCounters: 'tracking-daily-counters',
  TrackingImports: 'tracking-imports',
  CyclesRecalculation: 'cycles-recalculation',
  SegmentsMembership: 'segments-membership',
} as const;

export type QueueName = (typeof Queues)[keyof typeof Queues];

export const ALL_QUEUES = Object.values(Queues);

/** Which service owns a job id (`tracking-…`, `cycles-…`, `segments-…`). */
export const JOB_OWNERS = { tracking: 'tracking', cycles: 'cycles', segments: 'segments' } as const;
export type JobOwner = keyof typeof JOB_OWNERS;

export function jobOwner(jobId: string): JobOwner | null {
  const prefix = jobId.split('-', 1)[0] ?? '';
  return prefix in JOB_OWNERS ? (prefix as JobOwner) : null;
}
