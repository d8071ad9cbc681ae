import { Module, type DynamicModule } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import { ConsumerRegistry, KafkaConnection, MessagingModule } from '@lifecycle/messaging';
import { ObservabilityModule } from '@lifecycle/observability';
import { Storage, StorageModule } from '@lifecycle/storage';
import { ConsumersHealthIndicator } from './consumers-health';
import { ServiceHealthController } from './health.controller';
import { KafkaHealthIndicator } from './kafka-health';
import { MongoHealthIndicator } from './mongo-health';
import { pinoParams } from './logging';
import { RedisHealthIndicator } from './redis-health';

@Module({})
class ServiceConfigModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: ServiceConfigModule,
      global: true,
      providers: [{ provide: SERVICE_CONFIG, useValue: config }],
      exports: [SERVICE_CONFIG],
    };
  }
}

/**
 * What every backend service has: typed config, pino logs, its own database (`StorageModule`), Kafka
 * (publisher + topics), `/health` for Mongo, Kafka and Redis, and `/metrics`.
 */
@Module({})
export class ServiceKitModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: ServiceKitModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        LoggerModule.forRoot(pinoParams(config.serviceName, config.logLevel)),
        StorageModule.forRoot(config.mongo.url),
        MessagingModule.forService(),
        TerminusModule.forRoot({ logger: false }),
        ObservabilityModule.forRoot({ token: config.metricsToken ?? null }),
      ],
      controllers: [ServiceHealthController],
      providers: [
        {
          provide: MongoHealthIndicator,
          inject: [Storage, HealthIndicatorService],
          useFactory: (storage: Storage, indicators: HealthIndicatorService) =>
            new MongoHealthIndicator(() => storage.db.command({ ping: 1 }), indicators),
        },
        {
          provide: RedisHealthIndicator,
          inject: [HealthIndicatorService],
          useFactory: (indicators: HealthIndicatorService) => new RedisHealthIndicator(config.redis.url, indicators),
        },
        {
          provide: KafkaHealthIndicator,
          inject: [KafkaConnection, HealthIndicatorService],
          useFactory: (connection: KafkaConnection, indicators: HealthIndicatorService) => new KafkaHealthIndicator(connection, indicators),
        },
        {
          provide: ConsumersHealthIndicator,
          inject: [ConsumerRegistry, HealthIndicatorService],
          useFactory: (registry: ConsumerRegistry, indicators: HealthIndicatorService) =>
            new ConsumersHealthIndicator(registry, indicators),
        },
      ],
    };
  }
}
