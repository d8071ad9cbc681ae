/**
 * The storage pieces of the evaluation index: a string dictionary (values as small integer
 * codes, 0 = null) and growable typed-array columns. Pure, no I/O.
 */

/** Values as codes 1…n; code 0 is null. Codes are never reused or reordered (columns hold them). */
export class Dictionary {
  readonly values: (string | null)[] = [null];
  private readonly codes = new Map<string, number>();

  constructor(values: readonly string[] = []) {
    for (const value of values) this.codeOf(value);
  }

  /** The code of a value, added when new; null → 0. */
  codeOf(value: string | null): number {
    if (value === null) return 0;
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
    }
    return code;
  }

  /** The code of a known value, -1 when the value never occurred (it matches nothing). */
  find(value: string): number {
    return this.codes.get(value) ?? -1;
  }

  valueOf(code: number): string | null {
    return this.values[code] ?? null;
  }

  get size(): number {
    return this.values.length;
  }

  /** Every value but null, in code order (code = position + 1): the snapshot form. */
  list(): string[] {
    return this.values.slice(1) as string[];
  }

  /** A lookup table by code: 1 where the code's value is one of `values`. */
  maskOf(values: readonly (string | null)[]): Uint8Array {
    const mask = new Uint8Array(this.values.length);
    for (const value of values) {
      const code = value === null ? 0 : this.find(value);
      if (code >= 0) mask[code] = 1;
    }
    return mask;
  }
}

type TypedArray = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

/**
 * A column of small unsigned integers (dictionary codes, counts): one byte per slot while every
 * value fits, two or four from the first value that does not (`holding`). At 1M accounts a
 * 32-bit column of codes that stay below 256 would hold 3 MiB of zeros.
 */
export type CodeColumn = Uint8Array | Uint16Array | Uint32Array;

/** `column`, or a wider copy of it when `value` does not fit its element type. */
export function holding(column: CodeColumn, value: number): CodeColumn {
  if (value <= 0xff || column instanceof Uint32Array) return column;
  if (value <= 0xffff) return column instanceof Uint8Array ? Uint16Array.from(column) : column;
  return Uint32Array.from(column);
}

/** A copy of `array` with room for `length` elements (new elements = `fill`). */
export function grown<T extends TypedArray>(array: T, length: number, fill = 0): T {
  if (array.length >= length) return array;
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array as never);
  if (fill !== 0) next.fill(fill as never, array.length);
  return next;
}

/**
 * Capacity after growth, at least `needed`: doubling while small, then by a quarter (a million
 * slots doubled would hold every column twice over for one new account).
 */
export function nextCapacity(current: number, needed: number): number {
  let capacity = Math.max(current, 1_024);
  while (capacity < needed) capacity = capacity < 65_536 ? capacity * 2 : Math.ceil(capacity * 1.25);
  return capacity;
}

/**
 * Account ids by slot, in one byte pool: slot i's bytes end at `ends[i]` and begin where slot
 * i − 1's end (a slot's id never changes, so the pool only grows at its end). A million ids as
 * JavaScript strings cost ~37 MiB of heap (a header per string, the array of them) and lengthen
 * every full collection; here ~16 MiB outside the heap. An id of ASCII characters takes one byte
 * per character (contract ids are ASCII); any other id takes its UTF-16 code units (lossless, lone
 * surrogates included), and its slot is listed in `wide`, so the two forms never compare equal.
 */
export class IdPool {
  bytes: Uint8Array;
  ends: Int32Array;
  count = 0;
  readonly wide = new Set<number>();
  private view: Buffer;
  private scratch = Buffer.alloc(256);

  constructor(slots: number, bytes = slots * 16) {
    this.bytes = new Uint8Array(Math.max(1_024, bytes));
    this.ends = new Int32Array(Math.max(1, slots));
    this.view = viewOf(this.bytes);
  }

  /** A pool taken over as stored (a snapshot): `count` ids, `wide` the slots in two-byte form. */
  static restore(bytes: Uint8Array, ends: Int32Array, count: number, wide: readonly number[]): IdPool {
    const pool = new IdPool(0);
    pool.bytes = bytes;
    pool.ends = ends;
    pool.count = count;
    pool.view = viewOf(bytes);
    for (const slot of wide) pool.wide.add(slot);
    return pool;
  }

  /** The pool of `ids` in slot order (a snapshot that holds them as strings). */
  static of(ids: readonly string[], slots: number): IdPool {
    const pool = new IdPool(Math.max(slots, ids.length));
    for (const id of ids) pool.push(id);
    return pool;
  }

  get used(): number {
    return this.count === 0 ? 0 : this.ends[this.count - 1]!;
  }

  ensureSlots(slots: number): void {
    this.ends = grown(this.ends, slots);
  }

  /** The id of the next slot (`count`); returns that slot. */
  push(id: string): number {
    const { length, wide } = this.encode(id);
    const slot = this.count;
    const at = this.used;
    if (at + length > this.bytes.length) {
      this.bytes = grown(this.bytes, Math.max(at + length, Math.ceil(this.bytes.length * 1.25)));
      this.view = viewOf(this.bytes);
    }
    this.ensureSlots(slot + 1);
    this.bytes.set(this.scratch.subarray(0, length), at);
    this.ends[slot] = at + length;
    if (wide) this.wide.add(slot);
    this.count += 1;
    return slot;
  }

  get(slot: number): string {
    const start = slot === 0 ? 0 : this.ends[slot - 1]!;
    return this.view.toString(this.wide.has(slot) ? 'utf16le' : 'latin1', start, this.ends[slot]);
  }

  /** `id` encoded into the scratch buffer (what `equals` and `hashOf` compare). */
  encode(id: string): { length: number; wide: boolean } {
    let wide = false;
    for (let i = 0; i < id.length && !wide; i++) wide = id.charCodeAt(i) > 0x7f;
    const length = wide ? id.length * 2 : id.length;
    if (length > this.scratch.length) this.scratch = Buffer.alloc(Math.max(length, this.scratch.length * 2));
    this.scratch.write(id, 0, length, wide ? 'utf16le' : 'latin1');
    return { length, wide };
  }

  /** True when slot's id is the one last `encode`d. */
  equalsEncoded(slot: number, length: number, wide: boolean): boolean {
    const start = slot === 0 ? 0 : this.ends[slot - 1]!;
    if (this.ends[slot]! - start !== length || this.wide.has(slot) !== wide) return false;
    const { bytes, scratch } = this;
    for (let i = 0; i < length; i++) if (bytes[start + i] !== scratch[i]) return false;
    return true;
  }

  /** The hash of the id last `encode`d. */
  hashEncoded(length: number): number {
    return hashOf(this.scratch, 0, length);
  }

  /** The hash of slot's id (the same as of its encoded form). */
  hashOfSlot(slot: number): number {
    return hashOf(this.bytes, slot === 0 ? 0 : this.ends[slot - 1]!, this.ends[slot]!);
  }

  get byteLength(): number {
    return this.bytes.byteLength + this.ends.byteLength;
  }
}

/**
 * Account id → slot, for a million ids: open addressing over one `Int32Array` (slot + 1;
 * 0 = empty), the ids themselves in the `IdPool`, so an entry costs 8 bytes where a `Map`
 * entry costs ~40. Slots are never removed.
 */
export class SlotTable {
  private table = new Int32Array(2_048);
  private used = 0;

  get(key: string, ids: IdPool): number | undefined {
    const { length, wide } = ids.encode(key);
    const mask = this.table.length - 1;
    for (let i = ids.hashEncoded(length) & mask; ; i = (i + 1) & mask) {
      const entry = this.table[i]!;
      if (entry === 0) return undefined;
      if (ids.equalsEncoded(entry - 1, length, wide)) return entry - 1;
    }
  }

  /** Adds a slot whose id is not in the table yet. */
  add(slot: number, ids: IdPool): void {
    if ((this.used + 1) * 2 > this.table.length) this.rehash(this.table.length * 2, ids);
    this.place(ids.hashOfSlot(slot), slot);
    this.used += 1;
  }

  /** Every id of the pool (a restored index); replaces what the table held. */
  fill(ids: IdPool): void {
    let size = 2_048;
    while (size < ids.count * 2) size *= 2;
    this.table = new Int32Array(size);
    for (let slot = 0; slot < ids.count; slot++) this.place(ids.hashOfSlot(slot), slot);
    this.used = ids.count;
  }

  get byteLength(): number {
    return this.table.byteLength;
  }

  private place(hash: number, slot: number): void {
    const mask = this.table.length - 1;
    let i = hash & mask;
    while (this.table[i] !== 0) i = (i + 1) & mask;
    this.table[i] = slot + 1;
  }

  private rehash(size: number, ids: IdPool): void {
    const old = this.table;
    this.table = new Int32Array(size);
    for (const entry of old) if (entry !== 0) this.place(ids.hashOfSlot(entry - 1), entry - 1);
  }
}

/**
 * One string per slot, as UTF-8 in a byte pool (a million short JavaScript strings cost ~40
 * bytes each on the heap; here the bytes plus 8). A rewritten string that no longer fits its
 * place goes to the end; the pool is compacted when half of it is garbage.
 */
export class StringPool {
  bytes: Uint8Array;
  start: Int32Array;
  length: Int32Array;
  used = 0;
  private garbage = 0;

  constructor(slots: number, bytes = slots * 16) {
    this.bytes = new Uint8Array(Math.max(1_024, bytes));
    this.start = new Int32Array(slots);
    this.length = new Int32Array(slots);
  }

  /** A pool taken over as stored (a snapshot). */
  static restore(bytes: Uint8Array, start: Int32Array, length: Int32Array, used: number): StringPool {
    const pool = new StringPool(0);
    pool.bytes = bytes;
    pool.start = start;
    pool.length = length;
    pool.used = used;
    return pool;
  }

  ensureSlots(slots: number): void {
    this.start = grown(this.start, slots);
    this.length = grown(this.length, slots);
  }

  set(slot: number, value: string): void {
    const size = Buffer.byteLength(value, 'utf8');
    const old = this.length[slot]!;
    let at = this.start[slot]!;
    if (size > old) {
      this.garbage += old;
      this.reserve(size);
      at = this.used;
      this.used += size;
    } else {
      this.garbage += old - size;
    }
    if (size > 0) Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length).write(value, at, size, 'utf8');
    this.start[slot] = at;
    this.length[slot] = size;
  }

  get(slot: number): string {
    const at = this.start[slot]!;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length).toString('utf8', at, at + this.length[slot]!);
  }

  get byteLength(): number {
    return this.bytes.byteLength + this.start.byteLength + this.length.byteLength;
  }

  private reserve(more: number): void {
    if (this.used + more <= this.bytes.length) return;
    if (this.garbage > this.used / 2) this.compact();
    if (this.used + more <= this.bytes.length) return;
    this.bytes = grown(this.bytes, Math.max(this.used + more, Math.ceil(this.bytes.length * 1.25)));
  }

  /** Every slot's bytes to the front, in the order they lie (moves only towards the front). */
  private compact(): void {
    const slots: number[] = [];
    for (let s = 0; s < this.start.length; s++) if (this.length[s]! > 0) slots.push(s);
    slots.sort((a, b) => this.start[a]! - this.start[b]!);
    let used = 0;
    for (const s of slots) {
      const at = this.start[s]!;
      const size = this.length[s]!;
      if (at !== used) this.bytes.copyWithin(used, at, at + size);
      this.start[s] = used;
      used += size;
    }
    this.used = used;
    this.garbage = 0;
  }
}

/** FNV-1a over bytes, with a final mix (ids often differ in their last characters only). */
function hashOf(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

function viewOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}
