/**
 * The segment service's own read model (S6): one document per account in the
 * `account_projections` collection, built from `crm.accounts` and `lifecycle.status` events.
 * Field names are binding: the criteria query (projection/criteria-query.ts) reads them by path.
 */
import type { HistoryEntry } from '@lifecycle/rules';

/** One accepted change of an attribute value (L11). `null` = no value ("None"). */
export interface AttributeTransition {
  from: string | null;
  to: string | null;
  at: Date;
}

/**
 * The transitions as the history the "Days in" rules fold (L11). Only `to` is trusted (`from`
 * follows from the fold); the position breaks ties of equal times, and an entry without a valid
 * time (a malformed stored document) is left out.
 */
export function historyOf(transitions: readonly AttributeTransition[]): HistoryEntry[] {
  const history: HistoryEntry[] = [];
  transitions.forEach((t, seq) => {
    if (t.at instanceof Date && !Number.isNaN(t.at.getTime())) history.push({ changeId: String(seq), seq, to: t.to, at: t.at });
  });
  return history;
}

/** The state of one lifecycle attribute of one account. */
export interface AttributeProjection {
  /** Current stage id; `null` = no value ("None", L7). */
  stageId: string | null;
  cycle: number;
  completedCycles: number;
  /** True while a non-end stage is set: both clocks run. */
  running: boolean;
  /** `stageEnteredAt − ms already accumulated in this stage in this cycle` (L3/L4); while running, msInStage = now − stageClockStart. */
  stageClockStart: Date | null;
  /** `cycleStartedAt`; while running, msInAttribute = now − attributeClockStart. */
  attributeClockStart: Date | null;
  /** When not running (end stage reached, L5): the frozen values. */
  frozenStageMs: number | null;
  frozenAttributeMs: number | null;
  /** Completion time of every completed cycle (L5), oldest first. `completions.length === completedCycles`. */
  completions: Date[];
  /** Every change, oldest first (for `changed` criteria and `asOf` replays). */
  transitions: AttributeTransition[];
}

export interface AccountProjection {
  _id: string;
  name: string;
  clientType: string | null;
  ownerId: string | null;
  canceled: boolean;
  subscriptionActive: boolean;
  renewalDate: Date | null;
  /** B1: the calendar the CRM names for the account (null/absent = the default calendar). */
  calendarKey?: string | null;
  lifecycle: { [attributeKey: string]: AttributeProjection };
}

/**
 * The attribute state of an account, or undefined. Own properties only: an attribute key such
 * as `constructor` must not resolve to `Object.prototype.constructor`.
 */
export function attributeOf(account: Pick<AccountProjection, 'lifecycle'>, attributeKey: string): AttributeProjection | undefined {
  const lifecycle = account.lifecycle as { [attributeKey: string]: AttributeProjection | undefined } | null | undefined;
  if (lifecycle === null || lifecycle === undefined || !Object.hasOwn(lifecycle, attributeKey)) return undefined;
  return lifecycle[attributeKey] ?? undefined;
}

/** Exact ms in the current stage at `now` (L9): running clock or frozen value; null when unknown. */
export function msInStage(state: AttributeProjection, now: Date): number | null {
  return clockMs(state.running, state.stageClockStart, state.frozenStageMs, now);
}

/** Exact ms of the current cycle at `now` (L9): running clock or frozen value; null when unknown. */
export function msInAttribute(state: AttributeProjection, now: Date): number | null {
  return clockMs(state.running, state.attributeClockStart, state.frozenAttributeMs, now);
}

function clockMs(running: boolean, clockStart: Date | null, frozenMs: number | null, now: Date): number | null {
  // Projections come from a database: tolerate malformed documents exactly like the compiled
  // filter does (a comparison on a null / wrongly typed field never matches).
  if (running === true) return clockStart instanceof Date ? now.getTime() - clockStart.getTime() : null;
  if (running === false) return typeof frozenMs === 'number' ? frozenMs : null;
  return null;
}
