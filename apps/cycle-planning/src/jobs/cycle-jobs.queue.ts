import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import {
  BulkPrimaryJob,
  CYCLES_QUEUE,
  JOB_ATTEMPTS,
  JOB_RETENTION,
  PropagateTemplateJob,
  type BulkPrimaryJobData,
  type CycleJob,
} from './cycle-jobs';

/** Typed access to the `cycles-recalculation` queue: what may be queued. */
@Injectable()
export class CycleJobsQueue {
  constructor(@InjectQueue(CYCLES_QUEUE) private readonly queue: Queue<CycleJob['data'], unknown, CycleJob['name']>) {}

  /** C10: idempotent per (template, version). */
  async enqueuePropagation(templateId: string, version: number): Promise<string> {
    const jobId = PropagateTemplateJob.jobId(templateId, version);
    await this.queue.add(PropagateTemplateJob.name, { templateId, version }, { jobId, ...JOB_ATTEMPTS, ...JOB_RETENTION });
    return jobId;
  }

  async enqueueBulkPrimary(requestId: string, data: BulkPrimaryJobData): Promise<string> {
    const jobId = BulkPrimaryJob.jobId(requestId);
    await this.queue.add(BulkPrimaryJob.name, data, { jobId, ...JOB_ATTEMPTS, ...JOB_RETENTION });
    return jobId;
  }

  /** Removes every job and key of the queue (tests). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }
}
