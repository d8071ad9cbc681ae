import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type Admin, type LogEntry, type logCreator } from 'kafkajs';
import { TOPIC_SPECS, type Topic } from '@lifecycle/contracts';
import type { PartitionLag } from './event-consumer';
import { TopicNames } from './topic-names';

export interface KafkaConnectionOptions {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
}

/** kafkajs logs through the service's logger (pino behind Nest's Logger). */
/**
 * kafkajs logs every crash and every restart of a consumer at ERROR; the consumer logs its own
 * state changes once each (event-consumer.ts), so these are demoted to debug.
 */
const CONSUMER_CRASH_LINES = /^(Crash: |Restarting the consumer|Error when calling eachBatch)/;

const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    const line = `${message} ${JSON.stringify(extra)}`;
    if (CONSUMER_CRASH_LINES.test(message)) logger.debug(line);
    else if (level === logLevel.ERROR) logger.error(line);
    else if (level === logLevel.WARN) logger.warn(line);
    else logger.debug(line);
  };
};

/**
 * The one place that knows kafkajs exists (with the consumer and publisher of this library):
 * swapping the client touches this library alone.
 */
export class KafkaConnection {
  readonly kafka: Kafka;
  readonly names: TopicNames;

  constructor(readonly options: KafkaConnectionOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: nestLogCreator,
      retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
      connectionTimeout: 3_000,
    });
    this.names = new TopicNames(options.topicPrefix);
  }

  /**
   * Creates the given topics and their dead-letter topics when missing (auto-creation is off).
   * Several services start at once and create the same topics: a lost race ("already exists",
   * metadata not yet propagated) is tolerated, and the topics are then verified, with retries.
   */
  async ensureTopics(topics: readonly Topic[]): Promise<void> {
    if (topics.length === 0) return;
    const wanted = topics.flatMap((t) => [
      { topic: this.names.physical(t), numPartitions: TOPIC_SPECS[t].partitions, cleanupPolicy: TOPIC_SPECS[t].cleanupPolicy },
      { topic: this.names.deadLetter(t), numPartitions: 1, cleanupPolicy: 'delete' as const },
    ]);
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      let lastError: unknown = null;
      for (let attempt = 1; attempt <= 15; attempt++) {
        try {
          const existing = new Set(await admin.listTopics());
          const missing = wanted.filter((w) => !existing.has(w.topic));
          if (missing.length > 0) {
            await admin
              .createTopics({
                waitForLeaders: false,
                topics: missing.map((m) => ({
                  topic: m.topic,
                  numPartitions: m.numPartitions,
                  replicationFactor: 1,
                  configEntries: [{ name: 'cleanup.policy', value: m.cleanupPolicy }],
                })),
              })
              .catch((e: unknown) => {
                if (!(e instanceof Error && /already exists/i.test(e.message))) throw e;
              });
          }
          await admin.fetchTopicMetadata({ topics: wanted.map((w) => w.topic) });
          return;
        } catch (e) {
          lastError = e;
          await new Promise((r) => setTimeout(r, Math.min(200 * attempt, 2_000)));
        }
      }
      throw lastError instanceof Error ? lastError : new Error(String(lastError));
    } finally {
      await admin.disconnect();
    }
  }

  private admin: Promise<Admin> | null = null;

  /** One long-lived admin client for health checks (lag), reconnected after a failure. */
  private async healthAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 1 } });
      admin.on(admin.events.DISCONNECT, () => {
        this.admin = null;
      });
      await admin.connect();
      return admin;
    })().catch((e: unknown) => {
      this.admin = null;
      throw e;
    });
    return this.admin;
  }

  /**
   * Lag of a consumer group per topic-partition: high watermark minus the committed offset. A
   * partition the group has never committed counts from its start when the group reads from the
   * beginning, else from its end (where such a group starts).
   */
  async groupLag(groupId: string, topics: readonly Topic[], fromBeginning: boolean, timeoutMs = 2_000): Promise<PartitionLag[]> {
    const work = (async () => {
      const admin = await this.healthAdmin();
      const physical = topics.map((t) => this.names.physical(t));
      const committed = await admin.fetchOffsets({ groupId, topics: physical });
      const result: PartitionLag[] = [];
      for (const [i, topic] of topics.entries()) {
        const offsets = await admin.fetchTopicOffsets(physical[i]!);
        const byPartition = new Map((committed.find((c) => c.topic === physical[i])?.partitions ?? []).map((p) => [p.partition, p.offset]));
        for (const o of offsets) {
          const raw = byPartition.get(o.partition);
          const has = raw !== undefined && BigInt(raw) >= 0n;
          const from = has ? BigInt(raw) : fromBeginning ? BigInt(o.low) : BigInt(o.high);
          const lag = BigInt(o.high) - from;
          result.push({ topic, partition: o.partition, committed: has ? raw : null, high: o.high, lag: Number(lag > 0n ? lag : 0n) });
        }
      }
      return result.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    })();
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
    );
    return Promise.race([work, timeout]);
  }

  /** Nest calls this on shutdown wherever the connection is provided (services and the gateway). */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    if (admin) await (await admin.catch(() => null))?.disconnect().catch(() => undefined);
  }

  /** For the health check: the broker answers a metadata request. */
  async ping(timeoutMs = 2_000): Promise<void> {
    // The long-lived admin client: a new connection per check costs more than the check itself.
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
    );
    await Promise.race([(async () => (await this.healthAdmin()).describeCluster())(), timeout]);
  }
}
