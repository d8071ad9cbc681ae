import { Injectable } from '@nestjs/common';

/**
 * Serializes the writes of one account document within this process: cycle changes and the
 * outbox relay's removal of published events. The versioned update is the real guard between
 * processes on MongoDB, but FerretDB v1 (SQLite) runs an update as read-modify-write in separate
 * transactions, so two concurrent updates of one document can lose one of them (a `$pullAll` of
 * published events racing a write that pushes new ones would drop the new events, or publish the
 * old ones twice); queuing them here prevents that within a process and spares the retries.
 */
@Injectable()
export class AccountWriteLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(accountId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(accountId) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(work);
    const tail = current.catch(() => undefined);
    this.tails.set(accountId, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(accountId) === tail) this.tails.delete(accountId);
    }
  }

  /**
   * Runs `work` holding the locks of several accounts (a job's batch write). They are taken in id
   * order, so two batches cannot deadlock; every other holder takes one lock at a time.
   */
  async runAll<T>(accountIds: readonly string[], work: () => Promise<T>): Promise<T> {
    const ids = [...new Set(accountIds)].sort();
    const acquire = (i: number): Promise<T> => (i === ids.length ? work() : this.run(ids[i]!, () => acquire(i + 1)));
    return acquire(0);
  }
}
