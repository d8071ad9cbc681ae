/**
 * How long a replica read from the database is answered from memory. A replica follows its topic
 * (A6, event-carried state), so it always lags the owning service by the delivery time; this adds
 * at most this much for a change that ANOTHER instance of the service consumed (instances share the
 * consumer group, so only one of them stores each event). A change this process stores is seen at
 * once (`ReplicaMemo.invalidate`).
 */
export const REPLICA_MEMO_MAX_AGE_MS = 1_000;

/**
 * The whole content of a small replica collection (attributes, calendars: tens of documents) kept
 * in memory for the reads on every request, loaded again when older than `maxAgeMs` or when this
 * process stored a change. Concurrent reads share one load; a failed load is not kept. The value
 * is shared by every reader: treat it as read-only.
 */
export class ReplicaMemo<T> {
  private held: { loadedAt: number; value: Promise<T> } | null = null;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly maxAgeMs = REPLICA_MEMO_MAX_AGE_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    const now = this.clock();
    if (this.held !== null && now - this.held.loadedAt < this.maxAgeMs) return this.held.value;
    const held = { loadedAt: now, value: this.load() };
    this.held = held;
    held.value.catch(() => {
      if (this.held === held) this.held = null;
    });
    return held.value;
  }

  /**
   * This process stored a change: the next read loads again. A load already running is dropped
   * too (it may have read before the change), though readers already waiting on it get its answer.
   */
  invalidate(): void {
    this.held = null;
  }
}
