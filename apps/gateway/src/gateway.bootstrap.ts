import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { GatewayConfig } from '@lifecycle/config';
import type { NextFunction, Request, Response } from 'express';
import { configureHttp, HttpErrorFilter } from '@lifecycle/http';
import { httpMetrics, httpTracing, initTracing } from '@lifecycle/observability';
import { AuthMiddleware } from './auth/auth.middleware';
import { DEFAULT_CONSOLE_DIR, serveConsole } from './console/console-assets';
import { gatewayOpenApi } from './docs/gateway-document';
import { OpenApiAggregator } from './docs/openapi-aggregator';
import { GatewayModule } from './gateway.module';
import { queueDashboard, QUEUE_DASHBOARD_PATH } from './queues/queue-dashboard';

export interface RunningGateway {
  app: INestApplication;
  url: string;
}

export async function startGateway(config: GatewayConfig, host = config.host ?? '127.0.0.1'): Promise<RunningGateway> {
  initTracing({ serviceName: 'gateway', endpoint: config.otlpEndpoint, sampling: config.traceSampling });
  // No body parser: bodies stream through to the services (CSV imports may be large).
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.register(config), { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.use(httpTracing('gateway'));
  app.use(httpMetrics());
  configureHttp(app);
  app.set('trust proxy', false);
  app.disable('x-powered-by');

  const own = gatewayOpenApi(app);
  app.get(OpenApiAggregator).setOwn(own);
  SwaggerModule.setup('docs', app, own, {
    swaggerOptions: { url: '/docs-json', persistAuthorization: true },
    jsonDocumentUrl: '/docs/gateway-only.json',
    yamlDocumentUrl: '/docs/gateway-only.yaml',
  });

  // Mounted outside Nest's router, so the same auth runs here explicitly (admins only).
  const dashboard = queueDashboard(config.redis.url, config.redis.prefix);
  const auth = app.get(AuthMiddleware);
  const errors = new HttpErrorFilter();
  app.use(QUEUE_DASHBOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
    try {
      auth.use(req, res, next);
    } catch (e) {
      const body = errors.toBody(e);
      res.status(body.statusCode).json(body);
    }
  });
  app.use(QUEUE_DASHBOARD_PATH, dashboard.router);
  app.getHttpServer().on('close', () => void dashboard.close());

  // The admin console's files (mounted outside Nest's router too: they need no key).
  serveConsole(app, config.consoleDir ?? DEFAULT_CONSOLE_DIR);

  await app.listen(config.port, host);
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://${host}:${address.port}` };
}
