/**
 * B2/B3/B5: what business-day and SLA criteria read beside a projection — the stages of an
 * attribute with their SLAs (the catalog replica) and the calendar an account counts on (the
 * calendar replica, by the account's `calendarKey`). The figures themselves come from
 * `@lifecycle/rules` over the account's transitions (history is the truth, L11), the one
 * implementation status tracking also shows: the matcher, the evaluation index and the progress
 * board all call `businessReadingAt`, so they cannot disagree.
 */
import {
  businessCountersAt,
  MONDAY_TO_FRIDAY_UTC,
  stageSlaAt,
  type BusinessCalendar,
  type SlaStage,
  type SlaStatus,
} from '@lifecycle/rules';
import { historyOf, type AttributeTransition } from './account-projection';

export interface BusinessContext {
  /** B1: the calendar of an account: the one its `calendarKey` names, else the default. */
  calendarOf(calendarKey: string | null): BusinessCalendar;
  /** B3: the stages of an attribute with their SLAs; undefined when the replica does not know the attribute. */
  stagesOf(attributeKey: string): readonly SlaStage[] | undefined;
}

/** A context with no attribute and Monday to Friday in UTC: business criteria match nothing, `sla` is `none`. */
export const EMPTY_BUSINESS_CONTEXT: BusinessContext = {
  calendarOf: () => MONDAY_TO_FRIDAY_UTC,
  stagesOf: () => undefined,
};

/** A context over fixed maps (tests, and the service's snapshot of both replicas). */
export function businessContextOf(
  stages: ReadonlyMap<string, readonly SlaStage[]>,
  calendars: ReadonlyMap<string, BusinessCalendar>,
  defaultCalendar: BusinessCalendar = MONDAY_TO_FRIDAY_UTC,
): BusinessContext {
  return {
    calendarOf: (key) => (key !== null ? calendars.get(key) : undefined) ?? defaultCalendar,
    stagesOf: (attributeKey) => stages.get(attributeKey),
  };
}

export interface BusinessReading {
  /** B2: null without a value, when canceled, or when the attribute is unknown (L10: never matches a comparison). */
  businessDaysInStage: number | null;
  businessDaysInAttribute: number | null;
  /** B3: `none` without an SLA, in an end stage, without a value, when canceled or unknown. */
  sla: SlaStatus;
}

const UNKNOWN: BusinessReading = { businessDaysInStage: null, businessDaysInAttribute: null, sla: 'none' };

/** B2/B3 of one account's attribute at `now`, from its transitions (what `historyOf` keeps). */
export function businessReadingAt(
  context: BusinessContext,
  attributeKey: string,
  transitions: readonly AttributeTransition[] | null | undefined,
  calendarKey: string | null,
  canceled: boolean,
  now: Date,
): BusinessReading {
  const stages = context.stagesOf(attributeKey);
  if (stages === undefined || !Array.isArray(transitions) || transitions.length === 0) return UNKNOWN;
  const history = historyOf(transitions);
  const calendar = context.calendarOf(calendarKey);
  const options = { canceled };
  const counters = businessCountersAt(stages, history, now, calendar, options);
  const sla = stageSlaAt(stages, history, now, calendar, options).status;
  return { businessDaysInStage: counters.businessDaysInStage, businessDaysInAttribute: counters.businessDaysInAttribute, sla };
}
