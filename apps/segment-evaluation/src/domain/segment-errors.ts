import { DomainError, type ErrorKind } from '@lifecycle/contracts';

/**
 * Typed errors of the segment-evaluation domain. One code per failure; the kind of each code
 * decides the HTTP status, the consumer dead-letters them (STYLE: never a bare Error from a rule).
 */

/** One problem found in a criteria tree; `path` is JSON-path-like: `all[1].isOneOf[0]` ('' = the root). */
export interface CriteriaIssue {
  path: string;
  message: string;
}

export enum SegmentErrorCode {
  /** The criteria tree is malformed or references unknown attributes / stages. */
  InvalidCriteria = 'INVALID_CRITERIA',
  /** A progress `asOf` date is after `now`, or not a calendar date. */
  InvalidAsOf = 'INVALID_AS_OF',
  /** A segment id that does not exist. */
  SegmentNotFound = 'SEGMENT_NOT_FOUND',
  /** A progress view or report for an attribute the catalog replica does not know. */
  UnknownAttribute = 'UNKNOWN_ATTRIBUTE',
  /** A report window or interval that cannot be computed. */
  InvalidReportQuery = 'INVALID_REPORT_QUERY',
  /** A consumed event the projection cannot hold, e.g. an attribute key that is not a slug (DLQ only). */
  UnprojectableEvent = 'UNPROJECTABLE_EVENT',
  /** A read while this instance's evaluation index is still loading (→ 503 with Retry-After). */
  IndexNotReady = 'INDEX_NOT_READY',
  /** Other changes of the same segment kept getting there first; the caller may retry. */
  ConcurrentUpdate = 'CONCURRENT_UPDATE',
}

export const SEGMENT_ERROR_KIND: Readonly<Record<SegmentErrorCode, ErrorKind>> = {
  [SegmentErrorCode.InvalidCriteria]: 'invalid',
  [SegmentErrorCode.InvalidAsOf]: 'invalid',
  [SegmentErrorCode.SegmentNotFound]: 'not-found',
  [SegmentErrorCode.UnknownAttribute]: 'not-found',
  [SegmentErrorCode.InvalidReportQuery]: 'invalid',
  [SegmentErrorCode.UnprojectableEvent]: 'invalid',
  [SegmentErrorCode.IndexNotReady]: 'unavailable',
  [SegmentErrorCode.ConcurrentUpdate]: 'conflict',
};

/**
 * `issues` lists every problem found; the error body carries them as `details.issues`, criteria
 * paths prefixed with the request field (`criteria.all[0].isOneOf[1]`).
 */
export class SegmentError extends DomainError<SegmentErrorCode> {
  override readonly name = 'SegmentError';

  constructor(
    code: SegmentErrorCode,
    message: string,
    readonly issues: readonly CriteriaIssue[] = [],
  ) {
    super(code, message, issues.length === 0 ? {} : { issues: issues.map((issue) => inRequest(code, issue)) });
  }

  get kind(): ErrorKind {
    return SEGMENT_ERROR_KIND[this.code];
  }

  static invalidCriteria(issues: readonly CriteriaIssue[]): SegmentError {
    const first = issues[0];
    const summary = first === undefined ? 'invalid criteria' : `${first.path === '' ? 'criteria' : first.path}: ${first.message}`;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    return new SegmentError(SegmentErrorCode.InvalidCriteria, `Invalid segment criteria — ${summary}${more}`, issues);
  }
}

function inRequest(code: SegmentErrorCode, issue: CriteriaIssue): CriteriaIssue {
  if (code !== SegmentErrorCode.InvalidCriteria) return { path: issue.path, message: issue.message };
  return { path: issue.path === '' ? 'criteria' : `criteria.${issue.path}`, message: issue.message };
}
