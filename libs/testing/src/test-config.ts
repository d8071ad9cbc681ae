import { randomBytes } from 'node:crypto';
import { KAFKA_COMPRESSIONS, type GatewayConfig, type KafkaCompression, type ServiceConfig } from '@lifecycle/config';

import { INFRA } from './infra-endpoints';

export { INFRA };

/** The compression the environment variable `variable` names, else `fallback`; an unknown one stops the run. */
export function kafkaCompressionFrom(variable: string, fallback: KafkaCompression): KafkaCompression {
  const wanted = process.env[variable] ?? fallback;
  if (!(KAFKA_COMPRESSIONS as readonly string[]).includes(wanted)) {
    throw new Error(`${variable} must be one of ${KAFKA_COMPRESSIONS.join(', ')} (got ${JSON.stringify(wanted)})`);
  }
  return wanted as KafkaCompression;
}

/**
 * Services under test produce lz4 unless `TEST_KAFKA_COMPRESSION` says otherwise: every
 * integration test then reads and writes a codec kafkajs does not ship.
 */
export const TEST_KAFKA_COMPRESSION: KafkaCompression = kafkaCompressionFrom('TEST_KAFKA_COMPRESSION', 'lz4');

/** Isolation of one test suite on the shared servers: its own databases, topics and groups. */
export interface TestRun {
  id: string;
  topicPrefix: string;
  databaseFor(service: string): string;
}

export function newTestRun(label: string): TestRun {
  const id = `${label
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 12)}${randomBytes(3).toString('hex')}`;
  return {
    id,
    topicPrefix: `t-${id}.`,
    databaseFor: (service) => `t_${id}_${service.replace(/-/g, '_')}`,
  };
}

export function testServiceConfig(run: TestRun, serviceName: string): ServiceConfig {
  return {
    serviceName,
    port: 0,
    logLevel: (process.env.TEST_LOG_LEVEL as ServiceConfig['logLevel'] | undefined) ?? 'warn',
    kafka: {
      brokers: INFRA.kafka.split(','),
      clientId: `${serviceName}-${run.id}`,
      groupId: `${serviceName}-${run.id}`,
      topicPrefix: run.topicPrefix,
      compression: TEST_KAFKA_COMPRESSION,
      readyMaxLag: 10_000,
    },
    mongo: { url: `${INFRA.mongo}/${run.databaseFor(serviceName)}` },
    redis: { url: INFRA.redis, prefix: `t-${run.id}` },
  };
}

export function testGatewayConfig(
  run: TestRun,
  upstreams: GatewayConfig['upstreams'],
  overrides: Partial<GatewayConfig> = {},
): GatewayConfig {
  return {
    port: 0,
    logLevel: (process.env.TEST_LOG_LEVEL as GatewayConfig['logLevel'] | undefined) ?? 'warn',
    apiKeys: [
      { key: TEST_ADMIN_KEY, role: 'admin' },
      { key: TEST_VIEWER_KEY, role: 'viewer' },
    ],
    upstreams,
    rateLimitPerMinute: 100_000,
    kafka: { brokers: INFRA.kafka.split(',') },
    mongo: { url: `${INFRA.mongo}/${run.databaseFor('gateway')}` },
    redis: { url: INFRA.redis, prefix: `t-${run.id}` },
    ...overrides,
  };
}

export const TEST_ADMIN_KEY = 'test-admin-key-000000000001';
export const TEST_VIEWER_KEY = 'test-viewer-key-00000000001';
