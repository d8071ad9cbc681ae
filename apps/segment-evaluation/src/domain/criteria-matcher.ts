import { MS_PER_DAY, daysFromMs } from '@lifecycle/rules';
import type { AccountProjection, AttributeProjection } from './account-projection';
import { attributeOf, msInAttribute, msInStage } from './account-projection';
import type { DayComparison, ResolvedCriteria, TimeWindow } from './criteria';
import { DAY_COMPARISON_OPERATORS } from './criteria';
import { businessReadingAt, EMPTY_BUSINESS_CONTEXT, type BusinessContext } from './business-context';

/**
 * In-memory evaluation of resolved criteria against one projection, with exactly the semantics
 * of the compiled filter (`criteria-compiler.ts`): live membership of a single account after an
 * event (S5), and the oracle the compiler is tested against. Written independently of the
 * compiler on purpose: days are compared as whole days here, as bounds there.
 * Business days and SLA statuses (B2/B3) need `context` (stages with SLAs, calendars); without
 * one they match nothing and `sla` reads `none`.
 */
export function matches(
  resolved: ResolvedCriteria,
  account: AccountProjection,
  now: Date,
  context: BusinessContext = EMPTY_BUSINESS_CONTEXT,
): boolean {
  switch (resolved.kind) {
    case 'all':
      return resolved.children.every((child) => matches(child, account, now, context));
    case 'any':
      return resolved.children.some((child) => matches(child, account, now, context));
    case 'stageIn': {
      const state = attributeOf(account, resolved.attribute);
      if (state === undefined || !isOneOf(state.stageId, resolved.stageIds)) return false;
      const business = resolved.businessDaysInStage !== undefined || resolved.businessDaysInAttribute !== undefined;
      if (resolved.daysInStage === null && resolved.daysInAttribute === null && !business) return true;
      // L10 / S2: canceled accounts have no "Days in" values.
      if (account.canceled !== false) return false;
      if (!(
        (resolved.daysInStage === null || compareDays(msInStage(state, now), resolved.daysInStage)) &&
        (resolved.daysInAttribute === null || compareDays(msInAttribute(state, now), resolved.daysInAttribute))
      )) {
        return false;
      }
      if (!business) return true;
      const reading = businessReadingAt(context, resolved.attribute, state.transitions, calendarKeyOf(account), false, now);
      return (
        (resolved.businessDaysInStage === undefined || compareWholeDays(reading.businessDaysInStage, resolved.businessDaysInStage)) &&
        (resolved.businessDaysInAttribute === undefined ||
          compareWholeDays(reading.businessDaysInAttribute, resolved.businessDaysInAttribute))
      );
    }
    case 'slaIn': {
      const state = attributeOf(account, resolved.attribute);
      const reading = businessReadingAt(
        context,
        resolved.attribute,
        state?.transitions,
        calendarKeyOf(account),
        account.canceled !== false,
        now,
      );
      return resolved.statuses.includes(reading.sla);
    }
    case 'stageNotIn': {
      const state = attributeOf(account, resolved.attribute);
      return state === undefined || !isOneOf(state.stageId, resolved.stageIds);
    }
    case 'doesNotExist': {
      const state = attributeOf(account, resolved.attribute);
      return state === undefined || state.stageId === null || state.stageId === undefined;
    }
    case 'changed': {
      const state = attributeOf(account, resolved.attribute);
      return arrayOf(state, 'transitions').some(
        (t) =>
          inWindow(t.at, resolved.window, now) &&
          (resolved.fromStageId === undefined || (t.from ?? null) === resolved.fromStageId) &&
          (resolved.toStageId === undefined || (t.to ?? null) === resolved.toStageId),
      );
    }
    case 'completed': {
      const state = attributeOf(account, resolved.attribute);
      if (resolved.window.kind === 'anyTime') return typeof state?.completedCycles === 'number' && state.completedCycles > 0;
      const window = resolved.window;
      return arrayOf(state, 'completions').some((at) => inWindow(at, window, now));
    }
    case 'clientTypeIn':
      return isOneOf(account.clientType, resolved.values);
    case 'ownerIn':
      return isOneOf(account.ownerId, resolved.values);
    case 'canceled':
      return account.canceled === resolved.value;
    case 'renewalWithin': {
      if (account.subscriptionActive !== true || !(account.renewalDate instanceof Date)) return false;
      const renewal = account.renewalDate.getTime();
      return renewal >= now.getTime() && renewal <= now.getTime() + resolved.days * MS_PER_DAY;
    }
  }
}

function isOneOf(value: string | null | undefined, candidates: readonly string[]): boolean {
  return typeof value === 'string' && candidates.includes(value);
}

/** Every operator of the comparison must hold on whole days (L9); unknown ms never match. */
function compareDays(ms: number | null, comparison: DayComparison): boolean {
  return ms !== null && compareWholeDays(daysFromMs(ms), comparison);
}

/** B1: the account's calendar key; a malformed stored value counts as none (the default calendar). */
export function calendarKeyOf(account: Pick<AccountProjection, 'calendarKey'>): string | null {
  return typeof account.calendarKey === 'string' ? account.calendarKey : null;
}

function compareWholeDays(days: number | null, comparison: DayComparison): boolean {
  if (days === null) return false;
  return DAY_COMPARISON_OPERATORS.every((op) => {
    const n = comparison[op];
    if (n === undefined) return true;
    switch (op) {
      case 'gt':
        return days > n;
      case 'gte':
        return days >= n;
      case 'lt':
        return days < n;
      case 'lte':
        return days <= n;
      case 'eq':
        return days === n;
    }
  });
}

function inWindow(at: unknown, window: TimeWindow, now: Date): boolean {
  if (!(at instanceof Date)) return false;
  const t = at.getTime();
  switch (window.kind) {
    case 'anyTime':
      return true;
    case 'lastDays':
      return t >= now.getTime() - window.days * MS_PER_DAY && t <= now.getTime();
    case 'between':
      return (window.from === null || t >= window.from.getTime()) && (window.to === null || t < window.to.getTime());
  }
}

function arrayOf<K extends 'transitions' | 'completions'>(state: AttributeProjection | undefined, key: K): AttributeProjection[K] {
  const value = state?.[key];
  return (Array.isArray(value) ? value : []) as AttributeProjection[K];
}
