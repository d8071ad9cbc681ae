/**
 * BullMQ queues of the platform (background work). Owned by one service each; listed here so the
 * gateway's dashboard and the job routes know them.
 *
 * The job id rule, the same in every service: `<queue>-<key>`. The queue name comes first, so the
 * owning service finds the queue from the id alone and the gateway routes `GET /v1/jobs/{jobId}`
 * by the id's first word (every queue name starts with its owner's short name); the key names the
 * work (`import-…`, `propagate-<template>-v<version>`, `day-rolled-<day>` …) and makes a repeated
 * request one job.
 */
export const Queues = {
  TrackingDailyCounters: 'tracking-daily-counters',
  TrackingImports: 'tracking-imports',
  TrackingSla: 'tracking-sla',
  CyclesRecalculation: 'cycles-recalculation',
  SegmentsMembership: 'segments-membership',
} as const;

export type QueueName = (typeof Queues)[keyof typeof Queues];

export const ALL_QUEUES: readonly QueueName[] = Object.values(Queues);

/** The key part of a job id: letters, digits, `_` and `-`, starting with a letter or digit. */
const JOB_KEY = '[A-Za-z0-9][A-Za-z0-9_-]{0,199}';

/** Every job id the platform hands out (the path parameter of `GET /v1/jobs/{jobId}`). */
export const JOB_ID_PATTERN = new RegExp(`^(?:${ALL_QUEUES.join('|')})-${JOB_KEY}$`);
export const JOB_ID_MESSAGE = `jobId must be <queue>-<key> with a queue of ${ALL_QUEUES.join(', ')} and a key of letters, digits, "_" and "-"`;

/** The id of a job of `queue`; `key` must already be letters, digits, `_` and `-`. */
export function jobId(queue: QueueName, key: string): string {
  return `${queue}-${key}`;
}

/** The queue a job id belongs to (by the rule above), or null. */
export function queueOfJob(id: string): QueueName | null {
  if (!JOB_ID_PATTERN.test(id)) return null;
  // Longest name first: no queue name is the prefix of another today, and none may shadow one.
  return [...ALL_QUEUES].sort((a, b) => b.length - a.length).find((queue) => id.startsWith(`${queue}-`)) ?? null;
}

/** Which service owns a job id: the first word of its queue (`tracking`, `cycles`, `segments`). */
export const JOB_OWNERS = { tracking: 'tracking', cycles: 'cycles', segments: 'segments' } as const;
export type JobOwner = keyof typeof JOB_OWNERS;

export function jobOwner(id: string): JobOwner | null {
  const queue = queueOfJob(id);
  return queue === null ? null : (queue.split('-', 1)[0] as JobOwner);
}
