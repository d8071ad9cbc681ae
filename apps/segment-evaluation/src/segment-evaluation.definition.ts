import { Topics } from '@lifecycle/contracts';
import type { DomainErrorMapper, ServiceDefinition } from '@lifecycle/http';
import { SegmentError, SegmentErrorCode } from './domain/segment-errors';

const STATUS: Record<SegmentErrorCode, number> = {
  [SegmentErrorCode.InvalidCriteria]: 400,
  [SegmentErrorCode.InvalidAsOf]: 400,
  [SegmentErrorCode.InvalidReportQuery]: 400,
  [SegmentErrorCode.SegmentNotFound]: 404,
  [SegmentErrorCode.UnknownAttribute]: 404,
  [SegmentErrorCode.JobNotFound]: 404,
  [SegmentErrorCode.UnprojectableEvent]: 400,
  [SegmentErrorCode.IndexNotReady]: 503,
};

/** Criteria issues point into the request body (`criteria.all[0].isOneOf[1]`). */
const mapErrors: DomainErrorMapper = (error) => {
  if (!(error instanceof SegmentError)) return null;
  const details =
    error.code === SegmentErrorCode.InvalidCriteria
      ? error.details.map((d) => ({ path: d.path === '' ? 'criteria' : `criteria.${d.path}`, message: d.message }))
      : error.details.map((d) => ({ path: d.path, message: d.message }));
  return { status: STATUS[error.code], message: error.message, ...(details.length > 0 ? { details } : {}) };
};

export const segmentEvaluationDefinition: ServiceDefinition = {
  title: 'Segment evaluation',
  description:
    'Segments over an event-fed projection of accounts and lifecycle states (SPEC S1–S6): criteria, preview, members, progress board, live membership with segment.entered / segment.exited, and the lifecycle report.',
  publishes: [Topics.SegmentMembership],
  consumer: {
    // Events the projection cannot hold go to the DLQ at once; everything else is retried.
    isPermanent: (error) => error instanceof SegmentError,
    // The projection and the catalog replica are rebuilt from the topics alone on a fresh database.
    fromBeginning: true,
  },
  errorMappers: [mapErrors],
};
