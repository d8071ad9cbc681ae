/**
 * Typed errors of the segment-evaluation domain. One code per failure kind; the transport
 * filters map codes to HTTP 4xx / DLQ reasons (STYLE: never a bare Error from a rule).
 */

/** One problem found in a criteria tree; `path` is JSON-path-like: `all[1].isOneOf[0]` ('' = the root). */
export interface CriteriaIssue {
  path: string;
  message: string;
}

export enum SegmentErrorCode {
  /** The criteria tree is malformed or references unknown attributes / stages (→ 400). */
  InvalidCriteria = 'INVALID_CRITERIA',
  /** A progress `asOf` date is after `now` (→ 400). */
  InvalidAsOf = 'INVALID_AS_OF',
  /** A segment id that does not exist (→ 404). */
  SegmentNotFound = 'SEGMENT_NOT_FOUND',
  /** A progress view for an attribute the catalog replica does not know (→ 404). */
  UnknownAttribute = 'UNKNOWN_ATTRIBUTE',
  /** A report window or interval that cannot be computed (→ 400). */
  InvalidReportQuery = 'INVALID_REPORT_QUERY',
  /** A job id of this service that does not exist (any more) (→ 404). */
  JobNotFound = 'JOB_NOT_FOUND',
  /** A consumed event the projection cannot hold, e.g. an attribute key that is not a slug (→ DLQ). */
  UnprojectableEvent = 'UNPROJECTABLE_EVENT',
  /** A read while this instance's evaluation index is still loading (→ 503 with Retry-After). */
  IndexNotReady = 'INDEX_NOT_READY',
}

export class SegmentError extends Error {
  override readonly name = 'SegmentError';

  constructor(
    readonly code: SegmentErrorCode,
    message: string,
    readonly details: readonly CriteriaIssue[] = [],
  ) {
    super(message);
  }

  static invalidCriteria(issues: readonly CriteriaIssue[]): SegmentError {
    const first = issues[0];
    const summary = first === undefined ? 'invalid criteria' : `${first.path === '' ? 'criteria' : first.path}: ${first.message}`;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    return new SegmentError(SegmentErrorCode.InvalidCriteria, `Invalid segment criteria — ${summary}${more}`, issues);
  }
}
