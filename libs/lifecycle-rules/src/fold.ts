/**
 * The "Days in" rules (SPEC section 2, L2–L11): the state of one (account, attribute) is a pure
 * fold over its status history. Each entry is first decided (`decideMove`: which rule applies,
 * which stretch of a stage's clock it closes), then applied: the calendar clock measures the
 * closed stretch into the counters, and the move yields a `Transition` (L15).
 *
 * Decisions where the SPEC is silent:
 * - An entry whose stage id is not in the stage list is a clear (L7 "the stage removed").
 * - Setting an end stage on an empty value starts a cycle and completes it at once (L2 + L5):
 *   a zero-length cycle record.
 * - Moving between two end stages (L6) changes the stage and yields a transition (cause `set`),
 *   but starts, completes and counts nothing.
 * - Time spent in an end stage counts nowhere: an end stage's counter is always 0, and leaving
 *   it reports `msInStageLeft` 0.
 * - `totalMs` is the time actually spent in each stage over all cycles, including cycles later
 *   cleared and time that L4 reset; so `totalMs >= stageMs` always.
 * - The cycle number survives a clear (the next value starts cycle + 1) and so does
 *   `lastCompletedAt`.
 * - Canceled (L10) only hides the counters (`countersAt`); the history has no cancel entries, so
 *   un-canceling shows the counters as if the account had never been canceled.
 */
import { calendarMs } from './clock';
import type { HistoryEntry } from './history';
import { sortHistory } from './history';
import type { LifecycleStage } from './stages';
import { stagesInOrder } from './stages';

/** L5: what a completed cycle looked like; `stages` lists every stage in stage order. */
export interface CycleRecord {
  cycle: number;
  startedAt: Date;
  completedAt: Date;
  ms: number;
  stages: { stageId: string; ms: number }[];
}

/** L15 causes, minus `recomputed`, which is the transport's word for a re-emitted transition. */
export type ChangeCause = 'set' | 'moved-back' | 'cycle-restarted' | 'cleared';

/** What one effective history entry did (L15); no-ops (L8) yield none. */
export interface Transition {
  changeId: string;
  at: Date;
  from: string | null;
  to: string | null;
  cause: ChangeCause;
  /** The cycle the change belongs to: the new one for a start, the ending one for a clear. */
  cycle: number;
  /** Time spent in the stage left, in this cycle (what its counter showed); null if `from` is null. */
  msInStageLeft: number | null;
  /** Set when this change reached an end stage (L5). */
  completedCycle: CycleRecord | null;
}

/** The state as of the last effective change; a clock still running is read by `countersAt`. */
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
  /** Per stage, current cycle, up to `lastChangedAt`; the running stage's open stretch excluded. */
  readonly stageMs: Readonly<Record<string, number>>;
  /** Per stage, all cycles, same convention. */
  readonly totalMs: Readonly<Record<string, number>>;
  readonly cycleRecords: readonly CycleRecord[];
}

export interface LifecycleReplay {
  state: LifecycleState;
  transitions: Transition[];
}

/** Which rule an entry falls under. */
export type MoveKind =
  /** L2: a value on an empty attribute starts a new cycle. */
  | 'start'
  /** L6: leaving an end stage for a non-end stage starts a new cycle. */
  | 'restart'
  /** L3: forward or sideways; the target runs on from what it had in this cycle. */
  | 'forward'
  /** L4: back; the target's counter restarts from zero. */
  | 'back'
  /** L5: from a running stage to an end stage; the cycle completes. */
  | 'complete'
  /** L6: from one end stage to another; nothing starts or counts. */
  | 'between-ends'
  /** L7: the value is cleared (or its stage removed); the running cycle ends uncompleted. */
  | 'clear';

/** A stretch of time one stage's clock ran in one cycle, closed by the entry that ended it. */
export interface ClosedStretch {
  stageId: string;
  from: Date;
  to: Date;
}

interface MoveBase {
  entry: HistoryEntry;
  from: string | null;
  /** The stretch the stage left ran for; null when no clock ran (no value, or an end stage: L5). */
  closed: ClosedStretch | null;
  /** The target is an end stage reached from outside the end stages: the cycle completes (L5). */
  completes: boolean;
}

/** What the rules make of one history entry, before any clock measures it. */
export type Move = (MoveBase & { kind: 'clear'; to: null }) | (MoveBase & { kind: Exclude<MoveKind, 'clear'>; to: string });

/** The stages of one definition, indexed once for many entries. */
export interface StageIndex {
  readonly byId: ReadonlyMap<string, LifecycleStage>;
  readonly ordered: readonly LifecycleStage[];
}

const indexes = new WeakMap<readonly LifecycleStage[], StageIndex>();

/**
 * The index of a stage list, built once per list: a board or a report folds one history per
 * account against the same list. Stage lists are read-only; one changed in place after its first
 * use keeps its first index.
 */
export function indexStages(stages: readonly LifecycleStage[]): StageIndex {
  let index = indexes.get(stages);
  if (index === undefined) {
    index = { byId: new Map(stages.map((stage) => [stage.id, stage])), ordered: stagesInOrder(stages) };
    indexes.set(stages, index);
  }
  return index;
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

/**
 * Called after every effective entry of a replay, with the move and the state right after it.
 * `after` is the replay's own state, read-only and valid during the call only.
 */
export type MoveObserver = (move: Move, after: LifecycleState, transition: Transition) => void;

/** L11: sorts the history (by `at`, then `seq`) and folds every entry; no-ops yield no transition. */
export function replay(stages: readonly LifecycleStage[], history: readonly HistoryEntry[], observe?: MoveObserver): LifecycleReplay {
  const index = indexStages(stages);
  const working = toWorking(initialLifecycleState());
  const transitions: Transition[] = [];
  for (const entry of sortHistory(history)) {
    const move = decideMove(index, working, entry);
    if (move === null) continue;
    const transition = applyMove(index, working, move);
    transitions.push(transition);
    if (observe) observe(move, working, transition);
  }
  return { state: fromWorking(working), transitions };
}

/**
 * `replay`, also keeping the state right after every entry (by changeId, no-ops included), so
 * each re-emitted transition can carry the clock it left behind (L11, L15).
 */
export function replayWithStates(
  stages: readonly LifecycleStage[],
  history: readonly HistoryEntry[],
): LifecycleReplay & { stateAfter: Map<string, LifecycleState> } {
  const index = indexStages(stages);
  const working = toWorking(initialLifecycleState());
  const transitions: Transition[] = [];
  const stateAfter = new Map<string, LifecycleState>();
  for (const entry of sortHistory(history)) {
    const move = decideMove(index, working, entry);
    if (move !== null) transitions.push(applyMove(index, working, move));
    stateAfter.set(entry.changeId, fromWorking(working));
  }
  return { state: fromWorking(working), transitions, stateAfter };
}

/** The state as of `instant`: the fold of the entries with `at <= instant` (L11: history is the truth). */
export function stateAsOf(stages: readonly LifecycleStage[], history: readonly HistoryEntry[], instant: Date): LifecycleState {
  const index = indexStages(stages);
  const until = instant.getTime();
  const working = toWorking(initialLifecycleState());
  for (const entry of sortHistory(history)) {
    if (entry.at.getTime() > until) break;
    const move = decideMove(index, working, entry);
    if (move !== null) applyMove(index, working, move);
  }
  return fromWorking(working);
}

/**
 * Applies one entry on top of a state, for the common case of an entry that sorts after every
 * entry already folded into `state` (same `at` with a higher `seq`, or later). A late entry needs
 * `replay` instead. `state` must come from the same stages.
 */
export function applyChange(
  stages: readonly LifecycleStage[],
  state: LifecycleState,
  entry: HistoryEntry,
): { state: LifecycleState; transition: Transition | null } {
  const index = indexStages(stages);
  const move = decideMove(index, state, entry);
  if (move === null) return { state, transition: null };
  const working = toWorking(state);
  const transition = applyMove(index, working, move);
  return { state: fromWorking(working), transition };
}

/** The rules (L2–L8) for one entry on top of `state`; null = a no-op (L8). */
export function decideMove(stages: StageIndex, state: LifecycleState, entry: HistoryEntry): Move | null {
  const target = entry.to === null ? undefined : stages.byId.get(entry.to);
  const from = state.stageId;
  const closed: ClosedStretch | null =
    from !== null && !state.completed && state.stageEnteredAt !== null ? { stageId: from, from: state.stageEnteredAt, to: entry.at } : null;
  const move = (kind: Exclude<MoveKind, 'clear'>, to: string, stretch: ClosedStretch | null, completes: boolean): Move => ({
    kind,
    entry,
    from,
    to,
    closed: stretch,
    completes,
  });

  // L7: null, or a stage id the stage list does not have ("the stage removed"), clears the value.
  if (target === undefined) {
    if (from === null) return null; // L8: already empty.
    return { kind: 'clear', entry, from, to: null, closed, completes: false };
  }

  // L2: a value on an empty attribute starts a new cycle; an end stage completes it at once (L5).
  if (from === null) return move('start', target.id, null, target.endStage);

  // L8: the same stage again is a no-op.
  if (target.id === from) return null;

  // L6: between two end stages nothing starts; leaving an end stage starts a new cycle.
  if (state.completed) return target.endStage ? move('between-ends', target.id, null, false) : move('restart', target.id, null, false);

  // L5: an end stage stops all counting and completes the cycle.
  if (target.endStage) return move('complete', target.id, closed, true);

  // L4: moving back resets the target stage; L3: forward or sideways, the target runs on.
  const fromOrder = stages.byId.get(from)?.order ?? Number.NEGATIVE_INFINITY;
  return move(target.order < fromOrder ? 'back' : 'forward', target.id, closed, false);
}

// ---------------------------------------------------------------------------------------------

const CAUSES: Record<MoveKind, ChangeCause> = {
  start: 'set',
  restart: 'cycle-restarted',
  forward: 'set',
  back: 'moved-back',
  complete: 'set',
  'between-ends': 'set',
  clear: 'cleared',
};

/** A state being folded: the same fields, writable. */
type Working = Omit<{ -readonly [K in keyof LifecycleState]: LifecycleState[K] }, 'stageMs' | 'totalMs' | 'cycleRecords'> & {
  stageMs: Record<string, number>;
  totalMs: Record<string, number>;
  cycleRecords: CycleRecord[];
};

function toWorking(state: LifecycleState): Working {
  return { ...state, stageMs: { ...state.stageMs }, totalMs: { ...state.totalMs }, cycleRecords: [...state.cycleRecords] };
}

function fromWorking(working: Working): LifecycleState {
  return { ...working, stageMs: { ...working.stageMs }, totalMs: { ...working.totalMs }, cycleRecords: [...working.cycleRecords] };
}

/** Measures the move's closed stretch into the counters and moves the state on. */
function applyMove(stages: StageIndex, w: Working, move: Move): Transition {
  const at = move.entry.at;
  // L3/L4: the stage left keeps its time, in this cycle and over all cycles.
  if (move.closed) {
    const ms = calendarMs(move.closed.from, move.closed.to);
    w.stageMs[move.closed.stageId] = (w.stageMs[move.closed.stageId] ?? 0) + ms;
    w.totalMs[move.closed.stageId] = (w.totalMs[move.closed.stageId] ?? 0) + ms;
  }
  const msInStageLeft = move.from === null ? null : (w.stageMs[move.from] ?? 0);

  switch (move.kind) {
    case 'clear':
      // L7: the running cycle ends uncompleted and its counters reset; totals and the cycle number stay.
      w.stageId = null;
      w.completed = false;
      w.stageMs = {};
      w.cycleStartedAt = null;
      w.cycleEndedAt = null;
      w.stageEnteredAt = null;
      w.lastChangedAt = at;
      break;
    case 'start':
    case 'restart':
      // L2/L6: a new cycle, its counters from zero.
      w.cycle += 1;
      w.completed = false;
      w.stageMs = {};
      w.cycleStartedAt = at;
      w.cycleEndedAt = null;
      enterStage(w, move.to, at);
      break;
    case 'back':
      enterStage(w, move.to, at);
      // L4: moving back resets the target stage; its clock starts again from zero.
      w.stageMs[move.to] = 0;
      break;
    case 'forward':
    case 'complete':
    case 'between-ends':
      enterStage(w, move.to, at);
      break;
  }

  const completedCycle = move.completes ? completeCycle(stages, w, at) : null;
  return {
    changeId: move.entry.changeId,
    at,
    from: move.from,
    to: move.to,
    cause: CAUSES[move.kind],
    cycle: w.cycle,
    msInStageLeft,
    completedCycle,
  };
}

function enterStage(w: Working, stageId: string, at: Date): void {
  w.stageId = stageId;
  w.stageEnteredAt = at;
  w.lastChangedAt = at;
}

/** L5: all counting stops; the cycle's per-stage time and total are kept as its record. */
function completeCycle(stages: StageIndex, w: Working, at: Date): CycleRecord {
  const startedAt = w.cycleStartedAt ?? at;
  const record: CycleRecord = {
    cycle: w.cycle,
    startedAt,
    completedAt: at,
    ms: calendarMs(startedAt, at),
    stages: stages.ordered.map((stage) => ({ stageId: stage.id, ms: w.stageMs[stage.id] ?? 0 })),
  };
  w.completed = true;
  w.completedCycles += 1;
  w.cycleEndedAt = at;
  w.lastCompletedAt = at;
  w.cycleRecords.push(record);
  return record;
}
