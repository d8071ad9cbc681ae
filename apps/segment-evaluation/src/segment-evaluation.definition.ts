import { Topics } from '@lifecycle/contracts';
import type { ServiceDefinition } from '@lifecycle/http';
import { SegmentError } from './domain/segment-errors';

export const segmentEvaluationDefinition: ServiceDefinition = {
  title: 'Segment evaluation',
  description:
    'Segments over an event-fed projection of accounts and lifecycle states (SPEC S1–S6): criteria, preview, members, progress board, live membership with segment.entered / segment.exited, and the lifecycle report.',
  publishes: [Topics.SegmentMembership, Topics.SegmentDefinitions],
  consumer: {
    // Events the projection cannot hold go to the DLQ at once; everything else is retried.
    isPermanent: (error) => error instanceof SegmentError,
    // The projection and the catalog replica are rebuilt from the topics alone on a fresh database.
    fromBeginning: true,
  },
};
