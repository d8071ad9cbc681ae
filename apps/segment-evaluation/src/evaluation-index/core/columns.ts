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

/** A copy of `array` with room for `length` elements (new elements = `fill`). */
export function grown<T extends TypedArray>(array: T, length: number, fill = 0): T {
  if (array.length >= length) return array;
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array as never);
  if (fill !== 0) next.fill(fill as never, array.length);
  return next;
}

/** Capacity after growth: doubling, at least `needed`. */
export function nextCapacity(current: number, needed: number): number {
  let capacity = Math.max(current, 1_024);
  while (capacity < needed) capacity *= 2;
  return capacity;
}
