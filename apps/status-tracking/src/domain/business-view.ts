/**
 * B2/B3 in the account view: the business-day counters and the current stage's SLA, computed
 * from the history (L11: backdated and late changes move them too) on the account's calendar.
 * The rules are `@lifecycle/rules` (`businessCountersAt`, `stageSlaAt`); this only shapes them.
 */
import {
  businessCountersAt,
  stageSlaAt,
  type BusinessCalendar,
  type HistoryEntry,
  type SlaStatus,
  type SlaUnit,
  type StageSlaReading,
} from '@lifecycle/rules';
import type { LifecycleDefinition } from './lifecycle-definition';

export interface SlaView {
  status: SlaStatus;
  /** Null when `status` is `none`. */
  expected: number | null;
  unit: SlaUnit | null;
  atRisk: number | null;
  /** When the stage entry reaches the at-risk point and when it uses up `expected`, if the account stays. */
  atRiskAt: Date | null;
  dueAt: Date | null;
}

export interface BusinessView {
  businessDaysInAttribute: number | null;
  businessDaysInStage: number | null;
  /** Per stage id, this cycle (L3/L4); null when canceled (L10). */
  businessDays: ReadonlyMap<string, number | null>;
  sla: SlaView;
}

export const NO_SLA: SlaView = { status: 'none', expected: null, unit: null, atRisk: null, atRiskAt: null, dueAt: null };

export function businessView(
  def: LifecycleDefinition,
  history: readonly HistoryEntry[],
  now: Date,
  calendar: BusinessCalendar,
  options: { canceled: boolean },
): BusinessView {
  const counters = businessCountersAt(def.stages, history, now, calendar, options);
  return {
    businessDaysInAttribute: counters.businessDaysInAttribute,
    businessDaysInStage: counters.businessDaysInStage,
    businessDays: new Map(counters.stages.map((s) => [s.stageId, s.businessDays])),
    sla: slaView(stageSlaAt(def.stages, history, now, calendar, options)),
  };
}

export function slaView(reading: StageSlaReading): SlaView {
  if (reading.status === 'none' || reading.sla === null) return NO_SLA;
  return {
    status: reading.status,
    expected: reading.sla.expected,
    unit: reading.sla.unit,
    atRisk: reading.sla.atRisk,
    atRiskAt: reading.atRiskAt,
    dueAt: reading.dueAt,
  };
}
