import type { AccountProjection, AttributeProjection } from '../../domain/account-projection';

/**
 * What the evaluation index knows of one account: exactly the fields the criteria (S1/S2), the
 * member pages (S3), the progress board (S4), the lifecycle report and the membership jobs (S5)
 * read from a projection document, with instants as epoch milliseconds. It is also the record
 * of the index feed (one JSON record per projection write), so its shape is a wire format:
 * add optional fields only.
 *
 * A value the matcher treats as unknown stays unknown here (`null`): a running clock without a
 * start, a stopped one without frozen values, an instant that is not a date.
 */
export interface IndexedTransition {
  at: number;
  from: string | null;
  to: string | null;
}

export interface IndexedAttribute {
  stageId: string | null;
  completedCycles: number;
  /** true = both clocks run; false = stopped (frozen values); null = unknown (never matches days). */
  running: boolean | null;
  stageClockStart: number | null;
  attributeClockStart: number | null;
  frozenStageMs: number | null;
  frozenAttributeMs: number | null;
  /** Stored order (time order, L11). */
  transitions: IndexedTransition[];
  completions: number[];
}

export interface IndexedAccount {
  accountId: string;
  /** The projection document's `rev`: a record older than what the index holds is ignored. */
  rev: number;
  name: string;
  clientType: string | null;
  ownerId: string | null;
  canceled: boolean;
  subscriptionActive: boolean;
  renewalDate: number | null;
  /** B1: the account's calendar key (absent in records written before calendars: the default). */
  calendarKey?: string | null;
  lifecycle: { [attributeKey: string]: IndexedAttribute };
  /** Saved segments the projection holds the account a member of (S5), for the membership jobs. */
  segments: string[];
}

/** A projection (document or domain object) as the index holds it. */
export function indexedAccountOf(account: AccountProjection & { segments?: readonly string[] }, rev: number): IndexedAccount {
  const lifecycle: { [attributeKey: string]: IndexedAttribute } = {};
  const stored = account.lifecycle as { [key: string]: AttributeProjection | undefined } | null | undefined;
  if (stored !== null && stored !== undefined && typeof stored === 'object') {
    for (const key of Object.keys(stored)) {
      const state = stored[key];
      if (state !== undefined && state !== null && typeof state === 'object') lifecycle[key] = indexedAttributeOf(state);
    }
  }
  return {
    accountId: account._id,
    rev,
    name: typeof account.name === 'string' ? account.name : account._id,
    clientType: typeof account.clientType === 'string' ? account.clientType : null,
    ownerId: typeof account.ownerId === 'string' ? account.ownerId : null,
    canceled: account.canceled === true,
    subscriptionActive: account.subscriptionActive === true,
    renewalDate: instant(account.renewalDate),
    calendarKey: typeof account.calendarKey === 'string' ? account.calendarKey : null,
    lifecycle,
    segments: Array.isArray(account.segments) ? account.segments.filter((s): s is string => typeof s === 'string') : [],
  };
}

function indexedAttributeOf(state: AttributeProjection): IndexedAttribute {
  const transitions: IndexedTransition[] = [];
  if (Array.isArray(state.transitions)) {
    for (const t of state.transitions) {
      const at = instant(t?.at);
      // An entry without a valid time matches no window and is left out of replays (historyOf).
      if (at !== null) transitions.push({ at, from: stageOrNull(t.from), to: stageOrNull(t.to) });
    }
  }
  const completions: number[] = [];
  if (Array.isArray(state.completions)) {
    for (const c of state.completions) {
      const at = instant(c);
      if (at !== null) completions.push(at);
    }
  }
  return {
    stageId: typeof state.stageId === 'string' ? state.stageId : null,
    completedCycles: typeof state.completedCycles === 'number' && Number.isFinite(state.completedCycles) ? state.completedCycles : 0,
    running: state.running === true ? true : state.running === false ? false : null,
    stageClockStart: instant(state.stageClockStart),
    attributeClockStart: instant(state.attributeClockStart),
    frozenStageMs: finite(state.frozenStageMs),
    frozenAttributeMs: finite(state.frozenAttributeMs),
    transitions,
    completions,
  };
}

function instant(value: unknown): number | null {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

function finite(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function stageOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
