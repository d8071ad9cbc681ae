/** What a criteria tree depends on, decided once per saved segment (S5), never per account. */
import type { DayComparison, ResolvedCriteria } from './criteria';

/** True when membership can change with time alone (days comparisons, rolling windows, renewal). */
export function isTimeBased(resolved: ResolvedCriteria): boolean {
  switch (resolved.kind) {
    case 'all':
    case 'any':
      return resolved.children.some(isTimeBased);
    case 'stageIn':
      return (
        resolved.daysInStage !== null ||
        resolved.daysInAttribute !== null ||
        resolved.businessDaysInStage !== undefined ||
        resolved.businessDaysInAttribute !== undefined
      );
    case 'slaIn':
      // B3: statuses move with time alone (the day roll re-evaluates; calendar-day SLAs may cross mid-day).
      return true;
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
      case 'slaIn':
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

/** B2/B3: whether evaluating the tree needs the stages' SLAs and the accounts' calendars (`BusinessContext`). */
export function needsBusinessContext(resolved: ResolvedCriteria): boolean {
  switch (resolved.kind) {
    case 'all':
    case 'any':
      return resolved.children.some(needsBusinessContext);
    case 'stageIn':
      return resolved.businessDaysInStage !== undefined || resolved.businessDaysInAttribute !== undefined;
    case 'slaIn':
      return true;
    case 'stageNotIn':
    case 'doesNotExist':
    case 'changed':
    case 'completed':
    case 'clientTypeIn':
    case 'ownerIn':
    case 'canceled':
    case 'renewalWithin':
      return false;
  }
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
