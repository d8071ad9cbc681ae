/**
 * Load test of the gateway over the real platform. The five apps run as separate processes
 * (compiled, as `npm start` runs them, through libs/testing's ProcessSystem) on side ports, with
 * their own databases, topic prefix and BullMQ prefix, against the shared Kafka, FerretDB and
 * Redis. autocannon (in this process) drives, at increasing fixed rates:
 *   reads    GET /v1/accounts/{id}                  (the gateway composes status-tracking + cycle-planning)
 *   updates  PUT /v1/accounts/{id}/statuses/{key}   (proxied to status-tracking: history, state, outbox, Kafka)
 * and, in the same run, the raw limit of the machine: a bare Nest "hello" app on the same adapter
 * (platform-express) in its own process, driven the same way. Each step samples the CPU of every
 * process (apps, hello, Kafka, FerretDB, Redis, this load generator) from /proc. A scenario stops
 * climbing at its first saturated step (achieved < 90 % of the target, > 1 % errors, or p99 > 1 s),
 * then runs once closed-loop ("max", 32 connections, no rate); each scenario starts with 3 s of
 * unmeasured warm-up. Last, a gateway restarted with a low limit shows the per-key rate limiter
 * answering 429 with Retry-After.
 *   npm run bench -- load [seconds per step = 10] [accounts = 300] [scenarios = reads,hello,updates]
 * With LOAD_CPU_PROFILE_DIR set, each app runs under V8's sampling profiler (`--cpu-prof`) and
 * writes its profile there when the run stops it; each step line starts with its UTC start time, to
 * cut a profile to one scenario's steps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import {
  apiClient,
  buildApps,
  createActiveOnboarding,
  freePortRange,
  INFRA,
  newTestRun,
  ProcessSystem,
  ONBOARDING,
  ROOT,
  SYSTEM_ADMIN_KEY,
  waitFor,
  type AppName,
} from '@lifecycle/testing';
import { BENCH_KAFKA_COMPRESSION } from './lib/compression';
import { cpuBetween, cpuSnapshot, infraPids, processRss, type CpuShare } from './lib/process-cpu';
import { fmt, mib, summarize, table } from './lib/stats';

const APPS: AppName[] = ['attribute-catalog', 'status-tracking', 'cycle-planning', 'segment-evaluation', 'gateway'];
const ATTRIBUTE = ONBOARDING;
/** After the seed's Kickoff, each account walks this cycle: every update is a real change (never an L8 no-op). */
const WALK = ['Configuration', 'Implementation', 'Go Live', 'Kickoff'];
// 500 reads/s and 300 updates/s are the throughput goals on this machine: each is a step of its own.
const READ_RATES = [25, 50, 100, 200, 400, 500, 800, 1600, 3200];
const UPDATE_RATES = [5, 10, 25, 50, 100, 200, 300, 400];
const HELLO_RATES = [25, 50, 100, 200, 400, 800, 1600, 3200, 6400];
/** Connections of the closed-loop ("max") step. */
const MAX_CONNECTIONS = 32;
/** A rated step uses one connection per request per second, up to this many. */
const MAX_RATED_CONNECTIONS = 256;
/** A rated step runs this many autocannon instances, staggered over the second. */
const SLICES = 10;
const WARM_UP_SECONDS = 3;
const P99_LIMIT_MS = 1_000;
/** The limiter demo: a gateway restarted with this per-key limit and two keys. */
const DEMO_LIMIT_PER_MINUTE = 120;
const DEMO_OTHER_KEY = 'load-bench-viewer-key-0000001';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const accountId = (i: number) => `load-acct-${String(i + 1).padStart(4, '0')}`;

/** The scenarios' short names, for the command line. */
const SCENARIO_KEYS = ['reads', 'hello', 'updates'];

interface Scenario {
  key: string;
  name: string;
  /** Where the requests go and with which headers. */
  url: () => string;
  headers: Record<string, string>;
  request: () => autocannon.Request;
  rates: number[];
}

interface Step {
  scenario: string;
  target: number | 'max';
  connections: number;
  sent: number;
  achieved: number;
  p50: number;
  p99: number;
  statusCodes: Record<string, number>;
  timeouts: number;
  connectionErrors: number;
  errorRate: number;
  cpu: CpuShare[];
  machinePercent: number;
  /** CPU in the 2 s before the step, with the apps idle: what the rest of the machine was doing. */
  idle: CpuShare[];
}

const saturated = (s: Step) => (typeof s.target === 'number' && s.achieved < 0.9 * s.target) || s.errorRate > 0.01 || s.p99 > P99_LIMIT_MS;

function describeErrors(s: Step): string {
  const parts = Object.entries(s.statusCodes)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, n]) => `${code}×${n}`);
  if (s.timeouts) parts.push(`timeout×${s.timeouts}`);
  const other = s.connectionErrors - s.timeouts;
  if (other) parts.push(`conn×${other}`);
  return parts.length ? parts.join(' ') : '0';
}

/** The bare Nest app on the same adapter, in its own process (ts-node only compiles it at start). */
async function startHello(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(ROOT, 'bench', 'lib', 'hello-server.ts'), String(port)],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await waitFor(
    'hello healthy',
    async () => {
      if (child.exitCode !== null) throw new Error(`hello server exited with ${child.exitCode}`);
      return (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok === true;
    },
    60_000,
    250,
  );
  return child;
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 10);
  const accounts = Number(process.argv[3] ?? 300);
  const only = (process.argv[4] ?? 'reads,hello,updates').split(',');
  if (!(seconds >= 3) || !(accounts >= 10) || !only.every((name) => SCENARIO_KEYS.includes(name)))
    throw new Error(
      `usage: npm run bench -- load [seconds per step >= 3] [accounts >= 10] [scenarios: comma-separated of ${SCENARIO_KEYS.join(',')}]`,
    );
  const run = newTestRun('load');
  const started = Date.now();
  const basePort = await freePortRange(6);
  const helloPort = basePort + 5;
  console.log(`[load] building (tsc -p tsconfig.build.json)`);
  buildApps();
  const compressed = { KAFKA_COMPRESSION: BENCH_KAFKA_COMPRESSION };
  const system = new ProcessSystem(run, basePort, {
    'attribute-catalog': compressed,
    'status-tracking': compressed,
    'cycle-planning': compressed,
    'segment-evaluation': compressed,
    gateway: { ...compressed, RATE_LIMIT_PER_MINUTE: '10000000' },
  });
  const profileDir = process.env.LOAD_CPU_PROFILE_DIR;
  if (profileDir) system.nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  let hello: ChildProcess | null = null;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    console.log('[load] stopping the apps, dropping the databases, topics, groups and queue keys of this run');
    hello?.kill('SIGTERM');
    await system.stopAll();
    await dropRun(
      run.id,
      run.topicPrefix,
      APPS.map((app) => run.databaseFor(app)),
    ).catch((e: unknown) => console.error(`[load] cleanup: ${String(e)}`));
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  try {
    const t0 = Date.now();
    hello = await startHello(helloPort);
    await system.startAll(APPS);
    const gateway = system.url('gateway');
    const helloUrl = `http://127.0.0.1:${helloPort}`;
    console.log(
      `[load] run ${run.id}: apps on ${basePort}–${basePort + 4}, hello on ${helloPort}, up in ${((Date.now() - t0) / 1000).toFixed(0)} s; logs in ${system.logDir}`,
    );

    const auth = { authorization: `Bearer ${SYSTEM_ADMIN_KEY}`, 'content-type': 'application/json' };
    await seed(gateway, auth, accounts);

    const appPids = (): Map<string, number> => {
      const pids = new Map<string, number>();
      for (const app of APPS) {
        const pid = system.pid(app);
        if (pid) pids.set(app, pid);
      }
      if (hello?.pid) pids.set('hello', hello.pid);
      return pids;
    };
    // Infra pids are read at each step: a server restarted by someone else gets a new pid.
    const allPids = () => new Map([...appPids(), ...infraPids(ROOT), ['load generator', process.pid]]);
    await settle(appPids()); // the seed's events are still being consumed for a while
    const sequential = await sequentialLatencies(system, helloUrl, auth);
    const rssBefore = new Map([...appPids()].map(([label, pid]) => [label, processRss(pid)]));

    const outcomes: Record<string, number> = {};
    const scenarios = scenariosOf(gateway, helloUrl, auth, accounts, outcomes).filter((s) => only.includes(s.key));
    const steps = await runScenarios(scenarios, seconds, appPids, allPids);
    if (steps.some((s) => s.statusCodes['429'])) console.log('[load] WARNING: 429s during the load steps: the bench limit was not applied');

    await settle(appPids());
    const rssAfter = new Map([...appPids()].map(([label, pid]) => [label, processRss(pid)]));
    const limiter = await limiterDemo(system, accounts);

    report(steps, outcomes, rssBefore, rssAfter, limiter, seconds, accounts, sequential);
    reportLogs(system.logDir);
    console.log(`[load] whole run ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await cleanup();
  }
}

/**
 * The three scenarios: composed account reads and status updates through the gateway, and the
 * bare hello app as the raw limit. Updates walk every account through the stages, so each one is
 * a real change; their outcomes are counted into `outcomes`.
 */
function scenariosOf(
  gateway: string,
  helloUrl: string,
  auth: Record<string, string>,
  accounts: number,
  outcomes: Record<string, number>,
): Scenario[] {
  let reads = 0;
  let updates = 0;
  let helloCalls = 0;
  return [
    {
      key: 'reads',
      name: 'reads via gateway',
      url: () => gateway,
      headers: auth,
      rates: READ_RATES,
      request: () => ({ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/accounts/${accountId(reads++ % accounts)}` }) }),
    },
    {
      key: 'hello',
      name: 'bare Nest hello',
      url: () => helloUrl,
      headers: auth,
      rates: HELLO_RATES,
      request: () => ({ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/accounts/${accountId(helloCalls++ % accounts)}` }) }),
    },
    {
      key: 'updates',
      name: 'updates via gateway',
      url: () => gateway,
      headers: auth,
      rates: UPDATE_RATES,
      request: () => ({
        method: 'PUT',
        setupRequest: (req) => {
          const n = updates++;
          const stage = WALK[Math.floor(n / accounts) % WALK.length]!;
          return { ...req, path: `/v1/accounts/${accountId(n % accounts)}/statuses/${ATTRIBUTE}`, body: JSON.stringify({ stage }) };
        },
        onResponse: (status, body) => {
          const outcome = status === 200 ? (/"outcome":"(\w+)"/.exec(body)?.[1] ?? 'unparsed') : `http ${status}`;
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        },
      }),
    },
  ];
}

/**
 * Each scenario after a warm-up, at its increasing fixed rates until the first saturated step, then
 * once closed-loop; every step starts with the apps idle and records the CPU of the 2 s ahead of it.
 */
async function runScenarios(
  scenarios: readonly Scenario[],
  seconds: number,
  appPids: () => Map<string, number>,
  allPids: () => Map<string, number>,
): Promise<Step[]> {
  const steps: Step[] = [];
  for (const scenario of scenarios) {
    const targets: (number | 'max')[] = [...scenario.rates];
    // Not measured: the JIT and the connection pools of a freshly started process.
    await autocannon({
      url: scenario.url(),
      connections: 8,
      duration: WARM_UP_SECONDS,
      headers: scenario.headers,
      requests: [scenario.request()],
    });
    for (let i = 0; i <= targets.length; i++) {
      const target = i < targets.length ? targets[i]! : 'max';
      await settle(appPids());
      const idle = await cpuOver(allPids(), 2_000);
      const from = new Date().toISOString().slice(11, 19);
      const step = await drive(scenario, target, seconds, allPids(), idle);
      steps.push(step);
      console.log(
        `[load] ${from} ${scenario.name.padEnd(19)} ${String(target).padStart(5)} → ${fmt(step.achieved, 0).padStart(5)} req/s, p50 ${fmt(step.p50, 0)} ms, p99 ${fmt(step.p99, 0)} ms, ` +
          `errors ${describeErrors(step)}, top CPU ${step.cpu[0] ? cpuText(step, step.cpu[0]) : '-'}, machine ${fmt(step.machinePercent, 0)} %`,
      );
      if (target === 'max') break;
      if (saturated(step)) i = targets.length - 1; // next: the closed-loop run
    }
  }
  return steps;
}

/** An active attribute and `accounts` accounts in Kickoff, all through the gateway. */
async function seed(gateway: string, headers: Record<string, string>, accounts: number): Promise<void> {
  const t0 = Date.now();
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${gateway}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };
  // The one Onboarding fixture, through the typed client.
  await createActiveOnboarding(apiClient(gateway, undefined, headers));
  // Status tracking accepts values once the attribute reached its replica over Kafka (L1).
  await waitFor(
    'the attribute in tracking',
    async () => (await call('PUT', `/v1/accounts/${accountId(0)}/statuses/${ATTRIBUTE}`, { stage: 'Kickoff' })).status === 200,
    60_000,
    250,
  );
  let next = 1;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < accounts; i = next++) {
        const res = await call('PUT', `/v1/accounts/${accountId(i)}/statuses/${ATTRIBUTE}`, { stage: 'Kickoff' });
        if (res.status !== 200) failures.push(`${accountId(i)}: ${res.status} ${res.text}`);
      }
    }),
  );
  if (failures.length) throw new Error(`seeding accounts failed:\n${failures.slice(0, 5).join('\n')}`);
  const view = await call('GET', `/v1/accounts/${accountId(accounts - 1)}`);
  if (view.status !== 200 || !view.text.includes('"Kickoff"')) throw new Error(`account view after the seed: ${view.status} ${view.text}`);
  console.log(`[load] seeded ${ATTRIBUTE} and ${accounts} accounts through the gateway in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function cpuOver(pids: Map<string, number>, ms: number): Promise<CpuShare[]> {
  const a = cpuSnapshot(pids);
  await sleep(ms);
  return cpuBetween(a, cpuSnapshot(pids)).processes;
}

const SEQUENTIAL = 40;

/**
 * One request at a time through the gateway and straight to the service behind it, and to the
 * bare hello: the gateway's own share of a request's time, without queueing.
 */
async function sequentialLatencies(
  system: ProcessSystem,
  helloUrl: string,
  auth: Record<string, string>,
): Promise<{ path: string; p50: number; p99: number }[]> {
  const probe = 'load-probe';
  const put = (i: number) => ({ method: 'PUT', body: JSON.stringify({ stage: i % 2 ? 'Configuration' : 'Implementation' }) });
  const cases: { path: string; url: (i: number) => string; init: (i: number) => RequestInit }[] = [
    { path: 'GET account, gateway', url: (i) => `${system.url('gateway')}/v1/accounts/${accountId(i)}`, init: () => ({ headers: auth }) },
    {
      path: 'GET account, status-tracking direct',
      url: (i) => `${system.url('status-tracking')}/v1/accounts/${accountId(i)}`,
      init: () => ({}),
    },
    // 404: cycle planning never heard of these accounts (no CRM event); the gateway shows primaryCycle null.
    {
      path: 'GET primary cycle, cycle-planning direct (404)',
      url: (i) => `${system.url('cycle-planning')}/v1/accounts/${accountId(i)}/primary-cycle`,
      init: () => ({}),
    },
    {
      path: 'PUT status, gateway',
      url: () => `${system.url('gateway')}/v1/accounts/${probe}/statuses/${ATTRIBUTE}`,
      init: (i) => ({ headers: auth, ...put(i) }),
    },
    {
      path: 'PUT status, status-tracking direct',
      url: () => `${system.url('status-tracking')}/v1/accounts/${probe}/statuses/${ATTRIBUTE}`,
      init: (i) => ({ headers: { 'content-type': 'application/json' }, ...put(i) }),
    },
    { path: 'GET bare Nest hello', url: (i) => `${helloUrl}/v1/accounts/${accountId(i)}`, init: () => ({}) },
  ];
  const rows: { path: string; p50: number; p99: number }[] = [];
  for (const c of cases) {
    const times: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const t = performance.now();
      const res = await fetch(c.url(i), c.init(i));
      await res.text();
      if (!res.ok && res.status !== 404) throw new Error(`${c.path}: ${res.status}`);
      times.push(performance.now() - t);
    }
    const { p50, p99 } = summarize(times);
    rows.push({ path: c.path, p50, p99 });
  }
  return rows;
}

/** Waits (up to 30 s) until the apps are idle again: the previous step's work must not leak into the next. */
async function settle(pids: Map<string, number>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const a = cpuSnapshot(pids);
    await sleep(1_000);
    // Idle apps use 2–3 % each (Kafka heartbeats, timers); one still consuming uses more.
    const busiest = cpuBetween(a, cpuSnapshot(pids)).processes[0]?.percent ?? 0;
    if (busiest < 8) return;
  }
}

/** `x` spread over `parts` integers (the first `x % parts` get one more). */
const share = (x: number, parts: number, k: number) => Math.floor(x / parts) + (k < x % parts ? 1 : 0);

/** One autocannon instance; every answer's status and latency go to `record` (exact percentiles over all instances). */
function cannon(options: autocannon.Options, record: (status: number, ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (err: unknown, result: autocannon.Result) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result),
    );
    instance.on('response', (_client, status, _bytes, ms) => record(status, ms));
  });
}

/**
 * One step. autocannon's rate limit releases each connection's quota at the start of each of its
 * seconds, so one instance at a fixed rate sends in bursts of `connections` requests. To spread
 * the load, a rated step runs SLICES instances started 1/SLICES s apart, with one connection per
 * request per second (up to MAX_RATED_CONNECTIONS): a burst of rate/SLICES requests every 100 ms.
 */
async function drive(
  scenario: Scenario,
  target: number | 'max',
  seconds: number,
  pids: Map<string, number>,
  idle: CpuShare[],
): Promise<Step> {
  const connections = target === 'max' ? MAX_CONNECTIONS : Math.min(MAX_RATED_CONNECTIONS, target);
  const slices = target === 'max' ? 1 : Math.min(SLICES, connections);
  const latencies: number[] = [];
  const answeredAt: number[] = [];
  const statusCodes: Record<string, number> = {};
  const record = (status: number, ms: number) => {
    statusCodes[status] = (statusCodes[status] ?? 0) + 1;
    latencies.push(ms);
    answeredAt.push(performance.now());
  };
  const before = cpuSnapshot(pids);
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: slices }, async (_, k) => {
      await sleep((k * 1_000) / slices);
      return cannon(
        {
          url: scenario.url(),
          connections: share(connections, slices, k),
          duration: seconds,
          timeout: 10,
          headers: scenario.headers,
          requests: [scenario.request()],
          ...(target === 'max' ? {} : { overallRate: share(target, slices, k), ignoreCoordinatedOmission: true }),
        },
        record,
      );
    }),
  );
  const cpu = cpuBetween(before, cpuSnapshot(pids));
  const answered = latencies.length;
  const errors = results.reduce((sum, r) => sum + r.errors, 0);
  const non2xx = results.reduce((sum, r) => sum + r.non2xx, 0);
  const latency = summarize(latencies);
  return {
    scenario: scenario.name,
    target,
    connections,
    sent: results.reduce((sum, r) => sum + r.requests.sent, 0),
    // Answers per second while every instance runs (from 1 s to the end of the first), leaving out
    // the first second's burst and the staggered tail.
    achieved: answeredAt.filter((t) => t >= t0 + 1_000 && t < t0 + seconds * 1_000).length / (seconds - 1),
    p50: latency.p50,
    p99: latency.p99,
    statusCodes,
    timeouts: results.reduce((sum, r) => sum + r.timeouts, 0),
    connectionErrors: errors,
    errorRate: (non2xx + errors) / Math.max(1, answered + errors),
    cpu: cpu.processes,
    machinePercent: cpu.machinePercent,
    idle,
  };
}

interface LimiterResult {
  sent: number;
  accepted: number;
  limited: number;
  /** Neither 2xx nor 429, or no answer. */
  other: number;
  retryAfter: number[];
  rateLimitHeader: string;
  otherKeyStatus: number;
  lastStatus: number;
  lastRetryAfter: string | null;
  lastBody: string;
}

/**
 * The gateway restarted with a low per-key limit and a second key: twice the limit sent at once
 * with one key, then one call with the other key and one more with the first.
 */
async function limiterDemo(system: ProcessSystem, accounts: number): Promise<LimiterResult> {
  system.envOverrides.gateway = {
    RATE_LIMIT_PER_MINUTE: String(DEMO_LIMIT_PER_MINUTE),
    API_KEYS: `${SYSTEM_ADMIN_KEY}:admin,${DEMO_OTHER_KEY}:viewer`,
  };
  await system.stop('gateway');
  await system.start('gateway');
  const gateway = system.url('gateway');
  const statuses: number[] = [];
  const retryAfter: number[] = [];
  let rateLimitHeader = '';
  let n = 0;
  const header = (headers: Record<string, unknown> | undefined, name: string) =>
    Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1] as string | undefined;
  const result = await autocannon({
    url: gateway,
    connections: 20,
    amount: 2 * DEMO_LIMIT_PER_MINUTE,
    timeout: 30,
    headers: { authorization: `Bearer ${SYSTEM_ADMIN_KEY}` },
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: `/v1/accounts/${accountId(n++ % accounts)}` }),
        onResponse: (status, _body, _context, headers) => {
          statuses.push(status);
          if (status === 429) {
            retryAfter.push(Number(header(headers, 'retry-after')));
            rateLimitHeader = header(headers, 'ratelimit') ?? rateLimitHeader;
          }
        },
      },
    ],
  });
  const other = await fetch(`${gateway}/v1/accounts/${accountId(0)}`, { headers: { authorization: `Bearer ${DEMO_OTHER_KEY}` } });
  await other.text();
  const last = await fetch(`${gateway}/v1/accounts/${accountId(0)}`, { headers: { authorization: `Bearer ${SYSTEM_ADMIN_KEY}` } });
  return {
    sent: result.requests.sent,
    accepted: statuses.filter((s) => s >= 200 && s < 300).length,
    limited: statuses.filter((s) => s === 429).length,
    other: statuses.length - statuses.filter((s) => (s >= 200 && s < 300) || s === 429).length + result.errors,
    retryAfter,
    rateLimitHeader,
    otherKeyStatus: other.status,
    lastStatus: last.status,
    lastRetryAfter: last.headers.get('retry-after'),
    lastBody: await last.text(),
  };
}

/** "ferretdb 68 % (55)": a process's CPU during the step and in the idle 2 s before it. */
function cpuText(s: Step, c: CpuShare): string {
  const idle = s.idle.find((i) => i.label === c.label)?.percent;
  return `${SHORT[c.label] ?? c.label} ${fmt(c.percent, 0)} % (${fmt(idle ?? NaN, 0)})`;
}

const SHORT: Record<string, string> = {
  gateway: 'gateway',
  'attribute-catalog': 'catalog',
  'status-tracking': 'tracking',
  'cycle-planning': 'cycles',
  'segment-evaluation': 'segments',
  kafka: 'kafka',
  'mongo-wire': 'mongo-wire',
  redis: 'redis',
  hello: 'hello',
  'load generator': 'loadgen',
};

function report(
  steps: Step[],
  outcomes: Record<string, number>,
  rssBefore: Map<string, number | null>,
  rssAfter: Map<string, number | null>,
  limiter: LimiterResult,
  seconds: number,
  accounts: number,
  sequential: { path: string; p50: number; p99: number }[],
): void {
  const cores = Number(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)?.length ?? 0);
  console.log(
    `\nLoad test, ${new Date().toISOString().slice(0, 10)}: ${seconds} s per step, ${accounts} accounts, records compressed: ${BENCH_KAFKA_COMPRESSION}, autocannon in this process at a fixed overall rate ` +
      `(${SLICES} staggered instances, one connection per req/s up to ${MAX_RATED_CONNECTIONS}), "max" = closed loop with ${MAX_CONNECTIONS} connections. ` +
      `CPU in % of one core (${cores} cores = ${cores * 100} %); "machine" = all cores busy, other users included.\n`,
  );
  console.log(
    table(
      steps.map((s) => ({
        scenario: s.scenario,
        'target req/s': s.target,
        conns: s.connections,
        'achieved req/s': fmt(s.achieved, 0),
        'p50 ms': fmt(s.p50, 0),
        'p99 ms': fmt(s.p99, 0),
        'error %': fmt(s.errorRate * 100, 2),
        errors: describeErrors(s),
        'top CPU (idle before)': s.cpu[0] ? cpuText(s, s.cpu[0]) : '-',
        'machine %': fmt(s.machinePercent, 0),
      })),
    ),
  );
  console.log('\nCPU per process during each step, in % of one core (in parentheses: the 2 s before it, apps idle):\n');
  const labels = Object.keys(SHORT).filter((label) => steps.some((s) => s.cpu.some((c) => c.label === label)));
  console.log(
    table(
      steps.map((s) => ({
        scenario: s.scenario,
        target: s.target,
        ...Object.fromEntries(
          labels.map((label) => [
            SHORT[label]!,
            `${fmt(s.cpu.find((c) => c.label === label)?.percent ?? NaN, 0)} (${fmt(s.idle.find((c) => c.label === label)?.percent ?? NaN, 0)})`,
          ]),
        ),
      })),
    ),
  );
  console.log('\nWhere each scenario saturates:');
  for (const name of [...new Set(steps.map((s) => s.scenario))]) {
    const own = steps.filter((s) => s.scenario === name);
    const fixed = own.filter((s) => s.target !== 'max');
    const held = fixed.filter((s) => !saturated(s)).at(-1);
    const broke = fixed.find(saturated);
    const max = own.find((s) => s.target === 'max');
    const busiest = (s: Step) =>
      s.cpu
        .slice(0, 4)
        .map((c) => cpuText(s, c))
        .join(', ');
    console.log(
      `- ${name}: holds ${held ? `${String(held.target)} req/s (p99 ${fmt(held.p99, 0)} ms)` : 'none of the rates'}` +
        (broke
          ? `; at ${String(broke.target)} req/s: ${fmt(broke.achieved, 0)} req/s, p99 ${fmt(broke.p99, 0)} ms, ${fmt(broke.errorRate * 100, 1)} % errors; busiest: ${busiest(broke)}`
          : '; never saturated at the rates tried') +
        (max
          ? `; closed loop (${MAX_CONNECTIONS} conns): ${fmt(max.achieved, 0)} req/s, p99 ${fmt(max.p99, 0)} ms; busiest: ${busiest(max)}`
          : ''),
    );
  }
  console.log(`\nOne request at a time, ${SEQUENTIAL} each, before the load (where a request's time goes):\n`);
  console.log(table(sequential.map((r) => ({ path: r.path, 'p50 ms': fmt(r.p50, 1), 'p99 ms': fmt(r.p99, 1) }))));
  console.log(
    `\nUpdate outcomes (status-tracking's answer): ${Object.entries(outcomes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `RSS after seeding → after the load (idle): ${[...rssBefore]
      .map(
        ([label, before]) =>
          `${SHORT[label] ?? label} ${before === null ? '-' : mib(before)} → ${rssAfter.get(label) == null ? '-' : mib(rssAfter.get(label)!)}`,
      )
      .join('; ')}`,
  );
  const ra = limiter.retryAfter.filter(Number.isFinite);
  console.log(
    `\nRate limiter: gateway restarted with RATE_LIMIT_PER_MINUTE=${DEMO_LIMIT_PER_MINUTE} (per API key); ${2 * DEMO_LIMIT_PER_MINUTE} reads sent at once with one key (20 connections): ` +
      `${limiter.accepted} accepted, ${limiter.limited} × 429, ${limiter.other} other; ` +
      `Retry-After ${ra.length ? `${Math.min(...ra)}–${Math.max(...ra)} s` : 'missing'}; RateLimit: ${limiter.rateLimitHeader || 'missing'}; ` +
      `the other key at once after: ${limiter.otherKeyStatus}; the limited key again: ${limiter.lastStatus}, Retry-After ${limiter.lastRetryAfter ?? 'missing'}, body ${limiter.lastBody}`,
  );
}

/** Warnings and errors the apps logged during the run (a load test should leave none but expected ones). */
function reportLogs(logDir: string): void {
  const lines: string[] = [];
  for (const app of APPS) {
    const file = join(logDir, `${app}.log`);
    if (!existsSync(file)) continue;
    const bad = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /"level":(40|50|60)/.test(line) || /\b(ERROR|FATAL)\b/.test(line));
    lines.push(`${SHORT[app] ?? app} ${bad.length}${bad[0] ? ` (first: ${bad[0].slice(0, 240)})` : ''}`);
  }
  console.log(`\nWarn/error log lines per app: ${lines.join('; ')}\nLogs: ${logDir}`);
}

/** Drops what this run left on the shared servers: databases, topics, consumer groups, BullMQ keys. */
async function dropRun(runId: string, topicPrefix: string, databases: string[]): Promise<void> {
  const mongo = await MongoClient.connect(INFRA.mongo, { serverSelectionTimeoutMS: 5_000 });
  try {
    for (const db of databases) await mongo.db(db).dropDatabase();
  } finally {
    await mongo.close();
  }
  const admin = new Kafka({ clientId: `load-cleanup-${runId}`, brokers: INFRA.kafka.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(topicPrefix));
    if (topics.length) await admin.deleteTopics({ topics });
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.endsWith(`-${runId}`));
    if (groups.length) await admin.deleteGroups(groups);
  } finally {
    await admin.disconnect();
  }
  const redis = new Redis(INFRA.redis, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `t-${runId}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
