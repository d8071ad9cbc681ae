/**
 * The packed form of a pair's history and fold (`lifecycle_states.packed`): a format byte, then
 * UTF-8 JSON of positional arrays, instants as epoch milliseconds. One opaque field is what the
 * Mongo-wire server writes cheapest: its cost follows the number of fields it parses and stores,
 * and a pair's history holds nine per change. Each format has its own byte, so a later form can
 * be told apart and read beside this one.
 *
 * Reading rebuilds the domain objects field by field: dates are `Date`s, per-stage maps are plain
 * records, and an entry's `seq` is its position (entries are stored in insertion order).
 */
import { Binary } from 'mongodb';
import type { CycleRecord, LifecycleState } from '@lifecycle/rules';
import type { ChangeSource, StatusHistoryEntry } from './lifecycle-state.schema';

/** Format 1: positional JSON (`PackedPair`). */
const POSITIONAL_JSON = 1;

type Millis = number;
/** `[changeId, to, at, source, actor, requestId, idempotencyKey, recordedAt]`. */
type EntryRow = [string, string | null, Millis, ChangeSource, string | null, string | null, string, Millis];
/** `[cycle, startedAt, completedAt, ms, [[stageId, ms], …]]`. */
type CycleRow = [number, Millis, Millis, number, [string, number][]];
/**
 * `[stageId, cycle, completedCycles, completed (0/1), cycleStartedAt, cycleEndedAt, stageEnteredAt,
 * lastChangedAt, lastCompletedAt, stageMs, totalMs, cycleRecords]`.
 */
type StateRow = [
  string | null,
  number,
  number,
  0 | 1,
  Millis | null,
  Millis | null,
  Millis | null,
  Millis | null,
  Millis | null,
  [string, number][],
  [string, number][],
  CycleRow[],
];
type PackedPair = [StateRow, EntryRow[]];

/** A pair's fold and its whole history, in insertion order. */
export interface PairRecord {
  state: LifecycleState;
  history: StatusHistoryEntry[];
}

export function packPair(pair: PairRecord): Binary {
  const packed: PackedPair = [stateRow(pair.state), pair.history.map(entryRow)];
  const json = JSON.stringify(packed);
  const bytes = Buffer.allocUnsafe(Buffer.byteLength(json) + 1);
  bytes[0] = POSITIONAL_JSON;
  bytes.write(json, 1);
  return new Binary(bytes);
}

export function unpackPair(binary: Binary): PairRecord {
  const bytes = binary.buffer;
  if (bytes[0] !== POSITIONAL_JSON) throw new Error(`lifecycle state in an unknown packed format ${bytes[0]}`);
  const [state, entries] = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 1, bytes.length - 1).toString('utf8')) as PackedPair;
  return { state: stateOf(state), history: entries.map(entryOf) };
}

/** The fold alone (daily counters, lists): the history is parsed too, but not rebuilt. */
export function unpackState(binary: Binary): LifecycleState {
  return unpackPair(binary).state;
}

function entryRow(e: StatusHistoryEntry): EntryRow {
  return [e.changeId, e.to, e.at.getTime(), e.source, e.actor, e.requestId, e.idempotencyKey, e.recordedAt.getTime()];
}

function entryOf(row: EntryRow, index: number): StatusHistoryEntry {
  return {
    changeId: row[0],
    seq: index + 1,
    to: row[1],
    at: new Date(row[2]),
    source: row[3],
    actor: row[4],
    requestId: row[5],
    idempotencyKey: row[6],
    recordedAt: new Date(row[7]),
  };
}

function stateRow(s: LifecycleState): StateRow {
  return [
    s.stageId,
    s.cycle,
    s.completedCycles,
    s.completed ? 1 : 0,
    millis(s.cycleStartedAt),
    millis(s.cycleEndedAt),
    millis(s.stageEnteredAt),
    millis(s.lastChangedAt),
    millis(s.lastCompletedAt),
    Object.entries(s.stageMs),
    Object.entries(s.totalMs),
    s.cycleRecords.map((r) => [r.cycle, r.startedAt.getTime(), r.completedAt.getTime(), r.ms, r.stages.map((x) => [x.stageId, x.ms])]),
  ];
}

function stateOf(row: StateRow): LifecycleState {
  return {
    stageId: row[0],
    cycle: row[1],
    completedCycles: row[2],
    completed: row[3] === 1,
    cycleStartedAt: date(row[4]),
    cycleEndedAt: date(row[5]),
    stageEnteredAt: date(row[6]),
    lastChangedAt: date(row[7]),
    lastCompletedAt: date(row[8]),
    stageMs: Object.fromEntries(row[9]),
    totalMs: Object.fromEntries(row[10]),
    cycleRecords: row[11].map((r): CycleRecord => ({
      cycle: r[0],
      startedAt: new Date(r[1]),
      completedAt: new Date(r[2]),
      ms: r[3],
      stages: r[4].map(([stageId, ms]) => ({ stageId, ms })),
    })),
  };
}

const millis = (d: Date | null): Millis | null => (d === null ? null : d.getTime());
const date = (ms: Millis | null): Date | null => (ms === null ? null : new Date(ms));
