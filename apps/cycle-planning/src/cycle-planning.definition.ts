import { Topics } from '@lifecycle/contracts';
import type { ServiceDefinition } from '@lifecycle/http';
import { CycleError, CycleErrorCode } from './domain';

export const cyclePlanningDefinition: ServiceDefinition = {
  title: 'Cycle planning',
  description:
    'SuccessCycles (SPEC C1-C13): versioned templates and their propagation, client types, concurrent and primary cycles per account, due dates, progress, chaining, the tasks view and bulk primary changes; plays (P1, P2) that assign a template or create a task when an account enters a segment or a stage SLA is at risk or breached.',
  publishes: [Topics.SuccessCycleEvents, Topics.Plays],
  consumer: {
    // A rule refusal goes to the DLQ at once; contention (ConcurrentUpdate) is retried.
    isPermanent: (error) => error instanceof CycleError && error.code !== CycleErrorCode.ConcurrentUpdate,
    // The account and segment replicas are rebuilt from the topics alone on a fresh database.
    fromBeginning: true,
  },
};
