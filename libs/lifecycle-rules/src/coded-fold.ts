/**
 * The fold of fold.ts (L2–L11) over stage codes and epoch milliseconds, allocating nothing per
 * history: for callers that fold a million histories in one request (segment-evaluation's board
 * `asOf` and lifecycle report read them from typed-array columns). The decisions are those of
 * `decideMove` and `applyMove`, entry for entry; `coded-fold.properties.spec.ts` holds this fold
 * to `replay` / `stateAsOf` / `traceCycles` / `stageMsAtIntervalEnds` on random histories, and
 * the rule table runs against it. Time is measured by the calendar clock (`calendarMs`); a
 * second clock reads the stretches from `traceCycles`.
 *
 * A history here is a run of a caller's arrays: `at[i]` (epoch ms, whole milliseconds) and
 * `to[i]` (a stage code of the caller's dictionary; 0 = no value), positions `start … start +
 * count - 1` in insertion order. Like `sortHistory`, the fold takes them by time, then by position.
 */
import type { LifecycleStage } from './stages';

/** A stage list seen through a caller's dictionary of stage ids (code → id; code 0 = no value). */
export class StageCodes {
  /** 1 where the code's stage id is in the stage list (any other code clears the value, L7). */
  readonly known: Uint8Array;
  readonly endStage: Uint8Array;
  readonly order: Float64Array;

  /**
   * `idOfCode[code]` is the stage id of each code (`idOfCode[0]` is null). One more code than
   * listed, `idOfCode.length`, stands for any id the list does not hold.
   */
  constructor(stages: readonly LifecycleStage[], idOfCode: readonly (string | null)[]) {
    const size = idOfCode.length + 1;
    this.known = new Uint8Array(size);
    this.endStage = new Uint8Array(size);
    this.order = new Float64Array(size).fill(Number.NEGATIVE_INFINITY);
    // As `indexStages`: by id, the last of a repeated id wins.
    const byId = new Map(stages.map((stage) => [stage.id, stage]));
    idOfCode.forEach((id, code) => {
      const stage = id === null ? undefined : byId.get(id);
      if (stage === undefined) return;
      this.known[code] = 1;
      this.endStage[code] = stage.endStage ? 1 : 0;
      this.order[code] = stage.order;
    });
  }

  get size(): number {
    return this.known.length;
  }
}

/** `MoveKind` of fold.ts as numbers (what the trace and observers see). */
export const CODED_MOVE = { start: 1, restart: 2, forward: 3, back: 4, complete: 5, betweenEnds: 6, clear: 7 } as const;

/** How a traced cycle ended: still running, completed (L5), cleared while running (L7). */
export const CYCLE_END = { none: 0, completed: 1, cleared: 2 } as const;

/**
 * `CycleTrace[]` of cycle-trace.ts in flat, reused arrays: cycle `c` holds `enteredCount[c]`
 * codes from `enteredStart[c]` in `entered`, and `intervalCount[c]` intervals from
 * `intervalStart[c]` (`intervalTo` NaN = still running; `intervalEntry` = the position, in the
 * caller's arrays, of the entry that opened it: `StageInterval.changeId`).
 */
export class CycleTraceBuffer {
  cycles = 0;
  startedAt = new Float64Array(8);
  restarted = new Uint8Array(8);
  endKind = new Uint8Array(8);
  endAt = new Float64Array(8);
  enteredStart = new Int32Array(8);
  enteredCount = new Int32Array(8);
  intervalStart = new Int32Array(8);
  intervalCount = new Int32Array(8);

  enteredUsed = 0;
  entered = new Int32Array(32);

  intervalsUsed = 0;
  intervalStage = new Int32Array(32);
  intervalFrom = new Float64Array(32);
  intervalTo = new Float64Array(32);
  intervalResets = new Uint8Array(32);
  intervalEntry = new Int32Array(32);

  reset(): void {
    this.cycles = 0;
    this.enteredUsed = 0;
    this.intervalsUsed = 0;
  }

  startCycle(at: number, restarted: boolean, to: number, completes: boolean, entry: number): void {
    if (this.cycles === this.startedAt.length) this.growCycles();
    const c = this.cycles++;
    this.startedAt[c] = at;
    this.restarted[c] = restarted ? 1 : 0;
    this.endKind[c] = completes ? CYCLE_END.completed : CYCLE_END.none;
    this.endAt[c] = completes ? at : NaN;
    this.enteredStart[c] = this.enteredUsed;
    this.enteredCount[c] = 0;
    this.intervalStart[c] = this.intervalsUsed;
    this.intervalCount[c] = 0;
    this.enter(to);
    if (!completes) this.open(to, at, false, entry);
  }

  /** The current cycle's open interval (if any) ends at `at`. */
  closeOpen(at: number): void {
    const c = this.cycles - 1;
    if (c < 0 || this.intervalCount[c] === 0) return;
    const last = this.intervalStart[c]! + this.intervalCount[c]! - 1;
    if (Number.isNaN(this.intervalTo[last]!)) this.intervalTo[last] = at;
  }

  enter(to: number): void {
    const c = this.cycles - 1;
    if (c < 0) return;
    if (this.enteredUsed === this.entered.length) this.entered = grown(this.entered);
    this.entered[this.enteredUsed++] = to;
    this.enteredCount[c]! += 1;
  }

  open(stage: number, at: number, resets: boolean, entry: number): void {
    const c = this.cycles - 1;
    if (c < 0) return;
    if (this.intervalsUsed === this.intervalStage.length) {
      this.intervalStage = grown(this.intervalStage);
      this.intervalFrom = grown(this.intervalFrom);
      this.intervalTo = grown(this.intervalTo);
      this.intervalResets = grown(this.intervalResets);
      this.intervalEntry = grown(this.intervalEntry);
    }
    const i = this.intervalsUsed++;
    this.intervalStage[i] = stage;
    this.intervalFrom[i] = at;
    this.intervalTo[i] = NaN;
    this.intervalResets[i] = resets ? 1 : 0;
    this.intervalEntry[i] = entry;
    this.intervalCount[c]! += 1;
  }

  end(kind: number, at: number): void {
    const c = this.cycles - 1;
    if (c < 0) return;
    this.endKind[c] = kind;
    this.endAt[c] = at;
  }

  /**
   * `stageMsAtIntervalEnds` of cycle `c` (calendar clock): the counter of each interval's stage
   * when the interval ends, an open one measured up to `until`, into `out` from index 0.
   * `counters` is scratch by stage code (at least `StageCodes.size` long).
   */
  stageMsAtIntervalEnds(c: number, until: number, out: Float64Array, counters: Float64Array): void {
    const start = this.intervalStart[c]!;
    const n = this.intervalCount[c]!;
    for (let i = start; i < start + n; i++) counters[this.intervalStage[i]!] = 0;
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const stage = this.intervalStage[i]!;
      const to = this.intervalTo[i]!;
      const before = this.intervalResets[i] === 1 ? 0 : counters[stage]!;
      const ms = before + Math.max(0, (Number.isNaN(to) ? until : to) - this.intervalFrom[i]!);
      counters[stage] = ms;
      out[k] = ms;
    }
  }

  private growCycles(): void {
    this.startedAt = grown(this.startedAt);
    this.restarted = grown(this.restarted);
    this.endKind = grown(this.endKind);
    this.endAt = grown(this.endAt);
    this.enteredStart = grown(this.enteredStart);
    this.enteredCount = grown(this.enteredCount);
    this.intervalStart = grown(this.intervalStart);
    this.intervalCount = grown(this.intervalCount);
  }
}

/**
 * One fold at a time, its buffers reused from history to history: `run` leaves the state as of
 * the last entry folded (the fields below mirror `LifecycleState`, instants as epoch ms, NaN =
 * null), and `msInStageAt` / `msInAttributeAt` read it as `currentCountersAt` does.
 */
export class CodedFold {
  /** Stage code; 0 = no value. */
  stage = 0;
  cycle = 0;
  completedCycles = 0;
  completed = false;
  cycleStartedAt = NaN;
  cycleEndedAt = NaN;
  stageEnteredAt = NaN;
  lastChangedAt = NaN;
  lastCompletedAt = NaN;
  /** Per stage code, current cycle, up to the last change (the running stretch excluded). */
  stageMs = new Float64Array(8);
  /** Per stage code, all cycles. */
  totalMs = new Float64Array(8);
  /** The positions folded, in history order (`folded` of them). */
  order = new Int32Array(16);
  folded = 0;

  /**
   * Folds the entries of `at` / `to` from `start` (`count` of them) with `at <= until`, in history
   * order. With `trace`, the cycles are recorded as `traceCycles` records them (for the history
   * folded). Returns this fold.
   */
  run(
    stages: StageCodes,
    at: ArrayLike<number>,
    to: ArrayLike<number>,
    start: number,
    count: number,
    until = Number.POSITIVE_INFINITY,
    trace: CycleTraceBuffer | null = null,
  ): this {
    this.reset(stages.size);
    trace?.reset();
    this.sortRun(at, start, count);
    const { known, endStage, order: stageOrder } = stages;
    let folded = 0;
    for (let k = 0; k < count; k++) {
      const i = this.order[k]!;
      const t = at[i]!;
      if (t > until) break;
      this.order[folded++] = i;
      const target = to[i]!;
      const from = this.stage;
      // The stretch the stage left ran for: none without a value or in an end stage (L5).
      const closes = from !== 0 && !this.completed && !Number.isNaN(this.stageEnteredAt);
      // decideMove: which rule the entry falls under (null = a no-op, L8).
      let kind: number;
      let completes = false;
      if (known[target] !== 1) {
        if (from === 0) continue; // L8: already empty.
        kind = CODED_MOVE.clear; // L7: cleared, or a stage the list does not have.
      } else if (from === 0) {
        kind = CODED_MOVE.start; // L2 (and L5 at once for an end stage).
        completes = endStage[target] === 1;
      } else if (target === from) {
        continue; // L8: the same stage again.
      } else if (this.completed) {
        kind = endStage[target] === 1 ? CODED_MOVE.betweenEnds : CODED_MOVE.restart; // L6
      } else if (endStage[target] === 1) {
        kind = CODED_MOVE.complete; // L5
        completes = true;
      } else {
        kind = stageOrder[target]! < stageOrder[from]! ? CODED_MOVE.back : CODED_MOVE.forward; // L4 / L3 (same order: sideways)
      }
      // applyMove: the stage left keeps its time (L3/L4). (No stretch is open where a cycle starts.)
      if (closes) {
        const ms = Math.max(0, t - this.stageEnteredAt);
        this.stageMs[from]! += ms;
        this.totalMs[from]! += ms;
      }
      if (trace !== null) traceMove(trace, kind, t, target, completes, i);
      switch (kind) {
        case CODED_MOVE.clear:
          // L7: the running cycle ends uncompleted and its counters reset; totals and the cycle number stay.
          this.stage = 0;
          this.completed = false;
          this.stageMs.fill(0);
          this.cycleStartedAt = NaN;
          this.cycleEndedAt = NaN;
          this.stageEnteredAt = NaN;
          this.lastChangedAt = t;
          continue;
        case CODED_MOVE.start:
        case CODED_MOVE.restart:
          // L2/L6: a new cycle, its counters from zero.
          this.cycle += 1;
          this.completed = false;
          this.stageMs.fill(0);
          this.cycleStartedAt = t;
          this.cycleEndedAt = NaN;
          break;
        case CODED_MOVE.back:
          // L4: moving back resets the target stage; its clock starts again from zero.
          this.stageMs[target] = 0;
          break;
      }
      this.stage = target;
      this.stageEnteredAt = t;
      this.lastChangedAt = t;
      if (completes) {
        // L5: all counting stops.
        this.completed = true;
        this.completedCycles += 1;
        this.cycleEndedAt = t;
        this.lastCompletedAt = t;
      }
    }
    this.folded = folded;
    return this;
  }

  /** `currentCountersAt(state, at).msInStage`: null without a value. */
  msInStageAt(at: number): number | null {
    if (this.stage === 0) return null;
    return this.stageMs[this.stage]! + this.openMs(at);
  }

  /** `currentCountersAt(state, at).msInAttribute`: frozen at completion (L5), else running to `at`; null without a value. */
  msInAttributeAt(at: number): number | null {
    if (this.stage === 0 || Number.isNaN(this.cycleStartedAt)) return null;
    const end = this.completed && !Number.isNaN(this.cycleEndedAt) ? this.cycleEndedAt : at;
    return Math.max(0, end - this.cycleStartedAt);
  }

  /** The running stretch of the current stage up to `at`; 0 in an end stage (L5) or without a value (L7). */
  private openMs(at: number): number {
    return this.stage !== 0 && !this.completed && !Number.isNaN(this.stageEnteredAt) ? Math.max(0, at - this.stageEnteredAt) : 0;
  }

  private reset(codes: number): void {
    this.stage = 0;
    this.cycle = 0;
    this.completedCycles = 0;
    this.completed = false;
    this.cycleStartedAt = NaN;
    this.cycleEndedAt = NaN;
    this.stageEnteredAt = NaN;
    this.lastChangedAt = NaN;
    this.lastCompletedAt = NaN;
    if (this.stageMs.length < codes) {
      this.stageMs = new Float64Array(codes);
      this.totalMs = new Float64Array(codes);
    } else {
      this.stageMs.fill(0);
      this.totalMs.fill(0);
    }
    this.folded = 0;
  }

  /** `order[0 … count)` = the run's positions by time, then position (L11); in place when already sorted. */
  private sortRun(at: ArrayLike<number>, start: number, count: number): void {
    if (this.order.length < count) this.order = new Int32Array(Math.max(count, this.order.length * 2));
    let sorted = true;
    for (let k = 0; k < count; k++) {
      this.order[k] = start + k;
      if (k > 0 && at[start + k]! < at[start + k - 1]!) sorted = false;
    }
    if (sorted) return;
    // Insertion sort: stable (equal times keep their positions), and runs are short.
    for (let k = 1; k < count; k++) {
      const i = this.order[k]!;
      const t = at[i]!;
      let j = k - 1;
      while (j >= 0 && at[this.order[j]!]! > t) {
        this.order[j + 1] = this.order[j]!;
        j--;
      }
      this.order[j + 1] = i;
    }
  }
}

/** `traceCycles`'s record of one move. */
function traceMove(trace: CycleTraceBuffer, kind: number, at: number, to: number, completes: boolean, entry: number): void {
  switch (kind) {
    case CODED_MOVE.start:
    case CODED_MOVE.restart:
      trace.startCycle(at, kind === CODED_MOVE.restart, to, completes, entry);
      return;
    case CODED_MOVE.forward:
    case CODED_MOVE.back:
      trace.closeOpen(at);
      trace.enter(to);
      trace.open(to, at, kind === CODED_MOVE.back, entry);
      return;
    case CODED_MOVE.complete:
      trace.closeOpen(at);
      trace.enter(to);
      trace.end(CYCLE_END.completed, at);
      return;
    case CODED_MOVE.clear: {
      // A completed cycle stays completed; only a running one is cut short.
      const c = trace.cycles - 1;
      if (c >= 0 && trace.endKind[c] === CYCLE_END.none) {
        trace.closeOpen(at);
        trace.end(CYCLE_END.cleared, at);
      }
      return;
    }
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T): T {
  const next = new (array.constructor as new (n: number) => T)(array.length * 2);
  next.set(array as never);
  return next;
}
