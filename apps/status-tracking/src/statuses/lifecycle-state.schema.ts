import type { Binary } from 'mongodb';
import type { HistoryEntry } from '@lifecycle/rules';
import type { StoredOutboxEvent } from '@lifecycle/storage';

/**
 * `lifecycle_states`: everything one (account, attribute) has, in one document, so that a change
 * is one atomic conditional write (no multi-document transactions, no crash window):
 * - `version` for optimistic concurrency (every write is conditional on the version it read),
 * - `packed`: the pair's whole history (every accepted change with its idempotency key, L11/L12)
 *   and the fold of it as of the last change (`lifecycle-state.codec.ts`); one binary field,
 *   because the Mongo-wire server's cost of a write grows with the number of fields it handles,
 *   not with bytes (docs/benchmarks.md, "Status pipeline: what a write costs"),
 * - `stageId`: the current stage, in the clear for queries and the index,
 * - `outbox`: events written in the same atomic update, packed (`packOutboxEvent`), published by
 *   the service's `Outbox`.
 */
export const LIFECYCLE_STATE_COLLECTION = 'lifecycle_states';

/** One accepted change of a pair, as the history endpoint and the replay (L11) see it. */
export interface StatusHistoryEntry extends HistoryEntry {
  source: ChangeSource;
  actor: string | null;
  requestId: string | null;
  /** Scoped to the pair: the same key on another (account, attribute) is another command. */
  idempotencyKey: string;
  recordedAt: Date;
}

export type ChangeSource = 'rest' | 'csv' | 'crm';
export const CHANGE_SOURCES: readonly ChangeSource[] = ['rest', 'csv', 'crm'];

export interface LifecycleStateDocument {
  /** `${accountId}|${attributeKey}` (neither may contain "|"). */
  _id: string;
  accountId: string;
  attributeKey: string;
  version: number;
  stageId: string | null;
  packed: Binary;
  outbox: StoredOutboxEvent[];
  updatedAt: Date;
}

/** For MongoDB; the embedded engine answers only `_id` lookups without a scan, so hot paths use `_id` alone. */
export const LIFECYCLE_STATE_INDEXES = [
  { key: { attributeKey: 1, stageId: 1, accountId: 1 }, name: 'attribute_current_stage_account' },
] as const;

export function lifecycleStateId(accountId: string, attributeKey: string): string {
  return `${accountId}|${attributeKey}`;
}

/**
 * `status_noop_keys`: idempotency keys of commands acknowledged as no-ops (L8 leaves no history
 * entry to carry the key), so a repeat is a duplicate whatever the state has become since (L12).
 * `_id` = `${pair}|${key}`: keys are scoped to their pair, as in the history.
 */
export const STATUS_NOOP_KEYS_COLLECTION = 'status_noop_keys';

export interface StatusNoopKeyDocument {
  _id: string;
  recordedAt: Date;
}

export function noopKeyId(accountId: string, attributeKey: string, idempotencyKey: string): string {
  return `${lifecycleStateId(accountId, attributeKey)}|${idempotencyKey}`;
}
