import { Logger } from '@nestjs/common';
import type { Collection, Document } from 'mongodb';
import { describeError } from './message-errors';
import type { AnyEnvelope, EventPublisher } from './event-publisher';

/** An aggregate document that carries the events of its last writes until they are published. */
export interface OutboxDocument extends Document {
  _id: string;
  outbox?: AnyEnvelope[];
}

/** The writers' per-aggregate lock (`AggregateLock` or a service's own). */
export interface WriterLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export interface OutboxRelayOptions {
  /** The writers' lock: removing published events must not race a writer's update (FerretDB). */
  lock?: WriterLock | null;
  /** Publishes that failed in this process are retried by `_id` (cheap) this often. */
  retryEveryMs?: number;
  /** The safety sweep for outboxes another process left (a crash): a collection scan on FerretDB. */
  sweepEveryMs?: number;
  /** The first sweep after `start()` (this process's own crash before). */
  firstSweepAfterMs?: number;
  /** Aggregates a sweep round publishes; a full round is followed by another. */
  sweepBatch?: number;
}

const DEFAULTS = { retryEveryMs: 2_000, sweepEveryMs: 10 * 60_000, firstSweepAfterMs: 1_000, sweepBatch: 200 };
/** A failed sweep is tried again after this, doubled per failure in a row, up to the maximum. */
const SWEEP_RETRY_MS = 5_000;
const SWEEP_RETRY_MAX_MS = 5 * 60_000;
/** Rounds of one sweep (bounded: under load new writes keep coming, and they flush themselves). */
const MAX_SWEEP_ROUNDS = 50;

/**
 * Transactional outbox without transactions: a write puts the aggregate's new state and its
 * events into the same document in one atomic update (`$push: { outbox: ... }`); the relay then
 * publishes them in order and removes exactly those (`$pullAll`, exact values — FerretDB v1
 * ignores `$pull` conditions). A crash between store and publish loses nothing (a sweep finds
 * the document); a crash between publish and removal publishes again, and consumers dedupe by id.
 *
 * When it publishes (`start()`):
 * - right after each write (`flushSoon` / `flush`, chained per aggregate: its events stay in order);
 * - a publish that failed here (broker or database down) is remembered and retried by `_id` every
 *   `retryEveryMs` until it passes — no scan;
 * - a sweep (`outbox.0` exists: a collection scan on FerretDB, which has no partial indexes) at
 *   start and every `sweepEveryMs`, for what another process's crash left; a failed sweep is
 *   retried with backoff. A sweep every second, as before, kept FerretDB scanning without pause
 *   at 100k aggregates.
 */
export class OutboxRelay<T extends OutboxDocument> {
  private readonly logger: Logger;
  private readonly options: Required<Omit<OutboxRelayOptions, 'lock'>>;
  private readonly lock: WriterLock | null;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Ids whose last publish failed in this process, in the order they failed. */
  private readonly failed = new Set<string>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  private retrying: Promise<void> | null = null;
  private sweepFailures = 0;
  private started = false;

  constructor(
    private readonly collection: Collection<T>,
    private readonly publisher: EventPublisher,
    options: OutboxRelayOptions = {},
  ) {
    this.logger = new Logger(`OutboxRelay:${collection.collectionName}`);
    const { lock = null, ...timing } = options;
    this.lock = lock;
    this.options = { ...DEFAULTS, ...timing };
  }

  /** Publishes what the document holds now, and waits; a failure is also left to the retries. */
  flush(id: string): Promise<void> {
    const previous = this.inFlight.get(id) ?? Promise.resolve();
    // After the previous flush of this aggregate whatever its outcome (a failure is retried apart).
    const next = previous.catch(() => undefined).then(() => this.publishPending(id));
    const tracked = next.then(
      () => {
        this.failed.delete(id);
      },
      (e: unknown) => {
        this.failed.add(id);
        throw e;
      },
    );
    const settled = tracked.finally(() => {
      if (this.inFlight.get(id) === settled) this.inFlight.delete(id);
    });
    this.inFlight.set(id, settled);
    return settled;
  }

  /** Publishes in the background; a failure is retried by the relay. */
  flushSoon(id: string): void {
    this.flush(id).catch((e: unknown) => this.logger.warn(`publish of ${id} failed, retrying: ${describeError(e)}`));
  }

  /** Ids of up to `limit` aggregates with events still to publish (a scan on FerretDB). */
  async pendingIds(limit: number): Promise<string[]> {
    const docs = await this.collection
      .find({ 'outbox.0': { $exists: true } } as never, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    return docs.map((doc) => doc._id);
  }

  /**
   * Publishes every pending outbox: rounds of `sweepBatch` while a round is full. Returns how many
   * aggregates it flushed; throws when the database or the broker failed (nothing is lost).
   */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepRounds().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.scheduleSweep(this.options.firstSweepAfterMs);
    this.retryTimer = setInterval(() => {
      this.retrying ??= this.retryFailed().finally(() => {
        this.retrying = null;
      });
    }, this.options.retryEveryMs);
    this.retryTimer.unref();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.sweepTimer = null;
    this.retryTimer = null;
    await Promise.allSettled([this.sweeping, this.retrying, ...this.inFlight.values()]);
  }

  private async publishPending(id: string): Promise<void> {
    const doc = await this.collection.findOne({ _id: id } as never, { projection: { outbox: 1 } });
    const pending = (doc?.outbox ?? []) as AnyEnvelope[];
    if (pending.length === 0) return;
    await this.publisher.publishEnvelopes(pending);
    const remove = () => this.collection.updateOne({ _id: id } as never, { $pullAll: { outbox: pending } } as never);
    await (this.lock ? this.lock.run(id, remove) : remove());
  }

  private async sweepRounds(): Promise<number> {
    let flushed = 0;
    for (let round = 0; round < MAX_SWEEP_ROUNDS; round++) {
      const ids = await this.pendingIds(this.options.sweepBatch);
      for (const id of ids) await this.flush(id);
      flushed += ids.length;
      if (ids.length < this.options.sweepBatch) break;
    }
    return flushed;
  }

  private scheduleSweep(delayMs: number): void {
    if (!this.started) return;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      void this.sweep().then(
        () => {
          this.sweepFailures = 0;
          this.scheduleSweep(this.options.sweepEveryMs);
        },
        (e: unknown) => {
          this.sweepFailures += 1;
          const delay = Math.min(SWEEP_RETRY_MS * 2 ** Math.min(this.sweepFailures - 1, 10), SWEEP_RETRY_MAX_MS);
          this.logger.warn(`outbox sweep failed (next in ${Math.round(delay / 1000)} s): ${describeError(e)}`);
          this.scheduleSweep(delay);
        },
      );
    }, delayMs);
    this.sweepTimer.unref();
  }

  /** In the order they failed; the first that fails again ends the round (still down). */
  private async retryFailed(): Promise<void> {
    for (const id of [...this.failed]) {
      if (!this.started) return;
      try {
        await this.flush(id);
      } catch {
        return;
      }
    }
  }
}
