import { plainToInstance, Transform } from 'class-transformer';
import { RECORD_POLICY } from '@lifecycle/contracts';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { EnvironmentError } from './environment-error';
import { INTERNAL_AUTH_KEYS_MESSAGE, INTERNAL_AUTH_KEYS_PATTERN, INTERNAL_AUTH_LOOPBACK, type InternalAuthLoopback } from './internal-auth';

/** The compressions Kafka defines; every consumer reads all of them (libs/messaging/src/compression.ts). */
export const KAFKA_COMPRESSIONS = RECORD_POLICY.compressions;
export type KafkaCompression = (typeof KAFKA_COMPRESSIONS)[number];
/** What this platform's producers write unless `KAFKA_COMPRESSION` says otherwise: readable by any client. */
export const DEFAULT_KAFKA_COMPRESSION: KafkaCompression = 'none';
export const DEFAULT_KAFKA_READY_MAX_LAG = 10_000;

const BROKER_LIST = /^[A-Za-z0-9.\-_]+:\d{1,5}(,[A-Za-z0-9.\-_]+:\d{1,5})*$/;
const MONGO_URL_WITH_DB = /^mongodb(\+srv)?:\/\/[^/]+\/[A-Za-z0-9_-]+(\?.*)?$/;
const REDIS_URL = /^rediss?:\/\/.+$/;

/** OpenTelemetry's sampler names (`OTEL_TRACES_SAMPLER`), as its SDKs read them. */
export const TRACES_SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

const toNumber = ({ value }: { value: unknown }) => (value === undefined ? undefined : Number(value));

/** Variables every process reads, a service or the gateway. Validated once at boot; nothing else reads `process.env`. */
class ProcessEnvironment {
  @Matches(BROKER_LIST, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port, e.g. 127.0.0.1:9092' })
  KAFKA_BROKERS!: string;

  @Matches(REDIS_URL, { message: 'REDIS_URL must be a redis:// URL, e.g. redis://127.0.0.1:6379' })
  REDIS_URL!: string;

  @IsOptional()
  @Transform(toNumber)
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @Matches(/^[a-z0-9-]{1,40}$/, { message: 'BULLMQ_PREFIX may hold 1-40 lowercase letters, digits and dashes' })
  BULLMQ_PREFIX?: string;

  /** Bearer token a scraper presents to read `/metrics` off loopback; without it `/metrics` answers on loopback only. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._~+/=-]{16,200}$/, { message: 'METRICS_TOKEN must be 16-200 characters of [A-Za-z0-9._~+/=-]' })
  METRICS_TOKEN?: string;

  /** Where spans go (OTLP over HTTP, `<endpoint>/v1/traces`); tracing is off without it. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL, e.g. http://otel-collector:4318' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** Which traces are kept (default `parentbased_always_on`: every trace a caller did not drop). */
  @IsOptional()
  @IsIn(TRACES_SAMPLERS, { message: `OTEL_TRACES_SAMPLER must be one of ${TRACES_SAMPLERS.join(', ')}` })
  OTEL_TRACES_SAMPLER?: TracesSampler;

  /** The share of traces the `*traceidratio` samplers keep, 0 to 1 (default 1). */
  @IsOptional()
  @Transform(toNumber)
  @Min(0, { message: 'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (the share of traces kept)' })
  @Max(1, { message: 'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (the share of traces kept)' })
  OTEL_TRACES_SAMPLER_ARG?: number;

  /** HMAC keys of the gateway's internal credential (`kid:secret`, first signs); required off loopback. */
  @IsOptional()
  @Matches(INTERNAL_AUTH_KEYS_PATTERN, { message: INTERNAL_AUTH_KEYS_MESSAGE })
  INTERNAL_AUTH_KEYS?: string;

  /** The address to listen on (default 127.0.0.1); anything but loopback needs INTERNAL_AUTH_KEYS. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9.:_-]{1,253}$/, { message: 'HOST must be an address or host name to listen on, e.g. 127.0.0.1 or 0.0.0.0' })
  HOST?: string;
}

/** Variables every service reads. */
export class ServiceEnvironment extends ProcessEnvironment {
  @Matches(MONGO_URL_WITH_DB, {
    message: 'MONGO_URL must be a mongodb:// URL that names the service database, e.g. mongodb://127.0.0.1:27017/status_tracking',
  })
  MONGO_URL!: string;

  /** Prefix for every topic name (isolation of test runs or tenants); empty in production. */
  @IsOptional()
  @Matches(/^[a-z0-9-]*\.?$/, { message: 'KAFKA_TOPIC_PREFIX may hold lowercase letters, digits and dashes, ending in an optional dot' })
  KAFKA_TOPIC_PREFIX?: string;

  /** Compression of the records this service produces (every compression is read whatever this says). */
  @IsOptional()
  @IsIn(KAFKA_COMPRESSIONS, { message: `KAFKA_COMPRESSION must be one of ${KAFKA_COMPRESSIONS.join(', ')}` })
  KAFKA_COMPRESSION?: KafkaCompression;

  /** Readiness fails while a consumer group lags more records than this on a partition. */
  @IsOptional()
  @Transform(toNumber)
  @IsInt({ message: 'KAFKA_READY_MAX_LAG must be a positive integer (records)' })
  @Min(1, { message: 'KAFKA_READY_MAX_LAG must be a positive integer (records)' })
  KAFKA_READY_MAX_LAG?: number;

  /** Suffix of the consumer group id (isolation of test runs). */
  @IsOptional()
  @IsString()
  KAFKA_GROUP_SUFFIX?: string;

  /** `trusted` (default): callers on loopback need no credential; `verified`: every caller needs one. */
  @IsOptional()
  @IsIn(INTERNAL_AUTH_LOOPBACK, { message: `INTERNAL_AUTH_LOOPBACK must be one of ${INTERNAL_AUTH_LOOPBACK.join(', ')}` })
  INTERNAL_AUTH_LOOPBACK?: InternalAuthLoopback;
}

export class GatewayEnvironment extends ProcessEnvironment {
  /**
   * `key:role[:perMinute]` entries, comma separated; role is `admin` or `viewer`; the optional
   * third part overrides `RATE_LIMIT_PER_MINUTE` for that key (e.g. a CRM integration's key).
   */
  @Matches(/^[A-Za-z0-9_\-]{16,}:(admin|viewer)(:[1-9][0-9]{0,8})?(,[A-Za-z0-9_\-]{16,}:(admin|viewer)(:[1-9][0-9]{0,8})?)*$/, {
    message:
      'API_KEYS must be comma-separated key:role[:perMinute] entries (key: 16+ chars of [A-Za-z0-9_-], role: admin|viewer, perMinute: a positive integer)',
  })
  API_KEYS!: string;

  @Matches(/^https?:\/\/.+$/, { message: 'CATALOG_URL must be an http(s) URL' })
  CATALOG_URL!: string;

  @Matches(/^https?:\/\/.+$/, { message: 'TRACKING_URL must be an http(s) URL' })
  TRACKING_URL!: string;

  @Matches(/^https?:\/\/.+$/, { message: 'CYCLES_URL must be an http(s) URL' })
  CYCLES_URL!: string;

  @Matches(/^https?:\/\/.+$/, { message: 'SEGMENTS_URL must be an http(s) URL' })
  SEGMENTS_URL!: string;

  @Matches(MONGO_URL_WITH_DB, { message: 'MONGO_URL must be a mongodb:// URL naming a database (used for the health check only)' })
  MONGO_URL!: string;

  /** Requests per minute per API key before 429. */
  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE?: number;

  /** The built admin console (served at /console); default: dist/console under the working directory. */
  @IsOptional()
  @IsString({ message: 'CONSOLE_DIR must be a directory path' })
  CONSOLE_DIR?: string;
}

export { EnvironmentError };

/** Validates raw variables into a typed instance; the error names every bad variable. */
export function validateEnvironment<T extends object>(cls: new () => T, raw: Record<string, string | undefined>): T {
  const instance = plainToInstance(cls, raw, { excludeExtraneousValues: false });
  const errors = validateSync(instance, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const msg = Object.values(e.constraints ?? {}).join('; ');
      return `  ${e.property}: ${msg} (got ${raw[e.property] === undefined ? 'nothing' : JSON.stringify(raw[e.property])})`;
    });
    throw new EnvironmentError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return instance;
}
