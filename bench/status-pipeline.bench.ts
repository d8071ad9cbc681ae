/**
 * Status events through the real broker into status-tracking and out as `status.changed`, beside
 * the raw limit measured in the same run on the same servers: a bare kafkajs + driver pipeline
 * (consume a batch, one bulk upsert by `_id` per event, one produced event per input, commit).
 * Each pipeline runs in a process of its own, as a service does; this process publishes the
 * input and reads the output.
 *   1. a burst of `events` over `accounts` (all published at once): events/s, p50/p99 of publish →
 *      status.changed consumed, and what the databases and the topic hold (nothing lost, nothing twice);
 *   2. the same pipeline paced at half the burst's rate (or `paceRate` events/s) for `paceSeconds`: p50/p99,
 *      and the p99 of each second's events (to the read, and to status tracking's produce);
 *   3. the bare pipeline with the same events and keys; the ratio of 1 to it;
 *   4. with `rounds` > 1, that many more bursts of ours (fresh accounts), each followed by the bare
 *      pipeline again: the bare pipeline's own rate moves from one minute to the next on a shared
 *      machine, so the ratio of each pair of neighbouring runs and their median are printed. The
 *      first burst is the service's first work since it started, with V8 still compiling its code
 *      (a third more CPU per event than the later ones); the later ones show it as it runs.
 * The daily counters worker has its own benchmark: bench/daily-counters.bench.ts.
 *   npm run bench -- status-pipeline [events=20000] [accounts=2000] [paceSeconds=20] [paceRate=half] [rounds=3]
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { Topics, type AnyEnvelope } from '@lifecycle/contracts';
import { startService } from '@lifecycle/http';
import { EventPublisher, KafkaConnection } from '@lifecycle/messaging';
import { INFRA, newTestRun, testServiceConfig, waitFor } from '@lifecycle/testing';
import { BENCH_KAFKA_COMPRESSION } from './lib/compression';
import { StatusTrackingModule } from '../apps/status-tracking/src/status-tracking.module';
import { statusTrackingDefinition } from '../apps/status-tracking/src/status-tracking.definition';
import { unpackPair } from '../apps/status-tracking/src/statuses/lifecycle-state.codec';
import { LIFECYCLE_STATE_COLLECTION, type LifecycleStateDocument } from '../apps/status-tracking/src/statuses/lifecycle-state.schema';
import { answer, appNodeFlags, commands, startChild } from './lib/child';
import { cpuBetween, cpuSnapshot, infraPids, processCpuMicros, processRss, type CpuShare } from './lib/process-cpu';
import { rawPipeline } from './lib/raw-limits';
import { fmt, mib, summarize, table } from './lib/stats';
import { awaitTrackingReplica, publishOnboarding, statusWalks } from './lib/status-walks';

/** `status.changed` as it arrives: first-arrival latency per input (account + event time), raw and distinct counts. */
interface LatencyProbe {
  sentAt: Map<string, number>;
  seen: Set<string>;
  ids: Set<string>;
  latencies: number[];
  /** Per latency: when its input was published, and how long after that status tracking produced its output (the record's timestamp). */
  sent: number[];
  produced: number[];
  /** Records read (partition:offset) and how many of them are `status.changed`. */
  records: Set<string>;
  raw: number;
  consumer: Consumer;
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 20_000);
  const accounts = Number(process.argv[3] ?? 2_000);
  const paceSeconds = Number(process.argv[4] ?? 20);
  const paceRate = process.argv[5] === undefined || process.argv[5] === 'half' ? undefined : Number(process.argv[5]);
  const rounds = Number(process.argv[6] ?? 3);
  const service = startChild(__filename, ['--service'], appNodeFlags('status-tracking'));
  const { url, topicPrefix, databaseName } = JSON.parse(await service.next()) as ServiceInfo;
  const brokers = INFRA.kafka.split(',');
  const connection = new KafkaConnection({ brokers, clientId: 'bench', topicPrefix });
  const publisher = new EventPublisher(connection, 'bench-crm');
  const now = Date.now();
  await publishOnboarding(publisher);
  const probe = await startLatencyProbe(brokers, connection.names.physical(Topics.LifecycleStatus));
  await awaitTrackingReplica(url);

  console.log(
    `status pipeline: ${events} crm.account.status.set events over ${accounts} accounts (6 partitions), one status-tracking instance, its records compressed: ${BENCH_KAFKA_COMPRESSION}`,
  );
  const start = Date.now();
  const burstCpu = cpuMeter(service.pid);
  const { peakRss } = await withRssPeak(service.pid, async () => {
    await publishWalks(publisher, probe, statusWalks(events, accounts, 'acct', now));
    await waitFor('every status.changed', () => probe.latencies.length >= events, 1_800_000, 200);
  });
  const seconds = (Date.now() - start) / 1000;
  const burst = { perSecond: events / seconds, latency: summarize(probe.latencies), seconds, cpu: burstCpu(events) };

  const client = await MongoClient.connect(INFRA.mongo);
  const db = client.db(databaseName);
  const pairs = await db
    .collection<LifecycleStateDocument>(LIFECYCLE_STATE_COLLECTION)
    .find({ accountId: { $regex: '^acct-' } }, { projection: { packed: 1 } })
    .toArray();
  const history = pairs.reduce((n, doc) => n + unpackPair(doc.packed).history.length, 0);
  const check = { history, distinct: probe.seen.size, raw: probe.raw, ids: probe.ids.size };

  // Paced at half the burst's rate: the latency of a pipeline that keeps up, from a settled start
  // (the burst's own status.changed, read back for the SLA triggers, applied first).
  await awaitNoLag(url);
  const paced = {
    ...(await pacedRun(publisher, probe, paceRate ?? burst.perSecond / 2, paceSeconds, now, service.pid)),
    halfBurst: paceRate === undefined,
  };
  const rawCpu = cpuMeter(null);
  const bare = await rawPipeline(events, accounts);
  const raw = { ...bare, cpu: { ...rawCpu(events), nodeUs: bare.processUsPerEvent } };
  printFigures({ events, accounts, burst, paced, raw, peakRss, check });
  if (rounds > 1) {
    const pairs = [{ ours: burst.perSecond, bare: raw.perSecond, oursCpu: burst.cpu, bareCpu: raw.cpu }];
    for (let round = 2; round <= rounds; round++) {
      await awaitNoLag(url);
      const ours = await timedBurst(publisher, probe, service.pid, statusWalks(events, accounts, `round${round}`, now));
      const bareCpu = cpuMeter(null);
      const bareRun = await rawPipeline(events, accounts);
      pairs.push({
        ours: ours.perSecond,
        bare: bareRun.perSecond,
        oursCpu: ours.cpu,
        bareCpu: { ...bareCpu(events), nodeUs: bareRun.processUsPerEvent },
      });
    }
    printRounds(pairs);
  }

  await db.dropDatabase();
  await client.close();
  await probe.consumer.disconnect();
  await publisher.close();
  await service.stop();
}

/** One more burst of ours, timed from the first publish to the last `status.changed` read. */
async function timedBurst(publisher: EventPublisher, probe: LatencyProbe, pid: number, envelopes: readonly AnyEnvelope[]) {
  const before = probe.latencies.length;
  const cpu = cpuMeter(pid);
  const start = Date.now();
  await publishWalks(publisher, probe, envelopes);
  await waitFor('every status.changed of the round', () => probe.latencies.length >= before + envelopes.length, 1_800_000, 200);
  return { perSecond: envelopes.length / ((Date.now() - start) / 1000), cpu: cpu(envelopes.length) };
}

function printRounds(pairs: readonly { ours: number; bare: number; oursCpu: CpuPerEvent; bareCpu: CpuPerEvent }[]): void {
  const shares = pairs.map((p) => (100 * p.ours) / p.bare);
  const sorted = [...shares].sort((a, b) => a - b);
  const median =
    sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  console.log(
    table(
      pairs.map((p, i) => ({
        round: String(i + 1),
        'ours events/s': fmt(p.ours, 0),
        'bare events/s': fmt(p.bare, 0),
        'share of bare': `${fmt(shares[i]!, 1)} %`,
        'process µs/event ours (bare)': `${fmt(p.oursCpu.nodeUs, 0)} (${fmt(p.bareCpu.nodeUs, 0)})`,
        'Mongo-wire + Kafka + bench µs/event ours (bare)': `${others(p.oursCpu)} (${others(p.bareCpu)})`,
      })),
    ),
  );
  const warm = shares.slice(1);
  console.log(
    `rounds: ${pairs.length}, median share of the bare pipeline ${fmt(median, 1)} % (range ${fmt(sorted[0]!, 1)}–${fmt(sorted[sorted.length - 1]!, 1)} %); ` +
      `round 1 (the service's first burst since it started) ${fmt(shares[0]!, 1)} %, the later rounds' mean ${fmt(warm.reduce((a, b) => a + b, 0) / warm.length, 1)} %`,
  );
}

interface ServiceInfo {
  url: string;
  topicPrefix: string;
  databaseName: string;
}

/** The child: status-tracking alone in this process until STOP. */
async function serviceProcess(): Promise<void> {
  const run = newTestRun('bench');
  const base = testServiceConfig(run, 'status-tracking');
  const config = { ...base, kafka: { ...base.kafka, compression: BENCH_KAFKA_COMPRESSION }, logLevel: 'error' as const };
  const service = await startService(StatusTrackingModule.register(config), config, statusTrackingDefinition);
  const info: ServiceInfo = { url: service.url, topicPrefix: run.topicPrefix, databaseName: run.databaseFor('status-tracking') };
  answer(JSON.stringify(info));
  for await (const line of commands()) if (line === 'STOP') break;
  await service.app.close();
}

/** Until every consumer of the service has read its topics to the end (the lag `/health` shows). */
async function awaitNoLag(serviceUrl: string): Promise<void> {
  const lags = (node: unknown): number[] =>
    node === null || typeof node !== 'object'
      ? []
      : Object.entries(node).flatMap(([k, v]) => (k === 'totalLag' && typeof v === 'number' ? [v] : lags(v)));
  await waitFor(
    'the service without lag',
    async () => {
      const found = lags(await (await fetch(`${serviceUrl}/health`)).json());
      return found.length > 0 && found.every((lag) => lag === 0);
    },
    120_000,
    500,
  );
}

/** CPU per event from now on: of the Mongo-wire server and of the pipeline's process `pid` (when given). */
/**
 * CPU per event of each process a pipeline runs on (the two cores are shared, so all of it bounds
 * the rate): the Mongo-wire server, the broker, this bench (publisher and reader) and, with `pid`,
 * the pipeline's own process (the bare pipeline reports its own).
 */
interface CpuPerEvent {
  serverUs: number;
  kafkaUs: number;
  benchUs: number;
  nodeUs: number;
}

function cpuMeter(pid: number | null): (events: number) => CpuPerEvent {
  const infra = infraPids(process.cwd());
  const read = (p: number | undefined | null) => (p === undefined || p === null ? null : processCpuMicros(p));
  const self = () => {
    const { user, system } = process.cpuUsage();
    return user + system;
  };
  const before = { server: read(infra.get('mongo-wire')), kafka: read(infra.get('kafka')), bench: self(), node: read(pid) };
  const per = (b: number | null, a: number | null, events: number) => (b === null || a === null ? NaN : (a - b) / events);
  return (events) => ({
    serverUs: per(before.server, read(infra.get('mongo-wire')), events),
    kafkaUs: per(before.kafka, read(infra.get('kafka')), events),
    benchUs: per(before.bench, self(), events),
    nodeUs: per(before.node, read(pid), events),
  });
}

function others(cpu: CpuPerEvent): string {
  return `${fmt(cpu.serverUs, 0)} + ${fmt(cpu.kafkaUs, 0)} + ${fmt(cpu.benchUs, 0)}`;
}

/** The highest resident set size of process `pid` while `work` runs. */
async function withRssPeak(pid: number, work: () => Promise<void>): Promise<{ peakRss: number }> {
  let peakRss = 0;
  const sample = () => (peakRss = Math.max(peakRss, processRss(pid) ?? 0));
  const timer = setInterval(sample, 100);
  try {
    await work();
    sample();
    return { peakRss };
  } finally {
    clearInterval(timer);
  }
}

/** A consumer of `lifecycle.status` recording each `status.changed`'s first-arrival latency. */
async function startLatencyProbe(brokers: string[], topic: string): Promise<LatencyProbe> {
  const kafka = new Kafka({ clientId: 'bench-out', brokers, logLevel: logLevel.NOTHING });
  const probe: LatencyProbe = {
    sentAt: new Map(),
    seen: new Set(),
    ids: new Set(),
    latencies: [],
    sent: [],
    produced: [],
    records: new Set(),
    raw: 0,
    consumer: kafka.consumer({ groupId: `bench-out-${randomUUID()}` }),
  };
  await probe.consumer.connect();
  await probe.consumer.subscribe({ topic, fromBeginning: true });
  // The probe commits nothing: kafkajs commits each partition's batch before it fetches again, a
  // round trip per partition per fetch that would count in every latency measured here.
  await probe.consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      // A record read twice (the probe's group rejoining) has the same offset: counted once.
      const record = `${partition}:${message.offset}`;
      if (probe.records.has(record)) return;
      probe.records.add(record);
      const e = JSON.parse(message.value!.toString()) as { id: string; type: string; data: { accountId: string; at: string } };
      if (e.type !== 'status.changed') return;
      probe.raw++;
      probe.ids.add(e.id);
      const key = `${e.data.accountId}|${new Date(e.data.at).getTime()}`;
      const t = probe.sentAt.get(key);
      if (t !== undefined && !probe.seen.has(key)) {
        probe.seen.add(key);
        probe.latencies.push(Date.now() - t);
        probe.sent.push(t);
        probe.produced.push(Number(message.timestamp) - t);
      }
    },
  });
  return probe;
}

async function publishWalks(publisher: EventPublisher, probe: LatencyProbe, envelopes: readonly AnyEnvelope[]): Promise<void> {
  for (let i = 0; i < envelopes.length; i += 500) {
    const chunk = envelopes.slice(i, i + 500);
    const sentAt = Date.now();
    for (const e of chunk) probe.sentAt.set(`${(e.data as { accountId: string }).accountId}|${Date.parse(e.occurredAt)}`, sentAt);
    await publisher.publishEnvelopes(chunk);
  }
}

/**
 * `rate` events/s for `seconds`, fresh accounts; the latencies of those events, and the CPU of each
 * process while they were sent (the machine's cores are shared by the service, the servers and this
 * process, which publishes the input and reads the output).
 */
async function pacedRun(publisher: EventPublisher, probe: LatencyProbe, rate: number, seconds: number, now: number, servicePid: number) {
  const total = Math.max(1, Math.round(rate * seconds));
  const envelopes = statusWalks(total, Math.max(1, Math.round(rate)), `pace-${randomUUID().slice(0, 6)}`, now);
  const before = probe.latencies.length;
  const processes = new Map([['status-tracking', servicePid], ['bench (publisher + probe)', process.pid], ...infraPids(process.cwd())]);
  const cpuBefore = cpuSnapshot(processes);
  const start = Date.now();
  for (let sent = 0; sent < envelopes.length;) {
    const due = Math.min(envelopes.length, Math.floor(((Date.now() - start) / 1000) * rate) + 1);
    if (due > sent) {
      await publishWalks(publisher, probe, envelopes.slice(sent, due));
      sent = due;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const cpu = cpuBetween(cpuBefore, cpuSnapshot(processes));
  await waitFor('every paced status.changed', () => probe.latencies.length >= before + total, 600_000, 100);
  return { rate, total, latency: summarize(probe.latencies.slice(before)), cpu, windows: pacedWindows(probe, before, start) };
}

/**
 * The paced latencies by the second they were published in: each window's p99 from publish to
 * `status.changed` read, and to status tracking's produce of it (the record's timestamp), so a
 * slow window shows whether the wait was before the output left the service or after.
 */
function pacedWindows(probe: LatencyProbe, from: number, start: number): { second: number; p99: number; producedP99: number }[] {
  const bySecond = new Map<number, { total: number[]; produced: number[] }>();
  for (let i = from; i < probe.latencies.length; i++) {
    const second = Math.floor((probe.sent[i]! - start) / 1000);
    const w = bySecond.get(second) ?? { total: [], produced: [] };
    w.total.push(probe.latencies[i]!);
    w.produced.push(probe.produced[i]!);
    bySecond.set(second, w);
  }
  return [...bySecond]
    .sort((a, b) => a[0] - b[0])
    .map(([second, w]) => ({ second, p99: summarize(w.total).p99, producedP99: summarize(w.produced).p99 }));
}

function printFigures(f: {
  events: number;
  accounts: number;
  burst: { perSecond: number; latency: { p50: number; p99: number }; seconds: number; cpu: CpuPerEvent };
  paced: {
    rate: number;
    total: number;
    latency: { p50: number; p99: number };
    halfBurst: boolean;
    cpu: { processes: CpuShare[]; machinePercent: number };
    windows: { second: number; p99: number; producedP99: number }[];
  };
  raw: { perSecond: number; latency: { p50: number; p99: number }; cpu: CpuPerEvent };
  peakRss: number;
  check: { history: number; distinct: number; raw: number; ids: number };
}): void {
  console.log(
    table([
      {
        path: `status pipeline, burst of ${f.events} over ${f.accounts} accounts`,
        'events/s': fmt(f.burst.perSecond, 0),
        'p50 ms': fmt(f.burst.latency.p50, 0),
        'p99 ms': fmt(f.burst.latency.p99, 0),
        note: `${fmt(f.burst.seconds, 1)} s; ${fmt((100 * f.burst.perSecond) / f.raw.perSecond, 1)} % of the bare pipeline; peak RSS ${mib(f.peakRss)}`,
      },
      {
        path: `status pipeline, paced at ${fmt(f.paced.rate, 0)}/s${f.paced.halfBurst ? ' (half the burst rate)' : ''}`,
        'events/s': fmt(f.paced.rate, 0),
        'p50 ms': fmt(f.paced.latency.p50, 0),
        'p99 ms': fmt(f.paced.latency.p99, 0),
        note: `${f.paced.total} events`,
      },
      {
        path: 'raw: bare kafkajs + driver pipeline (batch → bulk upsert → produce → commit)',
        'events/s': fmt(f.raw.perSecond, 0),
        'p50 ms': fmt(f.raw.latency.p50, 0),
        'p99 ms': fmt(f.raw.latency.p99, 0),
        note: 'same events and keys, same broker and server, one partition at a time',
      },
    ]),
  );
  console.log(
    `CPU per event — the pipeline's process (status-tracking, or the bare pipeline): ${fmt(f.burst.cpu.nodeUs, 0)} µs ours, ` +
      `${fmt(f.raw.cpu.nodeUs, 0)} µs bare; Mongo-wire server ${fmt(f.burst.cpu.serverUs, 0)} and ${fmt(f.raw.cpu.serverUs, 0)}; ` +
      `Kafka ${fmt(f.burst.cpu.kafkaUs, 0)} and ${fmt(f.raw.cpu.kafkaUs, 0)}; this bench (publisher and reader) ` +
      `${fmt(f.burst.cpu.benchUs, 0)} and ${fmt(f.raw.cpu.benchUs, 0)}`,
  );
  console.log(
    `CPU while paced — machine ${fmt(f.paced.cpu.machinePercent, 0)} % busy (all cores); % of one core: ` +
      f.paced.cpu.processes.map((p) => `${p.label} ${fmt(p.percent, 0)}`).join(', '),
  );
  const slow = f.paced.windows.filter((w) => w.p99 > 250).length;
  console.log(
    `paced p99 per second published, ms (to status.changed read / to its produce): ` +
      f.paced.windows.map((w) => `${fmt(w.p99, 0)}/${fmt(w.producedP99, 0)}`).join(' ') +
      ` — ${slow} of ${f.paced.windows.length} windows over 250 ms`,
  );
  const lost = f.events - f.check.distinct;
  console.log(
    `burst check: history entries ${f.check.history} of ${f.events}; status.changed distinct changes ${f.check.distinct}, ` +
      `distinct ids ${f.check.ids}, raw ${f.check.raw} — lost ${lost}, applied twice ${f.check.history - f.events}, published twice ${f.check.raw - f.check.ids}`,
  );
}

(process.argv[2] === '--service' ? serviceProcess() : main()).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
