/**
 * B3/B4: a stage's SLA, read from the history. While an account sits in a stage with an SLA, the
 * stage's own counter in this cycle (L3/L4: it resumes on a forward revisit, restarts after a
 * move back) is compared with the expected duration:
 *
 *   on-track  counter < atRisk × expected
 *   at-risk   atRisk × expected ≤ counter < expected
 *   overdue   counter ≥ expected (the expected duration is used up at `dueAt`)
 *   none      no SLA on the stage, an end stage, no value, or a canceled account
 *
 * In business days the counter is whole days, so the at-risk point is the first whole day at or
 * past atRisk × expected. A stage entry crosses each threshold at most once (the counter only
 * grows while the account stays); one whose counter is already past a threshold when it is
 * entered (a forward revisit, L3) crosses it at its entry.
 */
import type { BusinessCalendar } from './business-calendar';
import { addBusinessDays, businessDaysBetween } from './business-days';
import { stageBusinessDays, traceAt } from './business-counters';
import { calendarMs } from './clock';
import type { CounterOptions } from './counters';
import { stageMsAtIntervalEnds } from './cycle-trace';
import { MS_PER_DAY } from './days';
import { indexStages } from './fold';
import type { HistoryEntry } from './history';
import type { LifecycleStage } from './stages';

export type SlaUnit = 'business-days' | 'calendar-days';
export const SLA_UNITS: readonly SlaUnit[] = ['business-days', 'calendar-days'];
export type SlaStatus = 'on-track' | 'at-risk' | 'overdue' | 'none';
export const SLA_STATUSES: readonly SlaStatus[] = ['on-track', 'at-risk', 'overdue', 'none'];

/** The longest expected duration a stage may have: ten years. */
export const SLA_MAX_DAYS = 3650;

/** B3: the at-risk fraction when a stage's SLA does not set one. */
export const DEFAULT_AT_RISK = 0.8;

export interface StageSla {
  /** Whole days, 1 to `SLA_MAX_DAYS`. */
  expected: number;
  unit: SlaUnit;
  /** Fraction of `expected` from which the stage is at risk, 0.01 to 0.99; `DEFAULT_AT_RISK` when absent. */
  atRisk?: number;
}

/** A stage as the SLA rules see it. */
export interface SlaStage extends LifecycleStage {
  sla?: StageSla | null;
}

/** What is wrong with a stage's SLA, one message per problem (empty = valid). */
export function slaProblems(sla: StageSla, stage: { name: string; endStage: boolean }): string[] {
  const problems: string[] = [];
  if (stage.endStage) problems.push(`stage "${stage.name}" is an end stage: end stages have no SLA (the cycle is complete there)`);
  if (!Number.isInteger(sla.expected) || sla.expected < 1 || sla.expected > SLA_MAX_DAYS) {
    problems.push(`sla.expected must be a whole number of days from 1 to ${SLA_MAX_DAYS}; got ${sla.expected}`);
  }
  if (!SLA_UNITS.includes(sla.unit)) problems.push(`sla.unit must be one of ${SLA_UNITS.join(', ')}; got "${String(sla.unit)}"`);
  if (sla.atRisk !== undefined && !(sla.atRisk >= 0.01 && sla.atRisk <= 0.99)) {
    problems.push(`sla.atRisk must be a fraction from 0.01 to 0.99 (e.g. 0.8); got ${sla.atRisk}`);
  }
  return problems;
}

/** The stage entry an SLA reading is about: the history entry that put the account in the stage. */
export interface StageEntry {
  changeId: string;
  stageId: string;
  cycle: number;
  enteredAt: Date;
}

export type SlaThreshold = 'at-risk' | 'breached';

/** The instant a stage entry crosses a threshold (B4): never before the entry. */
export interface SlaCrossing {
  threshold: SlaThreshold;
  at: Date;
}

export interface StageSlaReading {
  status: SlaStatus;
  /** Null when `status` is `none`. */
  sla: Required<StageSla> | null;
  entry: StageEntry | null;
  /** The stage's counter at the reading, in the SLA's unit: whole business days, or calendar milliseconds / MS_PER_DAY. */
  elapsed: number | null;
  /** When the counter reaches atRisk × expected, and when it reaches expected, if the account stays. */
  atRiskAt: Date | null;
  dueAt: Date | null;
}

const NONE: StageSlaReading = { status: 'none', sla: null, entry: null, elapsed: null, atRiskAt: null, dueAt: null };

/** B3 at an instant (`now`, or a past `asOf`), from the history of one (account, attribute). */
export function stageSlaAt(
  stages: readonly SlaStage[],
  history: readonly HistoryEntry[],
  at: Date,
  calendar: BusinessCalendar,
  options: CounterOptions = { canceled: false },
): StageSlaReading {
  if (options.canceled) return NONE;
  const { state, cycle } = traceAt(stages, history, at);
  if (state.stageId === null || state.completed || cycle === null) return NONE;
  const stage = indexStages(stages).byId.get(state.stageId) as SlaStage | undefined;
  if (!stage?.sla || stage.endStage) return NONE;
  const open = cycle.intervals[cycle.intervals.length - 1];
  if (open === undefined || open.to !== null || open.stageId !== stage.id) return NONE;

  const sla: Required<StageSla> = { ...stage.sla, atRisk: stage.sla.atRisk ?? DEFAULT_AT_RISK };
  const entry: StageEntry = { changeId: open.changeId, stageId: stage.id, cycle: cycle.cycle, enteredAt: open.from };
  const earlier = cycle.intervals.slice(0, -1);

  if (sla.unit === 'calendar-days') {
    // L3/L4: what the stage's counter held when this stretch began.
    const before = open.resets ? 0 : (lastOf(stageMsAtIntervalEnds(earlier, open.from, calendarMs), earlier, stage.id) ?? 0);
    const reach = (ms: number): Date => new Date(open.from.getTime() + Math.max(0, ms - before));
    const elapsedMs = before + calendarMs(open.from, at);
    const atRiskMs = Math.round(sla.atRisk * sla.expected * MS_PER_DAY);
    const dueMs = sla.expected * MS_PER_DAY;
    return {
      status: statusOf(elapsedMs, atRiskMs, dueMs),
      sla,
      entry,
      elapsed: elapsedMs / MS_PER_DAY,
      atRiskAt: reach(atRiskMs),
      dueAt: reach(dueMs),
    };
  }

  const before = open.resets ? 0 : (stageBusinessDays(earlier, open.from, calendar).get(stage.id) ?? 0);
  const reach = (days: number): Date => addBusinessDays(calendar, open.from, Math.max(0, days - before));
  const elapsed = before + businessDaysBetween(calendar, open.from, at);
  const atRiskDays = atRiskPoint(sla);
  return {
    status: statusOf(elapsed, atRiskDays, sla.expected),
    sla,
    entry,
    elapsed,
    atRiskAt: reach(atRiskDays),
    dueAt: reach(sla.expected),
  };
}

/** B4: the thresholds the reading's stage entry crosses, in order, with their instants (both may be at the entry). */
export function slaCrossings(reading: StageSlaReading): SlaCrossing[] {
  if (reading.status === 'none' || reading.atRiskAt === null || reading.dueAt === null) return [];
  return [
    { threshold: 'at-risk', at: reading.atRiskAt },
    { threshold: 'breached', at: reading.dueAt },
  ];
}

/** The whole business day at or past atRisk × expected (a tolerance keeps 0.7 × 10 at 7). */
export function atRiskPoint(sla: Required<StageSla>): number {
  return Math.ceil(sla.atRisk * sla.expected - 1e-9);
}

function statusOf(elapsed: number, atRisk: number, due: number): SlaStatus {
  if (elapsed >= due) return 'overdue';
  if (elapsed >= atRisk) return 'at-risk';
  return 'on-track';
}

/** The counter the stage held after its last stretch among `intervals`, if it ran in them. */
function lastOf(ends: readonly number[], intervals: readonly { stageId: string }[], stageId: string): number | undefined {
  for (let i = intervals.length - 1; i >= 0; i--) if (intervals[i]!.stageId === stageId) return ends[i];
  return undefined;
}
