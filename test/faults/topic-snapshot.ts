import { Kafka, logLevel } from 'kafkajs';
import { INFRA, TopicRecorder, waitFor } from '@lifecycle/testing';

/**
 * Reads the given physical topics from the beginning up to their end as of now (high watermarks
 * fetched first), so counts are complete. Topics that do not exist are skipped (they hold nothing).
 */
export async function readTopicsToEnd(topics: readonly string[], timeoutMs = 120_000): Promise<TopicRecorder> {
  const kafka = new Kafka({ clientId: 'fault-suite-reader', brokers: INFRA.kafka.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((t) => existing.has(t));
  const lastOffsets: { topic: string; partition: number; last: bigint }[] = [];
  for (const topic of present) {
    // Right after a broker restart a partition's leader may still be moving ("not the leader"):
    // ask again until the offsets come, as a client does once its metadata is fresh.
    const offsets = await waitFor(`the offsets of ${topic}`, () => admin.fetchTopicOffsets(topic), 60_000, 500);
    for (const p of offsets) {
      if (BigInt(p.high) > BigInt(p.low)) lastOffsets.push({ topic, partition: p.partition, last: BigInt(p.high) - 1n });
    }
  }
  await admin.disconnect();
  const recorder = await new TopicRecorder(present).start();
  await waitFor(
    `topics ${present.join(', ')} read to their end`,
    () =>
      lastOffsets.every(({ topic, partition, last }) =>
        recorder.messages.some((m) => m.topic === topic && m.partition === partition && BigInt(m.offset) >= last),
      ),
    timeoutMs,
    250,
  );
  return recorder;
}
