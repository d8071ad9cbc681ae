import { isDeepStrictEqual } from 'node:util';
import type { AccountProjection, AttributeProjection, AttributeTransition } from './account-projection';
import { attributeOf } from './account-projection';

/**
 * S6: how each consumed event changes one account's projection. Pure: every function takes the
 * current projection and returns the next one (a new object), or `null` when the event changes
 * nothing (older than what is stored, or already applied). The repository writes the result in
 * one atomic, version-guarded update together with the membership changes (S5).
 *
 * The stored document carries a little more than `AccountProjection` needs for queries:
 * - every transition keeps its `changeId` (status-tracking's history entry id): a redelivered or
 *   re-emitted (`cause: recomputed`) `status.changed` replaces its entry instead of adding one;
 * - `completionIds` (aligned with `completions`) make `lifecycle.completed` idempotent;
 * - `clockAt` is the effective time of the change whose clock is stored: a re-emitted older
 *   change never rolls the clock back (L11: `status.recomputed` carries the current clock);
 * - `factsAt` is the event time of the newest CRM facts applied (older facts are ignored).
 */

export interface ProjectedTransition extends AttributeTransition {
  changeId: string;
}

export interface ProjectedAttribute extends AttributeProjection {
  transitions: ProjectedTransition[];
  completionIds: string[];
  clockAt: Date | null;
}

export interface ProjectedAccount extends AccountProjection {
  lifecycle: { [attributeKey: string]: ProjectedAttribute };
  factsAt: Date | null;
  /** Ids of the saved segments the account is a member of (S5), sorted. */
  segments: string[];
  /** Per saved segment: how many times the account entered or left it (the event id counter). */
  membershipSeq: { [segmentId: string]: number };
}

/** Transitions kept per attribute: the newest ones (a document must stay far below 16 MB). */
export const MAX_TRANSITIONS = 500;
/** Completion times kept per attribute: the newest ones. */
export const MAX_COMPLETIONS = 200;

/** The clock of `status.changed` / `status.recomputed` (contracts' `LifecycleClock`), with parsed dates. */
export interface ClockInput {
  stageId: string | null;
  cycle: number;
  completedCycles: number;
  completed: boolean;
  cycleStartedAt: string | null;
  stageEnteredAt: string | null;
  stageMsBefore: number;
  frozenStageMs: number | null;
  frozenAttributeMs: number | null;
}

export interface StatusChangedInput {
  attributeKey: string;
  changeId: string;
  fromStageId: string | null;
  toStageId: string | null;
  at: Date;
  clock: ClockInput;
}

export interface AccountFactsInput {
  name: string;
  /** undefined = keep the stored value; null = clear. */
  clientType?: string | null;
  ownerId?: string | null;
  canceled?: boolean;
  subscription?: { active: boolean; renewalDate: string | null } | null;
  /** B1: undefined = keep; null = back to the default calendar. */
  calendarKey?: string | null;
}

/** An account known only by id so far (its facts may arrive after its statuses). */
export function emptyAccount(accountId: string): ProjectedAccount {
  return {
    _id: accountId,
    name: accountId,
    clientType: null,
    ownerId: null,
    canceled: false,
    subscriptionActive: false,
    renewalDate: null,
    lifecycle: {},
    factsAt: null,
    segments: [],
    membershipSeq: {},
  };
}

export function emptyAttribute(): ProjectedAttribute {
  return {
    stageId: null,
    cycle: 0,
    completedCycles: 0,
    running: false,
    stageClockStart: null,
    attributeClockStart: null,
    frozenStageMs: null,
    frozenAttributeMs: null,
    completions: [],
    completionIds: [],
    transitions: [],
    clockAt: null,
  };
}

/** `crm.account.upserted`: fields left out keep their value, `null` clears (status-tracking does the same). */
export function applyAccountFacts(account: ProjectedAccount, facts: AccountFactsInput, occurredAt: Date): ProjectedAccount | null {
  if (isOlder(occurredAt, account.factsAt)) return null;
  const next: ProjectedAccount = { ...account, name: facts.name, factsAt: occurredAt };
  if (facts.clientType !== undefined) next.clientType = facts.clientType;
  if (facts.ownerId !== undefined) next.ownerId = facts.ownerId;
  if (facts.canceled !== undefined) next.canceled = facts.canceled;
  if (facts.calendarKey !== undefined) next.calendarKey = facts.calendarKey;
  if (facts.subscription !== undefined) {
    next.subscriptionActive = facts.subscription?.active ?? false;
    const renewal = facts.subscription?.renewalDate ?? null;
    next.renewalDate = renewal === null ? null : validDate(renewal);
  }
  return next;
}

/** `crm.account.canceled` (L10: canceled accounts keep their stages and history). */
export function applyAccountCanceled(account: ProjectedAccount, occurredAt: Date): ProjectedAccount | null {
  if (isOlder(occurredAt, account.factsAt)) return null;
  return { ...account, canceled: true, factsAt: occurredAt };
}

/**
 * `status.changed`: the transition is added (or replaced, by `changeId`) in time order, and the
 * clock is taken over unless a newer change's clock is already stored.
 */
export function applyStatusChanged(account: ProjectedAccount, input: StatusChangedInput): ProjectedAccount | null {
  const current = projectedAttributeOf(account, input.attributeKey);
  const transition: ProjectedTransition = { changeId: input.changeId, from: input.fromStageId, to: input.toStageId, at: input.at };
  const known = current.transitions.some((t) => t.changeId === input.changeId);
  const transitions = normalizeTransitions(
    known ? current.transitions.map((t) => (t.changeId === input.changeId ? transition : t)) : [...current.transitions, transition],
  );
  const clockIsNewer = current.clockAt === null || input.at.getTime() >= current.clockAt.getTime();
  const next: ProjectedAttribute = {
    ...current,
    ...(clockIsNewer ? { ...clockFields(input.clock), clockAt: input.at } : {}),
    transitions,
  };
  return sameAttribute(current, next) ? null : withAttribute(account, input.attributeKey, next);
}

/** `lifecycle.completed` (L5): the completion time, once per change id. */
export function applyLifecycleCompleted(
  account: ProjectedAccount,
  input: { attributeKey: string; changeId: string; completedAt: Date },
): ProjectedAccount | null {
  const current = projectedAttributeOf(account, input.attributeKey);
  const pairs = current.completions.map((at, i) => ({ at, id: current.completionIds[i] ?? '' })).filter((c) => c.id !== input.changeId);
  pairs.push({ at: input.completedAt, id: input.changeId });
  // Ties by change id: the order is the same whatever order the events came in (a redelivery is a no-op).
  pairs.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const kept = pairs.slice(-MAX_COMPLETIONS);
  const completions = kept.map((c) => c.at);
  const next: ProjectedAttribute = {
    ...current,
    completions,
    completionIds: kept.map((c) => c.id),
  };
  return sameAttribute(current, next) ? null : withAttribute(account, input.attributeKey, next);
}

/** `status.recomputed` (L11): a late change rewrote the fold; its clock is the current state. */
export function applyStatusRecomputed(
  account: ProjectedAccount,
  input: { attributeKey: string; clock: ClockInput },
): ProjectedAccount | null {
  const current = projectedAttributeOf(account, input.attributeKey);
  const latest = current.transitions[current.transitions.length - 1]?.at ?? null;
  const clockAt = [current.clockAt, latest].reduce<Date | null>((max, d) => (d !== null && (max === null || d > max) ? d : max), null);
  const next: ProjectedAttribute = { ...current, ...clockFields(input.clock), clockAt };
  return sameAttribute(current, next) ? null : withAttribute(account, input.attributeKey, next);
}

/**
 * The "Days in" clock fields of the projection from the event-carried clock: while a non-end
 * stage is set both clocks run (msInStage = now − (stageEnteredAt − stageMsBefore), L3/L4;
 * msInAttribute = now − cycleStartedAt); in an end stage they are frozen (L5); without a value
 * there is nothing to count (L7).
 */
export function clockFields(
  clock: ClockInput,
): Pick<
  ProjectedAttribute,
  'stageId' | 'cycle' | 'completedCycles' | 'running' | 'stageClockStart' | 'attributeClockStart' | 'frozenStageMs' | 'frozenAttributeMs'
> {
  const running = clock.stageId !== null && !clock.completed;
  const enteredAt = clock.stageEnteredAt === null ? null : validDate(clock.stageEnteredAt);
  return {
    stageId: clock.stageId,
    cycle: clock.cycle,
    completedCycles: clock.completedCycles,
    running,
    stageClockStart: running && enteredAt !== null ? new Date(enteredAt.getTime() - clock.stageMsBefore) : null,
    attributeClockStart: running && clock.cycleStartedAt !== null ? validDate(clock.cycleStartedAt) : null,
    frozenStageMs: clock.stageId !== null && clock.completed ? clock.frozenStageMs : null,
    frozenAttributeMs: clock.stageId !== null && clock.completed ? clock.frozenAttributeMs : null,
  };
}

/**
 * History order (L11): by time, a backdated change lands where it belongs. `from` is implied by
 * the previous entry, and an entry to the value already set is no change (L8) — so a change that
 * a backdated insert made redundant disappears, as it did from status-tracking's fold.
 */
export function normalizeTransitions(transitions: readonly ProjectedTransition[]): ProjectedTransition[] {
  const sorted = transitions
    .map((t, i) => ({ t, i }))
    .sort((a, b) => a.t.at.getTime() - b.t.at.getTime() || a.i - b.i)
    .map(({ t }) => t);
  const kept: ProjectedTransition[] = [];
  for (const t of sorted) {
    const previous = kept[kept.length - 1];
    if (previous === undefined) {
      kept.push(t);
      continue;
    }
    if (t.to === previous.to) continue;
    kept.push(t.from === previous.to ? t : { ...t, from: previous.to });
  }
  return kept.slice(-MAX_TRANSITIONS);
}

export function projectedAttributeOf(account: ProjectedAccount, attributeKey: string): ProjectedAttribute {
  const stored = attributeOf(account, attributeKey) as Partial<ProjectedAttribute> | undefined;
  return stored === undefined ? emptyAttribute() : { ...emptyAttribute(), ...stored };
}

function withAttribute(account: ProjectedAccount, attributeKey: string, state: ProjectedAttribute): ProjectedAccount {
  return { ...account, lifecycle: { ...account.lifecycle, [attributeKey]: state } };
}

function isOlder(occurredAt: Date, stored: Date | null): boolean {
  return stored !== null && occurredAt.getTime() < stored.getTime();
}

function validDate(iso: string): Date | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** Field by field, dates by time; stops at the first difference (a new transition: the arrays' lengths). */
function sameAttribute(a: ProjectedAttribute, b: ProjectedAttribute): boolean {
  return isDeepStrictEqual(a, b);
}
