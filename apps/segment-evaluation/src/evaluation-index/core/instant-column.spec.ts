import fc from 'fast-check';
import { InstantColumn } from './instant-column';

const same = (column: InstantColumn, values: readonly number[]) => values.forEach((v, i) => expect(Object.is(column.get(i), v)).toBe(true));

describe('InstantColumn', () => {
  it('reads back every value as written: whole ms in and out of the split range, fractions, -0, NaN; through growth, moves, runs and a restore', () => {
    const value = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      fc.double({ noDefaultInfinity: true }),
      fc.constantFrom(NaN, -0, 0, 2 ** 32 - 1, 2 ** 32, -(2 ** 32), 0x7fff * 2 ** 32 + 0xffffffff, -0x7fff * 2 ** 32),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 60 }), fc.nat(), (values, cut) => {
        const column = new InstantColumn(4);
        column.grown(values.length);
        values.forEach((v, i) => column.set(i, v));
        same(column, values);
        const restored = InstantColumn.restore(column.stored(values.length));
        same(restored, values);
        // Floats of an earlier snapshot format are split where they fit.
        same(InstantColumn.restore({ wide: Float64Array.from(values) }), values);
        const start = cut % values.length;
        const run = new Float64Array(values.length);
        column.read(start, values.length - start, run);
        values.slice(start).forEach((v, k) => expect(Object.is(run[k], v)).toBe(true));
        column.copyWithin(0, start, values.length);
        same(column, [...values.slice(start), ...values.slice(values.length - start)]);
      }),
      { numRuns: 300 },
    );
  });

  it('takes 6 bytes per value while every value fits, 8 once one does not', () => {
    const column = new InstantColumn(1_000);
    column.set(0, Date.UTC(2026, 11, 3, 14, 37, 18, 123));
    column.set(1, -Date.UTC(1900, 0, 1));
    expect(column.byteLength).toBe(6_000);
    column.set(2, 0.5);
    expect(column.byteLength).toBe(8_000);
    expect([column.get(0), column.get(1), column.get(2), column.get(3)]).toEqual([
      Date.UTC(2026, 11, 3, 14, 37, 18, 123),
      -Date.UTC(1900, 0, 1),
      0.5,
      NaN,
    ]);
  });
});
