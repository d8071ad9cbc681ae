import { Topics } from '@lifecycle/contracts';
import type { ServiceDefinition } from '@lifecycle/http';
import { LifecycleError } from './domain/lifecycle-errors';
import { TrackingError } from './domain/tracking-errors';

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
};
