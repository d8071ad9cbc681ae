import { Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { GATEWAY_CONFIG, type GatewayConfig } from '@lifecycle/config';
import { KafkaHealthIndicator, pinoParams, RedisHealthIndicator } from '@lifecycle/http';
import { KafkaConnection } from '@lifecycle/messaging';
import { ObservabilityModule } from '@lifecycle/observability';
import { AccountViewController } from './accounts/account-view.controller';
import { ApiKeyService } from './auth/api-key.service';
import { AuthMiddleware } from './auth/auth.middleware';
import { InternalCredential } from './auth/internal-credential';
import { RateLimitMiddleware } from './auth/rate-limit.middleware';
import { SessionController } from './auth/session.controller';
import { DocsController } from './docs/docs.controller';
import { OpenApiAggregator } from './docs/openapi-aggregator';
import { GatewayHealthController } from './health/gateway-health.controller';
import { ProxyMiddleware } from './proxy/proxy.middleware';

@Module({})
export class GatewayModule implements NestModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        LoggerModule.forRoot(pinoParams('gateway', config.logLevel)),
        TerminusModule.forRoot({ logger: false }),
        ObservabilityModule.forRoot({ token: config.metricsToken ?? null }),
      ],
      controllers: [AccountViewController, DocsController, GatewayHealthController, SessionController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        ApiKeyService,
        AuthMiddleware,
        InternalCredential,
        OpenApiAggregator,
        {
          provide: KafkaConnection,
          useFactory: () => new KafkaConnection({ brokers: config.kafka.brokers, clientId: 'gateway', topicPrefix: '' }),
        },
        {
          provide: KafkaHealthIndicator,
          inject: [KafkaConnection, HealthIndicatorService],
          useFactory: (connection: KafkaConnection, indicators: HealthIndicatorService) => new KafkaHealthIndicator(connection, indicators),
        },
        {
          provide: RedisHealthIndicator,
          inject: [HealthIndicatorService],
          useFactory: (indicators: HealthIndicatorService) => new RedisHealthIndicator(config.redis.url, indicators),
        },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Order: who is calling → are they within their limit → forward (or fall through to the
    // gateway's own routes: composed account view, health, docs).
    consumer.apply(AuthMiddleware, RateLimitMiddleware, ProxyMiddleware).forRoutes({ path: '*path', method: RequestMethod.ALL });
  }
}
