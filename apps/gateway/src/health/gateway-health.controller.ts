import { Controller, Get, Inject, type OnApplicationShutdown } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { MongoClient } from 'mongodb';
import { GATEWAY_CONFIG, type GatewayConfig } from '@lifecycle/config';
import { KafkaHealthIndicator, MongoHealthIndicator, RedisHealthIndicator } from '@lifecycle/http';

/** What a service's `/health` answers (terminus), as far as the gateway reads it. */
interface ServiceHealthBody {
  details?: Record<string, { status: string; message?: string; consumers?: unknown[] }>;
}

/**
 * `/health`: Kafka, Mongo, Redis and each service behind the gateway, with every service's
 * consumers (503 when any is down or not ready).
 */
@ApiExcludeController()
@Controller('health')
export class GatewayHealthController implements OnApplicationShutdown {
  private readonly mongo: MongoClient;
  private readonly mongoHealth: MongoHealthIndicator;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.mongo = new MongoClient(config.mongo.url, { serverSelectionTimeoutMS: 2_000 });
    this.mongoHealth = new MongoHealthIndicator(() => this.mongo.db().command({ ping: 1 }), indicators);
  }

  /**
   * A service is up when its own `/health` (readiness) answers 200; either way its consumers —
   * state, reason and lag per topic-partition — are shown here.
   */
  private async serviceCheck(name: string, url: string) {
    const indicator = this.indicators.check(name);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3_000) });
      const body = (await res.json().catch(() => null)) as ServiceHealthBody | null;
      const consumers = body?.details?.consumers?.consumers ?? [];
      if (res.ok) return indicator.up({ consumers });
      const down = Object.entries(body?.details ?? {})
        .filter(([, v]) => v.status !== 'up')
        .map(([k, v]) => `${k}: ${v.message ?? 'down'}`);
      return indicator.down({ message: `answered ${res.status}${down.length ? ` (${down.join('; ')})` : ''}`, consumers });
    } catch (e) {
      return indicator.down({ message: (e as Error).message });
    }
  }

  @Get()
  @HealthCheck()
  check() {
    const { catalog, tracking, cycles, segments } = this.config.upstreams;
    return this.health.check([
      () => this.kafka.check('kafka'),
      () => this.mongoHealth.check('mongo'),
      () => this.redis.check('redis'),
      () => this.serviceCheck('attribute-catalog', catalog),
      () => this.serviceCheck('status-tracking', tracking),
      () => this.serviceCheck('cycle-planning', cycles),
      () => this.serviceCheck('segment-evaluation', segments),
    ]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.mongo.close();
  }
}
