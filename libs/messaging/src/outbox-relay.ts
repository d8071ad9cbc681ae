import { Logger } from '@nestjs/common';
import type { Collection, Document } from 'mongodb';
import { describeError } from './message-errors';
import type { AnyEnvelope, EventPublisher } from './event-publisher';
import type { AggregateLock } from './aggregate-lock';

/** An aggregate document that carries the events of its last writes until they are published. */
export interface OutboxDocument extends Document {
  _id: string;
  outbox?: AnyEnvelope[];
}

/**
 * Transactional outbox without transactions: a write puts the aggregate's new state and its
 * events into the same document in one atomic update (`$push: { outbox: ... }`); the relay then
 * publishes them in order and removes exactly those (`$pullAll`, exact values — FerretDB v1
 * ignores `$pull` conditions). A crash between store and publish loses nothing (the sweep finds
 * the document); a crash between publish and removal publishes again, and consumers dedupe by id.
 */
export class OutboxRelay<T extends OutboxDocument> {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Map<string, Promise<void>>();
  private sweeping = false;

  constructor(
    private readonly collection: Collection<T>,
    private readonly publisher: EventPublisher,
    private readonly intervalMs = 1_000,
    /** The writers' lock: removing published events must not race a writer's update (FerretDB). */
    private readonly lock: AggregateLock | null = null,
  ) {
    this.logger = new Logger(`OutboxRelay:${collection.collectionName}`);
  }

  /** Publishes what the document holds now (the fast path right after a write). */
  flush(id: string): Promise<void> {
    const previous = this.inFlight.get(id) ?? Promise.resolve();
    const next = previous.then(() => this.publishPending(id));
    const tracked = next.finally(() => {
      if (this.inFlight.get(id) === tracked) this.inFlight.delete(id);
    });
    this.inFlight.set(id, tracked);
    return tracked;
  }

  /** Flushes in the background; a failure is left to the sweep. */
  flushSoon(id: string): void {
    this.flush(id).catch((e: unknown) => this.logger.warn(`publish of ${id} deferred to the sweep: ${describeError(e)}`));
  }

  private async publishPending(id: string): Promise<void> {
    const doc = await this.collection.findOne({ _id: id } as never, { projection: { outbox: 1 } });
    const pending = (doc?.outbox ?? []) as AnyEnvelope[];
    if (pending.length === 0) return;
    await this.publisher.publishEnvelopes(pending);
    const remove = () => this.collection.updateOne({ _id: id } as never, { $pullAll: { outbox: pending } } as never);
    await (this.lock ? this.lock.run(id, remove) : remove());
  }

  /** Publishes every pending outbox (after a crash, or when the fast path failed). */
  async sweep(batch = 200): Promise<number> {
    if (this.sweeping) return 0;
    this.sweeping = true;
    try {
      const docs = await this.collection
        .find({ 'outbox.0': { $exists: true } } as never, { projection: { _id: 1 } })
        .limit(batch)
        .toArray();
      for (const doc of docs) await this.flush(doc._id);
      return docs.length;
    } finally {
      this.sweeping = false;
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.sweep().catch((e: unknown) => this.logger.warn(`outbox sweep failed: ${describeError(e)}`));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight.values()]);
  }
}
