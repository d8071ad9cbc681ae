/**
 * The platform's public OpenAPI document built from the code alone, without servers: each app's
 * Nest module in preview mode (nothing connects), its document from `buildOpenApiDocument`, merged
 * by `mergeOpenApi` — what the running gateway serves at /docs-json (a test compares the two).
 */
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { GatewayConfig, ServiceConfig } from '@lifecycle/config';
import { buildOpenApiDocument, mergeOpenApi, type MergedDocument, type ServiceDefinition } from '@lifecycle/http';
import { attributeCatalogDefinition } from '../../apps/attribute-catalog/src/attribute-catalog.definition';
import { AttributeCatalogModule } from '../../apps/attribute-catalog/src/attribute-catalog.module';
import { cyclePlanningDefinition } from '../../apps/cycle-planning/src/cycle-planning.definition';
import { CyclePlanningModule } from '../../apps/cycle-planning/src/cycle-planning.module';
import { gatewayOpenApi } from '../../apps/gateway/src/docs/gateway-document';
import { GatewayModule } from '../../apps/gateway/src/gateway.module';
import { segmentEvaluationDefinition } from '../../apps/segment-evaluation/src/segment-evaluation.definition';
import { SegmentEvaluationModule } from '../../apps/segment-evaluation/src/segment-evaluation.module';
import { statusTrackingDefinition } from '../../apps/status-tracking/src/status-tracking.definition';
import { StatusTrackingModule } from '../../apps/status-tracking/src/status-tracking.module';

const NOWHERE = 'http://127.0.0.1:9';

function offlineServiceConfig(serviceName: string): ServiceConfig {
  return {
    serviceName,
    port: 0,
    logLevel: 'silent',
    kafka: { brokers: ['127.0.0.1:9'], clientId: serviceName, groupId: serviceName, topicPrefix: '', compression: 'none', readyMaxLag: 0 },
    mongo: { url: 'mongodb://127.0.0.1:9/none' },
    redis: { url: 'redis://127.0.0.1:9', prefix: 'none' },
  };
}

const OFFLINE_GATEWAY: GatewayConfig = {
  port: 0,
  logLevel: 'silent',
  apiKeys: [],
  upstreams: { catalog: NOWHERE, tracking: NOWHERE, cycles: NOWHERE, segments: NOWHERE },
  rateLimitPerMinute: 1,
  kafka: { brokers: ['127.0.0.1:9'] },
  mongo: { url: 'mongodb://127.0.0.1:9/none' },
  redis: { url: 'redis://127.0.0.1:9', prefix: 'none' },
};

async function documentOf(
  module: unknown,
  build: (app: Awaited<ReturnType<typeof NestFactory.create>>) => OpenAPIObject,
): Promise<OpenAPIObject> {
  const app = await NestFactory.create(module as never, { preview: true, logger: false, abortOnError: false });
  try {
    return build(app);
  } finally {
    await app.close();
  }
}

const service = (name: string, module: unknown, definition: ServiceDefinition) =>
  documentOf(module, (app) => buildOpenApiDocument(app, definition.title, definition.description)).then((doc) => ({ name, doc }));

export async function buildPlatformOpenApi(): Promise<MergedDocument> {
  const own = await documentOf(GatewayModule.register(OFFLINE_GATEWAY), gatewayOpenApi);
  const services = [
    await service('catalog', AttributeCatalogModule.register(offlineServiceConfig('attribute-catalog')), attributeCatalogDefinition),
    await service('tracking', StatusTrackingModule.register(offlineServiceConfig('status-tracking')), statusTrackingDefinition),
    await service('cycles', CyclePlanningModule.register(offlineServiceConfig('cycle-planning')), cyclePlanningDefinition),
    await service('segments', SegmentEvaluationModule.register(offlineServiceConfig('segment-evaluation')), segmentEvaluationDefinition),
  ];
  return mergeOpenApi(own, services);
}
