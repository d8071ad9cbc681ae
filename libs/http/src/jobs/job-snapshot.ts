import type { Queue } from 'bullmq';

/** What `GET /v1/jobs/{jobId}` shows of a BullMQ job, the same in every service. */
export interface JobSnapshot {
  name: string;
  state: string;
  progress: unknown;
  /** The return value once completed. */
  result: unknown;
  failedReason: string | null;
  attemptsMade: number;
  createdAt: string;
  processedAt: string | null;
  finishedAt: string | null;
}

/**
 * One job's state and fields as one consistent picture, or undefined when there is no such job.
 * BullMQ keeps the state (which list holds the id) apart from the job's hash and reads them in
 * two round trips: reading the hash first and the state second can show a job "completed" with
 * no result and no attempt made when it finished in between (seen in CI). The state is read first,
 * and again when the hash says the job has finished meanwhile — a finished job no longer changes.
 */
export async function readJobSnapshot(queue: Queue, jobId: string): Promise<JobSnapshot | undefined> {
  let state: string = await queue.getJobState(jobId);
  if (state === 'unknown') return undefined;
  const job = await queue.getJob(jobId);
  if (job === undefined) return undefined;
  if (job.finishedOn && state !== 'completed' && state !== 'failed') state = await job.getState();
  return {
    name: job.name,
    state,
    progress: job.progress,
    result: (job.returnvalue as unknown) ?? null,
    failedReason: job.failedReason || null,
    attemptsMade: job.attemptsMade,
    createdAt: new Date(job.timestamp).toISOString(),
    processedAt: job.processedOn ? new Date(job.processedOn).toISOString() : null,
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}
