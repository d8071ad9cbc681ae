import { Logger } from '@nestjs/common';
import { DelayedError, type Job } from 'bullmq';
import { putOffOnOutage } from '@lifecycle/http';
import { WorkInterrupted } from './shutdown-signal';

const logger = new Logger('JobHandoff');

/**
 * Runs a resumable job body; when it was interrupted by a shutdown, the job goes back to the
 * queue (delayed a moment, no attempt used) and resumes from its checkpoint on a worker; an
 * infrastructure failure puts it off the same way until the server is back (`putOffOnOutage`).
 */
export async function runResumable<T>(job: Job, token: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof WorkInterrupted)) return putOffOnOutage(job, token, e, logger);
    logger.log(`job ${job.id} interrupted by shutdown; handed back to the queue`);
    await job.moveToDelayed(Date.now() + 1_000, token);
    throw new DelayedError();
  }
}
