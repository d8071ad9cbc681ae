/**
 * Status events through the real broker into status-tracking and out as `status.changed`:
 * events/s and end-to-end latency (publish → status.changed consumed), beside the raw limits of
 * the same machine measured in the same run (bare kafkajs produce+consume, bare driver writes).
 * The daily counters worker has its own benchmark: bench/daily-counters.bench.ts.
 *   npm run bench -- status-pipeline [events=5000] [accounts=500]
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { Topics } from '@lifecycle/contracts';
import { startService } from '@lifecycle/http';
import { EventPublisher, KafkaConnection } from '@lifecycle/messaging';
import { INFRA, newTestRun, testServiceConfig, waitFor } from '@lifecycle/testing';
import { StatusTrackingModule } from '../apps/status-tracking/src/status-tracking.module';
import { statusTrackingDefinition } from '../apps/status-tracking/src/status-tracking.definition';
import { rawKafka, rawMongoBulk, rawMongoSingle } from './lib/raw-limits';
import { fmt, mib, summarize, table, withMemoryPeak } from './lib/stats';

const DAY = 86_400_000;
const STAGES = ['Kickoff', 'Configuration', 'Implementation', 'Go Live'];

/** `status.changed` latencies: receive time − publish time of the input (matched by account + event time). */
interface LatencyProbe {
  sentAt: Map<string, number>;
  latencies: number[];
  consumer: Consumer;
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 5000);
  const accounts = Number(process.argv[3] ?? 500);
  const run = newTestRun('bench');
  const config = { ...testServiceConfig(run, 'status-tracking'), logLevel: 'error' as const };
  const service = await startService(StatusTrackingModule.register(config), config, statusTrackingDefinition);
  const connection = new KafkaConnection({ brokers: config.kafka.brokers, clientId: 'bench', topicPrefix: run.topicPrefix });
  const publisher = new EventPublisher(connection, 'bench-crm');
  const now = Date.now();
  await publishAttribute(publisher);
  const probe = await startLatencyProbe(config.kafka.brokers, connection.names.physical(Topics.LifecycleStatus));
  await awaitReplica(service.url);

  console.log(
    `status pipeline: ${events} crm.account.status.set events over ${accounts} accounts (6 partitions), one status-tracking instance`,
  );
  const start = Date.now();
  const { peakRss } = await withMemoryPeak(async () => {
    await publishBurst(publisher, probe, events, accounts, now);
    await waitFor('every status.changed', () => probe.latencies.length >= events, 600_000, 200);
  });
  const seconds = (Date.now() - start) / 1000;
  await printFigures(events, seconds, summarize(probe.latencies), peakRss);

  const client = await MongoClient.connect(INFRA.mongo);
  await client.db(run.databaseFor('status-tracking')).dropDatabase();
  await client.close();
  await probe.consumer.disconnect();
  await publisher.close();
  await service.app.close();
}

async function publishAttribute(publisher: EventPublisher): Promise<void> {
  await publisher.publish('attribute.activated', {
    key: 'onboarding-status',
    name: 'Onboarding Status',
    state: 'active',
    version: 2,
    updatedAt: new Date().toISOString(),
    stages: STAGES.map((name, i) => ({ id: `stg-${i}`, name, color: '#1E88E5', order: i, endStage: i === 3, disabled: false })),
  });
}

/** A consumer of `lifecycle.status` recording each `status.changed`'s latency. */
async function startLatencyProbe(brokers: string[], topic: string): Promise<LatencyProbe> {
  const kafka = new Kafka({ clientId: 'bench-out', brokers, logLevel: logLevel.NOTHING });
  const probe: LatencyProbe = { sentAt: new Map(), latencies: [], consumer: kafka.consumer({ groupId: `bench-out-${randomUUID()}` }) };
  await probe.consumer.connect();
  await probe.consumer.subscribe({ topic, fromBeginning: true });
  await probe.consumer.run({
    eachMessage: async ({ message }) => {
      const e = JSON.parse(message.value!.toString()) as { type: string; data: { accountId: string; at: string } };
      if (e.type !== 'status.changed') return;
      const t = probe.sentAt.get(`${e.data.accountId}|${new Date(e.data.at).getTime()}`);
      if (t !== undefined) probe.latencies.push(Date.now() - t);
    },
  });
  return probe;
}

/** Waits for the attribute replica: a probe account accepted. */
async function awaitReplica(serviceUrl: string): Promise<void> {
  await waitFor('attribute replica', async () => {
    const res = await fetch(`${serviceUrl}/v1/accounts/probe/statuses/onboarding-status`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stage: 'Kickoff' }),
    });
    return res.status === 200;
  });
}

/** Every event published at once: one per account per step, each account walking the stages a day apart. */
async function publishBurst(publisher: EventPublisher, probe: LatencyProbe, events: number, accounts: number, now: number): Promise<void> {
  const perAccount = Math.ceil(events / accounts);
  for (let step = 0; step < perAccount; step++) {
    const batch: Promise<unknown>[] = [];
    for (let a = 0; a < accounts && step * accounts + a < events; a++) {
      const at = now - (perAccount - step) * DAY;
      const accountId = `acct-${a}`;
      probe.sentAt.set(`${accountId}|${at}`, Date.now());
      batch.push(
        publisher.publish(
          'crm.account.status.set',
          { accountId, attributeKey: 'onboarding-status', stage: STAGES[step % 4]! },
          { occurredAt: new Date(at) },
        ),
      );
    }
    await Promise.all(batch);
  }
}

/** The pipeline's figures beside the raw limits of the broker and the database, measured now. */
async function printFigures(events: number, seconds: number, pipeline: { p50: number; p99: number }, peakRss: number): Promise<void> {
  const kafkaRaw = await rawKafka(events);
  const mongoBulk = await rawMongoBulk(Math.max(events, 10_000));
  const mongoSingle = await rawMongoSingle(2_000);
  console.log(
    table([
      {
        path: 'status pipeline (Kafka → tracking → Mongo → outbox → Kafka)',
        'events/s': fmt(events / seconds, 0),
        'p50 ms': fmt(pipeline.p50, 0),
        'p99 ms': fmt(pipeline.p99, 0),
        note: `peak RSS ${mib(peakRss)} (bench + service in one process)`,
      },
      {
        path: 'raw: bare kafkajs produce → consume',
        'events/s': fmt(kafkaRaw.perSecond, 0),
        'p50 ms': fmt(kafkaRaw.latency.p50, 0),
        'p99 ms': fmt(kafkaRaw.latency.p99, 0),
        note: 'same broker, same message count',
      },
      {
        path: 'raw: bare driver findOneAndUpdate (1 doc per call)',
        'events/s': fmt(mongoSingle.perSecond, 0),
        'p50 ms': fmt(mongoSingle.latency.p50, 1),
        'p99 ms': fmt(mongoSingle.latency.p99, 1),
        note: 'FerretDB/SQLite, sequential',
      },
      {
        path: 'raw: bare driver bulkWrite upserts',
        'events/s': fmt(mongoBulk.perSecond, 0),
        'p50 ms': '-',
        'p99 ms': '-',
        note: 'batches of 50 (FerretDB hangs on >= 100 ops)',
      },
    ]),
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
