import { AccountIndex, restoredCapacity } from './account-index';
import { AttributeColumns, type AttributeSnapshotColumns } from './attribute-columns';
import { IdPool, StringPool } from './columns';
import { UNKNOWN_HIGH } from './instant-column';

/**
 * The snapshot of an evaluation index: the columns as they are, so a restart loads them in
 * seconds instead of reading every projection document again. Layout:
 *
 *   "SEGIDX01" | u32 header length | header JSON | padding to 8 | column bytes, each padded to 8
 *
 * The header names every column with its type and length, in order, plus the ids and
 * dictionaries (JSON arrays parse far faster than a million small reads) and `position`: where
 * the feed stood when the snapshot was taken (the caller's, opaque here).
 */
const MAGIC = 'SEGIDX01';
/**
 * 2 adds the calendar column (B1): a format-1 file loads with every account on the default
 * calendar. 3 holds the names as columns (their UTF-8 pool): files of formats 1 and 2 hold them in
 * the header instead, and are read as well. 4 holds the account ids as columns (their byte pool,
 * `IdPool`) where earlier formats hold them in the header. 5 holds the instant columns (clocks,
 * transition and completion times) split as `<name>.low` (u32) and `<name>.high` (i16), or as one
 * f64 column `<name>` when the column holds a value the split form cannot (`InstantColumn`); files
 * of earlier formats hold f64 columns, read into the split form.
 */
const FORMAT_VERSION = 5;
const READABLE_VERSIONS = [1, 2, 3, 4, 5];

type ColumnType = 'f64' | 'u32' | 'i32' | 'u16' | 'i16' | 'u8';
type Column = Float64Array | Uint32Array | Int32Array | Uint16Array | Int16Array | Uint8Array;

interface ColumnEntry {
  name: string;
  type: ColumnType;
  length: number;
}

interface SnapshotHeader<P> {
  version: number;
  takenAt: string;
  position: P;
  count: number;
  /** Formats 1 to 3. */
  ids?: string[];
  /** Format 4 on: the slots whose id is in two-byte form (`IdPool`). */
  wideIds?: number[];
  /** Formats 1 and 2. */
  names?: string[];
  clientTypes: string[];
  owners: string[];
  /** Format 2 on. */
  calendars?: string[];
  attributes: { key: string; stages: string[]; transitions: number; completions: number }[];
  memberships: string[];
  columns: ColumnEntry[];
}

export interface DecodedSnapshot<P> {
  index: AccountIndex;
  position: P;
  takenAt: Date;
}

export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}

const ATTRIBUTE_COLUMNS: (keyof AttributeSnapshotColumns)[] = [
  'stage',
  'clock',
  'stageClock',
  'attributeClock',
  'completedCycles',
  'transitionStart',
  'transitionCount',
  'transitionAt',
  'transitionFrom',
  'transitionTo',
  'completionStart',
  'completionCount',
  'completionAt',
];

/** The snapshot's bytes, as chunks to write in order (no copy of the columns). */
export function encodeSnapshot<P>(index: AccountIndex, position: P, takenAt: Date): Buffer[] {
  const state = index.state();
  const columns: { name: string; data: Column }[] = [
    { name: 'rev', data: state.rev },
    { name: 'flags', data: state.flags },
    { name: 'renewal', data: state.renewal },
    { name: 'clientType', data: state.clientType },
    { name: 'owner', data: state.owner },
    { name: 'calendar', data: state.calendar },
    { name: 'order', data: state.order },
    { name: 'idBytes', data: state.ids.bytes.subarray(0, state.ids.used) },
    { name: 'idEnds', data: state.ids.ends.subarray(0, state.count) },
    { name: 'nameBytes', data: state.names.bytes.subarray(0, state.names.used) },
    { name: 'nameStart', data: state.names.start.subarray(0, state.count) },
    { name: 'nameLength', data: state.names.length.subarray(0, state.count) },
  ];
  for (const attribute of state.attributes) {
    const own = attribute.snapshotColumns(state.count);
    for (const name of ATTRIBUTE_COLUMNS) {
      const data = own[name];
      if (!INSTANT_COLUMNS.has(name)) columns.push({ name: `${attribute.key}/${name}`, data: data as Column });
      else if ('wide' in data) columns.push({ name: `${attribute.key}/${name}`, data: data.wide });
      else if ('low' in data) {
        columns.push({ name: `${attribute.key}/${name}.low`, data: data.low }, { name: `${attribute.key}/${name}.high`, data: data.high });
      }
    }
  }
  for (const membership of state.memberships) {
    columns.push({ name: `members/${membership.id}`, data: membership.bits.subarray(0, Math.ceil(state.count / 32)) });
  }
  const header: SnapshotHeader<P> = {
    version: FORMAT_VERSION,
    takenAt: takenAt.toISOString(),
    position,
    count: state.count,
    wideIds: [...state.ids.wide].filter((slot) => slot < state.count),
    clientTypes: state.clientTypes,
    owners: state.owners,
    calendars: state.calendars,
    attributes: state.attributes.map((a) => ({
      key: a.key,
      stages: a.stages.list(),
      transitions: a.transitionsUsed,
      completions: a.completionsUsed,
    })),
    memberships: state.memberships.map((m) => m.id),
    columns: columns.map((c) => ({ name: c.name, type: typeOf(c.data), length: c.data.length })),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(MAGIC.length + 4);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, MAGIC.length);
  const chunks: Buffer[] = [prefix, json, padding(prefix.length + json.length)];
  for (const { data } of columns) {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    chunks.push(bytes, padding(bytes.length));
  }
  return chunks;
}

/**
 * Where a snapshot's bytes are read from: the whole file in memory (tests, the benchmark), or
 * read piece by piece straight into the columns (`snapshotFileSource`): no copy of the file is
 * held beside the index while it loads, so the load needs the index's memory, not twice it.
 */
export interface SnapshotSource {
  readonly size: number;
  /** Fills `into` with the bytes at `position` (the caller stays within `size`). */
  read(into: Uint8Array, position: number): void;
}

export function bufferSource(bytes: Uint8Array): SnapshotSource {
  return { size: bytes.length, read: (into, position) => into.set(bytes.subarray(position, position + into.length)) };
}

/** Rebuilds the index a snapshot holds; a file of another format or cut short is refused. */
export function decodeSnapshot<P>(input: Buffer | SnapshotSource): DecodedSnapshot<P> {
  const source = Buffer.isBuffer(input) ? bufferSource(input) : input;
  const prefix = Buffer.alloc(MAGIC.length + 4);
  if (source.size < prefix.length) throw new SnapshotFormatError('not an evaluation index snapshot');
  source.read(prefix, 0);
  if (prefix.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new SnapshotFormatError('not an evaluation index snapshot');
  const headerLength = prefix.readUInt32LE(MAGIC.length);
  let offset = prefix.length;
  if (offset + headerLength > source.size) throw new SnapshotFormatError('snapshot cut short in its header');
  const headerBytes = Buffer.alloc(headerLength);
  source.read(headerBytes, offset);
  const header = JSON.parse(headerBytes.toString('utf8')) as SnapshotHeader<P>;
  if (!READABLE_VERSIONS.includes(header.version)) {
    throw new SnapshotFormatError(`snapshot format ${header.version}, expected one of ${READABLE_VERSIONS.join(', ')}`);
  }
  offset = aligned(offset + headerLength);
  // Per-slot columns get the room of the restored index at once (taken over, not copied again);
  // pools are read as they are.
  const capacity = restoredCapacity(header.count);
  const columns = new Map<string, Column>();
  for (const entry of header.columns) {
    const size = entry.length * BYTES[entry.type];
    if (offset + size > source.size) throw new SnapshotFormatError(`snapshot cut short in column ${entry.name}`);
    const room = entry.name.startsWith('members/') ? Math.ceil(capacity / 32) : entry.length === header.count ? capacity : entry.length;
    const fill = NAN_FILLED.test(entry.name) ? NaN : UNKNOWN_HIGH_FILLED.test(entry.name) ? UNKNOWN_HIGH : 0;
    columns.set(entry.name, columnOf(entry.type, source, offset, entry.length, room, fill));
    offset = aligned(offset + size);
  }
  const column = <T extends Column>(name: string): T => {
    const data = columns.get(name);
    if (data === undefined) throw new SnapshotFormatError(`snapshot without column ${name}`);
    return data as T;
  };
  const attributes = header.attributes.map((a) => {
    const own = Object.fromEntries(
      ATTRIBUTE_COLUMNS.map((name) => {
        const whole = `${a.key}/${name}`;
        if (!INSTANT_COLUMNS.has(name)) return [name, column(whole)];
        return [
          name,
          columns.has(whole) ? { wide: column<Float64Array>(whole) } : { low: column(`${whole}.low`), high: column(`${whole}.high`) },
        ];
      }),
    ) as unknown as AttributeSnapshotColumns;
    return AttributeColumns.restore(a.key, a.stages, own, { transitions: a.transitions, completions: a.completions });
  });
  const index = AccountIndex.fromState({
    count: header.count,
    ids:
      header.ids === undefined
        ? IdPool.restore(column('idBytes'), column('idEnds'), header.count, header.wideIds ?? [])
        : IdPool.of(header.ids, capacity),
    names: header.names === undefined ? namePool(column('nameBytes'), column('nameStart'), column('nameLength')) : namesOf(header.names),
    rev: column('rev'),
    flags: column('flags'),
    renewal: column('renewal'),
    clientType: column('clientType'),
    owner: column('owner'),
    calendar: header.version >= 2 ? column('calendar') : new Uint32Array(header.count),
    clientTypes: header.clientTypes,
    owners: header.owners,
    calendars: header.calendars ?? [],
    order: column('order'),
    attributes,
    memberships: header.memberships.map((id) => ({ id, bits: column<Uint32Array>(`members/${id}`) })),
  });
  return { index, position: header.position, takenAt: new Date(header.takenAt) };
}

function namePool(bytes: Uint8Array, start: Int32Array, length: Int32Array): StringPool {
  return StringPool.restore(bytes, start, length, bytes.length);
}

function namesOf(names: readonly string[]): StringPool {
  const pool = new StringPool(names.length);
  names.forEach((name, slot) => pool.set(slot, name));
  return pool;
}

const BYTES: Record<ColumnType, number> = { f64: 8, u32: 4, i32: 4, u16: 2, i16: 2, u8: 1 };

function typeOf(data: Column): ColumnType {
  if (data instanceof Float64Array) return 'f64';
  if (data instanceof Uint32Array) return 'u32';
  if (data instanceof Int32Array) return 'i32';
  if (data instanceof Uint16Array) return 'u16';
  if (data instanceof Int16Array) return 'i16';
  return 'u8';
}

/** Columns whose slots without a value hold NaN (`grown(…, NaN)` in the index), as floats or split. */
const NAN_FILLED = /^(renewal|.+\/stageClock|.+\/attributeClock)$/;
const UNKNOWN_HIGH_FILLED = /^.+\/(stageClock|attributeClock)\.high$/;

/** The attribute columns held as `InstantColumn`s. */
const INSTANT_COLUMNS = new Set<keyof AttributeSnapshotColumns>(['stageClock', 'attributeClock', 'transitionAt', 'completionAt']);

/** One column read into an array of its own with room for `room` elements (the rest = `fill`). */
function columnOf(type: ColumnType, source: SnapshotSource, offset: number, length: number, room: number, fill: number): Column {
  const size = Math.max(length, room);
  const column = new CONSTRUCTORS[type](size);
  if (length > 0) source.read(new Uint8Array(column.buffer, 0, length * BYTES[type]), offset);
  if (fill !== 0 && size > length) column.fill(fill, length);
  return column;
}

const CONSTRUCTORS: Record<ColumnType, new (length: number) => Column> = {
  f64: Float64Array,
  u32: Uint32Array,
  i32: Int32Array,
  u16: Uint16Array,
  i16: Int16Array,
  u8: Uint8Array,
};

function aligned(offset: number): number {
  return (offset + 7) & ~7;
}

function padding(length: number): Buffer {
  return Buffer.alloc(aligned(length) - length);
}
