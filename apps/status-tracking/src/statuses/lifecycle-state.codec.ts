/**
 * The packed form of a pair's history and fold (`lifecycle_states.packed`): a format byte, then
 * UTF-8 JSON of positional arrays, instants as epoch milliseconds. One opaque field is what the
 * Mongo-wire server writes cheapest: its cost follows the number of fields it parses and stores,
 * and a pair's history holds nine per change. Each format has its own byte, so a later form can
 * be told apart and read beside this one.
 *
 * Reading rebuilds the domain objects field by field: dates are `Date`s, per-stage maps are plain
 * records, and an entry's `seq` is its position (entries are stored in insertion order).
 *
 * A change appends to a history and never rewrites it, so the next packed form is the stored
 * bytes with a new state row and the new entries' rows added (`appendPair`): what a write encodes
 * is the fold and the change, not the account's whole history again.
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

/**
 * `packPair({ state, history: [...stored history, ...added] })`, byte for byte, from the stored bytes
 * of the history before `added`: its entry rows are copied, not decoded and encoded again.
 */
export function appendPair(stored: Binary, state: LifecycleState, added: readonly StatusHistoryEntry[]): Binary {
  const bytes = stored.buffer;
  if (bytes[0] !== POSITIONAL_JSON) throw new Error(`lifecycle state in an unknown packed format ${bytes[0]}`);
  // [format, '[', stateRow…, ',', '[', entryRows…, ']', ']']
  const entriesAt = endOfFirstValue(bytes, 2) + 2;
  const oldRows = bytes.subarray(entriesAt, bytes.length - 2);
  const stateJson = JSON.stringify(stateRow(state));
  const addedRows = added.length === 0 ? '' : JSON.stringify(added.map(entryRow)).slice(1, -1);
  const separator = oldRows.length > 0 && addedRows.length > 0 ? ',' : '';
  const out = Buffer.allocUnsafe(4 + Buffer.byteLength(stateJson) + oldRows.length + separator.length + Buffer.byteLength(addedRows) + 2);
  out[0] = POSITIONAL_JSON;
  let at = 1 + out.write('[', 1);
  at += out.write(stateJson, at);
  at += out.write(',[', at);
  out.set(oldRows, at);
  at += oldRows.length;
  at += out.write(separator + addedRows + ']]', at);
  return new Binary(out);
}

/**
 * The index just past the JSON array or object opening at `start`: brackets are counted outside
 * strings. Bytes of multi-byte UTF-8 characters are all >= 0x80, so they never read as `"`, `\`
 * or a bracket.
 */
function endOfFirstValue(bytes: Uint8Array, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACKET || b === OPEN_BRACE) depth++;
    else if ((b === CLOSE_BRACKET || b === CLOSE_BRACE) && --depth === 0) return i + 1;
  }
  throw new Error('lifecycle state packed bytes end inside their state row');
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

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
