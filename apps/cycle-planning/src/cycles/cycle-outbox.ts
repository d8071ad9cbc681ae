import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EventPublisher, type OutboxRelay } from '@lifecycle/messaging';
import { AccountCyclesRepository } from './account-cycles.repository';
import type { AccountCyclesDocument } from './account-cycles.schema';
import { AccountWriteLock } from './account-write-lock';

/**
 * Publishes the events that writes leave in `account_cycles.outbox`: right after each write; a
 * failed publish is retried by id every 2 s; what a crash left is found by the relay's sweep at
 * start and every 10 minutes. The removal of published events runs under the account's write lock
 * (see `AccountWriteLock`). The sweep is rare because on FerretDB it is a collection scan: every
 * second, it would scan without pause beside the propagation jobs at 100k accounts.
 */
@Injectable()
export class CycleOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay<AccountCyclesDocument>;

  constructor(cycles: AccountCyclesRepository, lock: AccountWriteLock, @Inject(EventPublisher) publisher: EventPublisher) {
    this.relay = cycles.createOutboxRelay(publisher, lock);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  /** Waits for the publishes in progress (before the producer and the database close). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  /** Publishes in the background; a failure is retried by the relay. */
  flushSoon(accountId: string): void {
    this.relay.flushSoon(accountId);
  }

  /** Publishes what the account's document holds now, and waits. */
  flush(accountId: string): Promise<void> {
    return this.relay.flush(accountId);
  }
}
