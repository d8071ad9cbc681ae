import type { AnyEnvelope } from '@lifecycle/contracts';

/**
 * `lifecycle_states`: the fold of one (account, attribute)'s history as of its last change, with
 * - `version` for optimistic concurrency (every write is `findOneAndUpdate({ _id, version })`),
 * - `historyCount` = the highest history `seq` folded in (crash repair, see the history schema),
 * - `changes`: what the fold was computed from ({changeId, seq, to, at} of every folded history
 *   entry), so a late change (L11) replays without reading the history collection,
 * - `lastEntryAt` = the latest `at` in the history (a change before it needs a replay, L11),
 * - `outbox`: events written in the same atomic update, published by the service's `Outbox`.
 * Per-stage figures are arrays, not maps: stage ids are free text and may contain dots.
 */
export const LIFECYCLE_STATE_COLLECTION = 'lifecycle_states';

export interface StoredCycleRecord {
  cycle: number;
  startedAt: Date;
  completedAt: Date;
  ms: number;
  stages: { stageId: string; ms: number }[];
}

export interface StoredLifecycleState {
  stageId: string | null;
  cycle: number;
  completedCycles: number;
  completed: boolean;
  cycleStartedAt: Date | null;
  cycleEndedAt: Date | null;
  stageEnteredAt: Date | null;
  lastChangedAt: Date | null;
  lastCompletedAt: Date | null;
  stageMs: { stageId: string; ms: number }[];
  totalMs: { stageId: string; ms: number }[];
  cycleRecords: StoredCycleRecord[];
}

export interface FoldedChange {
  changeId: string;
  seq: number;
  to: string | null;
  at: Date;
}

export interface LifecycleStateDocument {
  /** `${accountId}|${attributeKey}` (neither may contain "|"). */
  _id: string;
  accountId: string;
  attributeKey: string;
  version: number;
  historyCount: number;
  lastEntryAt: Date | null;
  changes: FoldedChange[];
  lifecycle: StoredLifecycleState;
  outbox: AnyEnvelope[];
  updatedAt: Date;
}

/** For MongoDB; the embedded engine answers only `_id` lookups without a scan, so hot paths use `_id` alone. */
export const LIFECYCLE_STATE_INDEXES = [
  { key: { attributeKey: 1, 'lifecycle.stageId': 1, accountId: 1 }, name: 'attribute_stage_account' },
] as const;

export function lifecycleStateId(accountId: string, attributeKey: string): string {
  return `${accountId}|${attributeKey}`;
}
