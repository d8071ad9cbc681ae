/**
 * What metrics and tracing cost the status pipeline (goal: under 5 %).
 * `crm.account.status.set` bursts through the real broker into status-tracking and out as
 * `status.changed`, in rounds that cycle four modes, each round a fresh status-tracking process
 * (tracing is set up once per process) on the same servers in the same run:
 *   - off: no tracing, and prom-client's recording methods replaced by no-ops (no instrumentation);
 *   - metrics: every metric recorded, `/metrics` scraped every 5 s (lag, outbox, queues collected);
 *   - sampled: metrics, and tracing that keeps 10 % of the traces (`parentbased_traceidratio`);
 *   - on: metrics as above, and tracing exporting every span over OTLP/HTTP to a receiver here.
 * This process publishes, probes `lifecycle.status`, scrapes and receives spans, so the service
 * process does the pipeline's work alone: its CPU time per event (read from the process itself)
 * is the cost that holds on a busy machine; events/s (first publish → last `status.changed`) is
 * printed beside it. Medians per mode, and their ratios to off.
 *   npm run bench -- observability-cost [events=1500] [accounts=150] [rounds=3]
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { Counter, Gauge, Histogram } from 'prom-client';
import { Topics } from '@lifecycle/contracts';
import { startService } from '@lifecycle/http';
import { EventPublisher, KafkaConnection } from '@lifecycle/messaging';
import { INFRA, newTestRun, testServiceConfig, waitFor } from '@lifecycle/testing';
import { StatusTrackingModule } from '../apps/status-tracking/src/status-tracking.module';
import { statusTrackingDefinition } from '../apps/status-tracking/src/status-tracking.definition';
import { answer, commands, startChild, type Child } from './lib/child';
import { fmt, table } from './lib/stats';
import { awaitTrackingReplica, publishOnboarding, statusWalks } from './lib/status-walks';

type Mode = 'off' | 'metrics' | 'sampled' | 'on';
const MODES: readonly Mode[] = ['off', 'metrics', 'sampled', 'on'];
/** The share of traces the `sampled` mode keeps (`parentbased_traceidratio`). */
const SAMPLED_SHARE = 0.1;
const SCRAPE_EVERY_MS = 5_000;

interface RoundResult {
  mode: Mode;
  seconds: number;
  perSecond: number;
  cpuUsPerEvent: number;
  scrapes: number;
}

/** The service under measurement: a child process that starts status-tracking and reports its own CPU time on request. */
interface ServiceProcess extends Child {
  url: string;
  topicPrefix: string;
  databaseName: string;
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 1_500);
  const accounts = Number(process.argv[3] ?? 150);
  const rounds = Number(process.argv[4] ?? 3);
  let spans = 0;
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      spans += (body.match(/"spanId"/g) ?? []).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  console.log(
    `observability cost: ${rounds} round(s) per mode of ${events} events over ${accounts} accounts, a fresh status-tracking process each`,
  );

  const results: RoundResult[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const mode of MODES) {
      const result = await measure(mode, events, accounts, endpoint);
      console.log(
        `  round ${round + 1} ${mode.padEnd(7)}: ${fmt(result.perSecond, 1)} events/s (${fmt(result.seconds, 1)} s), ` +
          `service CPU ${fmt(result.cpuUsPerEvent, 0)} µs/event, ${result.scrapes} scrapes`,
      );
      results.push(result);
    }
  }
  receiver.close();
  const median = (mode: Mode, pick: (r: RoundResult) => number) => {
    const sorted = results
      .filter((r) => r.mode === mode)
      .map(pick)
      .sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  const base = { cpu: median('off', (r) => r.cpuUsPerEvent), rate: median('off', (r) => r.perSecond) };
  const label: Record<Mode, string> = {
    off: 'off: no tracing, metric recording stubbed out',
    metrics: 'metrics: recorded, /metrics every 5 s',
    sampled: `sampled: metrics + tracing keeping ${100 * SAMPLED_SHARE} % of traces`,
    on: 'on: metrics + tracing (OTLP/HTTP export)',
  };
  console.log(
    table(
      MODES.map((mode) => {
        const cpu = median(mode, (r) => r.cpuUsPerEvent);
        const rate = median(mode, (r) => r.perSecond);
        return {
          mode: label[mode],
          'service CPU µs/event': fmt(cpu, 0),
          'CPU vs off': `${cpu >= base.cpu ? '+' : ''}${fmt((100 * (cpu - base.cpu)) / base.cpu, 1)} %`,
          'events/s': fmt(rate, 1),
          'events/s vs off': `${fmt((100 * rate) / base.rate, 1)} %`,
        };
      }),
    ),
  );
  console.log(`spans received: ${spans}`);
}

/** One round: a fresh service process in `mode`, one burst driven from here. */
async function measure(mode: Mode, events: number, accounts: number, endpoint: string): Promise<RoundResult> {
  const service = await startServiceProcess(mode, endpoint);
  const connection = new KafkaConnection({ brokers: INFRA.kafka.split(','), clientId: 'bench', topicPrefix: service.topicPrefix });
  const publisher = new EventPublisher(connection, 'bench-crm');
  await publishOnboarding(publisher);
  await awaitTrackingReplica(service.url);

  const seen = new Set<string>();
  const kafka = new Kafka({ clientId: 'bench-out', brokers: INFRA.kafka.split(','), logLevel: logLevel.NOTHING });
  const probe = kafka.consumer({ groupId: `bench-out-${randomUUID()}` });
  await probe.connect();
  await probe.subscribe({ topic: connection.names.physical(Topics.LifecycleStatus), fromBeginning: true });
  await probe.run({
    eachMessage: async ({ message }) => {
      const e = JSON.parse(message.value!.toString()) as { type: string; data: { accountId: string; at: string } };
      if (e.type === 'status.changed' && e.data.accountId.startsWith('acct-')) seen.add(`${e.data.accountId}|${e.data.at}`);
    },
  });

  let scrapes = 0;
  const scraper =
    mode === 'off'
      ? null
      : setInterval(() => {
          void fetch(`${service.url}/metrics`).then((r) => r.text().then(() => scrapes++));
        }, SCRAPE_EVERY_MS);
  const envelopes = statusWalks(events, accounts, 'acct', Date.now());
  service.send('START');
  await service.next();
  const start = Date.now();
  for (let i = 0; i < envelopes.length; i += 500) await publisher.publishEnvelopes(envelopes.slice(i, i + 500));
  await waitFor('every status.changed', () => seen.size >= events, 600_000, 100);
  const seconds = (Date.now() - start) / 1000;
  service.send('REPORT');
  const cpuUs = Number(await service.next());
  if (scraper) clearInterval(scraper);

  await probe.disconnect();
  await publisher.close();
  await service.stop();
  const client = await MongoClient.connect(INFRA.mongo);
  await client.db(service.databaseName).dropDatabase();
  await client.close();
  return { mode, seconds, perSecond: events / seconds, cpuUsPerEvent: cpuUs / events, scrapes };
}

async function startServiceProcess(mode: Mode, endpoint: string): Promise<ServiceProcess> {
  const child = startChild(__filename, ['--service', mode, endpoint]);
  const { url, topicPrefix, databaseName } = JSON.parse(await child.next()) as { url: string; topicPrefix: string; databaseName: string };
  return { ...child, url, topicPrefix, databaseName };
}

/** The child: status-tracking in `mode`; answers START (resets the CPU clock), REPORT (CPU µs since), STOP. */
async function serviceProcess(mode: Mode, endpoint: string): Promise<void> {
  if (mode === 'off') {
    for (const proto of [Counter.prototype, Gauge.prototype, Histogram.prototype] as unknown as Record<string, unknown>[]) {
      for (const method of ['inc', 'set', 'observe']) if (typeof proto[method] === 'function') proto[method] = () => undefined;
    }
  }
  const run = newTestRun(`obs${mode}`);
  const config = {
    ...testServiceConfig(run, 'status-tracking'),
    logLevel: 'error' as const,
    otlpEndpoint: mode === 'on' || mode === 'sampled' ? endpoint : null,
    traceSampling:
      mode === 'sampled'
        ? { sampler: 'parentbased_traceidratio' as const, ratio: SAMPLED_SHARE }
        : { sampler: 'parentbased_always_on' as const, ratio: 1 },
  };
  const service = await startService(StatusTrackingModule.register(config), config, statusTrackingDefinition);
  answer(JSON.stringify({ url: service.url, topicPrefix: run.topicPrefix, databaseName: run.databaseFor('status-tracking') }));
  let since = process.cpuUsage();
  for await (const line of commands()) {
    if (line === 'START') {
      since = process.cpuUsage();
      answer('started');
    } else if (line === 'REPORT') {
      const used = process.cpuUsage(since);
      answer(String(used.user + used.system));
    } else if (line === 'STOP') {
      await service.app.close();
      return;
    }
  }
}

const [flag, mode, endpoint] = process.argv.slice(2);
const work = flag === '--service' ? serviceProcess(mode as Mode, endpoint!) : main();
work.then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
