import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AggregateLock, describeError, EventPublisher, type OutboxRelay } from '@lifecycle/messaging';
import { AccountProjectionRepository } from './account-projection.repository';
import type { AccountProjectionDocument } from './account-projection.schema';

/** Accounts whose pending events one sweep publishes; a full batch means more may be left. */
const SWEEP_BATCH = 200;
/** With nothing known to be pending: a safety sweep (events another instance's crash left behind). */
const SAFETY_SWEEP_MS = 30 * 60_000;
/** After a failed publish or sweep: the first retry, doubled per failure up to the maximum. */
const RETRY_SWEEP_MS = 5_000;
const MAX_RETRY_SWEEP_MS = 5 * 60_000;

/**
 * Publishes the `segment.entered` / `segment.exited` events that projection writes leave in
 * `account_projections.outbox`: at once after each write (`flushSoon`, or `flush` batch by batch
 * from a job), and by a sweep for whatever a crash or an outage left behind.
 * A sweep is a pass over the whole collection on FerretDB (~0.1 ms per account: 100 s at 1M), so it
 * is not run every few seconds: at start (a crash of this process), soon after a publish failed
 * (with backoff while the broker or the database is down), and every 30 minutes as a safety net.
 */
@Injectable()
export class MembershipOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MembershipOutbox.name);
  private readonly relay: OutboxRelay<AccountProjectionDocument>;
  private timer: NodeJS.Timeout | null = null;
  private nextSweepAt = Number.POSITIVE_INFINITY;
  private sweeping: Promise<void> | null = null;
  private sweepAgain = false;
  /** Sweeps failed in a row (the backoff; failed single publishes only ask for a sweep). */
  private failures = 0;
  private stopped = false;

  constructor(projections: AccountProjectionRepository, @Inject(EventPublisher) publisher: EventPublisher, lock: AggregateLock) {
    // The relay's own periodic sweep is not started (`relay.start()`): this class schedules sweeps.
    this.relay = projections.createOutboxRelay(publisher, lock);
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.sweeping;
    await this.relay.stop();
  }

  /** Publishes in the background; a failure leaves the events to a sweep scheduled soon. */
  flushSoon(accountId: string): void {
    void this.flush(accountId);
  }

  /** Publishes what the account's outbox holds now; false when it failed (a sweep will retry). */
  async flush(accountId: string): Promise<boolean> {
    try {
      await this.relay.flush(accountId);
      return true;
    } catch (e) {
      this.logger.warn(`publish of ${accountId} deferred to a sweep: ${describeError(e)}`);
      this.schedule(this.retryDelay());
      return false;
    }
  }

  /** Plans a sweep in `delayMs` unless one is planned sooner. */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    if (this.timer !== null && this.nextSweepAt <= at) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.nextSweepAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nextSweepAt = Number.POSITIVE_INFINITY;
      this.startSweep();
    }, delayMs);
    this.timer.unref();
  }

  private startSweep(): void {
    if (this.sweeping !== null) {
      this.sweepAgain = true;
      return;
    }
    this.sweeping = this.sweep().finally(() => {
      this.sweeping = null;
      if (this.sweepAgain) {
        this.sweepAgain = false;
        this.schedule(this.retryDelay());
      }
    });
  }

  private async sweep(): Promise<void> {
    try {
      while (!this.stopped && (await this.relay.sweep(SWEEP_BATCH)) >= SWEEP_BATCH) {
        // A full batch: more accounts may have pending events.
      }
      this.failures = 0;
      this.schedule(SAFETY_SWEEP_MS);
    } catch (e) {
      this.failures += 1;
      const delay = this.retryDelay();
      this.logger.warn(`outbox sweep failed (next in ${Math.round(delay / 1000)} s): ${describeError(e)}`);
      this.schedule(delay);
    }
  }

  private retryDelay(): number {
    return Math.min(RETRY_SWEEP_MS * 2 ** Math.min(this.failures, 10), MAX_RETRY_SWEEP_MS);
  }
}
