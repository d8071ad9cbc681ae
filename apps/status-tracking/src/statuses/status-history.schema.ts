/**
 * `status_history`: every accepted change of one (account, attribute), the source of truth (L11).
 * - `_id` is the slot `${accountId}|${attributeKey}|${seq}`, `seq` = 1, 2, 3 … per pair in
 *   insertion order, the next one after what the state document has folded in: two writers cannot
 *   take the same slot, and an entry a crash left unfolded is found by its slot (a primary-key
 *   lookup; the embedded engine serves only `_id` without scanning).
 * - `idempotencyKey` is unique (L12): the same REST call, CSV row or CRM event cannot be written
 *   twice even by concurrent twins.
 *
 * `status_keys`: the idempotency keys again, as `_id`, so "seen before?" is a primary-key lookup.
 * Written right after the history entry; a crash in between is covered by the unique index above.
 */
export const STATUS_HISTORY_COLLECTION = 'status_history';
export const STATUS_KEYS_COLLECTION = 'status_keys';

export type ChangeSource = 'rest' | 'csv' | 'crm';
export const CHANGE_SOURCES: readonly ChangeSource[] = ['rest', 'csv', 'crm'];

export interface StatusHistoryDocument {
  /** The slot, see above. */
  _id: string;
  /** The public id of the change (events, history endpoint). */
  changeId: string;
  accountId: string;
  attributeKey: string;
  seq: number;
  /** Stage id; null = cleared (L7). */
  to: string | null;
  /** Effective time (L11). */
  at: Date;
  source: ChangeSource;
  actor: string | null;
  requestId: string | null;
  idempotencyKey: string;
  recordedAt: Date;
}

export interface StatusKeyDocument {
  /** The idempotency key. */
  _id: string;
  accountId: string;
  attributeKey: string;
  /** The slot of the entry the key wrote, or `NOOP_SEQ`: acknowledged as a no-op (L8), no entry. */
  seq: number;
  recordedAt: Date;
}

/** `StatusKeyDocument.seq` of a command acknowledged as a no-op: slots start at 1. */
export const NOOP_SEQ = 0;

export const STATUS_HISTORY_INDEXES = [{ key: { idempotencyKey: 1 }, name: 'idempotency_key', unique: true }] as const;

export function historySlotId(accountId: string, attributeKey: string, seq: number): string {
  return `${accountId}|${attributeKey}|${seq}`;
}
