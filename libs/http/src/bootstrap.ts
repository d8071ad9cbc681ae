import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { ServiceConfig } from '@lifecycle/config';
import type { Topic } from '@lifecycle/contracts';
import { httpMetrics, httpTracing, initTracing } from '@lifecycle/observability';
import { attachEventConsumer, KafkaConnection, type ConsumerSettings, type KafkaEventServer } from '@lifecycle/messaging';
import { HttpErrorFilter, validationException } from './error-response';
import { internalAuth } from './internal-auth.middleware';
import { rejectDeepJson } from './json-depth';
import { MediaTypeGuard } from './media-type.guard';
import { methodNotAllowed } from './method-not-allowed';
import { buildOpenApiDocument } from './openapi';

export interface HttpSetup {
  bodyLimit?: string;
}

/** The request pipeline shared by the gateway and every service. */
export function configureHttp(app: INestApplication): void {
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      forbidUnknownValues: true,
      exceptionFactory: validationException,
      validationError: { target: false, value: false },
    }),
  );
  app.useGlobalGuards(new MediaTypeGuard());
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
}

export interface ServiceDefinition extends HttpSetup {
  title: string;
  description: string;
  /** Topics this service publishes to (created at start when missing; auto-creation is off). */
  publishes: readonly Topic[];
  /** Event consumption; omitted for services that only publish. */
  consumer?: ConsumerSettings;
}

export interface RunningService {
  app: INestApplication;
  events: KafkaEventServer | null;
  url: string;
  openApi: OpenAPIObject;
}

/**
 * Builds, wires and starts one backend service (HTTP on loopback or HOST, plus its consumer).
 * Off loopback it serves only calls carrying the gateway's internal credential (`internalAuth`).
 */
export async function startService(
  module: unknown,
  config: ServiceConfig,
  definition: ServiceDefinition,
  host = config.host ?? '127.0.0.1',
): Promise<RunningService> {
  initTracing({ serviceName: config.serviceName, endpoint: config.otlpEndpoint, sampling: config.traceSampling });
  const app = await NestFactory.create<NestExpressApplication>(module as never, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.use(httpTracing(config.serviceName));
  app.use(httpMetrics());
  app.use(internalAuth(config.internalAuth ?? null));
  app.useBodyParser('json', { limit: definition.bodyLimit ?? '1mb' });
  app.use(rejectDeepJson);
  configureHttp(app);
  const openApi = buildOpenApiDocument(app, definition.title, definition.description);
  app.use(methodNotAllowed(openApi));
  (app.getHttpAdapter().getInstance() as import('express').Express).get('/docs-json', (_req, res) => {
    res.json(openApi);
  });
  await app.get(KafkaConnection).ensureTopics(definition.publishes);
  const events = definition.consumer ? attachEventConsumer(app, definition.consumer) : null;
  // Lifecycle hooks (indexes, relays, workers) once, before the consumer delivers anything.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.port, host);
  const address = app.getHttpServer().address() as { port: number };
  return { app, events, url: `http://${host}:${address.port}`, openApi };
}
