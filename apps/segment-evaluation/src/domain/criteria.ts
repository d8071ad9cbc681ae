/**
 * The segment criteria language (S1): the JSON a client sends, and the resolved tree the
 * compiler and the matcher work on.
 *
 * A criteria tree is a group or a condition:
 *
 *   { "all": [ <criteria>, ... ] }        every child matches (non-empty)
 *   { "any": [ <criteria>, ... ] }        at least one child matches (non-empty)
 *
 * Lifecycle conditions (`attribute` = the attribute key; stages by name, case-insensitive, or id):
 *
 *   { "attribute": "onboarding", "isOneOf": ["Kickoff", "Configuration"] }
 *   { "attribute": "onboarding", "isOneOf": ["Kickoff"], "daysInStage": { "gt": 30 } }
 *   { "attribute": "onboarding", "isOneOf": ["Kickoff"], "daysInAttribute": { "gte": 10, "lt": 20 } }
 *   { "attribute": "onboarding", "isNotOneOf": ["Go Live"] }                 accounts with no value match
 *   { "attribute": "onboarding", "changed": { "lastDays": 7, "toStage": "Go Live" } }
 *   { "attribute": "onboarding", "changed": { "from": "2024-01-01", "to": "2024-01-31", "fromStage": "Kickoff" } }
 *   { "attribute": "onboarding", "changed": { "lastDays": 30, "fromStage": null } }   null = "None" (value was empty)
 *   { "attribute": "onboarding", "completed": true }                         completed at least one cycle, ever
 *   { "attribute": "onboarding", "completed": { "lastDays": 90 } }
 *   { "attribute": "onboarding", "doesNotExist": true }                      no value ("None")
 *   { "attribute": "onboarding", "sla": ["overdue", "at-risk"] }             B3/B5: the current stage's SLA status
 *   { "attribute": "onboarding", "isOneOf": ["Kickoff"], "businessDaysInStage": { "gt": 5 } }   B2/B5
 *
 * Account conditions:
 *
 *   { "field": "clientType", "isOneOf": ["enterprise", "smb"] }
 *   { "field": "ownerId", "isOneOf": ["u-1"] }
 *   { "field": "canceled", "is": false }
 *   { "field": "renewalDate", "withinDays": 90 }      active subscription renewing in [now, now + 90 days]
 *
 * Example — "stuck in Kickoff over 30 days, enterprise accounts, or never onboarded":
 *
 *   { "any": [
 *       { "all": [
 *           { "attribute": "onboarding", "isOneOf": ["Kickoff"], "daysInStage": { "gt": 30 } },
 *           { "field": "clientType", "isOneOf": ["enterprise"] } ] },
 *       { "attribute": "onboarding", "doesNotExist": true } ] }
 *
 * Day comparisons (`gt`, `gte`, `lt`, `lte`, `eq`; several = all must hold) compare whole days,
 * `floor(ms / 86_400_000)` (L9); canceled accounts never match them (L10, S2).
 * Time windows: `lastDays: N` = the rolling window [now − N·24h, now]; `from` is inclusive;
 * `to` is exclusive when a date-time and includes the whole day when a date (`2024-01-31` =
 * up to 2024-02-01T00:00Z). Dates without a time are UTC days; date-times need a zone (`Z`/`±hh:mm`).
 * `lastDays` and `from`/`to` are exclusive of each other. `changed` needs a window and/or a stage.
 *
 * Business days (B2) count whole working days of the account's calendar (`calendarKey`, else the
 * default) and `sla` reads the status of the current stage's SLA (B3: `on-track`, `at-risk`,
 * `overdue`, `none`); both are read from the account's transitions with `@lifecycle/rules`, on the
 * stages and SLAs of the catalog replica (`BusinessContext`), and canceled accounts never match a
 * business-day comparison and are `none` (L10, B3).
 */

import type { SlaStatus } from '@lifecycle/rules';

export interface DayComparison {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
}

export type DayComparisonOperator = keyof DayComparison;

export const DAY_COMPARISON_OPERATORS: readonly DayComparisonOperator[] = ['gt', 'gte', 'lt', 'lte', 'eq'];

export interface TimeWindowInput {
  lastDays?: number;
  /** ISO-8601 date or date-time with zone; inclusive. */
  from?: string;
  /** ISO-8601 date (whole day included) or date-time with zone (exclusive). */
  to?: string;
}

export interface ChangedInput extends TimeWindowInput {
  /** Stage name or id; `null` = the value was empty ("None"). Omitted = any. */
  fromStage?: string | null;
  /** Stage name or id; `null` = the value was cleared. Omitted = any. */
  toStage?: string | null;
}

export interface IsOneOfCondition {
  attribute: string;
  isOneOf: string[];
  daysInStage?: DayComparison;
  daysInAttribute?: DayComparison;
  businessDaysInStage?: DayComparison;
  businessDaysInAttribute?: DayComparison;
}

export interface SlaCondition {
  attribute: string;
  sla: SlaStatus[];
}

export interface IsNotOneOfCondition {
  attribute: string;
  isNotOneOf: string[];
}

export interface ChangedCondition {
  attribute: string;
  changed: ChangedInput;
}

export interface CompletedCondition {
  attribute: string;
  completed: true | TimeWindowInput;
}

export interface DoesNotExistCondition {
  attribute: string;
  doesNotExist: true;
}

export type LifecycleCondition =
  IsOneOfCondition | IsNotOneOfCondition | ChangedCondition | CompletedCondition | DoesNotExistCondition | SlaCondition;

export type AccountCondition =
  | { field: 'clientType'; isOneOf: string[] }
  | { field: 'ownerId'; isOneOf: string[] }
  | { field: 'canceled'; is: boolean }
  | { field: 'renewalDate'; withinDays: number };

export type Condition = LifecycleCondition | AccountCondition;

export type Criteria = { all: Criteria[] } | { any: Criteria[] } | Condition;

// ---------------------------------------------------------------------------------------------
// Resolved criteria: produced only by `validateCriteria`. Stages are ids, dates are Dates.

/** A time window on event times. `between`: `from` inclusive, `to` exclusive; either may be open. */
export type TimeWindow = { kind: 'anyTime' } | { kind: 'lastDays'; days: number } | { kind: 'between'; from: Date | null; to: Date | null };

export type ResolvedCriteria =
  | { kind: 'all'; children: ResolvedCriteria[] }
  | { kind: 'any'; children: ResolvedCriteria[] }
  | {
      kind: 'stageIn';
      attribute: string;
      stageIds: string[];
      daysInStage: DayComparison | null;
      daysInAttribute: DayComparison | null;
      /** B2/B5: absent when the condition has none (so trees without them keep their shape). */
      businessDaysInStage?: DayComparison;
      businessDaysInAttribute?: DayComparison;
    }
  | { kind: 'slaIn'; attribute: string; statuses: SlaStatus[] }
  | { kind: 'stageNotIn'; attribute: string; stageIds: string[] }
  | {
      kind: 'changed';
      attribute: string;
      window: TimeWindow;
      /** undefined = any; null = "None". */
      fromStageId: string | null | undefined;
      toStageId: string | null | undefined;
    }
  | { kind: 'completed'; attribute: string; window: TimeWindow }
  | { kind: 'doesNotExist'; attribute: string }
  | { kind: 'clientTypeIn'; values: string[] }
  | { kind: 'ownerIn'; values: string[] }
  | { kind: 'canceled'; value: boolean }
  | { kind: 'renewalWithin'; days: number };

export type ResolvedKind = ResolvedCriteria['kind'];

/**
 * The canonical JSON of a resolved tree: stages as ids (so a saved segment survives stage
 * renames, A5) and windows as full ISO date-times. `validateCriteria(canonicalCriteria(r))`
 * yields `r` again.
 */
export function canonicalCriteria(resolved: ResolvedCriteria): Criteria {
  switch (resolved.kind) {
    case 'all':
      return { all: resolved.children.map(canonicalCriteria) };
    case 'any':
      return { any: resolved.children.map(canonicalCriteria) };
    case 'stageIn': {
      const condition: IsOneOfCondition = { attribute: resolved.attribute, isOneOf: [...resolved.stageIds] };
      if (resolved.daysInStage !== null) condition.daysInStage = { ...resolved.daysInStage };
      if (resolved.daysInAttribute !== null) condition.daysInAttribute = { ...resolved.daysInAttribute };
      if (resolved.businessDaysInStage !== undefined) condition.businessDaysInStage = { ...resolved.businessDaysInStage };
      if (resolved.businessDaysInAttribute !== undefined) condition.businessDaysInAttribute = { ...resolved.businessDaysInAttribute };
      return condition;
    }
    case 'slaIn':
      return { attribute: resolved.attribute, sla: [...resolved.statuses] };
    case 'stageNotIn':
      return { attribute: resolved.attribute, isNotOneOf: [...resolved.stageIds] };
    case 'changed': {
      const changed: ChangedInput = canonicalWindow(resolved.window);
      if (resolved.fromStageId !== undefined) changed.fromStage = resolved.fromStageId;
      if (resolved.toStageId !== undefined) changed.toStage = resolved.toStageId;
      return { attribute: resolved.attribute, changed };
    }
    case 'completed':
      return {
        attribute: resolved.attribute,
        completed: resolved.window.kind === 'anyTime' ? true : canonicalWindow(resolved.window),
      };
    case 'doesNotExist':
      return { attribute: resolved.attribute, doesNotExist: true };
    case 'clientTypeIn':
      return { field: 'clientType', isOneOf: [...resolved.values] };
    case 'ownerIn':
      return { field: 'ownerId', isOneOf: [...resolved.values] };
    case 'canceled':
      return { field: 'canceled', is: resolved.value };
    case 'renewalWithin':
      return { field: 'renewalDate', withinDays: resolved.days };
  }
}

function canonicalWindow(window: TimeWindow): TimeWindowInput {
  switch (window.kind) {
    case 'anyTime':
      return {};
    case 'lastDays':
      return { lastDays: window.days };
    case 'between': {
      const input: TimeWindowInput = {};
      if (window.from !== null) input.from = window.from.toISOString();
      if (window.to !== null) input.to = window.to.toISOString();
      return input;
    }
  }
}

/**
 * An attribute key becomes part of a query path (`lifecycle.<key>.stageId`): it must not
 * contain a `.` or start with `$`, whatever the catalog says (no path or operator injection).
 */
export function isQueryableAttributeKey(key: string): boolean {
  return key.length > 0 && !key.includes('.') && !key.startsWith('$') && !key.includes('\0');
}
