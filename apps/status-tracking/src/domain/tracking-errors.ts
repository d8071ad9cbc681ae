import { DomainError, type ErrorKind } from '@lifecycle/contracts';
import { LifecycleError } from './lifecycle-errors';

/**
 * The status-tracking service's typed errors beside the L1 rule refusals (`LifecycleError`):
 * things asked for that do not exist, inputs that cannot be read, and contention. The service
 * definition maps each code to HTTP once; the Kafka consumer dead-letters the permanent ones.
 */
export enum TrackingErrorCode {
  AccountNotFound = 'ACCOUNT_NOT_FOUND',
  InvalidCommand = 'INVALID_COMMAND',
  StageFilterWithoutAttribute = 'STAGE_FILTER_WITHOUT_ATTRIBUTE',
  ConcurrentUpdate = 'CONCURRENT_UPDATE',
  ImportUnreadable = 'IMPORT_UNREADABLE',
  ImportTooLarge = 'IMPORT_TOO_LARGE',
  ImportWrongMediaType = 'IMPORT_WRONG_MEDIA_TYPE',
  ImportNotFound = 'IMPORT_NOT_FOUND',
}

export const TRACKING_ERROR_KIND: Readonly<Record<TrackingErrorCode, ErrorKind>> = {
  [TrackingErrorCode.AccountNotFound]: 'not-found',
  [TrackingErrorCode.InvalidCommand]: 'invalid',
  [TrackingErrorCode.StageFilterWithoutAttribute]: 'invalid',
  [TrackingErrorCode.ConcurrentUpdate]: 'conflict',
  // A text body that is not a CSV the import can read: well-formed request, unreadable content.
  [TrackingErrorCode.ImportUnreadable]: 'invalid',
  [TrackingErrorCode.ImportTooLarge]: 'too-large',
  [TrackingErrorCode.ImportWrongMediaType]: 'unsupported-media-type',
  [TrackingErrorCode.ImportNotFound]: 'not-found',
};

export class TrackingError extends DomainError<TrackingErrorCode> {
  override readonly name = 'TrackingError';

  get kind(): ErrorKind {
    return TRACKING_ERROR_KIND[this.code];
  }

  /** Contention is worth retrying (a Kafka redelivery, a client retry); everything else is final. */
  get permanent(): boolean {
    return this.code !== TrackingErrorCode.ConcurrentUpdate;
  }
}

export function accountNotFound(accountId: string): TrackingError {
  return new TrackingError(
    TrackingErrorCode.AccountNotFound,
    `Account "${accountId}" is unknown: no facts from the CRM and no lifecycle status`,
    { accountId },
  );
}

export function invalidCommand(problems: readonly string[]): TrackingError {
  return new TrackingError(TrackingErrorCode.InvalidCommand, `Invalid status change: ${problems.join('; ')}`, {
    problems: [...problems],
  });
}

export function stageFilterWithoutAttribute(): TrackingError {
  return new TrackingError(
    TrackingErrorCode.StageFilterWithoutAttribute,
    'The "stage" filter needs an "attribute" filter (a stage belongs to one attribute)',
  );
}

export function concurrentUpdate(accountId: string, attributeKey: string, attempts: number): TrackingError {
  return new TrackingError(
    TrackingErrorCode.ConcurrentUpdate,
    `The status of "${attributeKey}" for account "${accountId}" kept changing concurrently (${attempts} attempts); retry`,
    { accountId, attributeKey, attempts },
  );
}

export function importUnreadable(reason: string): TrackingError {
  return new TrackingError(TrackingErrorCode.ImportUnreadable, `The CSV file cannot be imported: ${reason}`);
}

export function importTooLarge(limitBytes: number): TrackingError {
  return new TrackingError(TrackingErrorCode.ImportTooLarge, `The CSV file exceeds the limit of ${limitBytes} bytes`, {
    limitBytes,
  });
}

export function importWrongMediaType(contentType: string | undefined): TrackingError {
  return new TrackingError(
    TrackingErrorCode.ImportWrongMediaType,
    `The import expects Content-Type text/csv (got ${contentType ? `"${contentType}"` : 'none'})`,
  );
}

export function importNotFound(importId: string): TrackingError {
  return new TrackingError(TrackingErrorCode.ImportNotFound, `Import "${importId}" does not exist`, { importId });
}

/** A rule refusal (L1) or an unreadable command: final for that command, whatever comes after it. */
export function isRefusal(error: unknown): boolean {
  return error instanceof LifecycleError || (error instanceof TrackingError && error.permanent);
}
