import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { describeError, EventPublisher, OutboxRelay } from '@lifecycle/messaging';
import type { AttributeRevisionRecord } from './attribute.schema';
import { AttributesRepository } from './attributes.repository';

/**
 * Publishes the `lifecycle.attributes` events that changes leave in their revision's `outbox`
 * (docs/architecture.md: never publish directly after a write). `flushSoon` is the fast path after
 * each change, chained per attribute so that its events leave in version order; the relay's
 * periodic sweep publishes whatever a crash or a broker outage left behind.
 */
@Injectable()
export class AttributeEventsRelay implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AttributeEventsRelay.name);
  private readonly relay: OutboxRelay<AttributeRevisionRecord>;
  private readonly chains = new Map<string, Promise<void>>();

  constructor(repository: AttributesRepository, @Inject(EventPublisher) publisher: EventPublisher) {
    // The revisions collection is small (a scan is cheap): swept every second, beside the retries.
    this.relay = new OutboxRelay(repository.outboxCollection(), publisher, { sweepEveryMs: 1_000 });
  }

  onModuleInit(): void {
    this.relay.start();
  }

  flushSoon(key: string, revisionId: string): void {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.relay.flush(revisionId))
      .catch((e: unknown) => this.logger.warn(`publish of ${revisionId} deferred to the sweep: ${describeError(e)}`));
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  /** Before the producer and the database connection close (they do on application shutdown). */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
    await this.relay.stop();
  }
}
