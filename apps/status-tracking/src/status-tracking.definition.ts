import { Topics } from '@lifecycle/contracts';
import type { ServiceDefinition } from '@lifecycle/http';
import { isRefusal } from './domain/tracking-errors';

export const statusTrackingDefinition: ServiceDefinition = {
  title: 'Status tracking',
  description:
    'Lifecycle status of accounts per attribute, "Days in" counters computed from the status history (SPEC L1-L15), CSV import and the daily counters job.',
  publishes: [Topics.LifecycleStatus, Topics.LifecycleTicks],
  consumer: {
    // Rule refusals and unreadable commands go to the DLQ at once; contention is retried.
    isPermanent: isRefusal,
    // The replica and the account facts are rebuilt from the topics alone on a fresh database.
    fromBeginning: true,
  },
};
