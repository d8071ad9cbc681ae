import { Dictionary, grown, holding, type CodeColumn } from './columns';
import { InstantColumn } from './instant-column';
import type { IndexedAttribute } from './indexed-account';

/** A column of stage codes (a dictionary of at most 256 codes fits one byte). */
export type StageCodeColumn = Uint8Array | Uint16Array;

/** `clock` column values. */
export const CLOCK_UNKNOWN = 0;
export const CLOCK_RUNNING = 1;
export const CLOCK_STOPPED = 2;

/**
 * One lifecycle attribute of every account, by slot: the stage (a code of the attribute's own
 * dictionary of stage ids, 0 = no value), the clock (running: the two clock starts; stopped: the
 * two frozen values — the same two columns), completed cycles, and the transitions and completion
 * times in pools (each slot owns a contiguous run; a rewritten run moves to the end of its pool,
 * which is compacted when half of it is garbage).
 */
export class AttributeColumns {
  readonly stages: Dictionary;
  /** Stage codes: one byte each while the dictionary has at most 256 codes, two beyond (`widen`). */
  stage: StageCodeColumn;
  clock: Uint8Array;
  /** Running: stageClockStart (ms); stopped: frozenStageMs. NaN = unknown. */
  stageClock: InstantColumn;
  /** Running: attributeClockStart (ms); stopped: frozenAttributeMs. NaN = unknown. */
  attributeClock: InstantColumn;
  completedCycles: CodeColumn;

  transitionStart: Int32Array;
  transitionCount: CodeColumn;
  transitionAt: InstantColumn;
  transitionFrom: StageCodeColumn;
  transitionTo: StageCodeColumn;
  transitionsUsed = 0;
  private transitionGarbage = 0;

  completionStart: Int32Array;
  completionCount: CodeColumn;
  completionAt: InstantColumn;
  completionsUsed = 0;
  private completionGarbage = 0;

  constructor(
    readonly key: string,
    capacity: number,
    stages: readonly string[] = [],
  ) {
    this.stages = new Dictionary(stages);
    this.stage = new Uint8Array(capacity);
    this.clock = new Uint8Array(capacity);
    this.stageClock = new InstantColumn(capacity);
    this.attributeClock = new InstantColumn(capacity);
    this.completedCycles = new Uint8Array(capacity);
    this.transitionStart = new Int32Array(capacity);
    this.transitionCount = new Uint8Array(capacity);
    this.transitionAt = new InstantColumn(capacity);
    this.transitionFrom = new Uint8Array(capacity);
    this.transitionTo = new Uint8Array(capacity);
    this.completionStart = new Int32Array(capacity);
    this.completionCount = new Uint8Array(capacity);
    this.completionAt = new InstantColumn(Math.max(1_024, capacity >>> 2));
  }

  /** Columns taken over from a snapshot (`snapshotColumns` order). */
  static restore(
    key: string,
    stages: readonly string[],
    columns: AttributeSnapshotColumns,
    used: { transitions: number; completions: number },
  ): AttributeColumns {
    const restored = new AttributeColumns(key, 0, stages);
    const { stageClock, attributeClock, transitionAt, completionAt, ...rest } = columns;
    Object.assign(restored, rest);
    restored.stageClock = InstantColumn.restore(stageClock);
    restored.attributeClock = InstantColumn.restore(attributeClock);
    restored.transitionAt = InstantColumn.restore(transitionAt);
    restored.completionAt = InstantColumn.restore(completionAt);
    restored.transitionsUsed = used.transitions;
    restored.completionsUsed = used.completions;
    return restored;
  }

  /** The columns a snapshot stores: per slot (`slots` long) and the pools (`used` long). */
  snapshotColumns(slots: number): AttributeSnapshotColumns {
    return {
      stage: this.stage.subarray(0, slots),
      clock: this.clock.subarray(0, slots),
      stageClock: this.stageClock.stored(slots),
      attributeClock: this.attributeClock.stored(slots),
      completedCycles: this.completedCycles.subarray(0, slots),
      transitionStart: this.transitionStart.subarray(0, slots),
      transitionCount: this.transitionCount.subarray(0, slots),
      transitionAt: this.transitionAt.stored(this.transitionsUsed),
      transitionFrom: this.transitionFrom.subarray(0, this.transitionsUsed),
      transitionTo: this.transitionTo.subarray(0, this.transitionsUsed),
      completionStart: this.completionStart.subarray(0, slots),
      completionCount: this.completionCount.subarray(0, slots),
      completionAt: this.completionAt.stored(this.completionsUsed),
    };
  }

  ensureSlots(capacity: number): void {
    if (this.stage.length >= capacity) return;
    this.stage = grown(this.stage, capacity);
    this.clock = grown(this.clock, capacity);
    this.stageClock.grown(capacity);
    this.attributeClock.grown(capacity);
    this.completedCycles = grown(this.completedCycles, capacity);
    this.transitionStart = grown(this.transitionStart, capacity);
    this.transitionCount = grown(this.transitionCount, capacity);
    this.completionStart = grown(this.completionStart, capacity);
    this.completionCount = grown(this.completionCount, capacity);
  }

  /** Writes one account's state (undefined = the account has no state of this attribute). */
  write(slot: number, state: IndexedAttribute | undefined): void {
    if (state === undefined) {
      this.stage[slot] = 0;
      this.clock[slot] = CLOCK_UNKNOWN;
      this.stageClock.set(slot, NaN);
      this.attributeClock.set(slot, NaN);
      this.completedCycles[slot] = 0;
      this.writeTransitions(slot, []);
      this.writeCompletions(slot, []);
      return;
    }
    // Every stage id of the record has its code before any is written (the columns may widen).
    this.stages.codeOf(state.stageId);
    for (const t of state.transitions) {
      this.stages.codeOf(t.from);
      this.stages.codeOf(t.to);
    }
    if (this.stages.size > 256 && this.stage instanceof Uint8Array) this.widen();
    this.stage[slot] = this.stages.codeOf(state.stageId);
    if (state.running === true) {
      this.clock[slot] = CLOCK_RUNNING;
      this.stageClock.set(slot, state.stageClockStart ?? NaN);
      this.attributeClock.set(slot, state.attributeClockStart ?? NaN);
    } else if (state.running === false) {
      this.clock[slot] = CLOCK_STOPPED;
      this.stageClock.set(slot, state.frozenStageMs ?? NaN);
      this.attributeClock.set(slot, state.frozenAttributeMs ?? NaN);
    } else {
      this.clock[slot] = CLOCK_UNKNOWN;
      this.stageClock.set(slot, NaN);
      this.attributeClock.set(slot, NaN);
    }
    const completedCycles = Math.max(0, Math.min(state.completedCycles, 0xffffffff));
    this.completedCycles = holding(this.completedCycles, completedCycles);
    this.completedCycles[slot] = completedCycles;
    this.writeTransitions(slot, state.transitions);
    this.writeCompletions(slot, state.completions);
  }

  /** The state of one slot, as written (the inverse of `write`, for tests and the feed). */
  read(slot: number): IndexedAttribute | undefined {
    const stageId = this.stages.valueOf(this.stage[slot] ?? 0);
    const count = this.transitionCount[slot] ?? 0;
    const completions = this.completionCount[slot] ?? 0;
    if (stageId === null && count === 0 && completions === 0 && this.clock[slot] === CLOCK_UNKNOWN && this.completedCycles[slot] === 0) {
      return undefined;
    }
    const clock = this.clock[slot];
    const a = this.stageClock.get(slot);
    const b = this.attributeClock.get(slot);
    const orNull = (v: number) => (Number.isNaN(v) ? null : v);
    const start = this.transitionStart[slot] ?? 0;
    const cStart = this.completionStart[slot] ?? 0;
    return {
      stageId,
      completedCycles: this.completedCycles[slot] ?? 0,
      running: clock === CLOCK_RUNNING ? true : clock === CLOCK_STOPPED ? false : null,
      stageClockStart: clock === CLOCK_RUNNING ? orNull(a) : null,
      attributeClockStart: clock === CLOCK_RUNNING ? orNull(b) : null,
      frozenStageMs: clock === CLOCK_STOPPED ? orNull(a) : null,
      frozenAttributeMs: clock === CLOCK_STOPPED ? orNull(b) : null,
      transitions: Array.from({ length: count }, (_, i) => ({
        at: this.transitionAt.get(start + i),
        from: this.stages.valueOf(this.transitionFrom[start + i] ?? 0),
        to: this.stages.valueOf(this.transitionTo[start + i] ?? 0),
      })),
      completions: Array.from({ length: completions }, (_, i) => this.completionAt.get(cStart + i)),
    };
  }

  private writeTransitions(slot: number, transitions: IndexedAttribute['transitions']): void {
    const count = Math.min(transitions.length, 0xffff);
    const old = this.transitionCount[slot] ?? 0;
    let start = this.transitionStart[slot] ?? 0;
    if (count > old) {
      this.transitionGarbage += old;
      this.reserveTransitions(count);
      start = this.transitionsUsed;
      this.transitionsUsed += count;
    } else {
      this.transitionGarbage += old - count;
    }
    for (let i = 0; i < count; i++) {
      const t = transitions[i]!;
      this.transitionAt.set(start + i, t.at);
      this.transitionFrom[start + i] = this.stages.codeOf(t.from);
      this.transitionTo[start + i] = this.stages.codeOf(t.to);
    }
    this.transitionStart[slot] = start;
    this.transitionCount = holding(this.transitionCount, count);
    this.transitionCount[slot] = count;
  }

  private writeCompletions(slot: number, completions: readonly number[]): void {
    const count = Math.min(completions.length, 0xffff);
    const old = this.completionCount[slot] ?? 0;
    let start = this.completionStart[slot] ?? 0;
    if (count > old) {
      this.completionGarbage += old;
      this.reserveCompletions(count);
      start = this.completionsUsed;
      this.completionsUsed += count;
    } else {
      this.completionGarbage += old - count;
    }
    for (let i = 0; i < count; i++) this.completionAt.set(start + i, completions[i]!);
    this.completionStart[slot] = start;
    this.completionCount = holding(this.completionCount, count);
    this.completionCount[slot] = count;
  }

  private reserveTransitions(more: number): void {
    if (this.transitionsUsed + more <= this.transitionAt.length) return;
    if (this.transitionGarbage > this.transitionsUsed / 2) this.compactTransitions();
    if (this.transitionsUsed + more <= this.transitionAt.length) return;
    const capacity = poolCapacity(this.transitionAt.length, this.transitionsUsed + more);
    this.transitionAt.grown(capacity);
    this.transitionFrom = grown(this.transitionFrom, capacity);
    this.transitionTo = grown(this.transitionTo, capacity);
  }

  private reserveCompletions(more: number): void {
    if (this.completionsUsed + more <= this.completionAt.length) return;
    if (this.completionGarbage > this.completionsUsed / 2) this.compactCompletions();
    if (this.completionsUsed + more <= this.completionAt.length) return;
    this.completionAt.grown(poolCapacity(this.completionAt.length, this.completionsUsed + more));
  }

  /** Moves every slot's run to the front, in slot order (runs never overlap, so in place). */
  private compactTransitions(): void {
    const slots = this.transitionStart.length;
    const order = slotsByStart(this.transitionStart, this.transitionCount, slots);
    let used = 0;
    for (const slot of order) {
      const start = this.transitionStart[slot]!;
      const count = this.transitionCount[slot]!;
      if (start !== used) {
        this.transitionAt.copyWithin(used, start, start + count);
        this.transitionFrom.copyWithin(used, start, start + count);
        this.transitionTo.copyWithin(used, start, start + count);
        this.transitionStart[slot] = used;
      }
      used += count;
    }
    this.transitionsUsed = used;
    this.transitionGarbage = 0;
  }

  private compactCompletions(): void {
    const slots = this.completionStart.length;
    const order = slotsByStart(this.completionStart, this.completionCount, slots);
    let used = 0;
    for (const slot of order) {
      const start = this.completionStart[slot]!;
      const count = this.completionCount[slot]!;
      if (start !== used) {
        this.completionAt.copyWithin(used, start, start + count);
        this.completionStart[slot] = used;
      }
      used += count;
    }
    this.completionsUsed = used;
    this.completionGarbage = 0;
  }

  /** Two bytes per stage code from here on: the dictionary outgrew one byte. */
  private widen(): void {
    this.stage = Uint16Array.from(this.stage);
    this.transitionFrom = Uint16Array.from(this.transitionFrom);
    this.transitionTo = Uint16Array.from(this.transitionTo);
  }

  /** Bytes held by the typed arrays (the memory figure of the benchmark). */
  bytes(): number {
    return [
      this.stage,
      this.clock,
      this.stageClock,
      this.attributeClock,
      this.completedCycles,
      this.transitionStart,
      this.transitionCount,
      this.transitionAt,
      this.transitionFrom,
      this.transitionTo,
      this.completionStart,
      this.completionCount,
      this.completionAt,
    ].reduce((sum, a) => sum + a.byteLength, 0);
  }
}

/**
 * Pools grow by a quarter, not by doubling: at 1M accounts a pool holds millions of entries, and
 * a restored snapshot's exact-size pool would double at the first rewrite.
 */
function poolCapacity(current: number, needed: number): number {
  return Math.max(needed, Math.ceil(current * 1.25), 1_024);
}

/** Slots with a non-empty run, by the run's start (compaction moves runs towards the front only). */
function slotsByStart(start: Int32Array, count: CodeColumn, slots: number): Int32Array {
  let n = 0;
  for (let s = 0; s < slots; s++) if (count[s]! > 0) n++;
  const order = new Int32Array(n);
  n = 0;
  for (let s = 0; s < slots; s++) if (count[s]! > 0) order[n++] = s;
  return order.sort((a, b) => start[a]! - start[b]!);
}

/** An instant column as stored: split (format 5 on) or floats. */
export type StoredInstants = ReturnType<InstantColumn['stored']>;

export interface AttributeSnapshotColumns {
  stage: StageCodeColumn;
  clock: Uint8Array;
  stageClock: StoredInstants;
  attributeClock: StoredInstants;
  completedCycles: CodeColumn;
  transitionStart: Int32Array;
  transitionCount: CodeColumn;
  transitionAt: StoredInstants;
  transitionFrom: StageCodeColumn;
  transitionTo: StageCodeColumn;
  completionStart: Int32Array;
  completionCount: CodeColumn;
  completionAt: StoredInstants;
}
