import { ReplicaMemo } from './replica-memo';

/** A loader that counts its calls and answers the load's number. */
function counting(): { load: () => Promise<number>; calls: () => number } {
  let calls = 0;
  return { load: () => Promise.resolve(++calls), calls: () => calls };
}

describe('ReplicaMemo', () => {
  it('answers from memory while younger than its max age, then loads again', async () => {
    let now = 1_000;
    const loader = counting();
    const memo = new ReplicaMemo(loader.load, 500, () => now);
    expect(await memo.get()).toBe(1);
    now += 499;
    expect(await memo.get()).toBe(1);
    now += 1;
    expect(await memo.get()).toBe(2);
    expect(loader.calls()).toBe(2);
  });

  it('loads again at once after invalidate (a change this process stored)', async () => {
    const loader = counting();
    const memo = new ReplicaMemo(loader.load, 60_000, () => 0);
    expect(await memo.get()).toBe(1);
    memo.invalidate();
    expect(await memo.get()).toBe(2);
  });

  it('shares one load between concurrent reads, and drops a load that was running when invalidated', async () => {
    const loader = counting();
    const memo = new ReplicaMemo(loader.load, 60_000, () => 0);
    const [a, b] = [memo.get(), memo.get()];
    memo.invalidate();
    const c = memo.get();
    expect(await Promise.all([a, b, c])).toEqual([1, 1, 2]);
    expect(await memo.get()).toBe(2);
  });

  it('keeps no failed load: the next read tries again', async () => {
    let fail = true;
    const memo = new ReplicaMemo(
      () => (fail ? Promise.reject(new Error('down')) : Promise.resolve('up')),
      60_000,
      () => 0,
    );
    await expect(memo.get()).rejects.toThrow('down');
    fail = false;
    await expect(memo.get()).resolves.toBe('up');
  });
});
