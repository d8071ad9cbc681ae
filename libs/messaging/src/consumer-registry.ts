import type { ConsumerStatus } from './event-consumer';

/** Something that can report the status of its Kafka consumer (the service's event server). */
export interface ConsumerStatusSource {
  consumerStatus(): Promise<ConsumerStatus | null>;
}

/**
 * The consumers of one service process, for its health check: readiness follows their state and
 * lag. One per service (a global provider of MessagingModule).
 */
export class ConsumerRegistry {
  private readonly sources: ConsumerStatusSource[] = [];

  add(source: ConsumerStatusSource): void {
    this.sources.push(source);
  }

  async statuses(): Promise<ConsumerStatus[]> {
    const all = await Promise.all(this.sources.map((s) => s.consumerStatus()));
    return all.filter((s): s is ConsumerStatus => s !== null);
  }
}
