/**
 * Segments at scale (S3–S5): N projected accounts in segment-evaluation's own database, then,
 * through the real HTTP endpoints and topics of the service started in this process:
 * - preview of a days-based criteria tree (count + first page), p50/p99 over repetitions;
 * - the progress board (S4) of a broad saved segment, now and `asOf` a past date;
 * - a few live `status.changed` events (event → projection written);
 * - the day roll: `day.rolled` published on the real topic, the membership job it starts timed
 *   until completed and until its `segment.entered` / `segment.exited` events are all out;
 * - a segment saved over the whole projection (its initial membership job);
 * beside the raw limits of the same run (bare driver: the same compiled filter, a full scan, one
 * document read and written by `_id`), so the reader sees what the service adds over the server.
 *   npm run bench -- segments [accounts=1000000] [secondsPerMeasure=90] [jobMinutes=30]
 * Repetitions follow the time budget (at least 3 previews, 2 boards); a job still running after
 * `jobMinutes` is reported with its rate and the time it would need for the changes the seeding
 * predicts. Seeding writes ready-made projection documents with the bare driver (insertMany of
 * 1000) with the memberships yesterday's roll left, so the day roll moves only the accounts
 * that crossed a day boundary. Servers: TEST_KAFKA_BROKERS, TEST_MONGO_URL, TEST_REDIS_URL (as the
 * tests; default the shared ones); BENCH_LOG_LEVEL for the service's logs (default error).
 * At 1M on FerretDB every scan takes minutes; to fit a run in about 1.5 h:
 *   BENCH_MIN_RUNS=2 (previews and boards at least this many times, default 3 and 2),
 *   BENCH_RAW=scan (of the raw limits only the full scan and the by-id reads, not the three
 *   filtered scans), BENCH_LATE_SEGMENT=0 (not the segment saved over the whole projection).
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { MongoClient, type Collection, type Db } from 'mongodb';
import { Topics } from '@lifecycle/contracts';
import { startService } from '@lifecycle/http';
import { EventPublisher } from '@lifecycle/messaging';
import { Storage, type StorageEngine } from '@lifecycle/storage';
import { INFRA, newTestRun, seededRandom, testServiceConfig, waitFor } from '@lifecycle/testing';
import { MS_PER_DAY } from '@lifecycle/rules';
import type { ResolvedCriteria } from '../apps/segment-evaluation/src/domain/criteria';
import { resolveCriteria } from '../apps/segment-evaluation/src/domain/criteria-validation';
import { matches } from '../apps/segment-evaluation/src/domain/criteria-matcher';
import type { ProjectedAttribute, ProjectedTransition } from '../apps/segment-evaluation/src/domain/projection-updates';
import { resolveSavedCriteria } from '../apps/segment-evaluation/src/domain/saved-criteria';
import {
  ACCOUNT_PROJECTION_COLLECTION,
  type AccountProjectionDocument,
} from '../apps/segment-evaluation/src/projection/account-projection.schema';
import { criteriaQuery } from '../apps/segment-evaluation/src/projection/criteria-query';
import { withQueryKeys } from '../apps/segment-evaluation/src/projection/query-keys';
import { AccountProjectionRepository } from '../apps/segment-evaluation/src/projection/account-projection.repository';
import { segmentEvaluationDefinition } from '../apps/segment-evaluation/src/segment-evaluation.definition';
import { SegmentEvaluationModule } from '../apps/segment-evaluation/src/segment-evaluation.module';
import { fmt, mib, summarize, table, withMemoryPeak } from './lib/stats';

const ATTRIBUTE = 'onboarding-status';
const STAGES = [
  { id: 'stg-kickoff', name: 'Kickoff', order: 1, endStage: false },
  { id: 'stg-configuration', name: 'Configuration', order: 2, endStage: false },
  { id: 'stg-implementation', name: 'Implementation', order: 3, endStage: false },
  { id: 'stg-go-live', name: 'Go Live', order: 4, endStage: true },
] as const;
const SEED_BATCH = 1_000;
const MIN_RUNS = process.env.BENCH_MIN_RUNS === undefined ? undefined : Math.max(1, Number(process.env.BENCH_MIN_RUNS));
const RAW_FILTERED = process.env.BENCH_RAW !== 'scan';
const LATE_SEGMENT = process.env.BENCH_LATE_SEGMENT !== '0';

/** The tree the issue names: stuck in Kickoff over 30 days, not canceled, and (larger accounts or renewing soon). */
const PREVIEW_CRITERIA = {
  all: [
    { attribute: ATTRIBUTE, isOneOf: ['Kickoff'], daysInStage: { gt: 30 } },
    { field: 'canceled', is: false },
    {
      any: [
        { field: 'clientType', isOneOf: ['enterprise', 'mid-market'] },
        { field: 'renewalDate', withinDays: 90 },
      ],
    },
  ],
};

/** Saved before seeding (their memberships are seeded as of yesterday); all time-based but the board's. */
const SAVED = [
  { name: 'Stuck in Kickoff over 30 days (larger or renewing)', criteria: PREVIEW_CRITERIA },
  {
    name: 'Implementation for 14 to 59 days',
    criteria: { attribute: ATTRIBUTE, isOneOf: ['Implementation'], daysInStage: { gte: 14, lt: 60 } },
  },
  { name: 'Went live in the last 7 days', criteria: { attribute: ATTRIBUTE, changed: { lastDays: 7, toStage: 'Go Live' } } },
  { name: 'Renewing within 30 days', criteria: { field: 'renewalDate', withinDays: 30 } },
  { name: 'Onboarding not finished (board)', criteria: { attribute: ATTRIBUTE, isNotOneOf: ['Go Live'] } },
];
/** Saved after seeding: its job lets every matching account enter (the initial membership). */
const SAVED_LATE = {
  name: 'Enterprise in Configuration',
  criteria: {
    all: [
      { attribute: ATTRIBUTE, isOneOf: ['Configuration'] },
      { field: 'clientType', isOneOf: ['enterprise'] },
    ],
  },
};

interface Api {
  <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; ms: number }>;
}

/** Exponentially distributed ms with the given mean in days (most accounts move on, a long tail is stuck). */
function expDays(rnd: () => number, meanDays: number, capDays = 720): number {
  return Math.min(-Math.log(1 - rnd()) * meanDays, capDays) * MS_PER_DAY;
}

function pick<T>(rnd: () => number, weighted: readonly (readonly [T, number])[]): T {
  let r = rnd();
  for (const [value, weight] of weighted) {
    if ((r -= weight) < 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

/**
 * One account as the projection holds it after status-tracking's events: stages passed forward
 * (L3), Go Live completes the cycle (L5, some accounts on their second cycle), a few cleared (L7),
 * some never onboarded; canceled accounts (L10), client types, owners, renewals.
 */
function projectionDocument(i: number, now: number, rnd: () => number, engine: StorageEngine): AccountProjectionDocument {
  const id = `acct-${String(i).padStart(7, '0')}`;
  const state = pick<'none' | 'cleared' | 0 | 1 | 2 | 3>(rnd, [
    ['none', 0.08],
    ['cleared', 0.02],
    [0, 0.22],
    [1, 0.2],
    [2, 0.18],
    [3, 0.3],
  ] as const);
  const lifecycle: { [key: string]: ProjectedAttribute } = {};
  if (state !== 'none') {
    const reached = state === 'cleared' ? Math.floor(rnd() * 3) : state;
    const inStageMs = reached === 3 ? expDays(rnd, 60) : expDays(rnd, 35);
    const durations = Array.from({ length: reached }, () => expDays(rnd, 20) + 3_600_000);
    const secondCycle = reached === 3 && rnd() < 0.1;
    const transitions: ProjectedTransition[] = [];
    const completions: Date[] = [];
    let at = now - inStageMs - durations.reduce((a, b) => a + b, 0) - (state === 'cleared' ? expDays(rnd, 30) : 0);
    if (secondCycle) {
      // An earlier cycle that went live, then a restart (L6) at `at`.
      const first = at - expDays(rnd, 90) - MS_PER_DAY;
      transitions.push({ changeId: randomUUID(), from: null, to: STAGES[0].id, at: new Date(first) });
      transitions.push({ changeId: randomUUID(), from: STAGES[0].id, to: STAGES[3].id, at: new Date(first + MS_PER_DAY / 2) });
      completions.push(new Date(first + MS_PER_DAY / 2));
    }
    const cycleStart = at;
    transitions.push({ changeId: randomUUID(), from: transitions.at(-1)?.to ?? null, to: STAGES[0].id, at: new Date(at) });
    for (let s = 1; s <= reached; s++) {
      at += durations[s - 1]!;
      transitions.push({ changeId: randomUUID(), from: STAGES[s - 1]!.id, to: STAGES[s]!.id, at: new Date(at) });
    }
    if (reached === 3) completions.push(new Date(at));
    const stageId = state === 'cleared' ? null : STAGES[reached]!.id;
    if (state === 'cleared') {
      at += expDays(rnd, 10);
      transitions.push({ changeId: randomUUID(), from: STAGES[reached]!.id, to: null, at: new Date(at) });
    }
    const runningNow = stageId !== null && reached < 3;
    const attribute: ProjectedAttribute = {
      stageId,
      cycle: secondCycle ? 2 : 1,
      completedCycles: completions.length,
      running: runningNow,
      stageClockStart: runningNow ? new Date(now - inStageMs) : null,
      attributeClockStart: runningNow ? new Date(cycleStart) : null,
      frozenStageMs: stageId !== null && !runningNow ? 0 : null,
      frozenAttributeMs: stageId !== null && !runningNow ? at - cycleStart : null,
      completions,
      completionIds: completions.map(() => randomUUID()),
      transitions,
      clockAt: transitions.at(-1)?.at ?? null,
    };
    // As the repository stores it on this engine.
    lifecycle[ATTRIBUTE] = engine.elemMatchOnSubdocuments ? attribute : withQueryKeys(attribute);
  }
  const subscriptionActive = rnd() < 0.85;
  return {
    _id: id,
    name: `Account ${i}`,
    clientType: pick(rnd, [
      ['smb', 0.55],
      ['mid-market', 0.3],
      ['enterprise', 0.15],
    ] as const),
    ownerId: `csm-${1 + Math.floor(rnd() * 40)}`,
    canceled: rnd() < 0.06,
    subscriptionActive,
    renewalDate: subscriptionActive ? new Date(now + (rnd() * 395 - 30) * MS_PER_DAY) : null,
    lifecycle,
    factsAt: new Date(now - 90 * MS_PER_DAY),
    segments: [],
    membershipSeq: {},
    rev: 1,
    outbox: [],
    updatedAt: new Date(now),
  };
}

/**
 * Repeats `call` for about `budgetMs`, at least `min` and at most `max` times. The first call sizes
 * the repetitions; it is a sample too when it took over 5 s (at 1M accounts one scan takes minutes,
 * and a warm-up would cost as much as a sample).
 */
async function repeat(budgetMs: number, min: number, max: number, call: () => Promise<number>): Promise<{ samples: number[] }> {
  const first = await call();
  const samples = first > 5_000 ? [first] : [];
  const times = Math.max(min, Math.min(max, Math.floor(budgetMs / Math.max(first, 1))));
  while (samples.length < times) samples.push(await call());
  return { samples };
}

interface JobView {
  state: string;
  progress: Record<string, number> | null;
  result: Record<string, number> | null;
  failedReason: string | null;
}

/** The table the bench prints: one row per measure, also logged as it is measured. */
class Report {
  private readonly rows: Record<string, string | number>[] = [];

  row(measure: string, figures: { p50?: number; p99?: number; n?: number; note?: string }): void {
    this.rows.push({
      measure,
      runs: figures.n ?? '-',
      'p50 ms': figures.p50 === undefined ? '-' : fmt(figures.p50, 0),
      'p99 ms': figures.p99 === undefined ? '-' : fmt(figures.p99, 0),
      note: figures.note ?? '',
    });
    console.log(
      `  ${measure}: ${figures.p50 === undefined ? '' : `p50 ${fmt(figures.p50, 0)} ms, p99 ${fmt(figures.p99 ?? NaN, 0)} ms (${figures.n} runs); `}${figures.note ?? ''}`,
    );
  }

  /** Repeats `call` (see `repeat`) and reports p50/p99 of its samples with `note` (given after the runs). */
  async measure(
    label: string,
    budget: number,
    min: number,
    max: number,
    call: () => Promise<number>,
    note: (figures: { p50: number; peakHeap: number }) => string,
  ): Promise<void> {
    const timed = await withMemoryPeak(() => repeat(budget, min, max, call));
    const { p50, p99 } = summarize(timed.result.samples);
    this.row(label, { n: timed.result.samples.length, p50, p99, note: note({ p50, peakHeap: timed.peakHeap }) });
  }

  print(): void {
    console.log(table(this.rows));
    console.log(
      `p99 of fewer than 100 runs is their maximum. Peak RSS of the process (bench + service): ${mib(process.resourceUsage().maxRSS * 1024)}. Load average now ${loadavg()
        .map((l) => fmt(l, 1))
        .join(' ')} on ${cpus().length} CPUs (other work on the machine slows every figure).`,
    );
  }
}

/**
 * The service's HTTP API. node:http, not fetch: fetch gives up after 300 s without response
 * headers, and at 1M accounts one preview or board is a scan of several minutes.
 */
function httpApi(baseUrl: string): Api {
  return <T>(method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; body: T; ms: number }>((resolve, reject) => {
      const t = performance.now();
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        `${baseUrl}${path}`,
        { method, headers: payload === undefined ? {} : { 'content-type': 'application/json' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : {}) as T, ms: performance.now() - t });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}

interface SavedSegment {
  id: string;
  name: string;
  criteria: ResolvedCriteria;
  timeBased: boolean;
}

/** What the seeding predicts: the day roll's entries and exits, and the late segment's members. */
interface Expected {
  entered: number;
  exited: number;
  lateMembers: number;
}

/** Everything one run shares: arguments, servers, the service under test, the report. */
interface Bench {
  accounts: number;
  budgetMs: number;
  jobMs: number;
  dbName: string;
  client: MongoClient;
  db: Db;
  engine: StorageEngine;
  collection: Collection<AccountProjectionDocument>;
  service: Awaited<ReturnType<typeof startService>>;
  api: Api;
  publisher: EventPublisher;
  /** Arrival times of the `segment.membership` events the service published. */
  membershipEvents: number[];
  membershipConsumer: Consumer;
  report: Report;
}

async function main(): Promise<void> {
  const bench = await startBench({
    accounts: Number(process.argv[2] ?? 1_000_000),
    budgetMs: Number(process.argv[3] ?? 90) * 1_000,
    jobMs: Number(process.argv[4] ?? 30) * 60_000,
  });
  try {
    await publishAttribute(bench);
    const saved = await saveSegments(bench);
    const { expected, now } = await seedProjection(bench, saved);
    await measurePreview(bench);
    const board = saved.find((segment) => segment.name.endsWith('(board)'))!;
    const boardTotal = await measureBoard(bench, board, now);
    await measureLiveEvents(bench);
    await measureRawLimits(bench, saved[0]!, board, boardTotal);
    const rolled = await measureDayRoll(bench, saved, expected);
    await measureLateSegment(bench, rolled, expected);
    bench.report.print();
  } finally {
    await stopBench(bench);
  }
}

/** The service in-process on its own database and topics, and a consumer of its membership events. */
async function startBench(args: Pick<Bench, 'accounts' | 'budgetMs' | 'jobMs'>): Promise<Bench> {
  const run = newTestRun('benchseg');
  const config = { ...testServiceConfig(run, 'segment-evaluation'), logLevel: (process.env.BENCH_LOG_LEVEL ?? 'error') as 'error' };
  const dbName = run.databaseFor('segment-evaluation');
  const client = await MongoClient.connect(INFRA.mongo);
  const db = client.db(dbName);
  const kafka = new Kafka({ clientId: 'bench-segments', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
  const membershipConsumer = kafka.consumer({ groupId: `bench-segments-${randomUUID()}` });
  const service = await startService(SegmentEvaluationModule.register(config), config, segmentEvaluationDefinition);
  const bench: Bench = {
    ...args,
    dbName,
    client,
    db,
    engine: (await Storage.open(db)).engine,
    collection: db.collection<AccountProjectionDocument>(ACCOUNT_PROJECTION_COLLECTION),
    service,
    api: httpApi(service.url),
    publisher: service.app.get(EventPublisher),
    membershipEvents: [],
    membershipConsumer,
    report: new Report(),
  };
  await membershipConsumer.connect();
  await membershipConsumer.subscribe({ topic: `${config.kafka.topicPrefix}${Topics.SegmentMembership}`, fromBeginning: true });
  await membershipConsumer.run({
    eachMessage: async () => {
      bench.membershipEvents.push(Date.now());
    },
  });
  return bench;
}

async function stopBench(bench: Bench): Promise<void> {
  await bench.membershipConsumer.disconnect().catch(() => undefined);
  // A job still running would keep the worker (and so the close) busy: bounded wait, then drop.
  await Promise.race([bench.service.app.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 20_000))]);
  await bench.db.dropDatabase().catch(() => undefined);
  await bench.client.close();
}

async function jobView(bench: Bench, jobId: string): Promise<JobView> {
  return (await bench.api<JobView>('GET', `/v1/jobs/${jobId}`)).body;
}

/** The job's answer once completed, or undefined when `timeoutMs` passed first. */
async function settled(bench: Bench, jobId: string, timeoutMs: number): Promise<JobView | undefined> {
  return waitFor(
    `job ${jobId}`,
    async () => {
      const view = await jobView(bench, jobId);
      if (view.state === 'failed') throw new Error(`job ${jobId} failed: ${view.failedReason}`);
      return view.state === 'completed' ? view : undefined;
    },
    timeoutMs,
    250,
  ).catch((e: unknown) => {
    if (String(e).includes('timed out')) return undefined;
    throw e;
  });
}

/** The catalog's attribute, through the topic, as the catalog publishes it; waits for the replica. */
async function publishAttribute(bench: Bench): Promise<void> {
  await bench.publisher.publish('attribute.activated', {
    key: ATTRIBUTE,
    name: 'Onboarding Status',
    state: 'active',
    version: 1,
    updatedAt: new Date().toISOString(),
    stages: STAGES.map((s) => ({ ...s, color: '#1E88E5', disabled: false })),
  });
  await waitFor(
    'attribute replica',
    async () => (await bench.api('POST', '/v1/segments/preview', { criteria: PREVIEW_CRITERIA })).status === 200,
    60_000,
    200,
  );
}

/** Saved segments first: their jobs run on the empty projection and create the attribute's indexes. */
async function saveSegments(bench: Bench): Promise<SavedSegment[]> {
  const saved: SavedSegment[] = [];
  for (const s of SAVED) {
    const res = await bench.api<{ id: string; criteria: unknown; timeBased: boolean; membershipJobId: string }>('POST', '/v1/segments', s);
    if (res.status !== 201) throw new Error(`segment not saved: ${res.status} ${JSON.stringify(res.body)}`);
    if ((await settled(bench, res.body.membershipJobId, 120_000)) === undefined)
      throw new Error('membership job on the empty projection did not finish');
    saved.push({ id: res.body.id, name: s.name, criteria: resolveSavedCriteria(res.body.criteria), timeBased: res.body.timeBased });
  }
  return saved;
}

/**
 * N projection documents straight into the database with yesterday's memberships; predicts what
 * the day roll and the late segment will change by evaluating every document bench-side. `now`
 * is the instant the documents' clocks are relative to.
 */
async function seedProjection(bench: Bench, saved: readonly SavedSegment[]): Promise<{ expected: Expected; now: number }> {
  const { accounts } = bench;
  const now = Date.now();
  // The late segment's tree resolved bench-side against the same catalog, to predict its members.
  const lateCriteria = resolveCriteria(SAVED_LATE.criteria, {
    attributes: new Map([[ATTRIBUTE, { key: ATTRIBUTE, stages: STAGES.map((s) => ({ ...s, disabled: false })) }]]),
  });
  const yesterday = new Date(now - MS_PER_DAY);
  const today = new Date(now + 10 * 60_000); // the day roll runs a few minutes later
  const rnd = seededRandom(20_250_308);
  const seededMembers = new Map<string, number>();
  const expected: Expected = { entered: 0, exited: 0, lateMembers: 0 };
  console.log(
    `segments: ${accounts} projected accounts in ${bench.dbName} (${INFRA.mongo}); ~${bench.budgetMs / 1000} s per latency figure, jobs followed for up to ${bench.jobMs / 60_000} min; load average ${loadavg()
      .map((l) => fmt(l, 1))
      .join(' ')} on ${cpus().length} CPUs`,
  );
  const seedStart = Date.now();
  const seeding = await withMemoryPeak(async () => {
    for (let i = 0; i < accounts; i += SEED_BATCH) {
      const docs = Array.from({ length: Math.min(SEED_BATCH, accounts - i) }, (_, j) => {
        const doc = projectionDocument(i + j, now, rnd, bench.engine);
        // The memberships yesterday's roll left (the day roll then moves what crossed a day boundary).
        for (const s of saved) {
          const member = matches(s.criteria, doc, yesterday);
          if (member) {
            doc.segments.push(s.id);
            doc.membershipSeq[s.id] = 1;
            seededMembers.set(s.id, (seededMembers.get(s.id) ?? 0) + 1);
          }
          if (s.timeBased && matches(s.criteria, doc, today) !== member) expected[member ? 'exited' : 'entered'] += 1;
        }
        if (matches(lateCriteria, doc, today)) expected.lateMembers += 1;
        doc.segments.sort();
        return doc;
      });
      await bench.collection.insertMany(docs, { ordered: false });
      if ((i / SEED_BATCH) % 100 === 99)
        console.log(`  seeded ${i + SEED_BATCH} (${fmt((i + SEED_BATCH) / ((Date.now() - seedStart) / 1000), 0)}/s)`);
    }
  });
  const seedSeconds = (Date.now() - seedStart) / 1000;
  // FerretDB's dbStats on SQLite: the database file's pages (the WAL aside), indexes included.
  const stats = (await bench.db.command({ dbStats: 1 })) as { totalSize?: number; indexSize?: number };
  const diskBytes = stats.totalSize ?? NaN;
  const indexes = (await bench.collection.indexes()).length;
  bench.report.row(`seed ${accounts} projections (bare insertMany of ${SEED_BATCH}, ${indexes} indexes)`, {
    note: `${fmt(accounts / seedSeconds, 0)} accounts/s, ${fmt(seedSeconds, 0)} s; disk ${mib(diskBytes)} (indexes ${mib(stats.indexSize ?? NaN)}) = ${mib((diskBytes / accounts) * 100_000)} per 100k accounts; peak RSS ${mib(seeding.peakRss)}`,
  });
  console.log(`  yesterday's members: ${saved.map((s) => `"${s.name}" ${seededMembers.get(s.id) ?? 0}`).join(', ')}`);
  console.log(
    `  the day roll should move ${expected.entered + expected.exited} accounts (${expected.entered} in, ${expected.exited} out); "${SAVED_LATE.name}" should get ${expected.lateMembers}`,
  );
  return { expected, now };
}

async function measurePreview(bench: Bench): Promise<void> {
  let previewCount = 0;
  await bench.report.measure(
    'POST /v1/segments/preview (days-based tree, count + first 20)',
    bench.budgetMs,
    MIN_RUNS ?? 3,
    200,
    async () => {
      const res = await bench.api<{ count: number }>('POST', '/v1/segments/preview', { criteria: PREVIEW_CRITERIA, pageSize: 20 });
      if (res.status !== 200) throw new Error(`preview: ${res.status} ${JSON.stringify(res.body)}`);
      previewCount = res.body.count;
      return res.ms;
    },
    (f) => `${previewCount} match; peak heap ${mib(f.peakHeap)}`,
  );
}

/** S4: the board of a broad saved segment, now and as of 30 days ago; returns the accounts on it. */
async function measureBoard(bench: Bench, board: SavedSegment, now: number): Promise<number> {
  let boardTotal = 0;
  await bench.report.measure(
    'GET /v1/segments/{id}/progress (board now)',
    bench.budgetMs,
    MIN_RUNS ?? 2,
    100,
    async () => {
      const res = await bench.api<{ total: number }>('GET', `/v1/segments/${board.id}/progress?attribute=${ATTRIBUTE}`);
      if (res.status !== 200) throw new Error(`progress: ${res.status} ${JSON.stringify(res.body)}`);
      boardTotal = res.body.total;
      return res.ms;
    },
    (f) => `${boardTotal} accounts on the board; peak heap ${mib(f.peakHeap)}`,
  );
  const asOf = new Date(now - 30 * MS_PER_DAY).toISOString().slice(0, 10);
  await bench.report.measure(
    `GET /v1/segments/{id}/progress?asOf=30 days ago (transitions replayed)`,
    bench.budgetMs / 2,
    1,
    50,
    async () => {
      const res = await bench.api<{ total: number }>('GET', `/v1/segments/${board.id}/progress?attribute=${ATTRIBUTE}&asOf=${asOf}`);
      if (res.status !== 200) throw new Error(`progress asOf: ${res.status} ${JSON.stringify(res.body)}`);
      return res.ms;
    },
    (f) => `peak heap ${mib(f.peakHeap)}`,
  );
  return boardTotal;
}

/** S5: ten `status.changed` events, one at a time, each timed from publish to the projection written. */
async function measureLiveEvents(bench: Bench): Promise<void> {
  const repository = bench.service.app.get(AccountProjectionRepository);
  const liveLatencies: number[] = [];
  const liveRnd = seededRandom(7);
  for (let k = 0; k < 10; k++) {
    const accountId = `acct-${String(Math.floor(liveRnd() * bench.accounts)).padStart(7, '0')}`;
    const changeId = randomUUID();
    // A real change (a move to the stage the account is not in; L8 drops the others): the next stage.
    const current = (await repository.get(accountId))?.account.lifecycle[ATTRIBUTE]?.stageId ?? null;
    const t = performance.now();
    await bench.publisher.publish('status.changed', nextStageEvent(accountId, changeId, current, new Date()));
    await waitFor(
      `status.changed of ${accountId} projected`,
      async () =>
        ((await repository.get(accountId))?.account.lifecycle[ATTRIBUTE]?.transitions ?? []).some(
          (tr) => (tr as ProjectedTransition).changeId === changeId,
        ),
      600_000,
      20,
    );
    liveLatencies.push(performance.now() - t);
  }
  const live = summarize(liveLatencies);
  bench.report.row('status.changed → projection written (+ live membership)', {
    n: liveLatencies.length,
    p50: live.p50,
    p99: live.p99,
    note: 'one event at a time, publish → document updated',
  });
}

/** The `status.changed` payload of a move from `currentStageId` to the next stage (Go Live restarts at Kickoff, L6). */
function nextStageEvent(accountId: string, changeId: string, currentStageId: string | null, at: Date) {
  const index = STAGES.findIndex((stage) => stage.id === currentStageId);
  const from = index < 0 ? null : STAGES[index]!;
  const to = STAGES[index < 0 || index === 3 ? 0 : index + 1]!;
  const restart = from === null || from.endStage;
  return {
    accountId,
    attributeKey: ATTRIBUTE,
    changeId,
    from: from === null ? null : { id: from.id, name: from.name },
    to: { id: to.id, name: to.name },
    cycle: 1,
    daysInStageLeft: null,
    msInStageLeft: null,
    cause: restart ? ('cycle-restarted' as const) : ('set' as const),
    at: at.toISOString(),
    clock: {
      stageId: to.id,
      cycle: 1,
      completedCycles: to.endStage ? 1 : 0,
      completed: to.endStage,
      cycleStartedAt: at.toISOString(),
      stageEnteredAt: at.toISOString(),
      stageMsBefore: 0,
      frozenStageMs: to.endStage ? 0 : null,
      frozenAttributeMs: to.endStage ? 0 : null,
    },
  };
}

/** The bare driver on the same data in the same run: what the server allows beside what the service does. */
async function measureRawLimits(bench: Bench, first: SavedSegment, board: SavedSegment, boardTotal: number): Promise<void> {
  const { collection, report, budgetMs, accounts } = bench;
  if (RAW_FILTERED) {
    const filter = criteriaQuery(first.criteria, new Date(), bench.engine);
    await report.measure(
      'raw: bare driver find(same compiled filter).toArray()',
      budgetMs / 3,
      1,
      50,
      async () => {
        const t = performance.now();
        await collection.find(filter).toArray();
        return performance.now() - t;
      },
      () => 'whole documents of the matches, no sort',
    );
    await report.measure(
      'raw: bare driver countDocuments(same filter)',
      budgetMs / 3,
      1,
      50,
      async () => {
        const t = performance.now();
        await collection.countDocuments(filter);
        return performance.now() - t;
      },
      () => 'the server-side count a deep page falls back to',
    );
    const boardFilter = criteriaQuery(board.criteria, new Date(), bench.engine);
    const boardPath = `lifecycle.${ATTRIBUTE}`;
    const boardFields = {
      _id: 1,
      canceled: 1,
      [`${boardPath}.stageId`]: 1,
      [`${boardPath}.running`]: 1,
      [`${boardPath}.stageClockStart`]: 1,
      [`${boardPath}.frozenStageMs`]: 1,
    };
    await report.measure(
      "raw: bare cursor over the board's filter and fields",
      budgetMs / 3,
      1,
      50,
      async () => {
        const t = performance.now();
        for await (const _doc of collection.find(boardFilter, { projection: boardFields, batchSize: 1_000 })) {
          // drained: what the board reads
        }
        return performance.now() - t;
      },
      () => `${boardTotal} documents returned`,
    );
  }
  await report.measure(
    'raw: bare full scan, find({}, {_id}) cursor',
    budgetMs / 3,
    1,
    50,
    async () => {
      const t = performance.now();
      let n = 0;
      for await (const _doc of collection.find({}, { projection: { _id: 1 }, batchSize: 10_000 })) n++;
      if (n < accounts) throw new Error(`scan saw ${n} documents`);
      return performance.now() - t;
    },
    (f) => `${fmt((f.p50 / accounts) * 1000, 1)} µs per stored account`,
  );
  await measureRawPointOperations(bench);
}

/** One account read, and read + version-conditioned write, by `_id` (the shape of a projection write). */
async function measureRawPointOperations(bench: Bench): Promise<void> {
  const raw = bench.collection as unknown as Collection<{ _id: string; rev: number }>;
  const someId = (i: number) => `acct-${String(Math.floor(seededRandom(i)() * bench.accounts)).padStart(7, '0')}`;
  const point = async (n: number, op: (id: string, i: number) => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await op(someId(1_000 + i), i);
      samples.push(performance.now() - t);
    }
    return summarize(samples);
  };
  const byId = await point(20, (id) => raw.findOne({ _id: id }, { projection: { _id: 1 } }));
  bench.report.row('raw: findOne({_id})', {
    n: 20,
    p50: byId.p50,
    p99: byId.p99,
    note: "one account read by id (the projection's read before every write)",
  });
  const write = await point(20, async (id, i) => {
    const doc = await raw.findOne({ _id: id }, { projection: { rev: 1 } });
    await raw.updateOne({ _id: id, rev: { $eq: doc?.rev ?? 0 } }, { $set: { benchTouched: i } });
  });
  bench.report.row('raw: findOne + updateOne({_id, rev})', {
    n: 20,
    p50: write.p50,
    p99: write.p99,
    note: 'the shape of one projection write',
  });
}

/**
 * Follows a membership job to completion (or `bench.jobMs`) and until all its events are out;
 * reports its counts against the seeding's prediction. False when the job did not finish in time.
 */
async function followJob(bench: Bench, label: string, jobId: string, expectedChanges: number, started: number, eventsBefore: number) {
  const memory = await withMemoryPeak(() => settled(bench, jobId, bench.jobMs));
  const seconds = (Date.now() - started) / 1000;
  const done = memory.result;
  const counts = done?.result ?? (await jobView(bench, jobId)).progress ?? {};
  const changes = (counts['entered'] ?? 0) + (counts['exited'] ?? 0);
  const rate = changes / seconds;
  if (done === undefined) {
    bench.report.row(label, {
      note: `NOT DONE after ${fmt(seconds / 60, 1)} min: ${counts['examined'] ?? 0} examined, ${counts['entered'] ?? 0} entered, ${counts['exited'] ?? 0} exited (${fmt(rate, 2)} changes/s); the ${expectedChanges} changes need ~${fmt(expectedChanges / Math.max(rate, 1e-9) / 60, 0)} min; peak RSS ${mib(memory.peakRss)}`,
    });
    return false;
  }
  await waitFor(`${label} events`, () => bench.membershipEvents.length - eventsBefore >= changes, 3_600_000, 200);
  const outSeconds = (Math.max(started, ...bench.membershipEvents.slice(eventsBefore)) - started) / 1000;
  bench.report.row(label, {
    note: `${fmt(seconds, 1)} s; ${counts['examined']} examined, ${counts['entered']} entered, ${counts['exited']} exited (expected ${expectedChanges} changes; ${fmt(rate, 2)} changes/s); all events out after ${fmt(outSeconds, 1)} s; peak RSS ${mib(memory.peakRss)}`,
  });
  return true;
}

/** S5: `day.rolled` on the real topic, its job over the time-based segments timed until every event is out. */
async function measureDayRoll(bench: Bench, saved: readonly SavedSegment[], expected: Expected): Promise<boolean> {
  const day = new Date().toISOString().slice(0, 10);
  const rollStart = Date.now();
  const rollEventsBefore = bench.membershipEvents.length;
  await bench.publisher.publish('day.rolled', { day, statesMaterialized: bench.accounts });
  return followJob(
    bench,
    `day.rolled → one job over ${saved.filter((s) => s.timeBased).length} time-based segments`,
    `segments-membership-day-rolled-${day}`,
    expected.entered + expected.exited,
    rollStart,
    rollEventsBefore,
  );
}

/** A segment saved over the whole projection: its initial membership job (skipped while the day roll runs). */
async function measureLateSegment(bench: Bench, rolled: boolean, expected: Expected): Promise<void> {
  if (!rolled || !LATE_SEGMENT) {
    bench.report.row('segment saved → initial membership job', {
      note: rolled ? 'skipped (BENCH_LATE_SEGMENT=0)' : 'skipped: the day roll was still running',
    });
    return;
  }
  const lateStart = Date.now();
  const lateEventsBefore = bench.membershipEvents.length;
  const res = await bench.api<{ id: string; membershipJobId: string }>('POST', '/v1/segments', SAVED_LATE);
  if (res.status !== 201) throw new Error(`segment not saved: ${res.status}`);
  await followJob(
    bench,
    `segment saved ("${SAVED_LATE.name}") → initial membership job`,
    res.body.membershipJobId,
    expected.lateMembers,
    lateStart,
    lateEventsBefore,
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
