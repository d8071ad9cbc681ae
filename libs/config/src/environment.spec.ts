import { loadGatewayConfig, loadServiceConfig } from './service-config';

const valid = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  MONGO_URL: 'mongodb://127.0.0.1:27017/status_tracking',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

describe('service configuration', () => {
  it('builds a typed config from valid variables', () => {
    const config = loadServiceConfig('status-tracking', 3002, { ...valid, KAFKA_GROUP_SUFFIX: 't1' });
    expect(config.kafka).toEqual({
      brokers: ['127.0.0.1:9092'],
      clientId: 'status-tracking',
      groupId: 'status-tracking-t1',
      topicPrefix: '',
      compression: 'none',
      readyMaxLag: 10_000,
    });
    expect(config.port).toBe(3002);
  });

  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const)('accepts KAFKA_COMPRESSION=%s', (compression) => {
    expect(loadServiceConfig('x', 1, { ...valid, KAFKA_COMPRESSION: compression }).kafka.compression).toBe(compression);
  });

  it('refuses an unknown KAFKA_COMPRESSION, naming the variable and the allowed values', () => {
    expect(() => loadServiceConfig('x', 1, { ...valid, KAFKA_COMPRESSION: 'brotli' })).toThrow(
      'KAFKA_COMPRESSION: KAFKA_COMPRESSION must be one of none, gzip, snappy, lz4, zstd (got "brotli")',
    );
  });

  it('takes the readiness lag bound from KAFKA_READY_MAX_LAG and refuses a non-positive one', () => {
    expect(loadServiceConfig('x', 1, { ...valid, KAFKA_READY_MAX_LAG: '250' }).kafka.readyMaxLag).toBe(250);
    expect(() => loadServiceConfig('x', 1, { ...valid, KAFKA_READY_MAX_LAG: '0' })).toThrow(
      /KAFKA_READY_MAX_LAG must be a positive integer/,
    );
  });

  it('names each bad variable and what is allowed', () => {
    const load = () => loadServiceConfig('x', 1, { ...valid, MONGO_URL: 'mongodb://127.0.0.1:27017', KAFKA_BROKERS: undefined });
    expect(load).toThrow(/MONGO_URL: MONGO_URL must be a mongodb:\/\/ URL that names the service database/);
    expect(load).toThrow(/KAFKA_BROKERS: .*\(got nothing\)/);
  });

  it('parses gateway API keys with roles', () => {
    const config = loadGatewayConfig({
      ...valid,
      API_KEYS: 'dev-admin-key-0123456789:admin,dev-viewer-key-0123456789:viewer',
      CATALOG_URL: 'http://127.0.0.1:3001',
      TRACKING_URL: 'http://127.0.0.1:3002',
      CYCLES_URL: 'http://127.0.0.1:3003',
      SEGMENTS_URL: 'http://127.0.0.1:3004',
    });
    expect(config.apiKeys).toEqual([
      { key: 'dev-admin-key-0123456789', role: 'admin' },
      { key: 'dev-viewer-key-0123456789', role: 'viewer' },
    ]);
  });

  it('parses a per-key rate limit as the third part of an entry', () => {
    const config = loadGatewayConfig({
      ...valid,
      API_KEYS: 'crm-integration-key-0123:admin:120000,dev-viewer-key-0123456789:viewer',
      CATALOG_URL: 'http://127.0.0.1:3001',
      TRACKING_URL: 'http://127.0.0.1:3002',
      CYCLES_URL: 'http://127.0.0.1:3003',
      SEGMENTS_URL: 'http://127.0.0.1:3004',
    });
    expect(config.apiKeys).toEqual([
      { key: 'crm-integration-key-0123', role: 'admin', ratePerMinute: 120_000 },
      { key: 'dev-viewer-key-0123456789', role: 'viewer' },
    ]);
    expect(() =>
      loadGatewayConfig({
        ...valid,
        API_KEYS: 'crm-integration-key-0123:admin:0',
        CATALOG_URL: 'x',
        TRACKING_URL: 'x',
        CYCLES_URL: 'x',
        SEGMENTS_URL: 'x',
      }),
    ).toThrow(/perMinute: a positive integer/);
  });

  it('takes the built console from CONSOLE_DIR, else leaves the default (dist/console) to the gateway', () => {
    const gateway = {
      ...valid,
      API_KEYS: 'dev-admin-key-0123456789:admin',
      CATALOG_URL: 'http://127.0.0.1:3001',
      TRACKING_URL: 'http://127.0.0.1:3002',
      CYCLES_URL: 'http://127.0.0.1:3003',
      SEGMENTS_URL: 'http://127.0.0.1:3004',
    };
    expect(loadGatewayConfig({ ...gateway, CONSOLE_DIR: '/srv/console' }).consoleDir).toBe('/srv/console');
    expect(loadGatewayConfig(gateway).consoleDir).toBeUndefined();
  });

  it('rejects a key with an unknown role', () => {
    expect(() =>
      loadGatewayConfig({ ...valid, API_KEYS: 'short:root', CATALOG_URL: 'x', TRACKING_URL: 'x', CYCLES_URL: 'x', SEGMENTS_URL: 'x' }),
    ).toThrow(/API_KEYS must be comma-separated key:role\[:perMinute\] entries/);
  });
});
