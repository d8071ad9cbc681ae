import type { AnyEnvelope } from '@lifecycle/contracts';

/**
 * `sla_watches`: one document per (account, attribute) whose SLA the tracker has looked at (B4):
 * the stage entry it watches, the crossings it has published (the exactly-once record), when it
 * looks again, and the events of its last write (`outbox`, published by this collection's
 * `Outbox`). Written in one single-document update with a version condition, under the tracker's
 * lock, so a crossing is recorded and queued for publishing together or not at all.
 */
export const SLA_WATCH_COLLECTION = 'sla_watches';

/** Published crossing keys kept per pair: the current entry's two and a few of entries before it. */
export const PUBLISHED_KEPT = 20;

export interface SlaWatchDocument {
  /** `${accountId}|${attributeKey}`, as the state's id. */
  _id: string;
  accountId: string;
  attributeKey: string;
  version: number;
  /** The stage entry (its history entry's id) the account was in at the last look; null = none with an SLA. */
  entryChangeId: string | null;
  /** `crossingKey(entry, threshold)` of every published crossing, newest last, at most PUBLISHED_KEPT. */
  published: string[];
  /** The next crossing still ahead at the last look. */
  nextAt: Date | null;
  lookedAt: Date;
  outbox: AnyEnvelope[];
}
