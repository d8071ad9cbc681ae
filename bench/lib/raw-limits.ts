import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { BSON, MongoClient, type Collection, type Document } from 'mongodb';
import { INFRA } from '@lifecycle/testing';
import { answer, commands, startChild } from './child';
import { processCpuMicros } from './process-cpu';
import { summarize } from './stats';

/** The servers the services under test use (`INFRA`: TEST_KAFKA_BROKERS, TEST_MONGO_URL), unless told otherwise. */
const BROKERS = (process.env.KAFKA_BROKERS ?? INFRA.kafka).split(',');
const MONGO = process.env.BENCH_MONGO_URL ?? INFRA.mongo;

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
    const messages = Array.from({ length: Math.min(batch, n - i) }, (_, j) => ({
      key: `acct-${(i + j) % 1000}`,
      value: `${Date.now()}|${'x'.repeat(200)}`,
    }));
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

/** Bare bulk updates by `_id` in a collection of a given size, timed as often as asked (`rawUpdateTarget`). */
export interface RawUpdateTarget {
  /**
   * `updates` documents spread over the collection (from `offset` on) rewritten by `_id` with
   * bare driver `bulkWrite` updates, `batch` (default 50) per call, stopping after the batch that
   * passes `maxSeconds`.
   */
  measure(
    updates: number,
    options?: { batch?: number; maxSeconds?: number; offset?: number },
  ): Promise<{ perSecond: number; updates: number; docBytes: number }>;
  drop(): Promise<void>;
}

/**
 * The database's raw limit for rewriting documents one by one in a collection of a given size:
 * `existing` documents of `docBytes` bytes of BSON (mostly a binary field, like the encoded aggregates the
 * services store) are bulk-inserted into a scratch database once; each `measure` then times bare
 * bulk updates by `_id` in it, so the limit can be taken before and after the work it is compared
 * with, on the same collection. On FerretDB v1 (SQLite) an `_id` filter is pushed down to SQL but no
 * index serves it, so this cost grows with `existing`.
 */
export async function rawUpdateTarget(existing: number, docBytes: number): Promise<RawUpdateTarget> {
  const client = await MongoClient.connect(MONGO);
  const db = client.db(`bench_raw_${randomUUID().slice(0, 8)}`);
  const col = db.collection<{ _id: string; version: number; blob: Buffer; tags: string[]; at: Date }>('docs');
  const id = (i: number) => `doc-${String(i).padStart(7, '0')}`;
  // The blob makes up the rest: each whole document is `docBytes` of BSON.
  const fields = BSON.calculateObjectSize({ _id: id(0), version: 1, blob: Buffer.alloc(0), tags: ['t'], at: new Date() });
  const blob = Buffer.alloc(Math.max(0, docBytes - fields), 7);
  for (let i = 0; i < existing; i += 1_000) {
    await col.insertMany(
      Array.from({ length: Math.min(1_000, existing - i) }, (_, j) => ({ _id: id(i + j), version: 1, blob, tags: ['t'], at: new Date() })),
      { ordered: false },
    );
  }
  return {
    async measure(updates, options = {}) {
      const batch = options.batch ?? 50;
      const maxSeconds = options.maxSeconds ?? Infinity;
      const offset = options.offset ?? 0;
      const n = Math.min(updates, existing);
      const step = Math.max(1, Math.floor(existing / n));
      const start = Date.now();
      let done = 0;
      while (done < n && (Date.now() - start) / 1000 < maxSeconds) {
        const size = Math.min(batch, n - done);
        await col.bulkWrite(
          Array.from({ length: size }, (_, j) => ({
            updateOne: {
              filter: { _id: id((offset + (done + j) * step) % existing) },
              update: { $set: { blob, at: new Date() }, $inc: { version: 1 } },
            },
          })),
          { ordered: false },
        );
        done += size;
      }
      return { perSecond: done / ((Date.now() - start) / 1000), updates: done, docBytes };
    },
    async drop() {
      await db.dropDatabase();
      await client.close();
    },
  };
}

/** `rawUpdateTarget` measured once: `updates` bare bulk updates by `_id` among `existing` documents. */
export async function rawMongoBulkUpdates(
  existing: number,
  updates: number,
  docBytes: number,
  options: { batch?: number; maxSeconds?: number } = {},
): Promise<{ perSecond: number; updates: number; docBytes: number }> {
  const target = await rawUpdateTarget(existing, docBytes);
  try {
    return await target.measure(updates, options);
  } finally {
    await target.drop();
  }
}

/**
 * The database's raw limit for reading a whole collection: one bare driver `find({})` cursor (no
 * filter, no sort, no projection, `batchSize` 1,000) over `source`, e.g. the documents a job reads.
 */
export async function rawMongoScan(source: Collection): Promise<{ count: number; perSecond: number }> {
  const start = Date.now();
  let count = 0;
  for await (const _doc of source.find({}).batchSize(1_000)) count++;
  return { count, perSecond: count / ((Date.now() - start) / 1000) };
}

/**
 * The database's raw limit for plain inserts: the documents of `source` (e.g. what a job wrote)
 * inserted again into an empty collection of a scratch database by bare driver `insertMany`,
 * `batch` per call; only the inserts are timed.
 */
export async function rawMongoInsertMany(source: Collection, batch = 1_000): Promise<{ count: number; perSecond: number }> {
  const client = await MongoClient.connect(MONGO);
  const db = client.db(`bench_raw_${randomUUID().slice(0, 8)}`);
  const target = db.collection('docs');
  let count = 0;
  let ms = 0;
  let chunk: Document[] = [];
  const flush = async () => {
    const start = Date.now();
    await target.insertMany(chunk, { ordered: false });
    ms += Date.now() - start;
    count += chunk.length;
    chunk = [];
  };
  for await (const doc of source.find({}).batchSize(batch)) {
    chunk.push(doc);
    if (chunk.length >= batch) await flush();
  }
  if (chunk.length > 0) await flush();
  await db.dropDatabase();
  await client.close();
  return { count, perSecond: count / (ms / 1000) };
}

/**
 * The raw limit of the status pipeline: a bare kafkajs + driver pipeline in a process of its own
 * (`bare-pipeline.child.ts`, as the service runs in its own): consume a batch of one partition,
 * one bulk upsert by `_id` per event (in bulks of 50), one produced event per input, commit. This
 * process publishes `events` over `accounts` keys in sends of 500 and reads the output; events/s,
 * publish → output latency, and the pipeline process's CPU per event.
 */
export async function rawPipeline(
  events: number,
  accounts: number,
): Promise<{ perSecond: number; latency: ReturnType<typeof summarize>; processUsPerEvent: number }> {
  const kafka = new Kafka({ clientId: 'bench-raw-pipeline', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const input = `bench-raw-in-${randomUUID()}`;
  const output = `bench-raw-out-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [input, output].map((topic) => ({ topic, numPartitions: 6 })) });
  const pipeline = startChild(join(__dirname, 'bare-pipeline.child.ts'), [input, output]);
  await pipeline.next();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const reader = kafka.consumer({ groupId: `bench-raw-reader-${randomUUID()}` });
  await Promise.all([producer.connect(), reader.connect()]);
  await reader.subscribe({ topic: output, fromBeginning: true });
  const latencies: number[] = [];
  const done = new Promise<void>((resolve) => {
    void reader.run({
      // Like the status pipeline's probe: no commits in the measured path.
      autoCommit: false,
      eachMessage: async ({ message }) => {
        latencies.push(Date.now() - (JSON.parse(message.value!.toString()) as { sentAt: number }).sentAt);
        if (latencies.length === events) resolve();
      },
    });
  });
  const cpuBefore = processCpuMicros(pipeline.pid) ?? NaN;
  const start = Date.now();
  for (let i = 0; i < events; i += 500) {
    const messages = Array.from({ length: Math.min(500, events - i) }, (_, j) => ({
      key: `acct-${(i + j) % accounts}`,
      value: JSON.stringify({ sentAt: Date.now(), stage: `stage-${(i + j) % 4}` }),
    }));
    await producer.send({ topic: input, acks: -1, messages });
  }
  await done;
  const seconds = (Date.now() - start) / 1000;
  const cpuAfter = processCpuMicros(pipeline.pid) ?? NaN;
  await pipeline.stop();
  await Promise.all([producer.disconnect(), reader.disconnect()]);
  await admin.deleteTopics({ topics: [input, output] }).catch(() => undefined);
  await admin.disconnect();
  return { perSecond: events / seconds, latency: summarize(latencies), processUsPerEvent: (cpuAfter - cpuBefore) / events };
}

/** The bare pipeline itself, in the child: runs until STOP, then drops its database. */
export async function runBarePipeline(input: string, output: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench-raw-pipeline', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const client = await MongoClient.connect(MONGO);
  const db = client.db(`bench_raw_${randomUUID().slice(0, 8)}`);
  const states = db.collection<{ _id: string; stage: string; at: Date; n: number }>('states');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const pipeline = kafka.consumer({ groupId: `bench-raw-pipeline-${randomUUID()}` });
  await Promise.all([producer.connect(), pipeline.connect()]);
  await pipeline.subscribe({ topic: input, fromBeginning: true });
  await pipeline.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
      const parsed = batch.messages.map((m) => ({
        key: m.key!.toString(),
        value: JSON.parse(m.value!.toString()) as { sentAt: number; stage: string },
      }));
      for (let i = 0; i < parsed.length; i += 50) {
        await states.bulkWrite(
          parsed.slice(i, i + 50).map((p) => ({
            updateOne: { filter: { _id: p.key }, update: { $set: { stage: p.value.stage, at: new Date() }, $inc: { n: 1 } }, upsert: true },
          })),
          { ordered: false },
        );
      }
      await producer.send({
        topic: output,
        acks: -1,
        messages: parsed.map((p) => ({ key: p.key, value: JSON.stringify(p.value) })),
      });
      resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
      await commitOffsetsIfNecessary();
    },
  });
  answer('ready');
  for await (const line of commands()) if (line === 'STOP') break;
  await Promise.all([producer.disconnect(), pipeline.disconnect()]);
  await db.dropDatabase();
  await client.close();
}
