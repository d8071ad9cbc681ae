import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { CycleError, CycleErrorCode, templateNotFound } from '../domain';
import { CycleTemplateRepository } from '../templates/cycle-template.repository';
import { CycleJobsQueue } from './cycle-jobs.queue';

export interface BulkPrimaryCommand {
  templateId: string;
  accountIds?: string[];
  segmentId?: string;
}

/** C13: queues a bulk primary change (by ids or by segment) as a job with progress. */
@Injectable()
export class BulkPrimaryService {
  constructor(
    private readonly templates: CycleTemplateRepository,
    private readonly jobs: CycleJobsQueue,
  ) {}

  async request(command: BulkPrimaryCommand): Promise<{ jobId: string; templateId: string }> {
    if ((command.accountIds === undefined) === (command.segmentId === undefined)) {
      throw new CycleError(CycleErrorCode.InvalidBulkRequest, 'Give either accountIds or segmentId (exactly one of them)', {});
    }
    if ((await this.templates.get(command.templateId)) === undefined) throw templateNotFound(command.templateId);
    const jobId = await this.jobs.enqueueBulkPrimary(randomUUID(), {
      templateId: command.templateId,
      ...(command.accountIds === undefined ? {} : { accountIds: [...new Set(command.accountIds)] }),
      ...(command.segmentId === undefined ? {} : { segmentId: command.segmentId }),
      startDate: new Date().toISOString(),
    });
    return { jobId, templateId: command.templateId };
  }
}
