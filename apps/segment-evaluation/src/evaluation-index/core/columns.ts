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
 * String key → slot, for a million account ids: open addressing over one `Int32Array` (slot + 1;
 * 0 = empty), the keys themselves kept by the caller (`keys[slot]`), so an entry costs 8 bytes
 * where a `Map` entry costs ~40. Slots are never removed.
 */
export class SlotTable {
  private table = new Int32Array(2_048);
  private used = 0;

  get(key: string, keys: readonly string[]): number | undefined {
    const mask = this.table.length - 1;
    for (let i = hashOf(key) & mask; ; i = (i + 1) & mask) {
      const entry = this.table[i]!;
      if (entry === 0) return undefined;
      if (keys[entry - 1] === key) return entry - 1;
    }
  }

  /** Adds a key that is not in the table (`keys[slot]` must already be `key`). */
  add(key: string, slot: number, keys: readonly string[]): void {
    if ((this.used + 1) * 2 > this.table.length) this.rehash(this.table.length * 2, keys);
    this.place(key, slot);
    this.used += 1;
  }

  /** Every key of `keys`, by slot (a restored index); replaces what the table held. */
  fill(keys: readonly string[], count: number): void {
    let size = 2_048;
    while (size < count * 2) size *= 2;
    this.table = new Int32Array(size);
    for (let slot = 0; slot < count; slot++) this.place(keys[slot]!, slot);
    this.used = count;
  }

  get byteLength(): number {
    return this.table.byteLength;
  }

  private place(key: string, slot: number): void {
    const mask = this.table.length - 1;
    let i = hashOf(key) & mask;
    while (this.table[i] !== 0) i = (i + 1) & mask;
    this.table[i] = slot + 1;
  }

  private rehash(size: number, keys: readonly string[]): void {
    const old = this.table;
    this.table = new Int32Array(size);
    for (const entry of old) if (entry !== 0) this.place(keys[entry - 1]!, entry - 1);
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

/** FNV-1a over UTF-16 code units, with a final mix (ids often differ in their last characters only). */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}
