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

  it('keeps every trace a caller kept unless OTEL_TRACES_SAMPLER says otherwise', () => {
    expect(loadServiceConfig('x', 1, valid).traceSampling).toEqual({ sampler: 'parentbased_always_on', ratio: 1 });
    const sampled = { ...valid, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' };
    expect(loadServiceConfig('x', 1, sampled).traceSampling).toEqual({ sampler: 'parentbased_traceidratio', ratio: 0.1 });
  });

  it('refuses an unknown OTEL_TRACES_SAMPLER and a share outside 0..1, naming what is allowed', () => {
    expect(() => loadServiceConfig('x', 1, { ...valid, OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(
      'OTEL_TRACES_SAMPLER: OTEL_TRACES_SAMPLER must be one of parentbased_always_on, parentbased_always_off, parentbased_traceidratio, always_on, always_off, traceidratio (got "sometimes")',
    );
    for (const arg of ['1.5', '-0.1', 'half'])
      expect(() => loadServiceConfig('x', 1, { ...valid, OTEL_TRACES_SAMPLER_ARG: arg })).toThrow(
        /OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 \(the share of traces kept\)/,
      );
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

describe('trusted calls configuration', () => {
  const keys = `k2:${'c'.repeat(43)},k1:${'p'.repeat(43)}`;
  const gateway = {
    ...valid,
    API_KEYS: 'dev-admin-key-0123456789:admin',
    CATALOG_URL: 'http://attribute-catalog:3001',
    TRACKING_URL: 'http://127.0.0.1:3002',
    CYCLES_URL: 'http://localhost:3003',
    SEGMENTS_URL: 'http://[::1]:3004',
  };

  it('a service on loopback needs no keys; off loopback it refuses to start without INTERNAL_AUTH_KEYS, naming it', () => {
    expect(loadServiceConfig('x', 1, valid)).toMatchObject({ host: '127.0.0.1', internalAuth: null });
    expect(() => loadServiceConfig('x', 1, { ...valid, HOST: '0.0.0.0' })).toThrow(
      /INTERNAL_AUTH_KEYS: required when HOST \(0\.0\.0\.0\) is not a loopback address/,
    );
    expect(() => loadServiceConfig('x', 1, { ...valid, INTERNAL_AUTH_LOOPBACK: 'verified' })).toThrow(
      /INTERNAL_AUTH_KEYS: required when INTERNAL_AUTH_LOOPBACK is verified/,
    );
  });

  it('reads the key ring in order (the first signs) and the loopback rule', () => {
    const config = loadServiceConfig('x', 1, { ...valid, HOST: '0.0.0.0', INTERNAL_AUTH_KEYS: keys, INTERNAL_AUTH_LOOPBACK: 'verified' });
    expect(config.internalAuth).toEqual({
      keys: [
        { id: 'k2', secret: 'c'.repeat(43) },
        { id: 'k1', secret: 'p'.repeat(43) },
      ],
      loopback: 'verified',
    });
  });

  it('refuses short secrets, bad entries, a key id given twice and an unknown loopback rule', () => {
    expect(() => loadServiceConfig('x', 1, { ...valid, INTERNAL_AUTH_KEYS: 'k1:short' })).toThrow(
      /INTERNAL_AUTH_KEYS: INTERNAL_AUTH_KEYS must be comma-separated kid:secret entries/,
    );
    expect(() => loadServiceConfig('x', 1, { ...valid, INTERNAL_AUTH_KEYS: `k1:${'a'.repeat(40)},k1:${'b'.repeat(40)}` })).toThrow(
      /INTERNAL_AUTH_KEYS: key id k1 appears twice/,
    );
    expect(() => loadServiceConfig('x', 1, { ...valid, INTERNAL_AUTH_LOOPBACK: 'sometimes' })).toThrow(
      /INTERNAL_AUTH_LOOPBACK must be one of trusted, verified/,
    );
  });

  it('the gateway needs keys as soon as one upstream is off loopback, and names it', () => {
    expect(() => loadGatewayConfig(gateway)).toThrow(
      /INTERNAL_AUTH_KEYS: required when an upstream is not on loopback \(catalog: http:\/\/attribute-catalog:3001\)/,
    );
    expect(loadGatewayConfig({ ...gateway, INTERNAL_AUTH_KEYS: keys }).internalAuthKeys?.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(loadGatewayConfig({ ...gateway, CATALOG_URL: 'http://127.0.0.1:3001' }).internalAuthKeys).toBeNull();
  });
});
