import fc from 'fast-check';
import { IdPool, nextCapacity, SlotTable, StringPool } from './columns';

describe('SlotTable over an IdPool', () => {
  it('finds every id it was given, by slot, through growth and a refill; unknown ids are undefined; ids read back as given', () => {
    // Any UTF-16 string (lone surrogates included), and pairs that would collide byte-wise: 'ab' vs '\u6261'.
    const idArb = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom('ab', '\u6261', '\ud800', '\udbff'),
    );
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { maxLength: 3_000 }), fc.array(idArb), (keys, probes) => {
        const table = new SlotTable();
        const ids = new IdPool(4, 8);
        for (const key of keys) table.add(ids.push(key), ids);
        const refilled = new SlotTable();
        refilled.fill(ids);
        for (const t of [table, refilled]) {
          keys.forEach((key, slot) => expect(t.get(key, ids)).toBe(slot));
          for (const probe of probes) expect(t.get(probe, ids)).toBe(keys.includes(probe) ? keys.indexOf(probe) : undefined);
        }
        keys.forEach((key, slot) => expect(ids.get(slot)).toBe(key));
      }),
      { numRuns: 50 },
    );
  });
});

describe('nextCapacity', () => {
  it('doubles while small, then grows by a quarter, always to at least what is needed', () => {
    expect(nextCapacity(0, 10)).toBe(1_024);
    expect(nextCapacity(1_024, 1_025)).toBe(2_048);
    expect(nextCapacity(1_000_000, 1_000_001)).toBe(1_250_000);
    expect(nextCapacity(1_000_000, 3_000_000)).toBeGreaterThanOrEqual(3_000_000);
  });
});

describe('StringPool', () => {
  it('gives back every string as last set, through rewrites that grow, shrink and compact the pool', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(40), fc.fullUnicodeString({ maxLength: 30 })), { maxLength: 2_000 }), (writes) => {
        const pool = new StringPool(41, 8);
        const expected: string[] = Array.from({ length: 41 }, () => '');
        for (const [slot, value] of writes) {
          pool.set(slot, value);
          expected[slot] = value;
        }
        expected.forEach((value, slot) => expect(pool.get(slot)).toBe(value));
      }),
      { numRuns: 100 },
    );
  });
});
