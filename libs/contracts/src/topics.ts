/**
 * Every topic of SPEC 5.2, spelled once. Kafka key = the aggregate id (usually the account id).
 * `compacted` topics carry event-carried state keyed by the aggregate: a replica can be rebuilt
 * by reading them from the beginning.
 */
export const Topics = {
  CrmAccounts: 'crm.accounts',
  CrmAccountStatuses: 'crm.account-statuses',
  LifecycleAttributes: 'lifecycle.attributes',
  LifecycleCalendars: 'lifecycle.calendars',
  LifecycleStatus: 'lifecycle.status',
  LifecycleTicks: 'lifecycle.ticks',
  LifecycleSla: 'lifecycle.sla',
  SuccessCycleEvents: 'successcycle.events',
  SegmentMembership: 'segment.membership',
  SegmentDefinitions: 'segment.definitions',
  Plays: 'plays',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

export interface TopicSpec {
  partitions: number;
  /** `compact` keeps the latest value per key forever (event-carried state). */
  cleanupPolicy: 'delete' | 'compact';
  description: string;
}

export const TOPIC_SPECS: Record<Topic, TopicSpec> = {
  'crm.accounts': { partitions: 6, cleanupPolicy: 'delete', description: 'Account facts from the upstream CRM.' },
  'crm.account-statuses': { partitions: 6, cleanupPolicy: 'delete', description: 'Lifecycle status updates from the upstream CRM.' },
  // Not compacted: attribute.created/updated/activated share a key and each is the full state, so
  // compaction would be safe, but a retention of "forever" keeps the audit trail too.
  'lifecycle.attributes': { partitions: 1, cleanupPolicy: 'delete', description: 'Full attribute definitions (event-carried state).' },
  'lifecycle.calendars': { partitions: 1, cleanupPolicy: 'delete', description: 'Full business calendars (event-carried state, B1).' },
  'lifecycle.status': { partitions: 6, cleanupPolicy: 'delete', description: 'Lifecycle status changes and completed cycles.' },
  'lifecycle.sla': { partitions: 6, cleanupPolicy: 'delete', description: 'Stage SLA crossings: at risk, breached (B4).' },
  'lifecycle.ticks': { partitions: 1, cleanupPolicy: 'delete', description: 'Day roll announcements.' },
  'successcycle.events': { partitions: 6, cleanupPolicy: 'delete', description: 'SuccessCycle assignment and progress.' },
  plays: { partitions: 6, cleanupPolicy: 'delete', description: 'Plays that fired: the trigger occurrence and what the play did (P2).' },
  'segment.membership': { partitions: 6, cleanupPolicy: 'delete', description: 'Accounts entering and leaving saved segments.' },
  // One partition: the few segment changes in order; kept like the attributes (the audit trail).
  'segment.definitions': {
    partitions: 1,
    cleanupPolicy: 'delete',
    description: 'Saved segments as they are created and changed: id, name, version (event-carried state).',
  },
};

export const ALL_TOPICS = Object.values(Topics);

/** Invalid messages of `topic` go here with the reason (SPEC 5.1). */
export function deadLetterTopic(topic: Topic): `${Topic}.dlq` {
  return `${topic}.dlq`;
}
