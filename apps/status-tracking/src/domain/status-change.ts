/**
 * One accepted entry of an account's status history for one attribute (L11). Only what the
 * fold needs; source, actor and request id live beside it in the repository's record.
 */
export interface StatusChange {
  changeId: string;
  /** Insertion order: breaks ties between entries with the same `at` (L11). */
  seq: number;
  /** Stage id; null = value cleared (L7). */
  to: string | null;
  /** Effective (event) time. */
  at: Date;
}

/**
 * L11: history in time order, then insertion order. The changeId is a last resort so the
 * order is total and a replay never depends on how the input happened to be ordered.
 */
export function sortHistory(changes: readonly StatusChange[]): StatusChange[] {
  return [...changes].sort(compareChanges);
}

export function compareChanges(a: StatusChange, b: StatusChange): number {
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime;
  if (a.seq !== b.seq) return a.seq - b.seq;
  if (a.changeId === b.changeId) return 0;
  return a.changeId < b.changeId ? -1 : 1;
}
