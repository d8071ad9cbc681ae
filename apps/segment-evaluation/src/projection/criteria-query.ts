import type { Filter } from 'mongodb';
import type { StorageEngine } from '@lifecycle/storage';
import { MS_PER_DAY } from '@lifecycle/rules';
import type { DayComparison, ResolvedCriteria, TimeWindow } from '../domain/criteria';
import { isQueryableAttributeKey } from '../domain/criteria';
import { dayBounds } from '../domain/criteria-traits';
import { SegmentError } from '../domain/segment-errors';
import type { AccountProjectionDocument } from './account-projection.schema';
import { isoRangeRegex } from './iso-range-regex';
import type { SegmentToEvaluate } from './projection.writer';
import { changeKeyPrefix, type StoredAttribute } from './query-keys';

/**
 * Resolved criteria as a query over `account_projections`, for `now` and the engine behind it.
 *
 * The query uses only `$and`, `$or`, `$nor`, `$in`, `$nin`, `$eq`, `$gt`, `$gte`, `$lt`, `$lte`,
 * `$exists`, `$elemMatch` and (see below) `$regex`, and never needs per-document arithmetic:
 * every "days" comparison is turned into a timestamp or a millisecond bound with `now` fixed. A
 * time-based query is therefore valid for `now` only (`isTimeBased` tells which segments the
 * daily roll must re-evaluate, S5). `criteria-matcher.ts` implements the same semantics in memory.
 *
 * Windows on arrays (`changed`, `completed`) need ONE element to meet all conditions: with
 * `engine.elemMatchOnSubdocuments`, one `$elemMatch` over the transition subdocuments (or the
 * completion dates); otherwise one anchored `$regex` over the scalar keys the repository stores
 * beside them (`query-keys.ts`, `iso-range-regex.ts`).
 */
export type ProjectionFilter = Filter<AccountProjectionDocument>;

/**
 * B5: business days and SLA statuses count working days of each account's calendar on the
 * stages' SLAs — arithmetic no query operator does. Reads answer from the evaluation index
 * (which folds them with `@lifecycle/rules`); the query exists for the criteria it can express.
 */
export class CriteriaNotExpressibleError extends Error {
  override readonly name = 'CriteriaNotExpressibleError';
}

type Node = Record<string, unknown>;

/** Where the engine can match one element of an array on several conditions at once. */
type ArrayRanges = 'elemMatch' | 'keys';

export function criteriaQuery(resolved: ResolvedCriteria, now: Date, engine: StorageEngine): ProjectionFilter {
  return compile(resolved, now.getTime(), arrayRangesOf(engine)) as ProjectionFilter;
}

/**
 * S5: the accounts whose membership of one of `segments` may change — matching non-members
 * (enter) and members that no longer match (exit); every member of a deleted segment.
 */
export function membershipCandidatesQuery(segments: readonly SegmentToEvaluate[], now: Date, engine: StorageEngine): ProjectionFilter {
  const parts = segments.flatMap(({ id, criteria }): Node[] => {
    if (criteria === null) return [{ segments: { $eq: id } }];
    const matching = compile(criteria, now.getTime(), arrayRangesOf(engine));
    return [{ $and: [matching, { segments: { $nin: [id] } }] }, { $and: [{ segments: { $eq: id } }, { $nor: [matching] }] }];
  });
  return (parts.length === 1 ? (parts[0] ?? {}) : { $or: parts }) as ProjectionFilter;
}

/** The accounts that changed `attributeKey` before `before` (the lifecycle report). */
export function changedBeforeQuery(attributeKey: string, before: Date, engine: StorageEngine): ProjectionFilter {
  return compileChanged(
    attributeKey,
    undefined,
    undefined,
    { from: null, to: { at: before, inclusive: false } },
    arrayRangesOf(engine),
  ) as ProjectionFilter;
}

const arrayRangesOf = (engine: StorageEngine): ArrayRanges => (engine.elemMatchOnSubdocuments ? 'elemMatch' : 'keys');

function compile(node: ResolvedCriteria, now: number, arrayRanges: ArrayRanges): Node {
  switch (node.kind) {
    case 'all':
      return combine(
        '$and',
        node.children.map((child) => compile(child, now, arrayRanges)),
      );
    case 'any':
      return combine(
        '$or',
        node.children.map((child) => compile(child, now, arrayRanges)),
      );
    case 'slaIn':
      throw new CriteriaNotExpressibleError(`"sla" on ${node.attribute} is evaluated by the evaluation index only`);
    case 'stageIn': {
      if (node.businessDaysInStage !== undefined || node.businessDaysInAttribute !== undefined) {
        throw new CriteriaNotExpressibleError(`business-day comparisons on ${node.attribute} are evaluated by the evaluation index only`);
      }
      const parts: Node[] = [{ [field(node.attribute, 'stageId')]: { $in: [...node.stageIds] } }];
      if (node.daysInStage !== null || node.daysInAttribute !== null) {
        // L10 / S2: canceled accounts have no "Days in" values and never match days comparisons.
        parts.push({ canceled: { $eq: false } });
      }
      if (node.daysInStage !== null) {
        parts.push(daysFilter(node.attribute, 'stageClockStart', 'frozenStageMs', node.daysInStage, now));
      }
      if (node.daysInAttribute !== null) {
        parts.push(daysFilter(node.attribute, 'attributeClockStart', 'frozenAttributeMs', node.daysInAttribute, now));
      }
      return combine('$and', parts);
    }
    case 'stageNotIn': {
      // S1: accounts with no value match. `$nin` alone would match null and missing fields in
      // MongoDB; the explicit branches keep that true on every engine's dotted-path handling.
      const stageId = field(node.attribute, 'stageId');
      return {
        $or: [{ [stageId]: { $exists: false } }, { [stageId]: { $eq: null } }, { [stageId]: { $nin: [...node.stageIds] } }],
      };
    }
    case 'doesNotExist': {
      const stageId = field(node.attribute, 'stageId');
      return { $or: [{ [stageId]: { $exists: false } }, { [stageId]: { $eq: null } }] };
    }
    case 'changed':
      // One transition must satisfy the window and the stages together.
      return compileChanged(node.attribute, node.fromStageId, node.toStageId, windowBounds(node.window, now), arrayRanges);
    case 'completed': {
      if (node.window.kind === 'anyTime') return { [field(node.attribute, 'completedCycles')]: { $gt: 0 } };
      const { from, to } = windowBounds(node.window, now);
      if (arrayRanges === 'keys') return regexCondition(field(node.attribute, 'completionKeys'), '', from, to);
      return { [field(node.attribute, 'completions')]: { $elemMatch: dateRange(from, to) } };
    }
    case 'clientTypeIn':
      return { clientType: { $in: [...node.values] } };
    case 'ownerIn':
      return { ownerId: { $in: [...node.values] } };
    case 'canceled':
      return { canceled: { $eq: node.value } };
    case 'renewalWithin':
      // No renewal without an active subscription (C4).
      return {
        subscriptionActive: { $eq: true },
        renewalDate: { $gte: new Date(now), $lte: new Date(now + node.days * MS_PER_DAY) },
      };
  }
}

/**
 * While running, ms = now − clockStart, so ms ≥ X ⇔ clockStart ≤ now − X and ms < Y ⇔
 * clockStart > now − Y; when stopped (end stage, L5) the frozen ms are compared directly.
 * A null clock or frozen value never satisfies a range (MongoDB compares within a type only).
 */
function daysFilter(
  attribute: string,
  clockStart: 'stageClockStart' | 'attributeClockStart',
  frozen: 'frozenStageMs' | 'frozenAttributeMs',
  comparison: DayComparison,
  now: number,
): Node {
  const { minDays, maxDaysExclusive } = dayBounds(comparison);
  const clockRange: Record<string, Date> = {};
  const frozenRange: Record<string, number> = {};
  if (minDays !== null) {
    clockRange['$lte'] = new Date(now - minDays * MS_PER_DAY);
    frozenRange['$gte'] = minDays * MS_PER_DAY;
  }
  if (maxDaysExclusive !== null) {
    clockRange['$gt'] = new Date(now - maxDaysExclusive * MS_PER_DAY);
    frozenRange['$lt'] = maxDaysExclusive * MS_PER_DAY;
  }
  const running = field(attribute, 'running');
  return {
    $or: [
      { [running]: { $eq: true }, [field(attribute, clockStart)]: clockRange },
      { [running]: { $eq: false }, [field(attribute, frozen)]: frozenRange },
    ],
  };
}

/** `changed`: one transition in the window, from / to the given stages (undefined = any, null = "None"). */
function compileChanged(
  attribute: string,
  fromStageId: string | null | undefined,
  toStageId: string | null | undefined,
  window: Bounds,
  arrayRanges: ArrayRanges,
): Node {
  const { from, to } = window;
  if (arrayRanges === 'keys') return regexCondition(field(attribute, 'changeKeys'), changeKeyPrefix(fromStageId, toStageId), from, to);
  const transition: Node = {};
  if (from !== null || to !== null) transition['at'] = dateRange(from, to);
  if (fromStageId !== undefined) transition['from'] = { $eq: fromStageId };
  if (toStageId !== undefined) transition['to'] = { $eq: toStageId };
  // Any change at all: some transition exists.
  if (Object.keys(transition).length === 0) transition['at'] = { $exists: true };
  return { [field(attribute, 'transitions')]: { $elemMatch: transition } };
}

/** `[from, to)` or `[from, to]`; null = open. */
function dateRange(from: Date | null, to: { at: Date; inclusive: boolean } | null): Record<string, Date> {
  const range: Record<string, Date> = {};
  if (from !== null) range['$gte'] = from;
  if (to !== null) range[to.inclusive ? '$lte' : '$lt'] = to.at;
  return range;
}

/** One `$regex` over the stored keys; an empty window matches nothing. */
function regexCondition(path: string, prefix: string, from: Date | null, to: { at: Date; inclusive: boolean } | null): Node {
  const regex = isoRangeRegex(prefix, { from, to: to?.at ?? null, toInclusive: to?.inclusive ?? false });
  // An empty range: `$in: []` matches no document, on every engine.
  return regex === null ? { [path]: { $in: [] } } : { [path]: { $regex: regex } };
}

interface Bounds {
  from: Date | null;
  to: { at: Date; inclusive: boolean } | null;
}

/** `lastDays`: [now − N days, now]; `between`: [from, to); null = open. */
function windowBounds(window: TimeWindow, now: number): Bounds {
  switch (window.kind) {
    case 'anyTime':
      return { from: null, to: null };
    case 'lastDays':
      return { from: new Date(now - window.days * MS_PER_DAY), to: { at: new Date(now), inclusive: true } };
    case 'between':
      return {
        from: window.from === null ? null : new Date(window.from.getTime()),
        to: window.to === null ? null : { at: new Date(window.to.getTime()), inclusive: false },
      };
  }
}

function field(attribute: string, name: keyof StoredAttribute): string {
  if (!isQueryableAttributeKey(attribute)) {
    throw SegmentError.invalidCriteria([{ path: 'attribute', message: `attribute key "${attribute}" cannot be queried` }]);
  }
  return `lifecycle.${attribute}.${name}`;
}

/** `$and` of `$and`s (or `$or` of `$or`s) flattened; one part stands alone. */
function combine(operator: '$and' | '$or', parts: Node[]): Node {
  const flat = parts.flatMap((part) => {
    const keys = Object.keys(part);
    const nested = part[operator];
    return keys.length === 1 && Array.isArray(nested) ? (nested as Node[]) : [part];
  });
  const only = flat[0];
  return flat.length === 1 && only !== undefined ? only : { [operator]: flat };
}
