import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { summarize } from './stats';

const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const MONGO = process.env.BENCH_MONGO_URL ?? 'mongodb://127.0.0.1:27017';

/**
 * The machine's raw limit for the same path: bare kafkajs produce → consume of `n` small
 * messages (keyed, 6 partitions, acks=all, idempotent producer as the services use), with the
 * end-to-end latency of each message.
 */
export async function rawKafka(n: number, batch = 200): Promise<{ perSecond: number; latency: ReturnType<typeof summarize> }> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const topic = `bench-raw-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6 }] });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}` });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  const latencies: number[] = [];
  let received = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        latencies.push(Date.now() - Number(message.value!.toString().split('|')[0]));
        if (++received === n) resolve();
      },
    });
  });
  const start = Date.now();
  for (let i = 0; i < n; i += batch) {
    const messages = Array.from({ length: Math.min(batch, n - i) }, (_, j) => ({ key: `acct-${(i + j) % 1000}`, value: `${Date.now()}|${'x'.repeat(200)}` }));
    await producer.send({ topic, acks: -1, messages });
  }
  await done;
  const seconds = (Date.now() - start) / 1000;
  await Promise.all([producer.disconnect(), consumer.disconnect()]);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  return { perSecond: n / seconds, latency: summarize(latencies) };
}

/** The database's raw limit: bare driver `bulkWrite` upserts of `n` small documents. */
export async function rawMongoBulk(n: number, batch = 50): Promise<{ perSecond: number }> {
  const client = await MongoClient.connect(MONGO);
  const db = client.db(`bench_raw_${randomUUID().slice(0, 8)}`);
  const col = db.collection<{ _id: string; n: number; at: Date }>('docs');
  const start = Date.now();
  for (let i = 0; i < n; i += batch) {
    await col.bulkWrite(
      Array.from({ length: Math.min(batch, n - i) }, (_, j) => ({
        updateOne: { filter: { _id: `doc-${i + j}` }, update: { $set: { n: i + j, at: new Date() } }, upsert: true },
      })),
      { ordered: false },
    );
  }
  const seconds = (Date.now() - start) / 1000;
  await db.dropDatabase();
  await client.close();
  return { perSecond: n / seconds };
}

/** Single-document round trips (findOneAndUpdate), the shape of one status change's write. */
export async function rawMongoSingle(n: number): Promise<{ perSecond: number; latency: ReturnType<typeof summarize> }> {
  const client = await MongoClient.connect(MONGO);
  const db = client.db(`bench_raw_${randomUUID().slice(0, 8)}`);
  const col = db.collection<{ _id: string; n: number }>('docs');
  const latencies: number[] = [];
  const start = Date.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await col.findOneAndUpdate({ _id: `doc-${i % 500}` }, { $inc: { n: 1 } }, { upsert: true });
    latencies.push(performance.now() - t);
  }
  const seconds = (Date.now() - start) / 1000;
  await db.dropDatabase();
  await client.close();
  return { perSecond: n / seconds, latency: summarize(latencies) };
}
