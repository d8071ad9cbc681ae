/**
 * The "Days in" engine (SPEC section 2): the state of one (account, attribute) is a pure fold over
 * its status history (L11). `replay` folds the history into a state as of its last effective
 * change; `view` turns that state into the public counters (5.4) at a given `now`.
 *
 * Decisions where the SPEC is silent (also in the project docs):
 * - An entry whose stage id is no longer in the definition is a clear (L7 "the stage removed").
 * - Setting an end stage on an empty value starts a cycle and completes it at once (L2 + L5):
 *   a zero-length cycle record.
 * - Moving between two end stages (L6) changes the stage and emits a transition (cause `set`),
 *   but starts, completes and counts nothing.
 * - Time spent in an end stage counts nowhere: an end stage's `days` is always 0, and leaving it
 *   reports `msInStageLeft` 0.
 * - `totalMs` is the time actually spent in each stage over all cycles, including cycles later
 *   cleared and days that L4 reset; so `totalMs >= stageMs` always.
 * - The cycle number survives a clear (the next value starts cycle + 1) and so does
 *   `lastCompletedAt`.
 * - Canceled (L10) only hides the clocks; the fold has no cancel history, so un-canceling shows
 *   the counters as if the account had never been canceled.
 * - `now` earlier than the last change clamps open intervals at 0 (never negative days); for an
 *   as-of view, fold only the history up to that date.
 */
import type { LifecycleDefinition, StageDefinition } from './lifecycle-definition';
import { stagesInOrder } from './lifecycle-definition';
import type { StatusChange } from './status-change';
import { sortHistory } from './status-change';

export const MS_PER_DAY = 86_400_000;

/** L9: whole days. */
export function daysFromMs(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

/** L5: what a completed cycle looked like; `stages` lists every stage in definition order. */
export interface CycleRecord {
  cycle: number;
  startedAt: Date;
  completedAt: Date;
  ms: number;
  stages: { stageId: string; ms: number }[];
}

/** L15 causes, minus `recomputed`, which is the transport's word for a re-emitted transition. */
export type ChangeCause = 'set' | 'moved-back' | 'cycle-restarted' | 'cleared';

export interface Transition {
  changeId: string;
  at: Date;
  from: string | null;
  to: string | null;
  cause: ChangeCause;
  /** The cycle the change belongs to: the new one for a start, the ending one for a clear. */
  cycle: number;
  /** Time spent in the stage left, in this cycle (what its `days` showed); null if `from` is null. */
  msInStageLeft: number | null;
  /** Set when this change reached an end stage (L5). */
  completedCycle: CycleRecord | null;
}

/** The state as of the last effective change; clocks still running are opened by `view`. */
export interface LifecycleState {
  readonly stageId: string | null;
  /** 0 = never started. */
  readonly cycle: number;
  readonly completedCycles: number;
  /** Sitting in an end stage. */
  readonly completed: boolean;
  readonly cycleStartedAt: Date | null;
  /** Completion time while `completed`. */
  readonly cycleEndedAt: Date | null;
  readonly stageEnteredAt: Date | null;
  readonly lastChangedAt: Date | null;
  readonly lastCompletedAt: Date | null;
  /** Per stage, current cycle, up to `lastChangedAt`; the running stage's open interval excluded. */
  readonly stageMs: Readonly<Record<string, number>>;
  /** Per stage, all cycles, same convention. */
  readonly totalMs: Readonly<Record<string, number>>;
  readonly cycleRecords: readonly CycleRecord[];
}

export interface LifecycleReplay {
  state: LifecycleState;
  transitions: Transition[];
}

export interface ViewOptions {
  canceled: boolean;
}

export interface StageCounters {
  id: string;
  name: string;
  days: number | null;
  ms: number | null;
  totalDays: number | null;
  totalMs: number | null;
}

/** SPEC 5.4, one attribute of `lifecycle`. */
export interface LifecycleView {
  stage: { id: string; name: string } | null;
  cycle: number;
  completedCycles: number;
  completed: boolean;
  cycleStartedAt: Date | null;
  stageEnteredAt: Date | null;
  lastCompletedAt: Date | null;
  daysInAttribute: number | null;
  msInAttribute: number | null;
  stages: StageCounters[];
}

export function initialLifecycleState(): LifecycleState {
  return {
    stageId: null,
    cycle: 0,
    completedCycles: 0,
    completed: false,
    cycleStartedAt: null,
    cycleEndedAt: null,
    stageEnteredAt: null,
    lastChangedAt: null,
    lastCompletedAt: null,
    stageMs: {},
    totalMs: {},
    cycleRecords: [],
  };
}

/** L11: sorts the history (by `at`, then `seq`) and folds every entry; no-ops yield no transition. */
export function replay(def: LifecycleDefinition, history: readonly StatusChange[]): LifecycleReplay {
  const stages = indexStages(def);
  const working = toWorking(initialLifecycleState());
  const transitions: Transition[] = [];
  for (const change of sortHistory(history)) {
    const transition = step(stages, working, change);
    if (transition) transitions.push(transition);
  }
  return { state: fromWorking(working), transitions };
}

/**
 * `replay`, also keeping the state right after every change (by changeId), so each re-emitted
 * transition can carry the clock it left behind (L11, L15).
 */
export function replayWithStates(
  def: LifecycleDefinition,
  history: readonly StatusChange[],
): LifecycleReplay & { stateAfter: Map<string, LifecycleState> } {
  const stages = indexStages(def);
  const working = toWorking(initialLifecycleState());
  const transitions: Transition[] = [];
  const stateAfter = new Map<string, LifecycleState>();
  for (const change of sortHistory(history)) {
    const transition = step(stages, working, change);
    if (transition) transitions.push(transition);
    stateAfter.set(change.changeId, fromWorking(working));
  }
  return { state: fromWorking(working), transitions, stateAfter };
}

/**
 * Applies one change on top of a state, for the common case of an entry that sorts after every
 * entry already folded into `state` (same `at` with a higher `seq`, or later). A late entry needs
 * `replay` instead. `state` must come from the same definition.
 */
export function applyChange(
  def: LifecycleDefinition,
  state: LifecycleState,
  change: StatusChange,
): { state: LifecycleState; transition: Transition | null } {
  const working = toWorking(state);
  const transition = step(indexStages(def), working, change);
  return { state: transition ? fromWorking(working) : state, transition };
}

/** L9/L10: the counters of `state` with running clocks read at `now`. */
export function view(def: LifecycleDefinition, state: LifecycleState, now: Date, opts: ViewOptions): LifecycleView {
  const running = state.stageId !== null && !state.completed && state.stageEnteredAt !== null;
  const openMs = running && state.stageEnteredAt ? elapsed(state.stageEnteredAt, now) : 0;
  const current = state.stageId === null ? undefined : def.stages.find((stage) => stage.id === state.stageId);

  let msInAttribute: number | null = null;
  if (state.stageId !== null && state.cycleStartedAt !== null) {
    msInAttribute =
      state.completed && state.cycleEndedAt
        ? elapsed(state.cycleStartedAt, state.cycleEndedAt) // L5: frozen at completion
        : elapsed(state.cycleStartedAt, now); // L9: running to now
  }

  const stages = stagesInOrder(def).map((stage): StageCounters => {
    const open = stage.id === state.stageId ? openMs : 0;
    const ms = (state.stageMs[stage.id] ?? 0) + open;
    const totalMs = (state.totalMs[stage.id] ?? 0) + open;
    if (opts.canceled) return { id: stage.id, name: stage.name, days: null, ms: null, totalDays: null, totalMs: null };
    return { id: stage.id, name: stage.name, days: daysFromMs(ms), ms, totalDays: daysFromMs(totalMs), totalMs };
  });

  return {
    stage: state.stageId === null ? null : { id: state.stageId, name: current?.name ?? state.stageId },
    cycle: state.cycle,
    completedCycles: state.completedCycles,
    completed: state.completed,
    cycleStartedAt: state.cycleStartedAt,
    stageEnteredAt: state.stageEnteredAt,
    lastCompletedAt: state.lastCompletedAt,
    // L10: canceled accounts keep their stage and cycle but show no "Days in".
    daysInAttribute: opts.canceled || msInAttribute === null ? null : daysFromMs(msInAttribute),
    msInAttribute: opts.canceled ? null : msInAttribute,
    stages,
  };
}

/** The pure core the style guide names: `fold(definition, history, now)`. */
export function fold(def: LifecycleDefinition, history: readonly StatusChange[], now: Date, opts: ViewOptions): LifecycleView {
  return view(def, replay(def, history).state, now, opts);
}

/**
 * L11: after a late or backdated insert, the transitions of `after` that are new or differ from
 * `before` (matched by changeId), so only what changed is re-emitted.
 */
export function diffTransitions(before: readonly Transition[], after: readonly Transition[]): Transition[] {
  const previous = new Map(before.map((transition) => [transition.changeId, transition]));
  return after.filter((transition) => {
    const old = previous.get(transition.changeId);
    return old === undefined || !sameTransition(old, transition);
  });
}

/** The counterpart of `diffTransitions`: changes that produced a transition before and no longer do. */
export function droppedTransitions(before: readonly Transition[], after: readonly Transition[]): Transition[] {
  const kept = new Set(after.map((transition) => transition.changeId));
  return before.filter((transition) => !kept.has(transition.changeId));
}

// ---------------------------------------------------------------------------------------------

interface StageIndex {
  byId: ReadonlyMap<string, StageDefinition>;
  ordered: readonly StageDefinition[];
}

interface Working {
  stageId: string | null;
  cycle: number;
  completedCycles: number;
  completed: boolean;
  cycleStartedAt: Date | null;
  cycleEndedAt: Date | null;
  stageEnteredAt: Date | null;
  lastChangedAt: Date | null;
  lastCompletedAt: Date | null;
  stageMs: Record<string, number>;
  totalMs: Record<string, number>;
  cycleRecords: CycleRecord[];
}

function indexStages(def: LifecycleDefinition): StageIndex {
  return { byId: new Map(def.stages.map((stage) => [stage.id, stage])), ordered: stagesInOrder(def) };
}

function toWorking(state: LifecycleState): Working {
  return {
    ...state,
    stageMs: { ...state.stageMs },
    totalMs: { ...state.totalMs },
    cycleRecords: [...state.cycleRecords],
  };
}

function fromWorking(working: Working): LifecycleState {
  return {
    ...working,
    stageMs: { ...working.stageMs },
    totalMs: { ...working.totalMs },
    cycleRecords: [...working.cycleRecords],
  };
}

/** Folds one change into `w`; returns null for a no-op, which leaves `w` untouched. */
function step(stages: StageIndex, w: Working, change: StatusChange): Transition | null {
  const target = change.to === null ? undefined : stages.byId.get(change.to);

  // L7: null, or a stage id the definition no longer has ("the stage removed"), clears the value.
  if (target === undefined) return clear(w, change);

  // L2: a value on an empty attribute starts a new cycle.
  if (w.stageId === null) return startCycle(stages, w, change, target, 'set');

  // L8: the same stage again is a no-op.
  if (target.id === w.stageId) return null;

  if (w.completed) {
    // L6: between two end stages nothing starts; the stage changes, counters stay frozen.
    if (target.endStage) return moveWithinEnd(w, change, target);
    // L6: leaving an end stage starts a new cycle.
    return startCycle(stages, w, change, target, 'cycle-restarted');
  }

  const from = w.stageId;
  const fromOrder = stages.byId.get(from)?.order ?? Number.NEGATIVE_INFINITY;
  const msInStageLeft = stopClock(w, change.at);
  enterStage(w, target, change.at);

  // L5: an end stage stops all counting and completes the cycle.
  if (target.endStage) {
    const completedCycle = completeCycle(stages, w, change.at);
    return transition(change, from, target.id, 'set', w.cycle, msInStageLeft, completedCycle);
  }

  // L4: moving back resets the target stage; its clock starts again from zero.
  if (target.order < fromOrder) {
    w.stageMs[target.id] = 0;
    return transition(change, from, target.id, 'moved-back', w.cycle, msInStageLeft, null);
  }

  // L3: forward or sideways; the target runs on from what it had in this cycle.
  return transition(change, from, target.id, 'set', w.cycle, msInStageLeft, null);
}

function clear(w: Working, change: StatusChange): Transition | null {
  const from = w.stageId;
  if (from === null) return null; // L8: already empty.
  const msInStageLeft = stopClock(w, change.at);
  const cycle = w.cycle;
  // L7: the running cycle ends uncompleted and its counters reset; totals and the cycle number stay.
  w.stageId = null;
  w.completed = false;
  w.stageMs = {};
  w.cycleStartedAt = null;
  w.cycleEndedAt = null;
  w.stageEnteredAt = null;
  w.lastChangedAt = change.at;
  return transition(change, from, null, 'cleared', cycle, msInStageLeft, null);
}

function startCycle(
  stages: StageIndex,
  w: Working,
  change: StatusChange,
  target: StageDefinition,
  cause: 'set' | 'cycle-restarted',
): Transition {
  const from = w.stageId;
  const msInStageLeft = from === null ? null : stopClock(w, change.at);
  w.cycle += 1;
  w.completed = false;
  w.stageMs = {};
  w.cycleStartedAt = change.at;
  w.cycleEndedAt = null;
  enterStage(w, target, change.at);
  // Starting right in an end stage completes the new cycle at once (L2 + L5).
  const completedCycle = target.endStage ? completeCycle(stages, w, change.at) : null;
  return transition(change, from, target.id, cause, w.cycle, msInStageLeft, completedCycle);
}

function moveWithinEnd(w: Working, change: StatusChange, target: StageDefinition): Transition {
  const from = w.stageId;
  const msInStageLeft = stopClock(w, change.at);
  enterStage(w, target, change.at);
  return transition(change, from, target.id, 'set', w.cycle, msInStageLeft, null);
}

/** Stops the running stage's clock (nothing runs in an end stage); returns its ms in this cycle. */
function stopClock(w: Working, at: Date): number {
  const stageId = w.stageId;
  if (stageId === null) return 0;
  if (!w.completed && w.stageEnteredAt) {
    const ms = elapsed(w.stageEnteredAt, at);
    w.stageMs[stageId] = (w.stageMs[stageId] ?? 0) + ms;
    w.totalMs[stageId] = (w.totalMs[stageId] ?? 0) + ms;
  }
  return w.stageMs[stageId] ?? 0;
}

function enterStage(w: Working, target: StageDefinition, at: Date): void {
  w.stageId = target.id;
  w.stageEnteredAt = at;
  w.lastChangedAt = at;
}

function completeCycle(stages: StageIndex, w: Working, at: Date): CycleRecord {
  const startedAt = w.cycleStartedAt ?? at;
  const record: CycleRecord = {
    cycle: w.cycle,
    startedAt,
    completedAt: at,
    ms: elapsed(startedAt, at),
    stages: stages.ordered.map((stage) => ({ stageId: stage.id, ms: w.stageMs[stage.id] ?? 0 })),
  };
  w.completed = true;
  w.completedCycles += 1;
  w.cycleEndedAt = at;
  w.lastCompletedAt = at;
  w.cycleRecords.push(record);
  return record;
}

function transition(
  change: StatusChange,
  from: string | null,
  to: string | null,
  cause: ChangeCause,
  cycle: number,
  msInStageLeft: number | null,
  completedCycle: CycleRecord | null,
): Transition {
  return { changeId: change.changeId, at: change.at, from, to, cause, cycle, msInStageLeft, completedCycle };
}

function elapsed(from: Date, to: Date): number {
  return Math.max(0, to.getTime() - from.getTime());
}

function sameTransition(a: Transition, b: Transition): boolean {
  return (
    a.changeId === b.changeId &&
    a.at.getTime() === b.at.getTime() &&
    a.from === b.from &&
    a.to === b.to &&
    a.cause === b.cause &&
    a.cycle === b.cycle &&
    a.msInStageLeft === b.msInStageLeft &&
    sameCycleRecord(a.completedCycle, b.completedCycle)
  );
}

function sameCycleRecord(a: CycleRecord | null, b: CycleRecord | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.cycle === b.cycle &&
    a.startedAt.getTime() === b.startedAt.getTime() &&
    a.completedAt.getTime() === b.completedAt.getTime() &&
    a.ms === b.ms &&
    a.stages.length === b.stages.length &&
    a.stages.every((stage, i) => stage.stageId === b.stages[i]?.stageId && stage.ms === b.stages[i]?.ms)
  );
}
