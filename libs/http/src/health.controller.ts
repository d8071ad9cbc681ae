import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ConsumersHealthIndicator } from './consumers-health';
import { KafkaHealthIndicator } from './kafka-health';
import { MongoHealthIndicator } from './mongo-health';
import { RedisHealthIndicator } from './redis-health';

/**
 * `/health` of a backend service (readiness): its database, Kafka, Redis and its event consumers
 * (503 with the reason when any is down or a consumer is not consuming or lags too far).
 * `/health/live` (liveness) answers 200 while the process serves HTTP.
 */
@ApiExcludeController()
@Controller('health')
export class ServiceHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongo: MongoHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly consumers: ConsumersHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.mongo.check('mongo'),
      () => this.kafka.check('kafka'),
      () => this.redis.check('redis'),
      () => this.consumers.check('consumers'),
    ]);
  }

  @Get('live')
  live() {
    return { status: 'ok' };
  }
}
