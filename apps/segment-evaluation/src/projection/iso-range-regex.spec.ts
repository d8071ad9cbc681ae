import fc from 'fast-check';
import { isoRangeRegex } from './iso-range-regex';

const MIN = Date.UTC(1900, 0, 1);
const MAX = Date.UTC(9000, 0, 1) - 1;

/** Instants anywhere, and instants that share long prefixes (the hard cases of the construction). */
const instantArb = fc
  .oneof(
    fc.integer({ min: MIN, max: MAX }),
    fc
      .tuple(
        fc.constantFrom(Date.UTC(2024, 5, 15, 12), Date.UTC(2000, 0, 1), Date.UTC(1999, 11, 31, 23, 59, 59, 999)),
        fc.integer({ min: -90_000_000, max: 90_000_000 }),
      )
      .map(([base, offset]) => base + offset),
    fc.tuple(fc.constantFrom(Date.UTC(2024, 5, 15, 12)), fc.integer({ min: -3, max: 3 })).map(([base, offset]) => base + offset),
  )
  .map((ms) => new Date(ms));

describe('isoRangeRegex', () => {
  it('matches exactly the keys of the prefix whose time is in the range (property)', () => {
    fc.assert(
      fc.property(
        fc.option(instantArb, { nil: null }),
        fc.option(instantArb, { nil: null }),
        fc.boolean(),
        fc.array(instantArb, { minLength: 1, maxLength: 8 }),
        (from, to, toInclusive, values) => {
          const regex = isoRangeRegex('to:stg|', { from, to, toInclusive });
          for (const value of values) {
            const t = value.getTime();
            const expected =
              (from === null || t >= from.getTime()) && (to === null || (toInclusive ? t <= to.getTime() : t < to.getTime()));
            const actual = regex !== null && new RegExp(regex).test(`to:stg|${value.toISOString()}`);
            expect({ from, to, toInclusive, value, actual }).toEqual({ from, to, toInclusive, value, actual: expected });
          }
        },
      ),
      { numRuns: 2_000, seed: 42 },
    );
  });

  it('bounds themselves: from inclusive, to exclusive unless inclusive', () => {
    const at = new Date('2024-06-15T12:00:00.000Z');
    const key = 'any|2024-06-15T12:00:00.000Z';
    expect(new RegExp(isoRangeRegex('any|', { from: at, to: null, toInclusive: false })!).test(key)).toBe(true);
    expect(new RegExp(isoRangeRegex('any|', { from: null, to: at, toInclusive: false })!).test(key)).toBe(false);
    expect(new RegExp(isoRangeRegex('any|', { from: null, to: at, toInclusive: true })!).test(key)).toBe(true);
    expect(isoRangeRegex('any|', { from: at, to: at, toInclusive: false })).toBeNull();
    expect(new RegExp(isoRangeRegex('any|', { from: at, to: at, toInclusive: true })!).test(key)).toBe(true);
    expect(isoRangeRegex('any|', { from: new Date(at.getTime() + 1), to: at, toInclusive: true })).toBeNull();
  });

  it('never matches keys of another prefix, whatever characters the prefix holds', () => {
    const regex = isoRangeRegex('from-to:a.b%7C(x)>c|', { from: null, to: null, toInclusive: false })!;
    expect(new RegExp(regex).test('from-to:a.b%7C(x)>c|2024-06-15T12:00:00.000Z')).toBe(true);
    expect(new RegExp(regex).test('from-to:aXb%7C(x)>c|2024-06-15T12:00:00.000Z')).toBe(false);
    expect(new RegExp(regex).test('from-to:a.b%7C(x)>cd|2024-06-15T12:00:00.000Z')).toBe(false);
    expect(new RegExp(regex).test('to:c|2024-06-15T12:00:00.000Z')).toBe(false);
  });

  it('stays small: one alternative per character position at most', () => {
    const regex = isoRangeRegex('any|', {
      from: new Date('1901-02-03T04:05:06.007Z'),
      to: new Date('8998-09-08T07:06:05.004Z'),
      toInclusive: true,
    })!;
    expect(regex.length).toBeLessThan(1_000);
  });
});
