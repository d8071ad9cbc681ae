import { Controller, Get, Inject, type OnApplicationShutdown } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { MongoClient } from 'mongodb';
import { GATEWAY_CONFIG, type GatewayConfig } from '@lifecycle/config';
import { KafkaHealthIndicator, MongoHealthIndicator, RedisHealthIndicator } from '@lifecycle/http';

/** `/health`: Kafka, Mongo, Redis and each service behind the gateway (503 when any is down). */
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

  private async serviceCheck(name: string, url: string) {
    const indicator = this.indicators.check(name);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3_000) });
      return res.ok ? indicator.up() : indicator.down({ message: `answered ${res.status}` });
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
