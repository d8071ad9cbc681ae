import { Topics } from '@lifecycle/contracts';
import type { DomainErrorMapper, ServiceDefinition } from '@lifecycle/http';
import { LifecycleError, LifecycleErrorCode } from './domain/lifecycle-errors';
import { TrackingError, TrackingErrorCode } from './domain/tracking-errors';

/**
 * L1 refusals over HTTP. An unknown attribute is a 400 (the request names something that does
 * not exist; the answer lists the attributes that accept values), an inactive attribute or a
 * disabled stage a 409 (it exists, but the rules refuse it now).
 */
const LIFECYCLE_STATUS: Record<LifecycleErrorCode, number> = {
  [LifecycleErrorCode.AttributeUnknown]: 400,
  [LifecycleErrorCode.AttributeNotActive]: 409,
  [LifecycleErrorCode.StageUnknown]: 400,
  [LifecycleErrorCode.StageDisabled]: 409,
  [LifecycleErrorCode.FutureTimestamp]: 400,
  [LifecycleErrorCode.InvalidTimestamp]: 400,
};

const TRACKING_STATUS: Record<TrackingErrorCode, number> = {
  [TrackingErrorCode.AccountNotFound]: 404,
  [TrackingErrorCode.InvalidCommand]: 400,
  [TrackingErrorCode.StageFilterWithoutAttribute]: 400,
  [TrackingErrorCode.ConcurrentUpdate]: 409,
  [TrackingErrorCode.ImportUnreadable]: 400,
  [TrackingErrorCode.ImportTooLarge]: 413,
  [TrackingErrorCode.ImportWrongMediaType]: 415,
  [TrackingErrorCode.ImportNotFound]: 404,
  [TrackingErrorCode.JobNotFound]: 404,
};

const mapErrors: DomainErrorMapper = (error) => {
  if (error instanceof LifecycleError) {
    return { status: LIFECYCLE_STATUS[error.code], message: error.message, details: { code: error.code, ...error.details } };
  }
  if (error instanceof TrackingError) {
    return { status: TRACKING_STATUS[error.code], message: error.message, details: { code: error.code, ...error.details } };
  }
  return null;
};

export const statusTrackingDefinition: ServiceDefinition = {
  title: 'Status tracking',
  description:
    'Lifecycle status of accounts per attribute, "Days in" counters computed from the status history (SPEC L1-L15), CSV import and the daily counters job.',
  publishes: [Topics.LifecycleStatus, Topics.LifecycleTicks],
  consumer: {
    // Rule refusals and unreadable commands go to the DLQ at once; contention is retried.
    isPermanent: (error) => error instanceof LifecycleError || (error instanceof TrackingError && error.permanent),
    // The replica and the account facts are rebuilt from the topics alone on a fresh database.
    fromBeginning: true,
  },
  errorMappers: [mapErrors],
};
