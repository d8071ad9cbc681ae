import { DEFAULT_LINGER_MS, FetchLinger } from './fetch-linger';

describe('the wait after a small batch (FetchLinger)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  /** The fake milliseconds from the call of `after` to its end. */
  async function waited(linger: FetchLinger, records: number, live = () => true): Promise<number> {
    const start = Date.now();
    let end: number | null = null;
    void linger.after(records, live).then(() => (end = Date.now()));
    await jest.advanceTimersByTimeAsync(1_000);
    if (end === null) throw new Error('still waiting after 1 s');
    return end - start;
  }

  it(`waits ${DEFAULT_LINGER_MS} ms after a small batch, nothing after a batch of 100 records or more`, async () => {
    const linger = new FetchLinger();
    linger.fetched();
    expect(await waited(linger, 99)).toBe(DEFAULT_LINGER_MS);
    linger.fetched();
    expect(await waited(linger, 100)).toBe(0);
    expect(await waited(linger, 5_000)).toBe(0);
  });

  it("adds the wait once per fetch: the fetch's later batches wait only for what is left of it", async () => {
    const linger = new FetchLinger(30);
    linger.fetched();
    const ends: number[] = [];
    const start = Date.now();
    void linger.after(1, () => true).then(() => ends.push(Date.now() - start));
    await jest.advanceTimersByTimeAsync(10);
    // A batch of the same fetch ending 10 ms later waits the 20 ms left.
    void linger.after(2, () => true).then(() => ends.push(Date.now() - start));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(ends).toEqual([30, 30]);
    // Batches after the time passed (a second wave of the same fetch) do not wait.
    expect(await waited(linger, 3)).toBe(0);
    // The next fetch sets a time of its own.
    linger.fetched();
    expect(await waited(linger, 3)).toBe(30);
  });

  it('does not wait when it is off or the consumer is stopping', async () => {
    const off = new FetchLinger(0);
    off.fetched();
    expect(await waited(off, 1)).toBe(0);
    const stopping = new FetchLinger();
    stopping.fetched();
    expect(await waited(stopping, 1, () => false)).toBe(0);
  });
});
