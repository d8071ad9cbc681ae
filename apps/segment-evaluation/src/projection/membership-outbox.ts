import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { AggregateLock, EventPublisher, type OutboxRelay } from '@lifecycle/messaging';
import { AccountProjectionRepository } from './account-projection.repository';
import type { AccountProjectionDocument } from './account-projection.schema';

/**
 * Publishes the `segment.entered` / `segment.exited` events that projection writes leave in
 * `account_projections.outbox`: at once after each write, and by a periodic sweep for whatever
 * a crash or an outage left behind.
 * The sweep only recovers what a crash or an outage left (each write flushes its own events at
 * once); it scans the whole collection on FerretDB, hence not every second.
 */
const SWEEP_INTERVAL_MS = 10_000;

@Injectable()
export class MembershipOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay<AccountProjectionDocument>;

  constructor(projections: AccountProjectionRepository, @Inject(EventPublisher) publisher: EventPublisher, lock: AggregateLock) {
    this.relay = projections.createOutboxRelay(publisher, lock, SWEEP_INTERVAL_MS);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  flushSoon(accountId: string): void {
    this.relay.flushSoon(accountId);
  }
}
