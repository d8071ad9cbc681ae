import { Logger } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { describeError } from '@lifecycle/messaging';
import { TrackingError } from '../domain/tracking-errors';
import { runResumable } from '../jobs/job-handoff';
import { ImportStatusesJob, type ImportStatusesJobData } from '../jobs/tracking-jobs';
import type { ImportCounts, ImportStatus } from './import.schema';
import { StatusImportService } from './status-import.service';

export interface ImportStatusesJobResult {
  importId: string;
  status: ImportStatus;
  rejected: boolean;
  totalRows: number | null;
  counts: ImportCounts;
}

/** Large imports in the background (`?async=true`); a retried or handed-back job resumes at its checkpoint. */
@Processor(ImportStatusesJob.queue, { concurrency: 1 })
export class ImportStatusesProcessor extends WorkerHost {
  private readonly logger = new Logger(ImportStatusesProcessor.name);

  constructor(private readonly imports: StatusImportService) {
    super();
  }

  async process(job: Job<ImportStatusesJobData>, token?: string): Promise<ImportStatusesJobResult> {
    return runResumable(job, token, async () => {
      try {
        const doc = await this.imports.run(job.data.importId, (progress) => job.updateProgress({ ...progress }));
        return { importId: doc._id, status: doc.status, rejected: doc.rejected, totalRows: doc.totalRows, counts: doc.counts };
      } catch (e) {
        // An unreadable file stays unreadable: no retry.
        if (e instanceof TrackingError && e.permanent) throw new UnrecoverableError(e.message);
        throw e;
      }
    });
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn(`imports worker: ${describeError(error)}`);
  }
}
