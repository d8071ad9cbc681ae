/**
 * The segment service's own read model (S6): one document per account in the
 * `account_projections` collection, built from `crm.accounts` and `lifecycle.status` events.
 * Field names are binding: the criteria compiler queries them by path.
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
  /**
   * `changeKeysOf(transitions)`, kept beside them: FerretDB 1.x has no `$elemMatch` with field
   * conditions on subdocuments, so `changed` criteria query these scalar keys instead.
   */
  changeKeys: string[];
  /**
   * `completionKeysOf(completions)`: the completion times as ISO strings, for `completed` windows
   * compiled with `arrayRanges: 'regex'` (see `iso-range-regex.ts`). Optional: older documents
   * and test builders may lack it.
   */
  completionKeys?: string[];
}

export interface AccountProjection {
  _id: string;
  name: string;
  clientType: string | null;
  ownerId: string | null;
  canceled: boolean;
  subscriptionActive: boolean;
  renewalDate: Date | null;
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

/**
 * `changed` criteria must find one transition satisfying a time window and a from / to stage at
 * once. FerretDB 1.x runs `$elemMatch` only with operators on arrays of scalars, so every
 * transition is also stored as four sortable strings, `<prefix><ISO time>`:
 *
 *   `any|2024-06-01T10:00:00.000Z`            every change
 *   `to:<to>|…`, `from:<from>|…`              by target / by source stage
 *   `from-to:<from>><to>|…`                   by both
 *
 * Stage ids are `encodeURIComponent`-encoded (so they contain none of `|`, `:`, `>`) and "None"
 * is the empty string. ISO-8601 UTC strings of years 0000–9999 sort like the instants, so a
 * window is a string range inside one prefix: `{ $elemMatch: { $gte: p + fromIso, $lt: p + toIso } }`.
 */
export function changeKeysOf(transitions: readonly AttributeTransition[]): string[] {
  return transitions.flatMap((t) => {
    const at = t.at.toISOString();
    return [
      `${changeKeyPrefix(undefined, undefined)}${at}`,
      `${changeKeyPrefix(undefined, t.to ?? null)}${at}`,
      `${changeKeyPrefix(t.from ?? null, undefined)}${at}`,
      `${changeKeyPrefix(t.from ?? null, t.to ?? null)}${at}`,
    ];
  });
}

/** The key prefix for a `changed` filter: undefined = any stage, null = "None". */
export function changeKeyPrefix(from: string | null | undefined, to: string | null | undefined): string {
  const encode = (stageId: string | null): string => (stageId === null ? '' : encodeURIComponent(stageId));
  if (from === undefined && to === undefined) return 'any|';
  if (from === undefined) return `to:${encode(to ?? null)}|`;
  if (to === undefined) return `from:${encode(from)}|`;
  return `from-to:${encode(from)}>${encode(to)}|`;
}

/** The keys of completion times (`AttributeProjection.completionKeys`): their ISO-8601 strings. */
export function completionKeysOf(completions: readonly Date[]): string[] {
  return completions.map((at) => at.toISOString());
}

/** Sorts after every ISO-8601 character: the open upper end of a key prefix. */
export const CHANGE_KEY_END = '~';
