import type { AttributeTransition } from './account-projection';
import { DAY_MS } from './account-projection';
import type { CatalogStage } from './criteria-validation';
import { SegmentError, SegmentErrorCode } from './segment-errors';

/**
 * The lifecycle report of one attribute (issue 6, the seed's "Reports"), computed from the
 * projection's transitions by replaying each account's history in memory with the "Days in"
 * rules (the same decisions as `replayAttributeState` in progress.ts):
 *
 * - the report is "as of `to`": only transitions before `to` count; a cycle still open at `to`
 *   is running. Cycles in scope: started before `to` and not ended before `from`.
 * - accounts per stage over time: the stage of every account at the end of each interval
 *   (day / week / month) of [from, to), from its first change on; the last point is `to` itself.
 * - conversion stage → next: of the cycles in scope that entered a stage, the share that later in
 *   the same cycle reached a stage further down the order (skipping counts as advancing).
 * - days per stage: the stage's "Days in" value (L3/L4: kept over sideways moves, reset by a move
 *   back) when the account left it for the last time in the cycle; a stage still occupied at
 *   `to` is not measured (its time is not known yet), nor is an end stage (no clock runs, L5).
 * - days per cycle: completed cycles of the window, start to completion.
 * - restarted: cycles started in the window by leaving an end stage (L6); cleared: cycles ended in
 *   the window by clearing the value (L7); movedBack: moves back in the window (L4).
 * Accounts that never had a value are not part of it; canceled accounts are (it is history,
 * not "Days in" counters, L10). Figures in days have two decimals.
 */

export type ReportInterval = 'day' | 'week' | 'month';
export const REPORT_INTERVALS: readonly ReportInterval[] = ['day', 'week', 'month'];
export const MAX_REPORT_POINTS = 400;

export interface ReportQuery {
  attribute: string;
  stages: readonly CatalogStage[];
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  interval: ReportInterval;
}

export interface DurationStatistics {
  count: number;
  medianDays: number | null;
  p90Days: number | null;
}

export interface StageReport {
  stageId: string;
  name: string;
  order: number;
  endStage: boolean;
  disabled: boolean;
  /** Accounts in this stage at `to`. */
  accounts: number;
  /** Cycles in scope that entered the stage. */
  entered: number;
  /** Of those, cycles that reached a later stage afterwards. */
  advanced: number;
  /** advanced / entered (4 decimals); null for an end stage or when no cycle entered it. */
  conversion: number | null;
  days: DurationStatistics;
}

export interface TimelinePoint {
  at: Date;
  /** Accounts per stage id at `at`. */
  stages: { [stageId: string]: number };
  none: number;
}

export interface LifecycleReport {
  attribute: string;
  from: Date;
  to: Date;
  interval: ReportInterval;
  /** Accounts with at least one cycle in scope. */
  accounts: number;
  /** Accounts without a value at `to` (among those with history). */
  accountsWithoutValue: number;
  cycles: { inScope: number; completed: number; running: number; cleared: number; restarted: number; movedBack: number };
  stages: StageReport[];
  cycleDays: DurationStatistics;
  timeline: TimelinePoint[];
}

/** The points of the timeline: the end of each interval in [from, to); a window too long for the interval is refused. */
export function timelinePoints(from: Date, to: Date, interval: ReportInterval): Date[] {
  const points: Date[] = [];
  let cursor = from;
  while (cursor.getTime() < to.getTime()) {
    const next = step(cursor, interval);
    points.push(next.getTime() < to.getTime() ? next : new Date(to.getTime()));
    if (points.length > MAX_REPORT_POINTS) {
      throw new SegmentError(
        SegmentErrorCode.InvalidReportQuery,
        `the window holds more than ${MAX_REPORT_POINTS} ${interval}s; choose a longer interval or a shorter window`,
        [{ path: 'interval', message: `at most ${MAX_REPORT_POINTS} points` }],
      );
    }
    cursor = next;
  }
  return points;
}

function step(at: Date, interval: ReportInterval): Date {
  switch (interval) {
    case 'day':
      return new Date(at.getTime() + DAY_MS);
    case 'week':
      return new Date(at.getTime() + 7 * DAY_MS);
    case 'month': {
      const next = new Date(at.getTime());
      next.setUTCMonth(next.getUTCMonth() + 1);
      return next;
    }
  }
}

interface CycleTrace {
  startedAt: number;
  endedAt: number | null;
  end: 'completed' | 'cleared' | 'running';
  restart: boolean;
  /** Stages entered, in order (with repeats). */
  entries: string[];
  /** "Days in" ms of a stage when it was last left in this cycle. */
  leftMs: Map<string, number>;
}

/** Accumulates accounts one by one (a cursor over the projection), then builds the report. */
export class LifecycleReportBuilder {
  private readonly byId: Map<string, CatalogStage>;
  private readonly ordered: CatalogStage[];
  private readonly points: Date[];
  private readonly pointCounts: Map<string | null, number>[];
  private readonly atTo = new Map<string | null, number>();
  private readonly entered = new Map<string, number>();
  private readonly advanced = new Map<string, number>();
  private readonly stageSamples = new Map<string, number[]>();
  private readonly cycleSamples: number[] = [];
  private readonly cycles = { inScope: 0, completed: 0, running: 0, cleared: 0, restarted: 0, movedBack: 0 };
  private accounts = 0;

  constructor(private readonly query: ReportQuery) {
    this.ordered = [...query.stages].sort((a, b) => a.order - b.order);
    this.byId = new Map(this.ordered.map((s) => [s.id, s]));
    this.points = timelinePoints(query.from, query.to, query.interval);
    this.pointCounts = this.points.map(() => new Map());
  }

  add(transitions: readonly AttributeTransition[]): void {
    const to = this.query.to.getTime();
    const sorted = transitions
      .map((t, i) => ({ t, i }))
      .filter(({ t }) => t.at instanceof Date && t.at.getTime() < to)
      .sort((a, b) => a.t.at.getTime() - b.t.at.getTime() || a.i - b.i)
      .map(({ t }) => ({ to: t.to !== null && this.byId.has(t.to) ? t.to : null, at: t.at.getTime() }));
    if (sorted.length === 0) return;
    this.countTimeline(sorted);
    const inScope = this.replay(sorted).filter((c) => this.isInScope(c));
    if (inScope.length > 0) this.accounts += 1;
    for (const cycle of inScope) this.aggregate(cycle);
  }

  build(): LifecycleReport {
    const stages: StageReport[] = this.ordered.map((s) => {
      const entered = this.entered.get(s.id) ?? 0;
      const advanced = this.advanced.get(s.id) ?? 0;
      return {
        stageId: s.id,
        name: s.name,
        order: s.order,
        endStage: s.endStage,
        disabled: s.disabled,
        accounts: this.atTo.get(s.id) ?? 0,
        entered,
        advanced,
        conversion: s.endStage || entered === 0 ? null : Math.round((advanced / entered) * 10_000) / 10_000,
        days: durationStatistics(this.stageSamples.get(s.id) ?? []),
      };
    });
    return {
      attribute: this.query.attribute,
      from: new Date(this.query.from.getTime()),
      to: new Date(this.query.to.getTime()),
      interval: this.query.interval,
      accounts: this.accounts,
      accountsWithoutValue: this.atTo.get(null) ?? 0,
      cycles: { ...this.cycles },
      stages,
      cycleDays: durationStatistics(this.cycleSamples),
      timeline: this.points.map((at, i) => {
        const counts = this.pointCounts[i] ?? new Map<string | null, number>();
        return {
          at: new Date(at.getTime()),
          stages: Object.fromEntries(this.ordered.map((s) => [s.id, counts.get(s.id) ?? 0])),
          none: counts.get(null) ?? 0,
        };
      }),
    };
  }

  /**
   * The stage at each point (and at `to`) is the target of the last change before it; an account
   * is on the timeline from its first change on ("None" = cleared).
   */
  private countTimeline(sorted: readonly { to: string | null; at: number }[]): void {
    let index = 0;
    let stage: string | null | undefined = undefined;
    this.points.forEach((point, i) => {
      while (index < sorted.length && (sorted[index]?.at ?? Infinity) < point.getTime()) {
        stage = sorted[index]?.to ?? null;
        index += 1;
      }
      const counts = this.pointCounts[i];
      if (counts !== undefined && stage !== undefined) counts.set(stage, (counts.get(stage) ?? 0) + 1);
    });
    const last = sorted[sorted.length - 1]?.to ?? null;
    this.atTo.set(last, (this.atTo.get(last) ?? 0) + 1);
  }

  private replay(sorted: readonly { to: string | null; at: number }[]): CycleTrace[] {
    const from = this.query.from.getTime();
    const traces: CycleTrace[] = [];
    let cycle: CycleTrace | null = null;
    let stageId: string | null = null;
    let running = false;
    let enteredAt = 0;
    const stageMs = new Map<string, number>();
    const isEnd = (id: string): boolean => this.byId.get(id)?.endStage === true;

    const start = (to: string, at: number, restart: boolean): void => {
      cycle = { startedAt: at, endedAt: null, end: 'running', restart, entries: [to], leftMs: new Map() };
      traces.push(cycle);
      stageMs.clear();
      stageId = to;
      if (isEnd(to)) {
        cycle.end = 'completed'; // set straight to an end stage: completed at once
        cycle.endedAt = at;
        running = false;
      } else {
        running = true;
        enteredAt = at;
      }
    };
    const leave = (current: CycleTrace, stage: string, at: number): void => {
      const ms = (stageMs.get(stage) ?? 0) + (at - enteredAt);
      stageMs.set(stage, ms);
      current.leftMs.set(stage, ms);
    };

    for (const { to, at } of sorted) {
      const current = cycle as CycleTrace | null;
      if (to === stageId) continue; // L8
      if (to === null) {
        // L7: the running cycle ends uncompleted.
        if (current !== null && stageId !== null && running) {
          leave(current, stageId, at);
          current.end = 'cleared';
          current.endedAt = at;
        }
        stageId = null;
        running = false;
        continue;
      }
      if (stageId === null || current === null) {
        start(to, at, false); // L2
        continue;
      }
      if (!running) {
        if (isEnd(to))
          stageId = to; // L6: end → end starts nothing
        else start(to, at, true); // L6
        continue;
      }
      leave(current, stageId, at);
      const fromOrder = this.byId.get(stageId)?.order ?? Number.NEGATIVE_INFINITY;
      stageId = to;
      current.entries.push(to);
      if (isEnd(to)) {
        current.end = 'completed'; // L5
        current.endedAt = at;
        running = false;
        continue;
      }
      if ((this.byId.get(to)?.order ?? 0) < fromOrder) {
        stageMs.set(to, 0); // L4
        if (at >= from) this.cycles.movedBack += 1;
      }
      enteredAt = at;
    }
    return traces;
  }

  private isInScope(cycle: CycleTrace): boolean {
    return cycle.startedAt < this.query.to.getTime() && (cycle.endedAt === null || cycle.endedAt >= this.query.from.getTime());
  }

  private aggregate(cycle: CycleTrace): void {
    const from = this.query.from.getTime();
    this.cycles.inScope += 1;
    if (cycle.end === 'completed') this.cycles.completed += 1;
    if (cycle.end === 'running') this.cycles.running += 1;
    if (cycle.end === 'cleared') this.cycles.cleared += 1;
    if (cycle.restart && cycle.startedAt >= from) this.cycles.restarted += 1;
    if (cycle.end === 'completed' && cycle.endedAt !== null) this.cycleSamples.push(cycle.endedAt - cycle.startedAt);

    // Conversion: a stage advanced when a later entry of the cycle has a higher order.
    const orders = cycle.entries.map((id) => this.byId.get(id)?.order ?? Number.NEGATIVE_INFINITY);
    const laterMax: number[] = new Array<number>(orders.length).fill(Number.NEGATIVE_INFINITY);
    for (let i = orders.length - 2; i >= 0; i--)
      laterMax[i] = Math.max(laterMax[i + 1] ?? Number.NEGATIVE_INFINITY, orders[i + 1] ?? Number.NEGATIVE_INFINITY);
    const entered = new Set<string>();
    const advanced = new Set<string>();
    cycle.entries.forEach((id, i) => {
      entered.add(id);
      if ((laterMax[i] ?? Number.NEGATIVE_INFINITY) > (orders[i] ?? Number.NEGATIVE_INFINITY)) advanced.add(id);
    });
    for (const id of entered) this.entered.set(id, (this.entered.get(id) ?? 0) + 1);
    for (const id of advanced) this.advanced.set(id, (this.advanced.get(id) ?? 0) + 1);

    for (const [id, ms] of cycle.leftMs) {
      const samples = this.stageSamples.get(id) ?? [];
      samples.push(ms);
      this.stageSamples.set(id, samples);
    }
  }
}

/** Median (mean of the middle two) and p90 (nearest rank) in days with two decimals. */
export function durationStatistics(samplesMs: readonly number[]): DurationStatistics {
  if (samplesMs.length === 0) return { count: 0, medianDays: null, p90Days: null };
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)] ?? 0;
  return { count: sorted.length, medianDays: toDays(median), p90Days: toDays(p90) };
}

function toDays(ms: number): number {
  return Math.round((ms / DAY_MS) * 100) / 100;
}
