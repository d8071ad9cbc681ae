/**
 * The BullMQ jobs of cycle planning, typed in one place: queue, job names, payloads, job ids
 * (`<queue>-<key>`, contracts/queues.ts).
 */
import { jobId, Queues } from '@lifecycle/contracts';

export const CYCLES_QUEUE = Queues.CyclesRecalculation;

/**
 * C10: one job per saved template version. The id is derived from (template, version), so
 * queuing the same edit twice (a retry, the start-up repair) yields one job.
 */
export const PropagateTemplateJob = {
  name: 'propagate-template',
  jobId: (templateId: string, version: number) => jobId(CYCLES_QUEUE, `propagate-${templateId}-v${version}`),
} as const;

/**
 * Resumable: the counts are saved after every chunk. A resumed job collects the accounts still to
 * change again (those already on the version drop out), so no cursor is kept.
 */
export interface PropagateTemplateJobData {
  templateId: string;
  version: number;
  /** Accounts the job has to change, as its first pass found them (the progress denominator). */
  total?: number;
  /** Accounts changed so far (or found already changed). */
  accountsDone?: number;
  cyclesUpdated?: number;
  cyclesChanged?: number;
}

export interface PropagateTemplateJobResult {
  templateId: string;
  version: number;
  accounts: number;
  cyclesUpdated: number;
  cyclesChanged: number;
}

/** C13: one job per request. */
export const BulkPrimaryJob = {
  name: 'bulk-primary',
  jobId: (requestId: string) => jobId(CYCLES_QUEUE, `bulk-primary-${requestId}`),
} as const;

export interface BulkPrimaryCounts {
  unchanged: number;
  primarySet: number;
  assigned: number;
  /** Accounts this service does not know (no CRM facts yet). */
  skipped: number;
}

/** Resumable: `position` (next index into `accountIds`) or `cursor` (last segment member done). */
export interface BulkPrimaryJobData {
  templateId: string;
  accountIds?: string[];
  segmentId?: string;
  /** The start date of cycles the job assigns: when the request was made (same on every retry). */
  startDate: string;
  position?: number;
  cursor?: string | null;
  total?: number;
  done?: number;
  counts?: BulkPrimaryCounts;
}

export interface BulkPrimaryJobResult {
  templateId: string;
  accounts: number;
  counts: BulkPrimaryCounts;
}

/** Every job of the queue, discriminated by name (one handler each, see the processor). */
export type CycleJob =
  | { name: typeof PropagateTemplateJob.name; data: PropagateTemplateJobData }
  | { name: typeof BulkPrimaryJob.name; data: BulkPrimaryJobData };

export type CycleJobName = CycleJob['name'];

export const JOB_RETENTION = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 1000 },
} as const;

export const JOB_ATTEMPTS = { attempts: 5, backoff: { type: 'exponential', delay: 2_000 } } as const;
