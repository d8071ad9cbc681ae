/**
 * Serializes work on one aggregate (an account, an attribute) inside this process; one instance
 * per service (`StorageModule`), shared by its writers and its `Outbox`.
 *
 * Why: on an engine without atomic single-document updates (`EngineCapabilities.atomicUpdates`,
 * docs/architecture.md) two concurrent updates of one document can both "match" a version
 * condition or lose one `$inc`/`$push`; unique inserts stay atomic everywhere. So every
 * read-modify-write of an aggregate, and the outbox's removal of published events, runs under
 * this lock; the version condition stays in the update so several instances against an engine
 * with atomic updates remain safe. Kafka already delivers one account's events to one consumer
 * (key → partition); the lock covers REST and CSV writes racing them, jobs, and the outbox.
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
   * Runs `work` holding the locks of several keys (a job's batch write). It queues on all of them
   * at once (synchronously, so nothing else queues in between) and starts when every holder before
   * it is done: a holder only ever waits for those that queued earlier, so batches cannot deadlock.
   */
  async runAll<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const queued = [...new Set(keys)].map((key) => {
      const previous = this.tails.get(key);
      const tail = previous === undefined ? current : previous.then(() => current);
      this.tails.set(key, tail);
      return { key, previous, tail };
    });
    await Promise.all(queued.map((q) => q.previous));
    try {
      return await work();
    } finally {
      release();
      for (const { key, tail } of queued) if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys currently locked or waited for (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}
