import { MS_PER_DAY } from '@lifecycle/rules';
import type { AttributeProjection } from './account-projection';
import { CHANGE_KEY_END, changeKeyPrefix } from './account-projection';
import type { DayComparison, ResolvedCriteria, TimeWindow } from './criteria';
import { isQueryableAttributeKey } from './criteria';
import { isoRangeRegex } from './iso-range-regex';
import { SegmentError } from './segment-errors';

/**
 * Compiles resolved criteria into a MongoDB filter over `account_projections`.
 *
 * The filter uses only `$and`, `$or`, `$in`, `$nin`, `$eq`, `$gt`, `$gte`, `$lt`, `$lte`,
 * `$exists` and `$elemMatch` with operators on arrays of scalars (docs/architecture.md: what
 * FerretDB 1.24 runs), so FerretDB and MongoDB both run it, and it never needs
 * per-document arithmetic: every "days" comparison is turned into a timestamp or a
 * millisecond bound at compile time, with `now` fixed. A time-based filter is therefore valid
 * for `now` only; `isTimeBased` tells which segments the daily roll must re-evaluate (S5).
 * `criteria-matcher.ts` implements the same semantics in memory.
 */

export type MongoFilter = Record<string, unknown>;

export interface CompileOptions {
  /**
   * How a time window on an array of keys is expressed:
   * - `elemMatch` (default): `$elemMatch: { $gte, $lt }` — exact on MongoDB, but FerretDB 1.24
   *   lets two different elements satisfy the two bounds (a superset);
   * - `regex`: one anchored `$regex` per condition (`iso-range-regex.ts`), exact on both; windows
   *   on completions then read `completionKeys` (which the projection must fill).
   */
  arrayRanges?: 'elemMatch' | 'regex';
}

export function compileCriteria(resolved: ResolvedCriteria, now: Date, options: CompileOptions = {}): MongoFilter {
  return compile(resolved, now.getTime(), options.arrayRanges ?? 'elemMatch');
}

/** True when membership can change with time alone (days comparisons, rolling windows, renewal). */
export function isTimeBased(resolved: ResolvedCriteria): boolean {
  switch (resolved.kind) {
    case 'all':
    case 'any':
      return resolved.children.some(isTimeBased);
    case 'stageIn':
      return resolved.daysInStage !== null || resolved.daysInAttribute !== null;
    case 'changed':
    case 'completed':
      return resolved.window.kind === 'lastDays';
    case 'renewalWithin':
      return true;
    case 'stageNotIn':
    case 'doesNotExist':
    case 'clientTypeIn':
    case 'ownerIn':
    case 'canceled':
      return false;
  }
}

/** The attribute keys a tree reads, sorted: status events of other attributes cannot change membership. */
export function referencedAttributes(resolved: ResolvedCriteria): string[] {
  const keys = new Set<string>();
  const visit = (node: ResolvedCriteria): void => {
    switch (node.kind) {
      case 'all':
      case 'any':
        node.children.forEach(visit);
        return;
      case 'stageIn':
      case 'stageNotIn':
      case 'changed':
      case 'completed':
      case 'doesNotExist':
        keys.add(node.attribute);
        return;
      case 'clientTypeIn':
      case 'ownerIn':
      case 'canceled':
      case 'renewalWithin':
        return;
    }
  };
  visit(resolved);
  return [...keys].sort();
}

/**
 * Whole-day bounds of a comparison as `minDays <= days < maxDaysExclusive` (null = open):
 * days ≥ N ⇔ ms ≥ N·DAY; days > N ⇔ ms ≥ (N+1)·DAY; days < N ⇔ ms < N·DAY;
 * days ≤ N ⇔ ms < (N+1)·DAY; days = N ⇔ N·DAY ≤ ms < (N+1)·DAY. Several operators intersect;
 * contradictory ones give an empty range, which the emitted bounds express by themselves.
 */
export function dayBounds(comparison: DayComparison): { minDays: number | null; maxDaysExclusive: number | null } {
  const mins: number[] = [];
  const maxes: number[] = [];
  if (comparison.gt !== undefined) mins.push(comparison.gt + 1);
  if (comparison.gte !== undefined) mins.push(comparison.gte);
  if (comparison.lt !== undefined) maxes.push(comparison.lt);
  if (comparison.lte !== undefined) maxes.push(comparison.lte + 1);
  if (comparison.eq !== undefined) {
    mins.push(comparison.eq);
    maxes.push(comparison.eq + 1);
  }
  return {
    minDays: mins.length === 0 ? null : Math.max(...mins),
    maxDaysExclusive: maxes.length === 0 ? null : Math.min(...maxes),
  };
}

function compile(node: ResolvedCriteria, now: number, arrayRanges: 'elemMatch' | 'regex'): MongoFilter {
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
    case 'stageIn': {
      const parts: MongoFilter[] = [{ [field(node.attribute, 'stageId')]: { $in: [...node.stageIds] } }];
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
      // MongoDB; the explicit branches keep that true on FerretDB's dotted-path handling too.
      const stageId = field(node.attribute, 'stageId');
      return {
        $or: [{ [stageId]: { $exists: false } }, { [stageId]: { $eq: null } }, { [stageId]: { $nin: [...node.stageIds] } }],
      };
    }
    case 'doesNotExist': {
      const stageId = field(node.attribute, 'stageId');
      return { $or: [{ [stageId]: { $exists: false } }, { [stageId]: { $eq: null } }] };
    }
    case 'changed': {
      // One transition must satisfy the window and the stages together; see `changeKeysOf`.
      const prefix = changeKeyPrefix(node.fromStageId, node.toStageId);
      const { from, to } = windowBounds(node.window, now);
      if (arrayRanges === 'regex') return regexCondition(field(node.attribute, 'changeKeys'), prefix, from, to);
      const range: Record<string, string> = { $gte: prefix + (from === null ? '' : from.toISOString()) };
      if (to === null) range['$lt'] = prefix + CHANGE_KEY_END;
      else range[to.inclusive ? '$lte' : '$lt'] = prefix + to.at.toISOString();
      return { [field(node.attribute, 'changeKeys')]: { $elemMatch: range } };
    }
    case 'completed': {
      if (node.window.kind === 'anyTime') return { [field(node.attribute, 'completedCycles')]: { $gt: 0 } };
      const { from, to } = windowBounds(node.window, now);
      if (arrayRanges === 'regex') return regexCondition(field(node.attribute, 'completionKeys'), '', from, to);
      const range: Record<string, Date> = {};
      if (from !== null) range['$gte'] = from;
      if (to !== null) range[to.inclusive ? '$lte' : '$lt'] = to.at;
      return { [field(node.attribute, 'completions')]: { $elemMatch: range } };
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
): MongoFilter {
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

/** One `$regex` over the keys (exact on FerretDB too); an empty window matches nothing. */
function regexCondition(path: string, prefix: string, from: Date | null, to: { at: Date; inclusive: boolean } | null): MongoFilter {
  const regex = isoRangeRegex(prefix, { from, to: to?.at ?? null, toInclusive: to?.inclusive ?? false });
  // An empty range: `$in: []` matches no document, on both servers.
  return regex === null ? { [path]: { $in: [] } } : { [path]: { $regex: regex } };
}

/** `lastDays`: [now − N days, now]; `between`: [from, to); null = open. */
function windowBounds(window: TimeWindow, now: number): { from: Date | null; to: { at: Date; inclusive: boolean } | null } {
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

function field(attribute: string, name: keyof AttributeProjection): string {
  if (!isQueryableAttributeKey(attribute)) {
    throw SegmentError.invalidCriteria([{ path: 'attribute', message: `attribute key "${attribute}" cannot be queried` }]);
  }
  return `lifecycle.${attribute}.${name}`;
}

/** `$and` of `$and`s (or `$or` of `$or`s) flattened; one part stands alone. */
function combine(operator: '$and' | '$or', parts: MongoFilter[]): MongoFilter {
  const flat = parts.flatMap((part) => {
    const keys = Object.keys(part);
    const nested = part[operator];
    return keys.length === 1 && Array.isArray(nested) ? (nested as MongoFilter[]) : [part];
  });
  const only = flat[0];
  return flat.length === 1 && only !== undefined ? only : { [operator]: flat };
}
