/**
 * A column of instants and durations in whole milliseconds (NaN = unknown), exact, in 6 bytes per
 * value instead of a `Float64Array`'s 8: the low 32 bits in a `Uint32Array`, the rest in an
 * `Int16Array` (±4 459 years around 1970). The rules compare milliseconds (whole days are
 * floored from them, windows are bounded by instants), so the values are kept exactly, not rounded
 * to seconds. A value that does not fit (a fraction of a millisecond, an instant beyond that
 * range) turns the column into a `Float64Array` for good (`wide`): every value reads back as it
 * was written either way.
 */
const HIGH = 0x1_0000_0000;
/** `high` of an unknown value (NaN). */
export const UNKNOWN_HIGH = -0x8000;
const UNKNOWN = UNKNOWN_HIGH;
const MAX_HIGH = 0x7fff;

export class InstantColumn {
  private low: Uint32Array;
  private high: Int16Array;
  /** Every value as a float, once one did not fit the split form (null while all fit). */
  private wide: Float64Array | null = null;

  constructor(length: number) {
    this.low = new Uint32Array(length);
    this.high = new Int16Array(length).fill(UNKNOWN);
  }

  /** A column taken over as stored: the split form as it is; floats (an earlier format) split where they fit. */
  static restore(stored: { low: Uint32Array; high: Int16Array } | { wide: Float64Array }): InstantColumn {
    if ('wide' in stored) return InstantColumn.of(stored.wide);
    const column = new InstantColumn(0);
    column.low = stored.low;
    column.high = stored.high;
    return column;
  }

  /** A column of `values` (a snapshot of an earlier format held them as floats). */
  static of(values: Float64Array, length = values.length): InstantColumn {
    const column = new InstantColumn(Math.max(length, values.length));
    for (let i = 0; i < values.length; i++) column.set(i, values[i]!);
    return column;
  }

  get length(): number {
    return this.wide?.length ?? this.low.length;
  }

  get(i: number): number {
    if (this.wide !== null) return this.wide[i]!;
    const high = this.high[i]!;
    return high === UNKNOWN ? NaN : high * HIGH + this.low[i]!;
  }

  set(i: number, value: number): void {
    if (this.wide !== null) {
      this.wide[i] = value;
      return;
    }
    if (Number.isNaN(value)) {
      this.high[i] = UNKNOWN;
      this.low[i] = 0;
      return;
    }
    const high = Math.floor(value / HIGH);
    if (!Number.isInteger(value) || high < -MAX_HIGH || high > MAX_HIGH || Object.is(value, -0)) {
      this.widen();
      this.wide![i] = value;
      return;
    }
    this.high[i] = high;
    this.low[i] = value - high * HIGH;
  }

  /** Copies the values at [start, end) to `target` (pool compaction; runs never overlap wrongly: towards the front). */
  copyWithin(target: number, start: number, end: number): void {
    if (this.wide !== null) {
      this.wide.copyWithin(target, start, end);
      return;
    }
    this.low.copyWithin(target, start, end);
    this.high.copyWithin(target, start, end);
  }

  /** Values [start, start + count) into `into` from 0 (a run for the rules' fold, which reads floats). */
  read(start: number, count: number, into: Float64Array): void {
    if (this.wide !== null) {
      for (let k = 0; k < count; k++) into[k] = this.wide[start + k]!;
      return;
    }
    const { low, high } = this;
    for (let k = 0; k < count; k++) {
      const h = high[start + k]!;
      into[k] = h === UNKNOWN ? NaN : h * HIGH + low[start + k]!;
    }
  }

  /** Room for `length` values; new ones are unknown. */
  grown(length: number): void {
    if (this.length >= length) return;
    if (this.wide !== null) {
      const next = new Float64Array(length).fill(NaN);
      next.set(this.wide);
      this.wide = next;
      return;
    }
    const low = new Uint32Array(length);
    low.set(this.low);
    const high = new Int16Array(length).fill(UNKNOWN);
    high.set(this.high);
    this.low = low;
    this.high = high;
  }

  /** The arrays a snapshot stores, the first `length` values. */
  stored(length: number): { low: Uint32Array; high: Int16Array } | { wide: Float64Array } {
    if (this.wide !== null) return { wide: this.wide.subarray(0, length) };
    return { low: this.low.subarray(0, length), high: this.high.subarray(0, length) };
  }

  get byteLength(): number {
    return this.wide !== null ? this.wide.byteLength : this.low.byteLength + this.high.byteLength;
  }

  private widen(): void {
    const wide = new Float64Array(this.low.length);
    for (let i = 0; i < wide.length; i++) wide[i] = this.get(i);
    this.wide = wide;
  }
}
