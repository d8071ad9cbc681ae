import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AggregateLock, EventPublisher, type OutboxRelay } from '@lifecycle/messaging';
import { AccountProjectionRepository } from './account-projection.repository';
import type { AccountProjectionDocument } from './account-projection.schema';

/**
 * The safety sweep for what a crash left: a pass over the whole collection on FerretDB (~0.1 ms
 * per account: 100 s at 1M), so every 30 minutes (and at start); failed publishes of this process
 * are retried by id every 2 s without a scan.
 */
const SAFETY_SWEEP_MS = 30 * 60_000;

/**
 * Publishes the `segment.entered` / `segment.exited` events that projection writes leave in
 * `account_projections.outbox`: at once after each write (`flushSoon`), or batch by batch from a
 * membership job (`flush`), with the relay's retries and sweeps for what an outage or a crash left.
 */
@Injectable()
export class MembershipOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay<AccountProjectionDocument>;

  constructor(projections: AccountProjectionRepository, @Inject(EventPublisher) publisher: EventPublisher, lock: AggregateLock) {
    this.relay = projections.createOutboxRelay(publisher, lock, { sweepEveryMs: SAFETY_SWEEP_MS });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  /** Publishes in the background; a failure is retried by the relay. */
  flushSoon(accountId: string): void {
    this.relay.flushSoon(accountId);
  }

  /** Publishes what the account's outbox holds now; false when it failed (the relay retries it). */
  async flush(accountId: string): Promise<boolean> {
    try {
      await this.relay.flush(accountId);
      return true;
    } catch {
      return false;
    }
  }
}
