import { mergedLookup, TurnBatcher } from './turn-batcher';

/** A `runMany` that records each call and answers every item with `item * 10`, or fails on a negative item. */
function recorder() {
  const calls: number[][] = [];
  const runMany = (items: readonly number[]): Promise<number[]> => {
    calls.push([...items]);
    return items.some((i) => i < 0) ? Promise.reject(new Error('store down')) : Promise.resolve(items.map((i) => i * 10));
  };
  return { calls, runMany };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TurnBatcher', () => {
  it("merges the calls of one turn into one, each caller getting its own items' outcomes in its order", async () => {
    const { calls, runMany } = recorder();
    const batcher = new TurnBatcher(runMany, 100);
    const results = await Promise.all([batcher.submit([1, 2]), batcher.submit([3]), batcher.submit([4, 5, 6])]);
    expect(calls).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect(results).toEqual([[10, 20], [30], [40, 50, 60]]);
  });

  it('calls apart for calls made in different turns', async () => {
    const { calls, runMany } = recorder();
    const batcher = new TurnBatcher(runMany, 100);
    const first = batcher.submit([1]);
    await nextTurn();
    const second = batcher.submit([2]);
    expect(await Promise.all([first, second])).toEqual([[10], [20]]);
    expect(calls).toEqual([[1], [2]]);
  });

  it('starts another call when a group would exceed its size', async () => {
    const { calls, runMany } = recorder();
    const batcher = new TurnBatcher(runMany, 3);
    const results = await Promise.all([batcher.submit([1, 2]), batcher.submit([3, 4]), batcher.submit([5])]);
    expect(calls).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    expect(results).toEqual([[10, 20], [30, 40], [50]]);
  });

  it("fails every caller of a failed call, and not the next group's", async () => {
    const { runMany } = recorder();
    const batcher = new TurnBatcher(runMany, 100);
    const failed = [batcher.submit([1]), batcher.submit([-1])];
    await expect(failed[0]).rejects.toThrow('store down');
    await expect(failed[1]).rejects.toThrow('store down');
    expect(await batcher.submit([2])).toEqual([20]);
  });

  it('answers an empty call at once without calling', async () => {
    const { calls, runMany } = recorder();
    expect(await new TurnBatcher(runMany, 10).submit([])).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe('mergedLookup', () => {
  /** A `getMany` that records each call and finds every id but `missing`. */
  function store() {
    const calls: string[][] = [];
    const getMany = (ids: readonly string[]) => {
      calls.push([...ids]);
      return Promise.resolve(new Map(ids.filter((id) => id !== 'missing').map((id) => [id, `doc of ${id}`])));
    };
    return { calls, lookup: mergedLookup(getMany) };
  }

  it("reads the look-ups of one turn at once, each caller getting its own id's answer", async () => {
    const { calls, lookup } = store();
    expect(await Promise.all([lookup('a'), lookup('missing'), lookup('b'), lookup('a')])).toEqual([
      'doc of a',
      undefined,
      'doc of b',
      'doc of a',
    ]);
    expect(calls).toEqual([['a', 'missing', 'b', 'a']]);
  });

  it('reads apart the look-ups of different turns', async () => {
    const { calls, lookup } = store();
    expect(await lookup('a')).toBe('doc of a');
    expect(await lookup('b')).toBe('doc of b');
    expect(calls).toEqual([['a'], ['b']]);
  });
});
