/**
 * One accepted entry of the status history of one (account, attribute) (L11): what the fold
 * reads. Source, actor and request id live beside it in each service's own record.
 */
export interface HistoryEntry {
  changeId: string;
  /** Insertion order: breaks ties between entries with the same `at` (L11). */
  seq: number;
  /** Stage id; null = value cleared (L7). */
  to: string | null;
  /** Effective (event) time. */
  at: Date;
}

/**
 * L11: history in time order, then insertion order. The changeId is a last resort so the order
 * is total and a replay never depends on how the input happens to be ordered.
 */
export function sortHistory<E extends HistoryEntry>(entries: readonly E[]): E[] {
  return [...entries].sort(compareChanges);
}

export function compareChanges(a: HistoryEntry, b: HistoryEntry): number {
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime;
  if (a.seq !== b.seq) return a.seq - b.seq;
  if (a.changeId === b.changeId) return 0;
  return a.changeId < b.changeId ? -1 : 1;
}
