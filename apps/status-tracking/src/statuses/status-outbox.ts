import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EventPublisher, type OutboxRelay } from '@lifecycle/messaging';
import { LifecycleStateLocks } from './lifecycle-state-locks';
import { LifecycleStateRepository } from './lifecycle-state.repository';
import type { LifecycleStateDocument } from './lifecycle-state.schema';

/**
 * Publishes the events that state writes leave in `lifecycle_states.outbox`: right after each
 * write; a failed publish is retried by id every 2 s; what a crash left is found by the relay's
 * sweep at start and every 10 minutes (a collection scan on FerretDB, hence rare). The removal of
 * published events runs under the state's lock (it is a write).
 */
@Injectable()
export class StatusOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay<LifecycleStateDocument>;

  constructor(states: LifecycleStateRepository, locks: LifecycleStateLocks, @Inject(EventPublisher) publisher: EventPublisher) {
    this.relay = states.createOutboxRelay(publisher, locks);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  /** Publishes and removes the pending events of a state, and waits. */
  flush(stateId: string): Promise<void> {
    return this.relay.flush(stateId);
  }

  flushSoon(stateId: string): void {
    this.relay.flushSoon(stateId);
  }
}
