import { DomainError, type ErrorKind } from '@lifecycle/contracts';

export enum JobErrorCode {
  JobNotFound = 'JOB_NOT_FOUND',
}

const JOB_ERROR_KIND: Readonly<Record<JobErrorCode, ErrorKind>> = { [JobErrorCode.JobNotFound]: 'not-found' };

export class JobError extends DomainError<JobErrorCode> {
  override readonly name = 'JobError';

  get kind(): ErrorKind {
    return JOB_ERROR_KIND[this.code];
  }
}

export function jobNotFound(jobId: string): JobError {
  return new JobError(JobErrorCode.JobNotFound, `Job "${jobId}" does not exist (or was removed after its retention)`, { jobId });
}
