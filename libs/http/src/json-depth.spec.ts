import { jsonDepth } from './json-depth';

describe('jsonDepth', () => {
  it('measures nesting of objects and arrays', () => {
    expect(jsonDepth('x')).toBe(0);
    expect(jsonDepth({ a: 1 })).toBe(1);
    expect(jsonDepth({ a: [{ b: [] }] })).toBe(4);
  });

  it('handles 100 000 levels without recursion and stops early at the limit', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonDepth(deep, 64)).toBe(65);
    expect(jsonDepth(deep)).toBe(100_001);
  });
});
