import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { describeError, EventPublisher, type OutboxRelay } from '@lifecycle/messaging';
import { AccountCyclesRepository } from './account-cycles.repository';
import type { AccountCyclesDocument } from './account-cycles.schema';
import { AccountWriteLock } from './account-write-lock';

const SWEEP_EVERY_MS = 1_000;
const SWEEP_BATCH = 200;

/**
 * Publishes the events that writes leave in `account_cycles.outbox`: right after each write, and
 * by a periodic sweep for whatever a crash or an outage left behind. Every flush of an account
 * runs under the account's write lock (see `AccountWriteLock`), which is why the sweep is driven
 * from here rather than by the relay's own timer.
 */
@Injectable()
export class CycleOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(CycleOutbox.name);
  private readonly relay: OutboxRelay<AccountCyclesDocument>;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  /** Flushes queued or running (they wait for the account's lock), awaited at shutdown. */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly cycles: AccountCyclesRepository,
    private readonly lock: AccountWriteLock,
    @Inject(EventPublisher) publisher: EventPublisher,
  ) {
    this.relay = cycles.createOutboxRelay(publisher);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .then(() => undefined)
        .catch((e: unknown) => this.logger.warn(`outbox sweep failed: ${describeError(e)}`))
        .finally(() => {
          this.sweeping = null;
        });
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.relay.stop();
  }

  /** Publishes in the background; a failure is left to the sweep. */
  flushSoon(accountId: string): void {
    this.flush(accountId).catch((e: unknown) => this.logger.warn(`publish of ${accountId} deferred to the sweep: ${describeError(e)}`));
  }

  /** Publishes what the account's document holds now, and waits. */
  flush(accountId: string): Promise<void> {
    const flushed = this.lock.run(accountId, () => this.relay.flush(accountId));
    this.pending.add(flushed);
    void flushed.finally(() => this.pending.delete(flushed)).catch(() => undefined);
    return flushed;
  }

  /** Publishes every pending outbox (after a crash, or when the fast path failed). */
  async sweep(): Promise<number> {
    const ids = await this.cycles.accountsWithPendingEvents(SWEEP_BATCH);
    for (const id of ids) await this.flush(id);
    return ids.length;
  }
}
