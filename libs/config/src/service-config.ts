import {
  DEFAULT_KAFKA_COMPRESSION,
  DEFAULT_KAFKA_READY_MAX_LAG,
  GatewayEnvironment,
  ServiceEnvironment,
  validateEnvironment,
  type KafkaCompression,
  type TracesSampler,
} from './environment';
import { isLoopbackHost, parseInternalKeys, requireInternalKeys, type InternalAuthConfig, type InternalKey } from './internal-auth';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Typed configuration of one backend service, built once at boot (or by a test). */
export interface ServiceConfig {
  serviceName: string;
  port: number;
  logLevel: LogLevel;
  kafka: {
    brokers: string[];
    clientId: string;
    groupId: string;
    topicPrefix: string;
    /** Compression of produced records (`KAFKA_COMPRESSION`). */
    compression: KafkaCompression;
    /** Readiness bound on consumer lag, in records per partition (`KAFKA_READY_MAX_LAG`). */
    readyMaxLag: number;
  };
  mongo: { url: string };
  /** BullMQ key prefix (isolation of test runs). */
  redis: { url: string; prefix: string };
  /** `METRICS_TOKEN`: `/metrics` off loopback needs it as a bearer token (absent: loopback only). */
  metricsToken?: string | null;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: tracing on, spans sent there (absent: tracing off). */
  otlpEndpoint?: string | null;
  /** `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`: which traces are kept. */
  traceSampling?: TraceSampling;
  /** `HOST`: the address HTTP listens on (default loopback). */
  host?: string;
  /** `INTERNAL_AUTH_KEYS` and `INTERNAL_AUTH_LOOPBACK`: how the gateway's credential is checked (null: no keys, loopback only). */
  internalAuth?: InternalAuthConfig | null;
}

export interface GatewayConfig {
  port: number;
  logLevel: LogLevel;
  /** `ratePerMinute`: this key's own limit, else `rateLimitPerMinute`. */
  apiKeys: { key: string; role: 'admin' | 'viewer'; ratePerMinute?: number }[];
  upstreams: { catalog: string; tracking: string; cycles: string; segments: string };
  rateLimitPerMinute: number;
  kafka: { brokers: string[] };
  mongo: { url: string };
  redis: { url: string; prefix: string };
  /** The built admin console served at /console (`CONSOLE_DIR`); absent: `dist/console` under the working directory. */
  consoleDir?: string;
  /** `METRICS_TOKEN`, as for a service. */
  metricsToken?: string | null;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`, as for a service. */
  otlpEndpoint?: string | null;
  /** `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`, as for a service. */
  traceSampling?: TraceSampling;
  /** `HOST`, as for a service. */
  host?: string;
  /** `INTERNAL_AUTH_KEYS`: the first signs the credential sent with every call to a service. */
  internalAuthKeys?: InternalKey[] | null;
}

/** Which traces a process keeps: OpenTelemetry's sampler name and the share for the ratio samplers. */
export interface TraceSampling {
  sampler: TracesSampler;
  ratio: number;
}

export const DEFAULT_TRACE_SAMPLING: TraceSampling = { sampler: 'parentbased_always_on', ratio: 1 };

function traceSamplingOf(env: { OTEL_TRACES_SAMPLER?: TracesSampler; OTEL_TRACES_SAMPLER_ARG?: number }): TraceSampling {
  return {
    sampler: env.OTEL_TRACES_SAMPLER ?? DEFAULT_TRACE_SAMPLING.sampler,
    ratio: env.OTEL_TRACES_SAMPLER_ARG ?? DEFAULT_TRACE_SAMPLING.ratio,
  };
}

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadServiceConfig(serviceName: string, defaultPort: number, raw: Record<string, string | undefined>): ServiceConfig {
  const env = validateEnvironment(ServiceEnvironment, raw);
  const host = env.HOST ?? '127.0.0.1';
  const keys = parseInternalKeys(env.INTERNAL_AUTH_KEYS);
  const loopback = env.INTERNAL_AUTH_LOOPBACK ?? 'trusted';
  if (!isLoopbackHost(host)) requireInternalKeys(keys, `HOST (${host}) is not a loopback address`);
  if (loopback === 'verified') requireInternalKeys(keys, 'INTERNAL_AUTH_LOOPBACK is verified');
  const suffix = env.KAFKA_GROUP_SUFFIX ? `-${env.KAFKA_GROUP_SUFFIX}` : '';
  return {
    serviceName,
    port: env.PORT ?? defaultPort,
    logLevel: (env.LOG_LEVEL as LogLevel | undefined) ?? 'info',
    kafka: {
      brokers: env.KAFKA_BROKERS.split(','),
      clientId: serviceName,
      groupId: `${serviceName}${suffix}`,
      topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
      compression: env.KAFKA_COMPRESSION ?? DEFAULT_KAFKA_COMPRESSION,
      readyMaxLag: env.KAFKA_READY_MAX_LAG ?? DEFAULT_KAFKA_READY_MAX_LAG,
    },
    mongo: { url: env.MONGO_URL },
    redis: { url: env.REDIS_URL, prefix: env.BULLMQ_PREFIX ?? 'lifecycle' },
    metricsToken: env.METRICS_TOKEN ?? null,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    traceSampling: traceSamplingOf(env),
    host,
    internalAuth: keys === null ? null : { keys, loopback },
  };
}

export function loadGatewayConfig(raw: Record<string, string | undefined>): GatewayConfig {
  const env = validateEnvironment(GatewayEnvironment, raw);
  const upstreams = { catalog: env.CATALOG_URL, tracking: env.TRACKING_URL, cycles: env.CYCLES_URL, segments: env.SEGMENTS_URL };
  const internalAuthKeys = parseInternalKeys(env.INTERNAL_AUTH_KEYS);
  const remote = Object.entries(upstreams).filter(([, url]) => !isLoopbackHost(new URL(url).hostname));
  if (remote.length > 0)
    requireInternalKeys(internalAuthKeys, `an upstream is not on loopback (${remote.map(([name, url]) => `${name}: ${url}`).join(', ')})`);
  return {
    port: env.PORT ?? 3000,
    logLevel: (env.LOG_LEVEL as LogLevel | undefined) ?? 'info',
    apiKeys: env.API_KEYS.split(',').map((entry) => {
      const [key, role, perMinute] = entry.split(':') as [string, 'admin' | 'viewer', string | undefined];
      return perMinute === undefined ? { key, role } : { key, role, ratePerMinute: Number(perMinute) };
    }),
    upstreams,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE ?? 6000,
    kafka: { brokers: env.KAFKA_BROKERS.split(',') },
    mongo: { url: env.MONGO_URL },
    redis: { url: env.REDIS_URL, prefix: env.BULLMQ_PREFIX ?? 'lifecycle' },
    ...(env.CONSOLE_DIR === undefined ? {} : { consoleDir: env.CONSOLE_DIR }),
    metricsToken: env.METRICS_TOKEN ?? null,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    traceSampling: traceSamplingOf(env),
    host: env.HOST ?? '127.0.0.1',
    internalAuthKeys,
  };
}
