/**
 * B4: which SLA crossings of the current stage entry to publish now, and when to look again.
 * Pure: the tracker supplies the reading (from the history, L11), what it already published for
 * that entry, and the instant.
 *
 * Only the stage entry the account is in is ever published: a crossing is announced while the
 * account is in the stage, dated at the instant the history says it crossed (a backdated change
 * that puts the entry earlier makes crossings due at once, with their past instants); an entry
 * the account has left publishes nothing more (B4: never once the account has left the stage).
 */
import type { SlaCrossing, SlaThreshold, StageSlaReading } from '@lifecycle/rules';
import { slaCrossings } from '@lifecycle/rules';

export interface SlaDecision {
  /** Crossings at or before `now`, not published yet, in threshold order (at risk before breached). */
  emit: SlaCrossing[];
  /** The earliest crossing still ahead, if any: when the tracker looks again. */
  nextAt: Date | null;
}

/** What identifies one crossing: the stage entry (its history entry) and the threshold. */
export function crossingKey(entryChangeId: string, threshold: SlaThreshold): string {
  return `${entryChangeId}:${threshold}`;
}

export function decideSla(reading: StageSlaReading, published: ReadonlySet<string>, now: Date): SlaDecision {
  if (reading.entry === null) return { emit: [], nextAt: null };
  const entryId = reading.entry.changeId;
  const pending = slaCrossings(reading).filter((c) => !published.has(crossingKey(entryId, c.threshold)));
  const emit = pending.filter((c) => c.at.getTime() <= now.getTime());
  const ahead = pending.filter((c) => c.at.getTime() > now.getTime()).map((c) => c.at.getTime());
  return { emit, nextAt: ahead.length === 0 ? null : new Date(Math.min(...ahead)) };
}
