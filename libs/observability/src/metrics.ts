import { Counter, Gauge, Histogram, register, type Metric } from 'prom-client';
import { bindScrapeMetrics, collectSources, COLLECTED } from './scrape';

/**
 * Every metric of the platform, in one place: name, help, labels and buckets. Metrics live in
 * prom-client's default registry (the one `/metrics` serves), one per process: a service process
 * is one service, and services started together in one test process share them (labels such as
 * the consumer group or the queue tell them apart).
 *
 * Gauges marked "collected" are filled at scrape time by the scrape sources (`scrape.ts`): the
 * consumers' lag, the outboxes' backlog, the queues' depths.
 */

/** Seconds: from 5 ms (an HTTP read) to 10 s (a slow import chunk). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: from 100 ms to 2 h (the daily counters run over every account). */
const JOB_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600, 7200];

/** prom-client refuses a second metric of one name: the second caller gets the first one. */
function once<M extends Metric>(name: string, make: () => M): M {
  return (register.getSingleMetric(name) as M | undefined) ?? make();
}

const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
  once(name, () => new Counter<L>({ name, help, labelNames }));
const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
  once(name, () => new Gauge<L>({ name, help, labelNames }));
/** A gauge filled at scrape time by the scrape sources (reset first: what went away disappears). */
const collected = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
  once(name, () => {
    const made = new Gauge<L>({ name, help, labelNames, collect: () => collectSources() });
    COLLECTED.push(made as unknown as Gauge<string>);
    return made;
  });
const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
  once(name, () => new Histogram<L>({ name, help, labelNames, buckets }));

/** Built on first use, so importing a library registers nothing by itself. */
function build() {
  return {
    /** One observation per HTTP request: rate, errors (status 5xx) and latency per route template. */
    httpDuration: histogram(
      'http_server_request_duration_seconds',
      'HTTP requests served, by method, route template (or the upstream a gateway request went to) and status',
      ['method', 'route', 'status'],
      LATENCY_BUCKETS,
    ),

    /** Collected: high watermark minus the group's committed offset. */
    consumerLag: collected(
      'lifecycle_kafka_consumer_lag',
      'Records a consumer group has still to read, per topic-partition (read from the broker)',
      ['group', 'topic', 'partition'],
    ),
    /** Collected: an unchanged offset while lag stays above 0 is a stalled consumer. */
    consumerCommitted: collected(
      'lifecycle_kafka_consumer_committed_offset',
      'The committed offset of a consumer group per topic-partition (-1: none yet)',
      ['group', 'topic', 'partition'],
    ),
    /** Collected: 1 while consuming with partitions and within its lag bound (readiness). */
    consumerReady: collected('lifecycle_kafka_consumer_ready', 'Whether a consumer is ready (1) or not (0), as /health judges it', [
      'group',
    ]),
    /** Collected. */
    consumerRestarts: collected('lifecycle_kafka_consumer_restarts', 'Restarts of a consumer after crashes since the process started', [
      'group',
    ]),
    /**
     * What became of consumed events: `processed` (effect stored), `duplicate` (id applied
     * before), `retried` (an attempt failed and is retried), `dead_lettered`, `passed_over` (its
     * headers told the service it had nothing to do with it: never parsed).
     */
    events: counter('lifecycle_events_consumed_total', 'Consumed events by consumer group, topic, event type and outcome', [
      'group',
      'topic',
      'type',
      'outcome',
    ]),
    /** One observation per handler call: a whole run for a run handler, one event for the others. */
    handlerDuration: histogram(
      'lifecycle_event_handler_duration_seconds',
      'Time a handler took to apply a run of events of one type (or one event)',
      ['group', 'type'],
      LATENCY_BUCKETS,
    ),
    batchDuration: histogram(
      'lifecycle_event_batch_duration_seconds',
      'Time from a fetched partition batch to its committed offset (decode, dead letters, handlers, retries)',
      ['group', 'topic'],
      LATENCY_BUCKETS,
    ),
    published: counter('lifecycle_events_published_total', 'Events written to Kafka by this process, by topic', ['topic']),

    /** Collected. */
    outboxPending: collected(
      'lifecycle_outbox_pending_aggregates',
      'Aggregates with events written but not yet published (this process: flushes under way, failed publishes, sweep findings)',
      ['collection'],
    ),
    /** Collected. */
    outboxOldestAge: collected(
      'lifecycle_outbox_oldest_pending_age_seconds',
      'How long the oldest unpublished outbox entry of this process has been waiting (0: none)',
      ['collection'],
    ),

    /** Collected from Redis (every instance sees the same queue). */
    queueJobs: collected('lifecycle_bullmq_jobs', 'BullMQ jobs by queue and state (waiting, active, delayed, failed)', ['queue', 'state']),
    jobDuration: histogram(
      'lifecycle_bullmq_job_duration_seconds',
      'Time a BullMQ job took in this process, from start to completion or failure',
      ['queue', 'outcome'],
      JOB_BUCKETS,
    ),
    /** Collected from Redis: the finish time of the newest completed job (the daily counters run, for its queue). */
    queueLastCompleted: collected(
      'lifecycle_bullmq_last_completed_timestamp_seconds',
      'Unix time the newest completed job of a queue finished (kept jobs: 7 days)',
      ['queue'],
    ),

    segmentMembershipChanges: counter(
      'lifecycle_segment_membership_changes_total',
      'Accounts entering or leaving segments (segment.entered / segment.exited written)',
      ['change'],
    ),

    rateLimited: counter('lifecycle_gateway_rate_limited_total', 'Requests the gateway refused with 429, by API key id (never the key)', [
      'key_id',
    ]),
    internalAuthRefused: counter(
      'lifecycle_internal_auth_refused_total',
      'Requests a service refused with 401 because they lacked a valid internal credential of the gateway',
      ['reason'],
    ),

    scrapeDuration: gauge('lifecycle_metrics_scrape_duration_seconds', 'Time the scrape sources of the last scrape took', []),
  };
}

export type Metrics = ReturnType<typeof build>;

let built: Metrics | null = null;

/** The platform's metrics (created in the default registry on first call). */
export function metrics(): Metrics {
  if (built === null) {
    built = build();
    bindScrapeMetrics(metrics);
  }
  return built;
}
