import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { KafkaHealthIndicator } from './kafka-health';
import { RedisHealthIndicator } from './redis-health';

/** `/health` of a backend service: its database, Kafka and Redis (503 when any is down). */
@ApiExcludeController()
@Controller('health')
export class ServiceHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongo: MongooseHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.mongo.pingCheck('mongo', { timeout: 2_000 }),
      () => this.kafka.check('kafka'),
      () => this.redis.check('redis'),
    ]);
  }
}
