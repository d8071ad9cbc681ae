import { CodedFold, CYCLE_END, CycleTraceBuffer, MS_PER_DAY, StageCodes, stagesInOrder } from '@lifecycle/rules';
import type { AttributeTransition } from './account-projection';
import type { CatalogStage } from './criteria-validation';
import { SegmentError, SegmentErrorCode } from './segment-errors';

/**
 * The lifecycle report of one attribute (the admins' "Reports" view), computed from the projection's
 * transitions: each account's history is traced through its cycles by the "Days in" rules
 * (`CodedFold` with a `CycleTraceBuffer` of `@lifecycle/rules`: the cycles `traceCycles` traces) in memory:
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
      return new Date(at.getTime() + MS_PER_DAY);
    case 'week':
      return new Date(at.getTime() + 7 * MS_PER_DAY);
    case 'month': {
      const next = new Date(at.getTime());
      next.setUTCMonth(next.getUTCMonth() + 1);
      return next;
    }
  }
}

/**
 * How the report reads one dictionary of stage codes (the index's columns, or the builder's own
 * for `add`): the rules' view (`StageCodes`), and per code the stage's position in stage order
 * (-1 = no value or a stage the list does not have) and its order.
 */
export interface ReportCodes {
  readonly stages: StageCodes;
  readonly position: Int32Array;
  readonly order: Float64Array;
}

/**
 * Accumulates accounts one by one (the index's columns, or transitions), then builds the report.
 * Each history is folded by the rules' coded fold (`CodedFold` of `@lifecycle/rules`, the fold
 * of L2–L11 over stage codes) with its cycles traced, into counters by stage position: nothing is
 * allocated per account but the samples kept for the medians.
 */
export class LifecycleReportBuilder {
  private readonly ordered: CatalogStage[];
  private readonly points: Float64Array;
  /** Slot `none` of every per-stage table: no value. */
  private readonly none: number;
  /** [point × (stages + 1)]: accounts per stage position (or none) at each point. */
  private readonly pointCounts: Float64Array;
  private readonly atTo: Float64Array;
  private readonly entered: Float64Array;
  private readonly advanced: Float64Array;
  private readonly stageSamples: Samples[];
  private readonly cycleSamples = new Samples();
  private readonly cycles = { inScope: 0, completed: 0, running: 0, cleared: 0, restarted: 0, movedBack: 0 };
  private accounts = 0;
  private readonly fold = new CodedFold();
  private readonly trace = new CycleTraceBuffer();
  /** Per stage position: the cycle (stamp) that last counted it, and the ms it was last left with. */
  private readonly enteredStamp: Int32Array;
  private readonly advancedStamp: Int32Array;
  private readonly leftStamp: Int32Array;
  private readonly leftMs: Float64Array;
  private readonly touched: Int32Array;
  private stamp = 0;
  private intervalMs = new Float64Array(16);
  private counters = new Float64Array(16);
  /** The codes `add` uses: code = 1 + position in stage order; unknown ids share the next code. */
  private readonly ownCodes: ReportCodes;
  private readonly ownCodeOf: Map<string, number>;

  constructor(private readonly query: ReportQuery) {
    this.ordered = stagesInOrder(query.stages);
    const n = this.ordered.length;
    this.none = n;
    this.points = Float64Array.from(timelinePoints(query.from, query.to, query.interval), (d) => d.getTime());
    this.pointCounts = new Float64Array(this.points.length * (n + 1));
    this.atTo = new Float64Array(n + 1);
    this.entered = new Float64Array(n);
    this.advanced = new Float64Array(n);
    this.stageSamples = this.ordered.map(() => new Samples());
    this.enteredStamp = new Int32Array(n);
    this.advancedStamp = new Int32Array(n);
    this.leftStamp = new Int32Array(n);
    this.leftMs = new Float64Array(n);
    this.touched = new Int32Array(n);
    const dictionary = [null, ...this.ordered.map((s) => s.id)];
    this.ownCodes = this.codesOf(dictionary);
    this.ownCodeOf = new Map(this.ordered.map((s, i) => [s.id, i + 1]));
  }

  /** The report's view of a dictionary of stage codes (`idOfCode[0]` = null). */
  codesOf(idOfCode: readonly (string | null)[]): ReportCodes {
    const size = idOfCode.length + 1;
    const position = new Int32Array(size).fill(-1);
    const order = new Float64Array(size).fill(Number.NEGATIVE_INFINITY);
    // As the rules' stage index: by id, the last of a repeated id wins.
    const byId = new Map(this.ordered.map((s, i) => [s.id, i]));
    idOfCode.forEach((id, code) => {
      const p = id === null ? undefined : byId.get(id);
      if (p === undefined) return;
      position[code] = p;
      order[code] = this.ordered[p]!.order;
    });
    return { stages: new StageCodes(this.query.stages, idOfCode), position, order };
  }

  /** One account's transitions (stored order; entries without a valid time are left out, as `historyOf` does). */
  add(transitions: readonly AttributeTransition[]): void {
    const at: number[] = [];
    const to: number[] = [];
    for (const t of transitions) {
      const ms = t.at instanceof Date ? t.at.getTime() : NaN;
      if (Number.isNaN(ms)) continue;
      at.push(ms);
      to.push(t.to === null ? 0 : (this.ownCodeOf.get(t.to) ?? this.ordered.length + 1));
    }
    this.addRun(this.ownCodes, at, to, 0, at.length);
  }

  /**
   * One account's history as a run of columns: `at[i]` (epoch ms) and `to[i]` (a code of
   * `codes`), positions `start … start + count - 1` in stored order.
   */
  addRun(codes: ReportCodes, at: ArrayLike<number>, to: ArrayLike<number>, start: number, count: number): void {
    const toMs = this.query.to.getTime();
    // As of `to`: what happened before it (L11); instants are whole milliseconds.
    const fold = this.fold.run(codes.stages, at, to, start, count, toMs - 1, this.trace);
    if (fold.folded === 0) return;
    this.countTimeline(codes, at, to);
    const fromMs = this.query.from.getTime();
    const trace = this.trace;
    let any = false;
    for (let c = 0; c < trace.cycles; c++) {
      // In scope: started before `to`, not ended before `from`.
      if (trace.startedAt[c]! >= toMs) continue;
      if (trace.endKind[c] !== CYCLE_END.none && trace.endAt[c]! < fromMs) continue;
      any = true;
      this.aggregate(codes, c, fromMs, toMs);
    }
    if (any) this.accounts += 1;
  }

  build(): LifecycleReport {
    const stages: StageReport[] = this.ordered.map((s, p) => {
      const entered = this.entered[p]!;
      const advanced = this.advanced[p]!;
      return {
        stageId: s.id,
        name: s.name,
        order: s.order,
        endStage: s.endStage,
        disabled: s.disabled,
        accounts: this.atTo[p]!,
        entered,
        advanced,
        conversion: s.endStage || entered === 0 ? null : Math.round((advanced / entered) * 10_000) / 10_000,
        days: durationStatistics(this.stageSamples[p]!.values()),
      };
    });
    const width = this.none + 1;
    return {
      attribute: this.query.attribute,
      from: new Date(this.query.from.getTime()),
      to: new Date(this.query.to.getTime()),
      interval: this.query.interval,
      accounts: this.accounts,
      accountsWithoutValue: this.atTo[this.none]!,
      cycles: { ...this.cycles },
      stages,
      cycleDays: durationStatistics(this.cycleSamples.values()),
      timeline: Array.from(this.points, (at, i) => ({
        at: new Date(at),
        stages: Object.fromEntries(this.ordered.map((s, p) => [s.id, this.pointCounts[i * width + p]!])),
        none: this.pointCounts[i * width + this.none]!,
      })),
    };
  }

  /**
   * The stage at each point (and at `to`) is the stage the last change before it set: an
   * unknown stage clears the value (L7) and a repeat keeps it (L8), so that is where the fold
   * stands. An account is on the timeline from its first change on ("None" = cleared).
   */
  private countTimeline(codes: ReportCodes, at: ArrayLike<number>, to: ArrayLike<number>): void {
    const { order, folded } = this.fold;
    const width = this.none + 1;
    const slotOf = (i: number): number => {
      const p = codes.position[to[i]!]!;
      return p < 0 ? this.none : p;
    };
    let k = 0;
    let slot = -1;
    for (let i = 0; i < this.points.length; i++) {
      const point = this.points[i]!;
      while (k < folded && at[order[k]!]! < point) slot = slotOf(order[k++]!);
      if (slot >= 0) this.pointCounts[i * width + slot]! += 1;
    }
    this.atTo[slotOf(order[folded - 1]!)]! += 1;
  }

  private aggregate(codes: ReportCodes, c: number, fromMs: number, toMs: number): void {
    const trace = this.trace;
    const { position, order } = codes;
    this.cycles.inScope += 1;
    const end = trace.endKind[c];
    if (end === CYCLE_END.none) this.cycles.running += 1;
    else if (end === CYCLE_END.completed) {
      this.cycles.completed += 1;
      this.cycleSamples.push(Math.max(0, trace.endAt[c]! - trace.startedAt[c]!));
    } else this.cycles.cleared += 1;
    // L6: restarts, L4: moves back, both in the window.
    if (trace.restarted[c] === 1 && trace.startedAt[c]! >= fromMs) this.cycles.restarted += 1;
    const first = trace.intervalStart[c]!;
    const intervals = trace.intervalCount[c]!;
    for (let i = first; i < first + intervals; i++) {
      if (trace.intervalResets[i] === 1 && trace.intervalFrom[i]! >= fromMs) this.cycles.movedBack += 1;
    }

    // Conversion: a stage advanced when a later entry of the cycle has a higher order.
    const stamp = ++this.stamp;
    const enteredFirst = trace.enteredStart[c]!;
    let later = Number.NEGATIVE_INFINITY;
    for (let i = enteredFirst + trace.enteredCount[c]! - 1; i >= enteredFirst; i--) {
      const code = trace.entered[i]!;
      const p = position[code]!;
      const own = order[code]!;
      if (p >= 0) {
        if (this.enteredStamp[p] !== stamp) {
          this.enteredStamp[p] = stamp;
          this.entered[p]! += 1;
        }
        if (later > own && this.advancedStamp[p] !== stamp) {
          this.advancedStamp[p] = stamp;
          this.advanced[p]! += 1;
        }
      }
      if (own > later) later = own;
    }

    // Days per stage: the stage's counter (L3/L4) when its clock last stopped in the cycle; a
    // stretch still running at `to` is not measured.
    if (this.intervalMs.length < intervals) this.intervalMs = new Float64Array(intervals * 2);
    if (this.counters.length < codes.stages.size) this.counters = new Float64Array(codes.stages.size * 2);
    trace.stageMsAtIntervalEnds(c, toMs, this.intervalMs, this.counters);
    let touched = 0;
    for (let k = 0; k < intervals; k++) {
      const i = first + k;
      if (Number.isNaN(trace.intervalTo[i]!)) continue;
      const p = position[trace.intervalStage[i]!]!;
      if (p < 0) continue;
      if (this.leftStamp[p] !== stamp) {
        this.leftStamp[p] = stamp;
        this.touched[touched++] = p;
      }
      this.leftMs[p] = this.intervalMs[k]!;
    }
    for (let k = 0; k < touched; k++) this.stageSamples[this.touched[k]!]!.push(this.leftMs[this.touched[k]!]!);
  }
}

/**
 * Durations collected by a report: a growable `Float64Array`, not a JavaScript array — a report
 * over a million accounts collects millions, and an array's growth would leave its outgrown
 * copies on the heap (tens of MiB per report) until a full collection.
 */
class Samples {
  private data = new Float64Array(1_024);
  private size = 0;

  push(ms: number): void {
    if (this.size === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.size++] = ms;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.size);
  }
}

/** Median (mean of the middle two) and p90 (nearest rank) in days with two decimals. */
export function durationStatistics(samplesMs: ArrayLike<number>): DurationStatistics {
  if (samplesMs.length === 0) return { count: 0, medianDays: null, p90Days: null };
  // A typed array sorts numerically, and a million samples in a fraction of the time of an array.
  const sorted = Float64Array.from(samplesMs).sort();
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  const p90 = sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)] ?? 0;
  return { count: sorted.length, medianDays: toDays(median), p90Days: toDays(p90) };
}

function toDays(ms: number): number {
  return Math.round((ms / MS_PER_DAY) * 100) / 100;
}
