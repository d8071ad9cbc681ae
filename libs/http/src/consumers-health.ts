import { type HealthIndicatorResult, type HealthIndicatorService } from '@nestjs/terminus';
import type { ConsumerRegistry, ConsumerStatus } from '@lifecycle/messaging';

/** The part of a consumer's status that `/health` shows: state, why not ready, lag per partition. */
function summary(status: ConsumerStatus) {
  return {
    groupId: status.groupId,
    state: status.state,
    since: status.since,
    ready: status.ready,
    reason: status.reason,
    restarts: status.restarts,
    lastError: status.lastError,
    totalLag: status.totalLag,
    lagAt: status.lagAt,
    lagError: status.lagError,
    maxReadyLag: status.maxReadyLag,
    partitions: status.lag.map((p) => ({ topic: p.topic, partition: p.partition, committed: p.committed, high: p.high, lag: p.lag })),
    processed: status.stats.processed,
    deadLettered: status.stats.deadLettered,
  };
}

/**
 * Readiness of a service's event consumers: down (503) while one is crashed, restarting, joining
 * its group, without any partition, or lagging beyond its bound — with the reason.
 */
export class ConsumersHealthIndicator {
  constructor(
    private readonly registry: Pick<ConsumerRegistry, 'statuses'>,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const statuses = await this.registry.statuses();
    const consumers = statuses.map(summary);
    const notReady = statuses.filter((s) => !s.ready);
    if (notReady.length === 0) return indicator.up({ consumers });
    return indicator.down({ message: notReady.map((s) => `${s.groupId}: ${s.reason}`).join('; '), consumers });
  }
}
