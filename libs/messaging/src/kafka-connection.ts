import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import { TOPIC_SPECS, type Topic } from '@lifecycle/contracts';
import { TopicNames } from './topic-names';

export interface KafkaConnectionOptions {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
}

/** kafkajs logs through the service's logger (pino behind Nest's Logger). */
const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    const line = `${message} ${JSON.stringify(extra)}`;
    if (level === logLevel.ERROR) logger.error(line);
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

  /** For the health check: the broker answers a metadata request. */
  async ping(timeoutMs = 2_000): Promise<void> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
    );
    try {
      await Promise.race([
        (async () => {
          await admin.connect();
          await admin.describeCluster();
        })(),
        timeout,
      ]);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
