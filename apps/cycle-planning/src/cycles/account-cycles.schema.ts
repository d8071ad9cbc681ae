import type { Binary } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import type { StoredCycle } from './cycle-codec';

/**
 * `account_cycles`: one document per account (`_id` = account id) holding ALL its cycles (C5):
 * every change is one atomic `updateOne({ _id, version })` that writes the new cycles and pushes
 * the events it caused to `outbox` (published by the service's `Outbox`, keyed by account).
 *
 * - `cycles`: the account's cycles (active, completed, removed) as subdocuments, queryable like
 *   the domain objects. Where the engine has no usable secondary indexes
 *   (`EngineCapabilities.usableSecondaryIndexes`), every query that is not a bare `{ _id }`
 *   decodes every document of the collection at a cost that grows with its fields and
 *   subdocuments; there the cycles are one encoded field instead (cycle-codec.ts; the measured
 *   difference is in docs/benchmarks.md). Reads take either form.
 * - The fields below it are derived from the cycles (and the account facts) on every write, for
 *   the queries that need them: running templates (C10 propagation, delete guard), open items,
 *   earliest open due date and owners (C9 tasks view).
 */
export const ACCOUNT_CYCLES_COLLECTION = 'account_cycles';

export interface AccountCyclesDocument {
  _id: string;
  version: number;
  cycles: StoredCycle[] | Binary;
  /** Templates of the active cycles. */
  activeTemplateIds: string[];
  /**
   * `<templateId>@<version>` of each active cycle: C10 asks for the accounts running a template
   * on another version than the edit's, and no document it has already reached comes back.
   * A document without the field matches any such query (its cycles are then decoded and checked).
   */
  activeTemplateVersions?: string[];
  /** Some active cycle has an open activity or task. */
  hasOpenItems: boolean;
  /** The earliest due date of an open activity or task (null: none has a date). */
  nextDueDate: Date | null;
  /** Owners of open tasks; a task without an owner counts as the account owner's. */
  openOwnerIds: string[];
  /** From the account replica: the account owner (CRM `ownerId`) and whether it is canceled. */
  ownerId: string | null;
  canceled: boolean;
  outbox: AnyEnvelope[];
  updatedAt: Date;
}

export const ACCOUNT_CYCLES_INDEXES = [
  { key: { activeTemplateIds: 1, _id: 1 }, name: 'active_template' },
  { key: { hasOpenItems: 1, nextDueDate: 1 }, name: 'open_items' },
] as const;
