/**
 * `pairs` split into up to `groups` groups of about equal size (at least `minPerGroup` pairs each,
 * else one group), every pair of an account in the same group: an account's pairs are then written
 * and published in the order one group gives them, as without the split. Order within a group
 * follows `pairs`.
 */
export function groupsByAccount<T extends { accountId: string }>(pairs: readonly T[], groups: number, minPerGroup: number): T[][] {
  const count = Math.max(1, Math.min(groups, Math.floor(pairs.length / minPerGroup)));
  if (count === 1) return [[...pairs]];
  const groupOf = new Map<string, number>();
  const out: T[][] = Array.from({ length: count }, () => []);
  for (const pair of pairs) {
    let group = groupOf.get(pair.accountId);
    if (group === undefined) {
      group = groupOf.size % count;
      groupOf.set(pair.accountId, group);
    }
    out[group]!.push(pair);
  }
  return out.filter((g) => g.length > 0);
}
