import { DEFAULT_LINGER_MS, FetchLinger, LINGER_BELOW } from './fetch-linger';

describe('the wait after a small fetch (FetchLinger)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  /** The fake milliseconds from the call of `after` to its end. */
  async function waited(linger: FetchLinger, live = () => true): Promise<number> {
    const start = Date.now();
    let end: number | null = null;
    void linger.after(live).then(() => (end = Date.now()));
    await jest.advanceTimersByTimeAsync(1_000);
    if (end === null) throw new Error('still waiting after 1 s');
    return end - start;
  }

  /** A new fetch whose batches hold these many records each. */
  function fetch(linger: FetchLinger, ...batches: number[]): void {
    linger.fetched();
    for (const records of batches) linger.started(records);
  }

  it(`waits ${DEFAULT_LINGER_MS} ms after a fetch of fewer than ${LINGER_BELOW} records, nothing after a larger one`, async () => {
    const linger = new FetchLinger();
    fetch(linger, LINGER_BELOW - 1);
    expect(await waited(linger)).toBe(DEFAULT_LINGER_MS);
    fetch(linger, LINGER_BELOW);
    expect(await waited(linger)).toBe(0);
    fetch(linger, 5_000);
    expect(await waited(linger)).toBe(0);
  });

  it("judges a fetch by all its batches' records: six small partition batches of a busy consumer do not wait", async () => {
    const linger = new FetchLinger();
    const part = Math.ceil(LINGER_BELOW / 6);
    fetch(linger, 1, 1, 1, LINGER_BELOW - 4);
    expect(await waited(linger)).toBe(DEFAULT_LINGER_MS);
    fetch(linger, part, part, part, part, part, part);
    expect(await waited(linger)).toBe(0);
    // The next fetch counts from nothing again.
    fetch(linger, 3);
    expect(await waited(linger)).toBe(DEFAULT_LINGER_MS);
  });

  it("adds the wait once per fetch: the fetch's later batches wait only for what is left of it", async () => {
    const linger = new FetchLinger(30);
    fetch(linger, 1, 2);
    const ends: number[] = [];
    const start = Date.now();
    void linger.after(() => true).then(() => ends.push(Date.now() - start));
    await jest.advanceTimersByTimeAsync(10);
    // A batch of the same fetch ending 10 ms later waits the 20 ms left.
    void linger.after(() => true).then(() => ends.push(Date.now() - start));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(ends).toEqual([30, 30]);
    // Batches after the time passed (a second wave of the same fetch) do not wait.
    linger.started(3);
    expect(await waited(linger)).toBe(0);
    // The next fetch sets a time of its own.
    fetch(linger, 3);
    expect(await waited(linger)).toBe(30);
  });

  it('does not wait when it is off or the consumer is stopping', async () => {
    const off = new FetchLinger(0);
    fetch(off, 1);
    expect(await waited(off)).toBe(0);
    const stopping = new FetchLinger();
    fetch(stopping, 1);
    expect(await waited(stopping, () => false)).toBe(0);
  });
});
