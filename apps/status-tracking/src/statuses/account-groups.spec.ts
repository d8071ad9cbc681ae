import fc from 'fast-check';
import { groupsByAccount } from './account-groups';

interface Pair {
  accountId: string;
  n: number;
}

const pairsOf = (accounts: readonly string[]): Pair[] => accounts.map((accountId, n) => ({ accountId, n }));

describe('groupsByAccount', () => {
  it('keeps too few pairs for two groups together, in their order', () => {
    const pairs = pairsOf(['a', 'b', 'c', 'a', 'd']);
    expect(groupsByAccount(pairs, 2, 8)).toEqual([pairs]);
    expect(groupsByAccount([], 2, 8)).toEqual([[]]);
  });

  it('deals accounts to the groups in turn, each account whole', () => {
    const pairs = pairsOf(['a', 'b', 'a', 'c', 'd', 'b']);
    expect(groupsByAccount(pairs, 2, 2).map((g) => g.map((p) => p.accountId))).toEqual([
      ['a', 'a', 'c'],
      ['b', 'd', 'b'],
    ]);
  });

  it('makes no more groups than asked, nor than pairs allow', () => {
    const pairs = pairsOf(Array.from({ length: 20 }, (_, i) => `acct-${i}`));
    expect(groupsByAccount(pairs, 3, 8)).toHaveLength(2);
    expect(groupsByAccount(pairs, 3, 5)).toHaveLength(3);
    expect(groupsByAccount(pairs, 1, 1)).toHaveLength(1);
  });

  it('loses and adds nothing, keeps the order within a group, and puts each account in one group', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 10 }),
        (accounts, groups, minPerGroup) => {
          const pairs = pairsOf(accounts);
          const out = groupsByAccount(pairs, groups, minPerGroup);
          expect(out.length).toBeGreaterThanOrEqual(1);
          expect(out.length).toBeLessThanOrEqual(groups);
          expect(out.flat().sort((x, y) => x.n - y.n)).toEqual(pairs);
          for (const group of out) expect(group.map((p) => p.n)).toEqual([...group.map((p) => p.n)].sort((x, y) => x - y));
          const home = new Map<string, number>();
          out.forEach((group, g) =>
            group.forEach((p) => {
              expect(home.get(p.accountId) ?? g).toBe(g);
              home.set(p.accountId, g);
            }),
          );
        },
      ),
    );
  });
});
