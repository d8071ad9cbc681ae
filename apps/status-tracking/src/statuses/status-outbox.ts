import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { describeError, EventPublisher, type OutboxRelay } from '@lifecycle/messaging';
import { LifecycleStateLocks } from './lifecycle-state-locks';
import { LifecycleStateRepository } from './lifecycle-state.repository';
import type { LifecycleStateDocument } from './lifecycle-state.schema';

/** Retry of publishes that failed in this process (broker down): cheap, by _id. */
const RETRY_EVERY_MS = 2_000;
/**
 * Safety net for outboxes left by a crash of another instance: a sweep finds them with a query on
 * `outbox.0`, a collection scan (no partial indexes on FerretDB), so it runs at start and rarely.
 */
const SWEEP_EVERY_MS = 10 * 60_000;
const SWEEP_BATCH = 200;

/**
 * Publishes the events that state writes leave in `lifecycle_states.outbox`: right after each
 * write; failures are retried from memory; a crash is covered by the sweep at the next start.
 * The relay's own timer is not started: its sweep would write outside the state locks.
 */
@Injectable()
export class StatusOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(StatusOutbox.name);
  private readonly relay: OutboxRelay<LifecycleStateDocument>;
  private readonly failed = new Set<string>();
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly states: LifecycleStateRepository,
    private readonly locks: LifecycleStateLocks,
    @Inject(EventPublisher) publisher: EventPublisher,
  ) {
    this.relay = states.createOutboxRelay(publisher);
  }

  onApplicationBootstrap(): void {
    this.timers = [
      setTimeout(() => void this.sweepAll(), 1_000),
      setInterval(() => void this.retryFailed(), RETRY_EVERY_MS),
      setInterval(() => void this.sweepAll(), SWEEP_EVERY_MS),
    ];
    for (const timer of this.timers) timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    await this.relay.stop();
  }

  /** Publishes and removes the pending events of a state (under its lock: the removal is a write). */
  flush(stateId: string): Promise<void> {
    return this.locks.run(stateId, () => this.relay.flush(stateId));
  }

  flushSoon(stateId: string): void {
    this.flush(stateId).catch((e: unknown) => {
      this.failed.add(stateId);
      this.logger.warn(`publish of ${stateId} failed, retrying: ${describeError(e)}`);
    });
  }

  private async retryFailed(): Promise<void> {
    for (const id of [...this.failed]) {
      try {
        await this.flush(id);
        this.failed.delete(id);
      } catch {
        return; // still failing: wait for the next round
      }
    }
  }

  private async sweepAll(): Promise<void> {
    try {
      // Another round while a round found a full batch (bounded: under load, new writes keep coming).
      for (let round = 0; round < 50; round++) {
        const ids = await this.states.withPendingEvents(SWEEP_BATCH);
        for (const id of ids) await this.flush(id);
        if (ids.length < SWEEP_BATCH) return;
      }
    } catch (e) {
      this.logger.warn(`outbox sweep failed: ${describeError(e)}`);
    }
  }
}
