import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { KafkaHealthIndicator } from './kafka-health';
import { MongoHealthIndicator } from './mongo-health';
import { RedisHealthIndicator } from './redis-health';

/** `/health` of a backend service: its database, Kafka and Redis (503 when any is down). */
@ApiExcludeController()
@Controller('health')
export class ServiceHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongo: MongoHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.mongo.check('mongo'), () => this.kafka.check('kafka'), () => this.redis.check('redis')]);
  }
}
