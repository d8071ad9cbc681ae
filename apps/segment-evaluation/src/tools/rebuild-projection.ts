/**
 * Operator tool for rebuilding the projection from the topics (README: "Rebuilding the
 * projection"). Same environment as the service (MONGO_URL, KAFKA_BROKERS, KAFKA_GROUP_SUFFIX,
 * KAFKA_TOPIC_PREFIX, REDIS_URL), so it names the same database, group and topics.
 *
 *   prepare  (service stopped) drops what the topics rebuild — `account_projections`,
 *            `attributes`, `processed_events` — keeps `segments`, and pauses live membership.
 *   lag      prints the consumer group's lag per topic; exits 0 once it is 0 everywhere.
 */
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { loadServiceConfig } from '@lifecycle/config';
import { EVENTS, type Topic } from '@lifecycle/contracts';
import { TopicNames } from '@lifecycle/messaging';
import { ATTRIBUTE_REPLICA_COLLECTION } from '@lifecycle/messaging';
import { ACCOUNT_PROJECTION_COLLECTION } from '../projection/account-projection.schema';
import { SETTINGS_COLLECTION } from '../projection/membership-settings.repository';

const CONSUMED: readonly Topic[] = [
  ...new Set((['crm.account.upserted', 'attribute.created', 'status.changed', 'day.rolled'] as const).map((type) => EVENTS[type].topic)),
];

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function prepare(): Promise<void> {
  const config = loadServiceConfig('segment-evaluation', 3004, process.env);
  const client = await MongoClient.connect(config.mongo.url);
  try {
    const db = client.db();
    for (const name of [ACCOUNT_PROJECTION_COLLECTION, ATTRIBUTE_REPLICA_COLLECTION, 'processed_events']) {
      const dropped = await db
        .collection(name)
        .drop()
        .catch(() => false);
      print(`${dropped ? 'dropped' : 'absent '} ${db.databaseName}.${name}`);
    }
    await db
      .collection<{ _id: string }>(SETTINGS_COLLECTION)
      .updateOne({ _id: 'membership' }, { $set: { live: false, updatedAt: new Date() } }, { upsert: true });
    print('live membership paused; `segments` kept');
  } finally {
    await client.close();
  }
}

async function lag(): Promise<number> {
  const config = loadServiceConfig('segment-evaluation', 3004, process.env);
  const names = new TopicNames(config.kafka.topicPrefix);
  const admin = new Kafka({ clientId: 'segment-evaluation-rebuild', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    let total = 0;
    const existing = new Set(await admin.listTopics());
    for (const topic of CONSUMED) {
      const physical = names.physical(topic);
      if (!existing.has(physical)) {
        print(`${config.kafka.groupId} ${physical}: no such topic (nothing to read)`);
        continue;
      }
      const ends = await admin.fetchTopicOffsets(physical);
      const [committed] = await admin.fetchOffsets({ groupId: config.kafka.groupId, topics: [physical] });
      const byPartition = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
      const topicLag = ends.reduce((sum, p) => {
        const done = byPartition.get(p.partition) ?? -1;
        return sum + Math.max(0, Number(p.high) - Math.max(done, Number(p.low)));
      }, 0);
      total += topicLag;
      print(`${config.kafka.groupId} ${physical}: lag ${topicLag}`);
    }
    return total;
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const command = process.argv[2];
  if (command === 'prepare') return prepare();
  if (command === 'lag') {
    process.exitCode = (await lag()) === 0 ? 0 : 1;
    return;
  }
  print('usage: rebuild-projection.ts prepare | lag');
  process.exitCode = 2;
}

void main();
