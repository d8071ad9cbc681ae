/**
 * C10 at volume: one template edit propagated by the cycle-planning job to N active cycles (one
 * account each), seeded straight into the service's database (bulk inserts, no events): a third
 * untouched, a third with the first activity completed, a third with the whole first stage
 * completed. The edit goes through the real REST endpoint and the job is followed through
 * `GET /v1/jobs/{id}`. Prints the job's time, cycles/s and peak memory beside the raw bulk-write
 * limits of the same server in the same run — bare bulk updates by `_id` timed just before and just
 * after the job, the job's rate as a share of them, the load average, and the CPU time per cycle of
 * this process and of each server against the server's per raw update — then checks a sample of
 * cycles against the rules.
 * With `maxMinutes`, it stops following the job after that long and prints the rate so far and the
 * time the whole job would take at that rate (the cost per cycle stays the same through a job).
 *   npm run bench -- cycle-propagation [cycles=100000] [maxMinutes]
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { BSON, MongoClient } from 'mongodb';
import { Topics } from '@lifecycle/contracts';
import { startService, type JobResponse } from '@lifecycle/http';
import { TopicNames } from '@lifecycle/messaging';
import { httpCall, INFRA, newTestRun, testServiceConfig, waitFor, type HttpAnswer } from '@lifecycle/testing';
import { AccountRepository } from '../apps/cycle-planning/src/accounts/account.repository';
import { cyclePlanningDefinition } from '../apps/cycle-planning/src/cycle-planning.definition';
import { CyclePlanningModule } from '../apps/cycle-planning/src/cycle-planning.module';
import { AccountCyclesRepository } from '../apps/cycle-planning/src/cycles/account-cycles.repository';
import {
  completeTask,
  instantiateCycle,
  type AccountCycle,
  type CycleItemState,
  type CycleTemplate,
} from '../apps/cycle-planning/src/domain';
import { CycleJobsQueue } from '../apps/cycle-planning/src/jobs/cycle-jobs.queue';
import { PROPAGATION_CHUNK } from '../apps/cycle-planning/src/jobs/template-propagation.runner';
import { CycleTemplateRepository } from '../apps/cycle-planning/src/templates/cycle-template.repository';
import { rawMongoBulk, rawUpdateTarget, type RawUpdateTarget } from './lib/raw-limits';
import { infraPids, processCpuMicros } from './lib/process-cpu';
import { fmt, mib, table, withMemoryPeak } from './lib/stats';

const DAY_MS = 86_400_000;
const INSERT_CHUNK = 1_000;
const SAMPLE = 300;
const RENEWAL = new Date('2027-03-31T00:00:00Z');
const TEMPLATE_ID = 'journey';
const start = (days: number) => ({ days, relativeTo: 'cycleStart' as const });
const renewal = (days: number) => ({ days, relativeTo: 'renewal' as const });

/** 4 stages × 3 activities × 3 tasks (ids `s1`, `s1a1`, `s1a1t1` …), the last stage renewal-relative. */
function journeyBody() {
  return {
    id: TEMPLATE_ID,
    name: 'Journey',
    stages: [1, 2, 3, 4].map((s) => ({
      id: `s${s}`,
      name: ['Start', 'Adopt', 'Grow', 'Renew'][s - 1]!,
      daysDue: s === 4 ? renewal(-15) : start(s * 30),
      activities: [1, 2, 3].map((a) => ({
        id: `s${s}a${a}`,
        name: `Activity ${s}.${a}`,
        daysDue: s === 4 ? renewal(-60 + a * 10) : start(s * 30 - 12 + a * 3),
        tasks: [1, 2, 3].map((t) => ({
          id: `s${s}a${a}t${t}`,
          name: `Task ${s}.${a}.${t}`,
          daysDue: s === 4 ? renewal(-90 + a * 10 + t) : start(s * 30 - 25 + a * 3 + t),
          ...(t === 1 ? { ownerRole: 'csm' } : {}),
        })),
      })),
    })),
  };
}

/**
 * The edit: stage s2 renamed; task s1a1t1 renamed (not where s1a1 is completed); task s3a3t3
 * removed; a new rule for s2a1t1 (its existing date stays); a task added under s1a1 (not where it is
 * completed) and under s2a1; a new renewal-relative stage s5.
 */
function editedBody() {
  const { id: _id, ...body } = journeyBody();
  for (const s of body.stages) {
    if (s.id === 's2') s.name = 'Adoption';
    for (const a of s.activities) {
      a.tasks = a.tasks.filter((t) => t.id !== 's3a3t3');
      for (const t of a.tasks) {
        if (t.id === 's1a1t1') t.name = 'Task 1.1.1 (renamed)';
        if (t.id === 's2a1t1') t.daysDue = start(99);
      }
      if (a.id === 's1a1') a.tasks.push({ id: 's1a1-new', name: 'New under 1.1', daysDue: start(3) });
      if (a.id === 's2a1') a.tasks.push({ id: 's2a1-new', name: 'New under 2.1', daysDue: start(45) });
    }
  }
  body.stages.push({
    id: 's5',
    name: 'Expand',
    daysDue: renewal(-10),
    activities: [
      {
        id: 's5a1',
        name: 'Upsell',
        daysDue: start(150),
        tasks: [{ id: 's5a1t1', name: 'Pitch', daysDue: renewal(-40), ownerRole: 'csm' }],
      },
    ],
  });
  return body;
}

const accountId = (i: number) => `acct-${String(i).padStart(6, '0')}`;

/** Account `i`'s cycle as seeded (deterministic, so the check can rebuild it). */
function seededCycle(template: CycleTemplate, i: number, now: Date): AccountCycle {
  let cycle = instantiateCycle(template, {
    cycleId: `cycle-${accountId(i)}`,
    accountId: accountId(i),
    startDate: new Date(Date.UTC(2025, 0, 1) + (i % 90) * DAY_MS),
    assignedAt: now,
    subscription: { active: true, renewalDate: RENEWAL },
    primary: true,
  });
  const done =
    i % 3 === 0
      ? []
      : i % 3 === 1
        ? ['s1a1t1', 's1a1t2', 's1a1t3']
        : ['s1a1', 's1a2', 's1a3'].flatMap((a) => [1, 2, 3].map((t) => `${a}t${t}`));
  for (const taskId of done) cycle = completeTask(cycle, taskId, new Date(cycle.startDate.getTime() + 5 * DAY_MS)).cycle;
  return cycle;
}

function items(cycle: AccountCycle): Map<string, CycleItemState> {
  const map = new Map<string, CycleItemState>();
  for (const s of cycle.stages) {
    map.set(s.id, s);
    for (const a of s.activities) {
      map.set(a.id, a);
      for (const t of a.tasks) map.set(t.id, t);
    }
  }
  return map;
}

const addDays = (date: Date, days: number) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));

/** The C10 rules on one cycle, before → after; returns what is wrong (empty: right). */
function check(before: AccountCycle, after: AccountCycle | undefined): string[] {
  if (after === undefined) return ['cycle missing'];
  const problems: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  expect(after.templateVersion === 2 && after.status === 'active', `version ${after.templateVersion}, status ${after.status}`);
  for (const stage of before.stages) {
    const now = after.stages.find((s) => s.id === stage.id);
    if (stage.completedAt !== null) expect(JSON.stringify(now) === JSON.stringify(stage), `completed stage ${stage.id} changed`);
    for (const activity of stage.activities) {
      if (activity.completedAt === null) continue;
      const nowActivity = now?.activities.find((a) => a.id === activity.id);
      expect(JSON.stringify(nowActivity) === JSON.stringify(activity), `completed activity ${activity.id} changed`);
    }
  }
  const oldItems = items(before);
  const newItems = items(after);
  for (const [id, item] of oldItems) {
    if (id === 's3a3t3') continue;
    expect(newItems.get(id)?.dueDate?.getTime() === item.dueDate?.getTime(), `due date of ${id} changed`);
  }
  const s1a1Completed = oldItems.get('s1a1')!.completedAt !== null;
  expect(newItems.has('s3a3t3') === false, 'removed task s3a3t3 still there');
  expect(after.stages[1]?.name === 'Adoption', 'stage s2 not renamed');
  expect(newItems.get('s2a1t1')?.daysDue?.days === 99, 'rule of s2a1t1 not updated');
  expect(newItems.get('s2a1-new')?.dueDate?.getTime() === addDays(after.startDate, 45).getTime(), 's2a1-new missing or misdated');
  expect(newItems.get('s5')?.dueDate?.getTime() === addDays(RENEWAL, -10).getTime(), 's5 missing or misdated');
  expect(newItems.get('s5a1t1')?.dueDate?.getTime() === addDays(RENEWAL, -40).getTime(), 's5a1t1 missing or misdated');
  expect(newItems.has('s1a1-new') === !s1a1Completed, 's1a1-new wrong');
  expect(newItems.get('s1a1t1')?.name === (s1a1Completed ? 'Task 1.1.1' : 'Task 1.1.1 (renamed)'), 's1a1t1 name wrong');
  return problems;
}

function api<T>(url: string, method: string, body?: unknown): Promise<HttpAnswer<T>> {
  const { origin, pathname, search } = new URL(url);
  return httpCall<T>(origin, method, `${pathname}${search}`, body);
}

/** The `template-edited` events the job published: ids (delivery is at least once), cycles, deliveries. */
interface EditedEvents {
  ids: Set<string>;
  cycles: Set<string>;
  deliveries: number;
}

/** Everything one run shares: arguments, the service under test, the event counter. */
interface Bench {
  cycles: number;
  budgetMs: number;
  run: ReturnType<typeof newTestRun>;
  service: Awaited<ReturnType<typeof startService>>;
  consumer: Consumer;
  events: EditedEvents;
  /** The seeding's assignment time; `seededCycle` rebuilds a cycle from it. */
  now: Date;
}

type JobResult = { accounts: number; cyclesUpdated: number; cyclesChanged: number };

/** Raw updates timed before and after the job (a few seconds each, so the machine's load shows in both). */
const RAW_UPDATES = 5_000;
/** Seeded documents whose mean BSON size sets the raw documents' size. */
const SIZE_SAMPLE = 200;

/**
 * The raw limit before and after the job, the machine's load meanwhile, and who spent the CPU. The
 * reference is the job's own shape: bulk writes of `PROPAGATION_CHUNK` updates by `_id` (the job's
 * page), documents as large as the seeded ones, as many as the job has cycles.
 */
interface RawReference {
  before: RawRate;
  after: RawRate;
  /** After the job too, in bulk writes of 50 (small batches: each round trip costs more). */
  afterIn50s: RawRate;
  load: { before: number[]; after: number[] };
  /** CPU time (µs) over the raw updates before the job and over the job, by process (`cpuTimes`). */
  cpu: { rawBefore: CpuTimes; job: CpuTimes };
}
type RawRate = Awaited<ReturnType<RawUpdateTarget['measure']>>;

/** CPU time in µs of this process (the service and the bench) and of the servers `scripts/infra.sh` started. */
type CpuTimes = Map<string, number>;

function cpuTimes(): CpuTimes {
  const { user, system } = process.cpuUsage();
  const times: CpuTimes = new Map([['this process', user + system]]);
  for (const [label, pid] of infraPids(process.cwd())) {
    const micros = processCpuMicros(pid);
    if (micros !== null) times.set(label, micros);
  }
  return times;
}

/** The CPU each process spent between two readings, in µs per unit of work. */
function cpuPer(start: CpuTimes, end: CpuTimes, units: number): Map<string, number> {
  const per = new Map<string, number>();
  for (const [label, before] of start) {
    const after = end.get(label);
    if (after !== undefined && units > 0) per.set(label, (after - before) / units);
  }
  return per;
}

async function main(): Promise<void> {
  const bench = await startBench(
    Number(process.argv[2] ?? 100_000),
    process.argv[3] === undefined ? Infinity : Number(process.argv[3]) * 60_000,
  );
  let raw: RawUpdateTarget | undefined;
  try {
    const template = await createTemplate(bench);
    await seedAccounts(bench, template);
    raw = await rawUpdateTarget(bench.cycles, await seededDocumentBytes(bench));
    const rawUpdates = Math.min(bench.cycles, RAW_UPDATES);
    const rawCpuStart = cpuTimes();
    const before = await raw.measure(rawUpdates, { maxSeconds: 60, batch: PROPAGATION_CHUNK });
    const rawCpu = cpuPer(rawCpuStart, cpuTimes(), before.updates);
    const loadBefore = loadavg();
    const jobCpuStart = cpuTimes();
    const t0 = Date.now();
    const { job, peakRss, peakHeap } = await editAndFollowJob(bench, t0);
    const jobSeconds = (Date.now() - t0) / 1000;
    const jobCpuEnd = cpuTimes();
    const loadAfter = loadavg();
    const processed = ((job.progress ?? {}) as { processed?: number }).processed ?? 0;
    const reference = async (): Promise<RawReference> => ({
      before,
      after: await raw!.measure(rawUpdates, { maxSeconds: 60, offset: 1, batch: PROPAGATION_CHUNK }),
      afterIn50s: await raw!.measure(rawUpdates, { maxSeconds: 60, offset: 2, batch: 50 }),
      load: { before: loadBefore, after: loadAfter },
      cpu: { rawBefore: rawCpu, job: cpuPer(jobCpuStart, jobCpuEnd, processed) },
    });
    if (job.state !== 'completed') {
      await reportUnfinished(bench, job, jobSeconds, peakRss, peakHeap, await reference());
      return;
    }
    const result = job.result as JobResult;
    await waitFor(
      'every template-edited event',
      () => bench.events.ids.size >= result.cyclesChanged,
      Math.max(120_000, bench.cycles * 100),
      200,
    );
    const eventsSeconds = (Date.now() - t0) / 1000;
    await reportCompleted(bench, result, jobSeconds, eventsSeconds, peakRss, peakHeap, await reference());
    if (!(await checkOutcome(bench, template, result))) process.exitCode = 1;
  } finally {
    await raw?.drop();
    await stopBench(bench);
  }
}

/** The service in-process on its own database and topics, and a consumer counting the job's events. */
async function startBench(cycles: number, budgetMs: number): Promise<Bench> {
  const run = newTestRun('benchcycles');
  const config = { ...testServiceConfig(run, 'cycle-planning'), logLevel: 'error' as const };
  const service = await startService(CyclePlanningModule.register(config), config, cyclePlanningDefinition);
  const now = new Date();
  const topic = new TopicNames(config.kafka.topicPrefix).physical(Topics.SuccessCycleEvents);
  const kafka = new Kafka({ clientId: 'bench-cycles', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6 }] }).catch(() => undefined);
  await admin.disconnect();
  const events: EditedEvents = { ids: new Set(), cycles: new Set(), deliveries: 0 };
  const consumer = kafka.consumer({ groupId: `bench-cycles-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const e = JSON.parse(message.value!.toString()) as { id: string; type: string; data: { reason?: string; cycleId?: string } };
      if (e.type !== 'cycle.due-dates-recalculated' || e.data.reason !== 'template-edited') return;
      events.deliveries++;
      events.ids.add(e.id);
      events.cycles.add(e.data.cycleId ?? '');
    },
  });
  return { cycles, budgetMs, run, service, consumer, events, now };
}

async function stopBench(bench: Bench): Promise<void> {
  await bench.consumer.disconnect();
  await bench.service.app.get(CycleJobsQueue).obliterate();
  await bench.service.app.close();
  await dropDatabase(bench.run.databaseFor('cycle-planning'));
}

/** The mean BSON size of seeded cycles documents (the raw reference's documents are as large). */
async function seededDocumentBytes(bench: Bench): Promise<number> {
  const client = await MongoClient.connect(`${INFRA.mongo}/${bench.run.databaseFor('cycle-planning')}`);
  try {
    const docs = await client.db().collection('account_cycles').find({}).limit(SIZE_SAMPLE).toArray();
    return Math.round(docs.reduce((sum, doc) => sum + BSON.calculateObjectSize(doc), 0) / docs.length);
  } finally {
    await client.close();
  }
}

/** The template (v1) through the API, as an admin creates it. */
async function createTemplate(bench: Bench): Promise<CycleTemplate> {
  const created = await api(`${bench.service.url}/v1/cycle-templates`, 'POST', journeyBody());
  if (created.status !== 201) throw new Error(`template not created: ${created.status} ${JSON.stringify(created.body)}`);
  return (await bench.service.app.get(CycleTemplateRepository).get(TEMPLATE_ID))!.template;
}

/** N accounts running the template, one active cycle each, straight into the database. */
async function seedAccounts(bench: Bench, template: CycleTemplate): Promise<void> {
  const { cycles, now } = bench;
  const accounts = bench.service.app.get(AccountRepository);
  const accountCycles = bench.service.app.get(AccountCyclesRepository);
  console.log(`cycle propagation: seeding ${cycles} accounts, one active "${template.name}" cycle each (${INSERT_CHUNK} per insertMany)`);
  const seedStart = Date.now();
  for (let from = 0; from < cycles; from += INSERT_CHUNK) {
    const range = Array.from({ length: Math.min(INSERT_CHUNK, cycles - from) }, (_, k) => from + k);
    await accounts.insertMany(
      range.map((i) => ({
        accountId: accountId(i),
        name: accountId(i),
        clientType: null,
        ownerId: `owner-${i % 50}`,
        canceled: false,
        subscription: { active: true, renewalDate: RENEWAL },
        createdAt: new Date(Date.UTC(2025, 0, 1)),
      })),
      now,
    );
    await accountCycles.insertMany(
      range.map((i) => ({ accountId: accountId(i), cycles: [seededCycle(template, i, now)], ownerId: `owner-${i % 50}` })),
      now,
    );
  }
  const seedSeconds = (Date.now() - seedStart) / 1000;
  console.log(`seeded in ${fmt(seedSeconds)} s (${fmt(cycles / seedSeconds, 0)} accounts/s)`);
}

/**
 * The edit through the API and the job followed through the API, with the progress logged every
 * 30 s, until it completes or the time budget is spent; the peak memory of the process meanwhile.
 */
async function editAndFollowJob(bench: Bench, t0: number): Promise<{ job: JobResponse; peakRss: number; peakHeap: number }> {
  const { service, budgetMs, cycles } = bench;
  const edit = await api<{ propagationJobId: string }>(`${service.url}/v1/cycle-templates/${TEMPLATE_ID}`, 'PUT', editedBody());
  if (edit.status !== 200) throw new Error(`edit refused: ${edit.status} ${JSON.stringify(edit.body)}`);
  const jobId = edit.body.propagationJobId;
  let lastReport = Date.now();
  const followed = await withMemoryPeak(async () => {
    for (;;) {
      const { status, body } = await api<JobResponse>(`${service.url}/v1/jobs/${jobId}`, 'GET');
      if (status === 200 && body.state === 'completed') return body;
      if (status === 200 && body.state === 'failed') throw new Error(`propagation job failed: ${body.failedReason}`);
      const p = (body.progress ?? {}) as { processed?: number; total?: number };
      if (Date.now() - t0 >= budgetMs) return body;
      if (Date.now() - lastReport >= 30_000) {
        lastReport = Date.now();
        const elapsed = (Date.now() - t0) / 1000;
        const rate = (p.processed ?? 0) / elapsed;
        const eta = rate > 0 ? ((p.total ?? cycles) - (p.processed ?? 0)) / rate : NaN;
        console.log(
          `  ${fmt(elapsed, 0)} s: ${p.processed ?? 0}/${p.total ?? '?'} accounts (${fmt(rate, 1)}/s, ~${fmt(eta / 60, 0)} min left at this rate)`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  });
  return { job: followed.result, peakRss: followed.peakRss, peakHeap: followed.peakHeap };
}

/**
 * The raw limits of the same server: bare bulk updates by `_id` in a collection as large as the one
 * the job writes to, timed just before and just after the job, and bare bulk upserts into an empty
 * collection; then the job's rate as a share of the raw update rate.
 */
async function rawLimitRows(cycles: number, raw: RawReference) {
  const bulk = await rawMongoBulk(Math.min(cycles, 10_000));
  const updates = (when: string, rate: RawRate, batch: number) => ({
    path: `raw: bare bulkWrite updates by _id among ${cycles} docs of ${rate.docBytes} B, ${when} the job`,
    seconds: '-',
    'cycles/s': fmt(rate.perSecond, 1),
    'peak RSS': '-',
    'peak heap': '-',
    note: `${rate.updates} updates, batches of ${batch}${batch === PROPAGATION_CHUNK ? " (the job's page): the reference of the ratio" : ''}`,
  });
  return [
    updates('before', raw.before, PROPAGATION_CHUNK),
    updates('after', raw.after, PROPAGATION_CHUNK),
    updates('after', raw.afterIn50s, 50),
    {
      path: `raw: bare bulkWrite upserts by _id, ${Math.min(cycles, 10_000)} small docs`,
      seconds: '-',
      'cycles/s': fmt(bulk.perSecond, 1),
      'peak RSS': '-',
      'peak heap': '-',
      note: 'empty collection at start, batches of 50',
    },
  ];
}

/** The job's rate against the raw update rate before and after it, and the load averages (1, 5, 15 min). */
function ratioLine(cyclesPerSecond: number, raw: RawReference): string {
  const mean = (raw.before.perSecond + raw.after.perSecond) / 2;
  const pct = (rate: number) => `${fmt((100 * cyclesPerSecond) / rate, 1)} %`;
  const load = (l: number[]) => l.map((x) => fmt(x, 2)).join(' ');
  return (
    `ratio to raw bulk updates: ${pct(mean)} of their mean (${pct(raw.before.perSecond)} of the rate before, ` +
    `${pct(raw.after.perSecond)} of the rate after, in batches of ${PROPAGATION_CHUNK}; ${pct(raw.afterIn50s.perSecond)} of the rate in batches of 50); load average at the job's start ${load(raw.load.before)}, at its end ${load(raw.load.after)}`
  );
}

/** Who spent the CPU: per cycle of the job, and per raw update before it. */
function cpuLine(raw: RawReference): string {
  const list = (per: Map<string, number>) => [...per].map(([label, us]) => `${label} ${fmt(us, 0)} µs`).join(', ');
  return `CPU per cycle of the job: ${list(raw.cpu.job)}; per raw update (batches of ${PROPAGATION_CHUNK}, before the job): ${list(raw.cpu.rawBefore)}`;
}

/** Out of time: the rate so far, and what the whole job would take at it. */
async function reportUnfinished(
  bench: Bench,
  job: JobResponse,
  jobSeconds: number,
  peakRss: number,
  peakHeap: number,
  raw: RawReference,
): Promise<void> {
  const p = (job.progress ?? {}) as { processed?: number; total?: number };
  const processed = p.processed ?? 0;
  const rate = processed / jobSeconds;
  console.log(
    table([
      {
        path: `propagation job, ${bench.cycles} cycles, stopped after ${fmt(jobSeconds / 60, 1)} min`,
        seconds: fmt(jobSeconds, 1),
        'cycles/s': fmt(rate, 2),
        'peak RSS': mib(peakRss),
        'peak heap': mib(peakHeap),
        note: `${processed}/${p.total ?? '?'} done; whole job at this rate: ~${fmt((p.total ?? bench.cycles) / rate / 60, 0)} min`,
      },
      ...(await rawLimitRows(bench.cycles, raw)),
    ]),
  );
  console.log(ratioLine(rate, raw));
  console.log(cpuLine(raw));
}

async function reportCompleted(
  bench: Bench,
  result: JobResult,
  jobSeconds: number,
  eventsSeconds: number,
  peakRss: number,
  peakHeap: number,
  raw: RawReference,
): Promise<void> {
  console.log(
    table([
      {
        path: `propagation job, ${bench.cycles} cycles (edit → job completed)`,
        seconds: fmt(jobSeconds, 1),
        'cycles/s': fmt(result.cyclesUpdated / jobSeconds, 1),
        'peak RSS': mib(peakRss),
        'peak heap': mib(peakHeap),
        note: `bench + service in one process; ${result.cyclesChanged} cycles changed`,
      },
      {
        path: '… and every template-edited event published',
        seconds: fmt(eventsSeconds, 1),
        'cycles/s': fmt(result.cyclesChanged / eventsSeconds, 1),
        'peak RSS': '-',
        'peak heap': '-',
        note: 'through the outbox (per page: one send, one bulk removal)',
      },
      ...(await rawLimitRows(bench.cycles, raw)),
    ]),
  );
  console.log(ratioLine(result.cyclesUpdated / jobSeconds, raw));
  console.log(cpuLine(raw));
}

/**
 * The job's counts, one event per cycle, and a sample of cycles (spread over the ids and the three
 * seeded shapes) checked against C10. True when all hold.
 */
async function checkOutcome(bench: Bench, template: CycleTemplate, result: JobResult): Promise<boolean> {
  const { cycles, events } = bench;
  const sample = Array.from({ length: Math.min(SAMPLE, cycles) }, (_, k) => Math.floor((k * cycles) / Math.min(SAMPLE, cycles)));
  const failures: string[] = [];
  const sampled = await bench.service.app.get(AccountCyclesRepository).getMany(sample.map(accountId)); // one read (each `_id` read scans on FerretDB)
  for (const i of sample) {
    const record = sampled.get(accountId(i));
    const problems = check(seededCycle(template, i, bench.now), record?.cycles[0]);
    if (record?.version !== 2) problems.push(`document version ${record?.version} (one write expected)`);
    if (problems.length > 0) failures.push(`${accountId(i)}: ${problems.join('; ')}`);
  }
  await new Promise((r) => setTimeout(r, 2_000)); // anything published twice shows up now
  const edited = events.ids.size;
  const counts =
    result.accounts === cycles &&
    result.cyclesUpdated === cycles &&
    result.cyclesChanged === cycles &&
    edited === cycles &&
    events.cycles.size === cycles;
  console.log(
    `check: job result ${JSON.stringify(result)}, ${edited} template-edited events for ${events.cycles.size} cycles ` +
      `${counts ? '(one per cycle)' : `(expected ${cycles} of each)`}, ${events.deliveries - edited} delivered again (same id); ` +
      `${sample.length} sampled cycles: ${failures.length === 0 ? 'all follow C10' : `${failures.length} wrong`}`,
  );
  for (const failure of failures.slice(0, 10)) console.log(`  ${failure}`);
  return failures.length === 0 && counts;
}

async function dropDatabase(name: string): Promise<void> {
  const client = await MongoClient.connect(`${INFRA.mongo}/${name}`);
  await client.db().dropDatabase();
  await client.close();
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
