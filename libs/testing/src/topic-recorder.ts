import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
// Registers every Kafka compression codec: recorded topics may hold any of them.
import '@lifecycle/messaging';
import { INFRA } from './test-config';

export interface RecordedMessage {
  topic: string;
  key: string | null;
  value: string;
  json: Record<string, unknown>;
  partition: number;
  offset: string;
}

/** Reads physical topics from the beginning into memory, for assertions on what services published. */
export class TopicRecorder {
  readonly messages: RecordedMessage[] = [];
  private consumer: Consumer | null = null;

  constructor(private readonly topics: string[]) {}

  async start(): Promise<this> {
    const kafka = new Kafka({ clientId: 'topic-recorder', brokers: INFRA.kafka.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = this.topics.filter((t) => !existing.has(t));
    if (missing.length)
      await admin
        .createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: 1 })) })
        .catch(() => undefined);
    await admin.disconnect();
    this.consumer = kafka.consumer({ groupId: `recorder-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const value = message.value?.toString('utf8') ?? '';
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(value) as Record<string, unknown>;
        } catch {
          // kept as raw value
        }
        this.messages.push({ topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, value, json });
      },
    });
    return this;
  }

  on(topic: string): RecordedMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
