/**
 * Status events through the real broker into status-tracking and out as `status.changed`:
 * events/s and end-to-end latency (publish → status.changed consumed), beside the raw limits of
 * the same machine measured in the same run (bare kafkajs produce+consume, bare driver writes).
 * The daily counters worker has its own benchmark: bench/daily-counters.bench.ts.
 *   npm run bench -- status-pipeline [events=5000] [accounts=500]
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
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

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 5000);
  const accounts = Number(process.argv[3] ?? 500);
  const run = newTestRun('bench');
  const config = { ...testServiceConfig(run, 'status-tracking'), logLevel: 'error' as const };
  const service = await startService(StatusTrackingModule.register(config), config, statusTrackingDefinition);
  const connection = new KafkaConnection({ brokers: config.kafka.brokers, clientId: 'bench', topicPrefix: run.topicPrefix });
  const publisher = new EventPublisher(connection, 'bench-crm');
  const now = Date.now();
  await publisher.publish('attribute.activated', {
    key: 'onboarding-status',
    name: 'Onboarding Status',
    state: 'active',
    version: 2,
    updatedAt: new Date().toISOString(),
    stages: STAGES.map((name, i) => ({ id: `stg-${i}`, name, color: '#1E88E5', order: i, endStage: i === 3, disabled: false })),
  });

  // Consumer of status.changed: latency = receive time − publish time of the input (matched by account + event time).
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const kafka = new Kafka({ clientId: 'bench-out', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
  const out = kafka.consumer({ groupId: `bench-out-${randomUUID()}` });
  await out.connect();
  await out.subscribe({ topic: connection.names.physical(Topics.LifecycleStatus), fromBeginning: true });
  await out.run({
    eachMessage: async ({ message }) => {
      const e = JSON.parse(message.value!.toString()) as { type: string; data: { accountId: string; at: string } };
      if (e.type !== 'status.changed') return;
      const t = sentAt.get(`${e.data.accountId}|${new Date(e.data.at).getTime()}`);
      if (t !== undefined) latencies.push(Date.now() - t);
    },
  });

  // Wait for the replica: a probe account accepted.
  await waitFor('attribute replica', async () => {
    const res = await fetch(`${service.url}/v1/accounts/probe/statuses/onboarding-status`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stage: 'Kickoff' }),
    });
    return res.status === 200;
  });

  console.log(
    `status pipeline: ${events} crm.account.status.set events over ${accounts} accounts (6 partitions), one status-tracking instance`,
  );
  const perAccount = Math.ceil(events / accounts);
  const start = Date.now();
  const { peakRss } = await withMemoryPeak(async () => {
    for (let step = 0; step < perAccount; step++) {
      const batch: Promise<unknown>[] = [];
      for (let a = 0; a < accounts && step * accounts + a < events; a++) {
        const at = now - (perAccount - step) * DAY;
        const accountId = `acct-${a}`;
        sentAt.set(`${accountId}|${at}`, Date.now());
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
    await waitFor('every status.changed', () => latencies.length >= events, 600_000, 200);
  });
  const seconds = (Date.now() - start) / 1000;
  const pipeline = summarize(latencies);

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

  const client = await MongoClient.connect(INFRA.mongo);
  await client.db(run.databaseFor('status-tracking')).dropDatabase();
  await client.close();
  await out.disconnect();
  await publisher.close();
  await service.app.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
