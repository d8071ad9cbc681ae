/**
 * The BullMQ jobs of status tracking, typed in one place: queue, job name, payload, job id
 * (`<queue>-<key>`, contracts/queues.ts).
 */
import { jobId, Queues } from '@lifecycle/contracts';

export const ImportStatusesJob = {
  queue: Queues.TrackingImports,
  name: 'import-statuses',
  jobId: (importId: string) => jobId(Queues.TrackingImports, importId),
} as const;

export interface ImportStatusesJobData {
  importId: string;
}

export const MaterializeDayJob = {
  queue: Queues.TrackingDailyCounters,
  name: 'materialize-day',
  schedulerId: Queues.TrackingDailyCounters,
  /** Daily at 00:05 UTC: the day has rolled and late events of the evening have landed. */
  pattern: '5 0 * * *',
  jobId: (day: string, runId: string) => jobId(Queues.TrackingDailyCounters, `${day}-${runId}`),
} as const;

/**
 * The scheduler's `{ day? }` plus what later attempts of the same run need (resumable: see
 * daily-counters.service.ts).
 */
export interface MaterializeDayJobData {
  /** YYYY-MM-DD; default: the UTC day when the job runs. */
  day?: string;
  /** ISO instant every figure of the run is computed at; fixed by the first attempt. */
  asOf?: string;
  /** Set once every state is staged: a later attempt only swaps the figures in and announces the day. */
  totals?: { statesSeen: number; statesMaterialized: number };
}

/**
 * B4: look at one pair's SLA again at the instant its next crossing is due. The id names the pair
 * (hashed: account ids may hold characters job ids may not) and the instant, so a pending look is
 * queued once however often it is asked for.
 */
export const SlaCheckJob = {
  queue: Queues.TrackingSla,
  name: 'sla-check',
  jobId: (pairHash: string, at: Date) => jobId(Queues.TrackingSla, `check-${pairHash}-${at.getTime()}`),
} as const;

export interface SlaCheckJobData {
  accountId: string;
  attributeKey: string;
  /** ISO instant of the crossing the look is for. */
  at: string;
}

/** B4: look at every pair in a stage with an SLA (the daily tick, or after an SLA or a calendar changed). */
export const SlaSweepJob = {
  queue: Queues.TrackingSla,
  name: 'sla-sweep',
  jobId: (reason: string) => jobId(Queues.TrackingSla, `sweep-${reason}`),
} as const;

export interface SlaSweepJobData {
  /** Only the pairs of this attribute; all when absent. */
  attributeKey?: string;
}

export const JOB_RETENTION = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 1000 },
} as const;
