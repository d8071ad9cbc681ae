/**
 * The daily counters worker (L14) over many account states: the real path (POST
 * /v1/internal/daily-counters/run → BullMQ job → DailyCountersService) timed to the job's
 * completion, with the peak memory of the process (service and bench share it), beside the
 * database's raw limits measured in the same run. Two runs: the first fills an empty
 * `lifecycle_days`, the second (the steady state, every day after) replaces N existing figures.
 * States are seeded straight into the service's database (insertMany of ready-made documents,
 * at most 1,000 per call), every 10th account canceled.
 *   npm run bench -- daily-counters [states=100000]
 */
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { BSON, MongoClient, type Db } from 'mongodb';
import { startService } from '@lifecycle/http';
import { EventPublisher } from '@lifecycle/messaging';
import { newTestRun, testServiceConfig, waitFor } from '@lifecycle/testing';
import { seededStates } from '../apps/status-tracking/src/daily-counters/daily-counters.fixture';
import { LIFECYCLE_DAYS_COLLECTION } from '../apps/status-tracking/src/daily-counters/lifecycle-days.schema';
import { ACCOUNT_FACTS_COLLECTION } from '../apps/status-tracking/src/accounts/account-facts.schema';
import { MaterializeDayJob } from '../apps/status-tracking/src/jobs/tracking-jobs';
import { LIFECYCLE_STATE_COLLECTION } from '../apps/status-tracking/src/statuses/lifecycle-state.schema';
import { statusTrackingDefinition } from '../apps/status-tracking/src/status-tracking.definition';
import { StatusTrackingModule } from '../apps/status-tracking/src/status-tracking.module';
import { onboardingAttribute } from '../apps/status-tracking/src/testing/status-tracking.harness';
import { rawMongoBulk, rawMongoInsertMany, rawMongoScan } from './lib/raw-limits';
import { fmt, mib, table, withMemoryPeak } from './lib/stats';

const SEED_CHUNK = 1_000;
/** Upserts by `_id` (one round trip each, 50 per call): measured on a bounded count, the rate does not depend on it with the _id index patch. */
const RAW_UPSERTS = 2_000;

interface JobView {
  state: string;
  failedReason: string | null;
  result: { statesSeen: number; statesMaterialized: number } | null;
}

type Row = Record<string, string>;

async function main(): Promise<void> {
  const states = Number(process.argv[2] ?? 100_000);
  const run = newTestRun('benchdaily');
  const config = { ...testServiceConfig(run, 'status-tracking'), logLevel: 'error' as const };
  const service = await startService(StatusTrackingModule.register(config), config, statusTrackingDefinition);
  const client = await MongoClient.connect(config.mongo.url);
  const db = client.db();
  try {
    await publishAttribute(service);
    const docBytes = await seedStates(db, states);
    const rows: Row[] = [];
    for (const label of ['first run (empty lifecycle_days)', 'next run (replaces N figures)'])
      rows.push(await runJob(service, db, states, label));
    rows.push(...(await rawLimitRows(db, states, docBytes)));
    console.log(table(rows));
  } finally {
    // The run's BullMQ keys go with it (the daily scheduler would otherwise stay in Redis).
    const queue = service.app.get<Queue>(getQueueToken(MaterializeDayJob.queue));
    await queue.removeJobScheduler(MaterializeDayJob.schedulerId).catch(() => undefined);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await db.dropDatabase().catch(() => undefined);
    await client.close();
    await service.app.close();
  }
}

type RunningService = Awaited<ReturnType<typeof startService>>;

/** The catalog's attribute, through the topic; waits until the service's replica has it. */
async function publishAttribute(service: RunningService): Promise<void> {
  const attribute = onboardingAttribute();
  await service.app.get(EventPublisher).publish('attribute.activated', attribute);
  await waitFor('the attribute in the replica', async () => {
    const res = await fetch(`${service.url}/v1/internal/attributes`);
    const body = (await res.json()) as { items: { key: string }[] };
    return body.items.some((a) => a.key === attribute.key);
  });
}

/** `states` account states (every 10th account canceled) straight into the database; returns a state's size in bytes. */
async function seedStates(db: Db, states: number): Promise<number> {
  const base = new Date();
  const seedStart = Date.now();
  let docBytes = 0;
  for (let i = 0; i < states; i += SEED_CHUNK) {
    const chunk = seededStates(Math.min(SEED_CHUNK, states - i), { prefix: 'bench', base, canceledEvery: 10, from: i });
    docBytes ||= BSON.calculateObjectSize(chunk.states[0]!);
    await db.collection(LIFECYCLE_STATE_COLLECTION).insertMany(chunk.states as never[]);
    if (chunk.canceledAccounts.length > 0) await db.collection(ACCOUNT_FACTS_COLLECTION).insertMany(chunk.canceledAccounts as never[]);
  }
  const seedSeconds = (Date.now() - seedStart) / 1000;
  console.log(
    `daily counters: ${states} states seeded in ${fmt(seedSeconds, 1)} s (${fmt(states / seedSeconds, 0)}/s, ~${docBytes} B each); RSS ${mib(process.memoryUsage().rss)} before the runs`,
  );
  return docBytes;
}

/** One run of the job through its REST trigger, timed to completion, with the process's peak memory. */
async function runJob(service: RunningService, db: Db, states: number, label: string): Promise<Row> {
  const before = process.memoryUsage();
  const t0 = Date.now();
  const res = await fetch(`${service.url}/v1/internal/daily-counters/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { jobId } = (await res.json()) as { jobId: string };
  const {
    result: job,
    peakRss,
    peakHeap,
  } = await withMemoryPeak(() =>
    waitFor(
      'daily counters job',
      async () => {
        const view = (await (await fetch(`${service.url}/v1/jobs/${jobId}`)).json()) as JobView;
        if (view.state === 'failed') throw new Error(`daily counters job failed: ${view.failedReason}`);
        return view.state === 'completed' ? view : undefined;
      },
      6 * 3_600_000,
      250,
    ),
  );
  const seconds = (Date.now() - t0) / 1000;
  const written = await db.collection(LIFECYCLE_DAYS_COLLECTION).estimatedDocumentCount();
  if (job.result?.statesSeen !== states || written !== states) {
    throw new Error(`expected ${states} states seen and written, got ${JSON.stringify(job.result)} and ${written} documents`);
  }
  return {
    path: `daily counters job, ${label}`,
    count: String(states),
    seconds: fmt(seconds, 1),
    'per s': fmt(states / seconds, 0),
    'peak memory': `RSS ${mib(peakRss)}, heap ${mib(peakHeap)}`,
    note: `${job.result.statesMaterialized} materialized; before: RSS ${mib(before.rss)}, heap ${mib(before.heapUsed)}`,
  };
}

/**
 * Raw limits of the same run: the bare driver reading the same state documents, inserting the
 * same lifecycle_days documents (each alone, not overlapped), and upserts by `_id` (the write path
 * the job avoids).
 */
async function rawLimitRows(db: Db, states: number, docBytes: number): Promise<Row[]> {
  const scan = await rawMongoScan(db.collection(LIFECYCLE_STATE_COLLECTION));
  const insertMany = await rawMongoInsertMany(db.collection(LIFECYCLE_DAYS_COLLECTION));
  const upserts = await rawMongoBulk(Math.min(states, RAW_UPSERTS));
  const raw = (path: string, count: number, perSecond: number, note: string) => ({
    path,
    count: String(count),
    seconds: fmt(count / perSecond, 1),
    'per s': fmt(perSecond, 0),
    'peak memory': '-',
    note,
  });
  return [
    raw('raw: bare driver find({}) over the same states', scan.count, scan.perSecond, `batchSize 1000, ~${docBytes} B documents`),
    raw(
      'raw: bare driver insertMany of the same figures',
      insertMany.count,
      insertMany.perSecond,
      '1000 per call, into an empty collection',
    ),
    raw(
      'raw: bare driver bulkWrite upserts by _id',
      Math.min(states, RAW_UPSERTS),
      upserts.perSecond,
      '50 per call, into a fresh collection',
    ),
  ];
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
