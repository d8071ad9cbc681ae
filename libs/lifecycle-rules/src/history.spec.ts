import type { HistoryEntry } from './history';
import { sortHistory } from './history';
import { day } from './rule-cases.fixture';

describe('sortHistory (L11)', () => {
  it('orders by at, then seq, then changeId, without touching the input', () => {
    const input: HistoryEntry[] = [
      { changeId: 'd', seq: 0, to: 'x', at: day(2) },
      { changeId: 'a', seq: 3, to: 'x', at: day(1) },
      { changeId: 'c', seq: 2, to: null, at: day(1) },
      { changeId: 'b', seq: 2, to: 'y', at: day(1) },
    ];
    expect(sortHistory(input).map((c) => c.changeId)).toEqual(['b', 'c', 'a', 'd']);
    expect(input.map((c) => c.changeId)).toEqual(['d', 'a', 'c', 'b']);
  });
});
