import type { Logger } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { describeError, isInfrastructureError } from '@lifecycle/messaging';

/** After an infrastructure failure: 1 s, doubling, at most 30 s between tries, for as long as it lasts. */
const OUTAGE_DELAY_MS = 1_000;
const OUTAGE_DELAY_MAX_MS = 30_000;

/** Kept in a job's data: infrastructure failures in a row since the job last saved its data. */
export interface OutageCount {
  outages?: number;
}

/**
 * What every job processor does with a failure: an infrastructure failure (database, Redis or
 * broker unreachable, as the Kafka consumer path classifies them with `isInfrastructureError`)
 * puts the job back in the queue with a growing delay, without spending an attempt and without
 * end — the job is valid and resumes from its checkpoint when the server is back. Any other
 * error is thrown again and spends one of the job's bounded attempts (a bug must not retry forever).
 */
export async function putOffOnOutage(job: Job, token: string | undefined, error: unknown, logger: Logger): Promise<never> {
  if (token === undefined || !isInfrastructureError(error)) throw error;
  const outages = ((job.data as OutageCount).outages ?? 0) + 1;
  const delay = Math.min(OUTAGE_DELAY_MS * 2 ** Math.min(outages - 1, 10), OUTAGE_DELAY_MAX_MS);
  logger.warn(
    `job ${job.id} interrupted by an infrastructure failure (${outages} in a row), resuming in ${delay} ms: ${describeError(error)}`,
  );
  await job.updateData({ ...(job.data as object), outages });
  await job.moveToDelayed(Date.now() + delay, token);
  throw new DelayedError();
}
