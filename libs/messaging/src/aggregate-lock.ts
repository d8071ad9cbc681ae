/**
 * Serializes work on one aggregate (an account, an attribute) inside this process.
 *
 * Why: FerretDB v1.24 applies updates as read-modify-write without locking, on both its SQLite
 * and PostgreSQL backends (measured here: 8 concurrent `findOneAndUpdate({ _id, version: 1 })`
 * had several winners in 18–19 of 20 rounds; concurrent `$inc`/`$push` lost writes in 20 of
 * 20). Unique inserts stay atomic. So every read-modify-write of an aggregate, and the outbox
 * relay's removal of published events, runs under this lock; the version condition stays in the
 * update so several instances against a real MongoDB remain safe.
 * Kafka already delivers one account's events to one consumer (key → partition); the lock covers
 * REST and CSV writes racing them, and the relay.
 */
export class AggregateLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /**
   * Runs `work` holding the locks of several keys (a job's batch write). They are taken in key
   * order, so two batches cannot deadlock; every other holder takes one lock at a time.
   */
  async runAll<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const ordered = [...new Set(keys)].sort();
    const acquire = (i: number): Promise<T> => (i === ordered.length ? work() : this.run(ordered[i]!, () => acquire(i + 1)));
    return acquire(0);
  }

  /** Keys currently locked or waited for (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}
