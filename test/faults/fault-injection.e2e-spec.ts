/**
 * Fault injection (docs/reliability.md): a known stream of CRM status events with duplicates, late
 * events and invalid messages goes through the compiled services running as real processes,
 * while Kafka is restarted twice, status tracking is SIGKILLed mid-batch, Redis is restarted
 * under the daily counters job and a segment membership job, and the Mongo-wire server is
 * restarted once. Then it counts what went in against what the databases and topics hold
 * (precise claims: fault-checks.ts) and prints the report.
 *
 * Run: `npm run test:faults` (the jest project `faults`, never beside other suites: it restarts the
 * shared servers). Knobs: FAULT_EVENTS (default 1000), FAULT_ACCOUNTS (200),
 * FAULT_PUBLISH_SECONDS (how long publishing is paced to last, default 100; or FAULT_RATE in
 * messages/s), FAULT_SEED, FAULT_INJECT=0 (same run without faults). Needs the servers started
 * by this checkout's `scripts/infra.sh` (it restarts them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { MongoClient, type Db } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { TOPIC_SPECS, Topics } from '@lifecycle/contracts';
import { EventPublisher, KafkaConnection, buildEnvelope, type AttributeReplicaDocument } from '@lifecycle/messaging';
import { INFRA, newTestRun, ProcessSystem, ROOT, SYSTEM_ADMIN_KEY, waitFor, type AppName, type TopicRecorder } from '@lifecycle/testing';
import { dayRolledEventId } from '../../apps/status-tracking/src/daily-counters/day-rolled-id';
import type { LifecycleDefinition } from '../../apps/status-tracking/src/domain/lifecycle-definition';
import type { LifecycleStateDocument } from '../../apps/status-tracking/src/statuses/lifecycle-state.schema';
import { Partitioners } from 'kafkajs';
import { unpackPair } from '../../apps/status-tracking/src/statuses/lifecycle-state.codec';
import { ATTRIBUTE_KEY, STAGE_NAMES, planCrmStream, type CrmStreamPlan, type InvalidMessage, type Send } from './crm-stream';
import {
  accountsWithLate,
  appliedEntries,
  checkDeadLetters,
  checkHistoryAndStates,
  checkStatusTopic,
  distinctBy,
  membersFromEvents,
  type DeadLetterFigures,
  type HistoryFigures,
  type StatusTopicFigures,
  type StoredPair,
} from './fault-checks';
import {
  assertOwnedByInfraScript,
  buildAppsFor,
  freeBasePort,
  infraPid,
  restartInfraAsync,
  startHealthStub,
  type InfraName,
} from './infra-faults';
import { readTopicsToEnd } from './topic-snapshot';

const EVENTS = Number(process.env.FAULT_EVENTS ?? 1000);
const ACCOUNTS = Number(process.env.FAULT_ACCOUNTS ?? 200);
/** Publishing is paced to last about this long, so every fault lands while events still flow in. */
const PUBLISH_SECONDS = Number(process.env.FAULT_PUBLISH_SECONDS ?? 100);
const SEED = Number(process.env.FAULT_SEED ?? Math.floor(Math.random() * 1e9));
/** FAULT_INJECT=0: the same stream and checks without faults (a baseline for the timings). */
const INJECT = process.env.FAULT_INJECT !== '0';
const APPS: AppName[] = ['attribute-catalog', 'status-tracking', 'segment-evaluation', 'gateway'];
/** Status tracking applies roughly 5–15 events/s on the embedded engine here; leave room for a slow machine. */
const CONVERGENCE_MS = Math.max(8 * 60_000, EVENTS * 400);
/** How long each service may take to answer /health with 200 once the last fault is over. */
const HEALTH_WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stdout.write(`[faults] ${line}\n`);

interface FaultRecord {
  name: string;
  /** Seconds since the first event was published. */
  startedAtS: number;
  tookS: number;
  detail: string;
}

interface JobView {
  state: string;
  attemptsMade: number;
  result: unknown;
  failedReason: string | null;
  processedAt: string | null;
  finishedAt: string | null;
}

type Api = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  base?: string,
) => Promise<{ status: number; body: T }>;

/** What the publishing phase leaves: the faults injected, what went out, the jobs it started. */
interface Publishing {
  /** The clock of the report: `t+` seconds count from here. */
  publishStart: number;
  publishedAtS: number;
  faults: FaultRecord[];
  /** The names of the scheduled faults and steps, in order. */
  scheduled: string[];
  publishErrors: number;
  harnessResends: number;
  segmentId: string;
  membershipJobId: string;
  countersJobId: string;
  /** When Redis went down, in seconds since `publishStart`. */
  redisDown: number;
  /** When each invalid message was sent (by event id, else key): how long its partition waited on it. */
  invalidSentAt: Map<string, number>;
  /** status-tracking's readiness while the faults ran: each change of answer. */
  readiness: { atS: number; status: number; reason: string }[];
}

/** What the databases and topics hold once everything converged, checked against the plan. */
interface ReadBack {
  def: LifecycleDefinition;
  rememberedIds: number;
  historyFigures: HistoryFigures;
  statusFigures: StatusTopicFigures;
  dlqFigures: DeadLetterFigures;
  snapshot: TopicRecorder;
  names: KafkaConnection['names'];
  /** When each change was applied, per account: the partitions' work around a dead letter. */
  applied: { accountId: string; recordedAt: Date }[];
}

interface JobsCheck {
  countersJob: JobView;
  membershipJob: JobView;
  /** `day.rolled` messages seen, raw and distinct by id. */
  ticks: number;
  dayRolled: number;
  problems: string[];
}

interface SegmentsCheck {
  preview: Map<string, number>;
  expectedByStage: Map<string, Set<string>>;
  membersTotal: number;
  eventMembers: Set<string>;
  implementation: Set<string>;
  problems: string[];
}

interface HealthCheck {
  healthyAfterS: number;
  problems: string[];
}

describe('fault injection: nothing lost, nothing applied twice', () => {
  const run = newTestRun('faults');
  let system: ProcessSystem | null = null;
  let publisher: EventPublisher | null = null;
  let compressedPublisher: EventPublisher | null = null;
  let mongo: MongoClient | null = null;
  let cyclesStub: Server | null = null;
  const recorders: TopicRecorder[] = [];

  afterAll(async () => {
    for (const r of recorders) await r.stop().catch(() => undefined);
    await publisher?.close();
    await compressedPublisher?.close();
    await mongo?.close().catch(() => undefined);
    await system?.stopAll();
    cyclesStub?.close();
  });

  it(
    `applies ${EVENTS} CRM events exactly once through Kafka, tracking, Mongo-wire and Redis restarts`,
    async () => {
      const t0 = Date.now();
      // The harness's own Kafka clients log through Nest's Logger: keep the output to the report.
      Logger.overrideLogger(false);
      const sys = await startSystem(t0);
      const api = gatewayApi(sys);
      const stageIdOf = await createAttribute(api, sys);
      mongo = await new MongoClient(INFRA.mongo, { serverSelectionTimeoutMS: 2_000 }).connect();
      const trackingDb = mongo.db(run.databaseFor('status-tracking'));
      const historyCount = async () => appliedEntries(await readPairs(trackingDb)).length;
      const connection = new KafkaConnection({
        brokers: INFRA.kafka.split(','),
        clientId: `fault-crm-${run.id}`,
        topicPrefix: run.topicPrefix,
      });
      const pub = new EventPublisher(connection, 'crm-fault-suite');
      publisher = pub;
      // Every other chunk is zstd-compressed, as a Java or librdkafka CRM connector may send it.
      const zstdPub = new EventPublisher(connection, 'crm-fault-suite', 'zstd');
      compressedPublisher = zstdPub;

      const plan = await announceAccounts(pub);
      const published = await publishWithFaults(sys, api, [pub, zstdPub], connection, plan, historyCount);
      const since = () => (Date.now() - published.publishStart) / 1000;
      await awaitApplied(trackingDb, plan, historyCount, since);
      const countersJob = await jobFinished(api, published.countersJobId);
      const membershipJob = await jobFinished(api, published.membershipJobId);
      const appliedAtS = since();
      say(`t+${appliedAtS.toFixed(1)} s converged in tracking`);

      const readBack = await readBackAndCheck(trackingDb, connection, plan, stageIdOf);
      const jobs = checkJobs(readBack, countersJob, membershipJob, published);
      const segments = await checkSegments(api, readBack, published.segmentId);
      const health = await checkHealth(sys);
      const totalS = (Date.now() - t0) / 1000;

      const duplicatedEffects =
        readBack.historyFigures.appliedTwice + readBack.statusFigures.duplicatedEffects + Math.max(0, jobs.dayRolled - 1);
      const problems = [
        ...readBack.historyFigures.problems,
        ...readBack.statusFigures.problems,
        ...readBack.dlqFigures.problems,
        ...jobs.problems,
        ...segments.problems,
        ...health.problems,
        // Readiness tells the truth: not ready at some point while the broker was away (a
        // restart takes seconds), ready at the end (checkHealth).
        ...(INJECT && !published.readiness.some((r) => r.status === 503)
          ? ['status-tracking /health never answered 503 while Kafka restarted']
          : []),
      ];
      writeReport(reportRows(plan, published, readBack, jobs, segments, health, { duplicatedEffects, appliedAtS, totalS }), problems);
      expect(published.faults.map((f) => f.name)).toEqual(published.scheduled);
      expect(problems).toEqual([]);
      expect(readBack.historyFigures.lost).toBe(0);
      expect(duplicatedEffects).toBe(0);
    },
    Math.max(15 * 60_000, CONVERGENCE_MS + 6 * 60_000),
  );

  /** The compiled apps as processes on free ports (cycle planning as a health stub: the gateway needs it). */
  async function startSystem(t0: number): Promise<ProcessSystem> {
    assertOwnedByInfraScript(['kafka', 'mongo', 'redis']);
    buildAppsFor(APPS);
    const sys = new ProcessSystem(run, await freeBasePort());
    system = sys;
    cyclesStub = await startHealthStub(sys.basePort + 3);
    await sys.startAll(APPS);
    say(`system up in ${((Date.now() - t0) / 1000).toFixed(0)} s (run ${run.id}, logs ${sys.logDir}, seed ${SEED})`);
    return sys;
  }

  /** The "Onboarding Status" of docs/rules.md through the gateway, active, and known to tracking's replica. */
  async function createAttribute(api: Api, sys: ProcessSystem): Promise<(name: string) => string> {
    const created = await api<{ stages: { id: string; name: string }[] }>('POST', '/v1/attributes', {
      key: ATTRIBUTE_KEY,
      name: 'Onboarding Status',
      flow: 'Onboarding',
      stages: [
        { name: 'Kickoff', color: '#1E88E5' },
        { name: 'Configuration', color: '#8E24AA' },
        { name: 'Implementation', color: '#FB8C00' },
        { name: 'Go Live', color: '#43A047', endStage: true },
      ],
    });
    expect(created.status).toBe(201);
    expect((await api('POST', `/v1/attributes/${ATTRIBUTE_KEY}/activate`)).status).toBe(200);
    const stageIds = new Map(created.body.stages.map((s) => [s.name, s.id]));
    await waitFor(
      "the active attribute in tracking's replica",
      async () => {
        const res = await api<{ items: { key: string; state: string }[] }>(
          'GET',
          '/v1/internal/attributes',
          undefined,
          sys.url('status-tracking'),
        );
        return res.body.items.some((a) => a.key === ATTRIBUTE_KEY && a.state === 'active');
      },
      60_000,
      250,
    );
    return (name: string) => stageIds.get(name) ?? name;
  }

  /** The stream's plan, and its accounts announced by the CRM before any status. */
  async function announceAccounts(pub: EventPublisher): Promise<CrmStreamPlan> {
    const plan = planCrmStream({ events: EVENTS, accounts: ACCOUNTS, seed: SEED, duplicateRate: 0.1, lateRate: 0.085, now: new Date() });
    await pub.publishEnvelopes(
      plan.accounts.map(
        (accountId, i) =>
          buildEnvelope('crm-fault-suite', 'crm.account.upserted', {
            accountId,
            name: `Fault account ${i + 1}`,
            clientType: 'enterprise',
          }) as AnyEnvelope,
      ),
    );
    return plan;
  }

  /**
   * Publishes the plan paced by the clock while the faults of the schedule fire (one after the
   * other, each at its share of the messages), and waits for the last fault to be over.
   */
  async function publishWithFaults(
    sys: ProcessSystem,
    api: Api,
    publishers: readonly [EventPublisher, EventPublisher],
    connection: KafkaConnection,
    plan: CrmStreamPlan,
    historyCount: () => Promise<number>,
  ): Promise<Publishing> {
    const [pub] = publishers;
    let chunks = 0;
    const rate = Number(process.env.FAULT_RATE ?? Math.max(1, plan.sends.length / PUBLISH_SECONDS));
    say(
      `plan: ${plan.events.length} events over ${plan.accounts.length} accounts, ${plan.duplicates} duplicates, ${plan.late} late, ${plan.invalid.length} invalid; ${plan.sends.length} messages at ${rate.toFixed(1)}/s`,
    );
    const state: Publishing = {
      publishStart: Date.now(),
      publishedAtS: Number.NaN,
      faults: [],
      scheduled: [],
      publishErrors: 0,
      harnessResends: 0,
      segmentId: '',
      membershipJobId: '',
      countersJobId: '',
      redisDown: Number.NaN,
      invalidSentAt: new Map(),
      readiness: [],
    };
    const since = () => (Date.now() - state.publishStart) / 1000;
    let sentValid = new Set<string>();

    // Readiness of status-tracking, sampled every 500 ms: each change of answer is kept, so the
    // report shows /health turning 503 with its reason while the broker is away, and back.
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const answer = await fetch(`${sys.url('status-tracking')}/health`, { signal: AbortSignal.timeout(3_000) })
          .then(async (res) => {
            const body = (await res.json().catch(() => null)) as { details?: Record<string, { status: string; message?: string }> } | null;
            const down = Object.entries(body?.details ?? {}).filter(([, v]) => v.status !== 'up');
            return { status: res.status, reason: down.map(([k, v]) => `${k}: ${v.message ?? 'down'}`).join('; ') };
          })
          .catch((e: unknown) => ({ status: 0, reason: (e as Error).message }));
        const last = state.readiness[state.readiness.length - 1];
        if (!last || last.status !== answer.status) state.readiness.push({ atS: since(), ...answer });
        await sleep(500);
      }
    })();

    const restart = (name: InfraName, label: string) => async (): Promise<string> => {
      const before = infraPid(name);
      await restartInfraAsync(name);
      return `${label}: pid ${before} → ${infraPid(name)}`;
    };
    const schedule: { at: number; name: string; fault?: false; run: () => Promise<string> }[] = [
      { at: 0.15, name: 'Kafka restart #1', run: restart('kafka', 'broker') },
      {
        at: 0.35,
        name: 'SIGKILL status-tracking',
        run: async () => {
          // Mid-batch: wait for a backlog, so there is work in flight when it dies.
          const backlog = await waitFor(
            'a backlog in status tracking',
            async () => {
              const lag = sentValid.size - (await historyCount());
              return lag >= 20 ? lag : undefined;
            },
            30_000,
            50,
          ).catch(() => 0);
          const pid = sys.pid('status-tracking');
          sys.kill('status-tracking');
          const applied = await historyCount().catch(() => -1);
          await sleep(2_000);
          await sys.start('status-tracking');
          return `pid ${pid} killed with ${backlog} events not yet applied (${applied} applied of ${sentValid.size} sent); restarted`;
        },
      },
      {
        at: 0.5,
        name: 'jobs started',
        fault: false,
        run: async () => {
          const segment = await api<{ id: string; membershipJobId: string }>('POST', '/v1/segments', {
            name: 'Fault suite: in Implementation',
            criteria: { attribute: ATTRIBUTE_KEY, isOneOf: ['Implementation'] },
          });
          if (segment.status !== 201) throw new Error(`segment not created: ${segment.status} ${JSON.stringify(segment.body)}`);
          state.segmentId = segment.body.id;
          state.membershipJobId = segment.body.membershipJobId;
          const counters = await api<{ jobId: string }>('POST', '/v1/internal/daily-counters/run', {}, sys.url('status-tracking'));
          if (counters.status !== 202) throw new Error(`daily counters not started: ${counters.status} ${JSON.stringify(counters.body)}`);
          state.countersJobId = counters.body.jobId;
          return `daily counters ${state.countersJobId} and membership ${state.membershipJobId} queued`;
        },
      },
      // Right after the jobs are queued: they are waiting or running when Redis goes down.
      {
        at: 0.5,
        name: 'Redis restart under the jobs',
        run: async () => {
          state.redisDown = since();
          return restart('redis', 'redis')();
        },
      },
      { at: 0.65, name: 'Kafka restart #2', run: restart('kafka', 'broker') },
      { at: 0.8, name: 'Mongo-wire restart', run: restart('mongo', 'Mongo-wire server') },
    ];
    // Baseline (FAULT_INJECT=0): the jobs still run, no server is touched.
    if (!INJECT) schedule.splice(0, schedule.length, ...schedule.filter((f) => f.fault === false));
    state.scheduled = schedule.map((f) => f.name);
    let faultChain: Promise<void> = Promise.resolve();
    const trigger = (fault: (typeof schedule)[number]) => {
      faultChain = faultChain.then(async () => {
        const startedAtS = since();
        say(`t+${startedAtS.toFixed(1)} s fault: ${fault.name}`);
        const detail = await fault.run();
        state.faults.push({ name: fault.name, startedAtS, tookS: since() - startedAtS, detail });
        say(`t+${since().toFixed(1)} s fault done: ${fault.name} (${detail})`);
      });
    };

    const sendChunk = async (chunk: readonly Send[]) => {
      const envelopes = chunk.flatMap((s) => (s.kind === 'invalid' ? [] : [s.event.envelope]));
      const raw = chunk.flatMap((s) => (s.kind === 'invalid' ? [s.invalid] : []));
      for (let attempt = 1; ; attempt++) {
        try {
          if (envelopes.length > 0) await publishers[chunks++ % 2]!.publishEnvelopes(envelopes);
          break;
        } catch (e) {
          // The broker is down: send the chunk again (ids unchanged: a repeat is one more duplicate).
          state.publishErrors++;
          if (attempt > 1) state.harnessResends += envelopes.length;
          if (attempt > 60) throw e;
          await sleep(1_000);
        }
      }
      for (const message of raw) {
        await waitFor(
          `invalid message ${message.key} sent`,
          async () => {
            await pub.sendRaw(connection.names.physical(Topics.CrmAccountStatuses), [{ key: message.key, value: message.value }]);
            state.invalidSentAt.set(message.eventId ?? message.key, Date.now());
            return true;
          },
          120_000,
          1_000,
        );
      }
      const next = new Set(sentValid);
      for (const e of envelopes) next.add(e.id);
      sentValid = next;
    };

    // Paced by the clock: message i goes out at i / rate seconds (catching up after a stall).
    let nextFault = 0;
    for (let i = 0; i < plan.sends.length;) {
      while (nextFault < schedule.length && i >= schedule[nextFault]!.at * plan.sends.length) trigger(schedule[nextFault++]!);
      const due = Math.min(plan.sends.length, Math.max(i + 1, Math.floor(since() * rate)));
      await sendChunk(plan.sends.slice(i, due));
      i = due;
      await sleep(50);
    }
    while (nextFault < schedule.length) trigger(schedule[nextFault++]!);
    state.publishedAtS = since();
    say(`t+${state.publishedAtS.toFixed(1)} s all ${plan.sends.length} messages published (${state.publishErrors} publish errors retried)`);
    await faultChain;
    sampling = false;
    await sampler;
    return state;
  }

  /** Every distinct event in the history, and every outbox published. */
  async function awaitApplied(
    trackingDb: Db,
    plan: CrmStreamPlan,
    historyCount: () => Promise<number>,
    since: () => number,
  ): Promise<void> {
    let lastProgress = Date.now();
    await waitFor(
      `all ${plan.events.length} distinct events applied`,
      async () => {
        const n = await historyCount();
        if (Date.now() - lastProgress > 15_000) {
          say(`t+${since().toFixed(0)} s ${n}/${plan.events.length} applied`);
          lastProgress = Date.now();
        }
        return n >= plan.events.length;
      },
      CONVERGENCE_MS,
      500,
    );
    await waitFor(
      'every outbox published',
      async () => (await trackingDb.collection('lifecycle_states').countDocuments({ 'outbox.0': { $exists: true } })) === 0,
      120_000,
      500,
    );
  }

  async function jobFinished(api: Api, jobId: string): Promise<JobView> {
    return waitFor(
      `job ${jobId} finished`,
      async () => {
        const res = await api<JobView>('GET', `/v1/jobs/${encodeURIComponent(jobId)}`);
        return res.status === 200 && (res.body.state === 'completed' || res.body.state === 'failed') ? res.body : undefined;
      },
      180_000,
      500,
    );
  }

  /** Tracking's history, states and replica, and the topics read to their end, checked against the plan. */
  async function readBackAndCheck(
    trackingDb: Db,
    connection: KafkaConnection,
    plan: CrmStreamPlan,
    stageIdOf: (name: string) => string,
  ): Promise<ReadBack> {
    const states = await readPairs(trackingDb);
    const history = appliedEntries(states);
    const replica = await trackingDb.collection<AttributeReplicaDocument>('attributes').findOne({ _id: ATTRIBUTE_KEY });
    if (!replica) throw new Error('the attribute vanished from the replica');
    const def: LifecycleDefinition = { key: replica.key, name: replica.name, state: replica.state, stages: replica.stages };
    // A CRM event's idempotency key `crm:<event id>` in its pair's history is the record that it was applied (L12).
    const rememberedIds = history.filter((e) => e.idempotencyKey.startsWith('crm:')).length;

    const historyFigures = checkHistoryAndStates(plan, stageIdOf, def, states);

    const names = connection.names;
    const snapshot = await readTopicsToEnd([
      names.physical(Topics.LifecycleStatus),
      names.physical(Topics.LifecycleTicks),
      names.deadLetter(Topics.CrmAccountStatuses),
      names.physical(Topics.SegmentMembership),
    ]);
    recorders.push(snapshot);
    const statusFigures = checkStatusTopic(
      snapshot.on(names.physical(Topics.LifecycleStatus)),
      history,
      historyFigures.replays,
      accountsWithLate(plan),
    );
    await waitFor(
      'every invalid message dead-lettered',
      () =>
        distinctBy(snapshot.on(names.deadLetter(Topics.CrmAccountStatuses)), (m) => `${String(m.json.partition)}@${String(m.json.offset)}`)
          .length >= plan.invalid.length,
      60_000,
      250,
    ).catch(() => undefined);
    const dlqFigures = checkDeadLetters(plan, snapshot.on(names.deadLetter(Topics.CrmAccountStatuses)));
    const applied = history.map((h) => ({ accountId: h.accountId, recordedAt: h.recordedAt }));
    return { def, rememberedIds, historyFigures, statusFigures, dlqFigures, snapshot, names, applied };
  }

  /** BullMQ: both jobs completed, and the daily counters job announced its day once (after dedupe). */
  function checkJobs(readBack: ReadBack, countersJob: JobView, membershipJob: JobView, published: Publishing): JobsCheck {
    const problems: string[] = [];
    const day = (countersJob.result as { day?: string } | null)?.day ?? new Date().toISOString().slice(0, 10);
    if (countersJob.state !== 'completed')
      problems.push(`daily counters job ${published.countersJobId}: ${countersJob.state} (${countersJob.failedReason ?? ''})`);
    if (membershipJob.state !== 'completed')
      problems.push(`membership job ${published.membershipJobId}: ${membershipJob.state} (${membershipJob.failedReason ?? ''})`);
    const ticks = readBack.snapshot.on(readBack.names.physical(Topics.LifecycleTicks)).filter((m) => m.json.type === 'day.rolled');
    const dayRolled = distinctBy(ticks, (m) => String(m.json.id));
    if (dayRolled.length !== 1 || dayRolled[0]!.json.id !== dayRolledEventId(day)) {
      problems.push(
        `day.rolled: ${dayRolled.length} distinct ids for ${day} (${dayRolled.map((m) => String(m.json.id)).join(', ')}), want 1 (${dayRolledEventId(day)})`,
      );
    }
    return { countersJob, membershipJob, ticks: ticks.length, dayRolled: dayRolled.length, problems };
  }

  /** Segments converge on the replayed states: previews per stage, the saved segment's members, its events. */
  async function checkSegments(api: Api, readBack: ReadBack, segmentId: string): Promise<SegmentsCheck> {
    const { def, historyFigures, snapshot, names } = readBack;
    const expectedByStage = new Map<string, Set<string>>();
    for (const [accountId, r] of historyFigures.replays) {
      const name = r.state.stageId === null ? 'None' : (def.stages.find((s) => s.id === r.state.stageId)?.name ?? r.state.stageId);
      expectedByStage.set(name, (expectedByStage.get(name) ?? new Set()).add(accountId));
    }
    const criteriaOf = (stage: string) =>
      stage === 'None' ? { attribute: ATTRIBUTE_KEY, doesNotExist: true } : { attribute: ATTRIBUTE_KEY, isOneOf: [stage] };
    const previewCounts = async () => {
      const counts = new Map<string, number>();
      for (const stage of [...STAGE_NAMES, 'None']) {
        const res = await api<{ count: number }>('POST', '/v1/segments/preview', { criteria: criteriaOf(stage) });
        counts.set(stage, res.status === 200 ? res.body.count : -res.status);
      }
      return counts;
    };
    const sameCounts = (counts: Map<string, number>) =>
      [...STAGE_NAMES, 'None'].every((s) => counts.get(s) === (expectedByStage.get(s)?.size ?? 0));
    let preview = await previewCounts();
    await waitFor(
      'segment preview counts equal the replayed states',
      async () => sameCounts((preview = await previewCounts())),
      120_000,
      1_000,
    ).catch(() => undefined);
    const implementation = expectedByStage.get('Implementation') ?? new Set<string>();
    const membersNow = await api<{ total: number }>('GET', `/v1/segments/${segmentId}/members?pageSize=1`);
    const fromEvents = () => membersFromEvents(snapshot.on(names.physical(Topics.SegmentMembership)), segmentId);
    const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
    await waitFor('membership events converge', () => sameSet(fromEvents(), implementation), 120_000, 500).catch(() => undefined);
    const problems: string[] = [];
    if (!sameCounts(preview)) {
      problems.push(
        `preview counts ${JSON.stringify(Object.fromEntries(preview))} ≠ replayed ${JSON.stringify(Object.fromEntries([...expectedByStage].map(([k, v]) => [k, v.size])))}`,
      );
    }
    if (membersNow.body.total !== implementation.size)
      problems.push(`saved segment has ${membersNow.body.total} members, replay says ${implementation.size}`);
    const eventMembers = fromEvents();
    if (!sameSet(eventMembers, implementation))
      problems.push(`segment.membership events fold to ${eventMembers.size} members, replay says ${implementation.size}`);
    return { preview, expectedByStage, membersTotal: membersNow.body.total, eventMembers, implementation, problems };
  }

  /**
   * Every process recovered from every fault on its own: asked until it answers 200 for at most
   * HEALTH_WAIT_MS (a readiness probe's patience), since the last fault ended a few seconds ago; the
   * slowest recovery is reported.
   */
  async function checkHealth(sys: ProcessSystem): Promise<HealthCheck> {
    const problems: string[] = [];
    const healthStart = Date.now();
    for (const app of APPS) {
      for (;;) {
        const res = await fetch(`${sys.url(app)}/health`, { signal: AbortSignal.timeout(5_000) }).catch((e: unknown) => ({
          status: 0,
          text: () => Promise.resolve(String(e)),
        }));
        if (res.status === 200) break;
        if (Date.now() - healthStart > HEALTH_WAIT_MS) {
          problems.push(`${app} /health answered ${res.status} for ${HEALTH_WAIT_MS / 1000} s: ${(await res.text()).slice(0, 300)}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    return { healthyAfterS: (Date.now() - healthStart) / 1000, problems };
  }

  /** Prints the report, writes it to .local/test-results/fault-report.md, and lists the problems. */
  function writeReport(rows: [string, string][], problems: readonly string[]): void {
    const width = Math.max(...rows.map(([k]) => k.length));
    const table = ['| measure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
    process.stdout.write(`\nFault-injection report (run ${run.id})\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n\n`);
    const out = join(ROOT, '.local', 'test-results');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'fault-report.md'), `${table}\n`);
    if (problems.length > 0)
      process.stdout.write(
        `Problems (${problems.length}):\n${problems
          .slice(0, 50)
          .map((p) => `  - ${p}`)
          .join('\n')}\n`,
      );
  }
});

/**
 * The gateway's API with the system's admin key, or another process's by `base`: a service on
 * loopback is called without a credential (an API key is not one it verifies).
 */
function gatewayApi(sys: ProcessSystem): Api {
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown, base = sys.url('gateway')) => {
    const auth: Record<string, string> = base === sys.url('gateway') ? { authorization: `Bearer ${SYSTEM_ADMIN_KEY}` } : {};
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

const partitionOf = (topic: string, accountId: string) =>
  Partitioners.DefaultPartitioner()({
    topic,
    partitionMetadata: Array.from({ length: TOPIC_SPECS[Topics.CrmAccountStatuses].partitions }, (_, p) => ({
      partitionId: p,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    })),
    message: { key: accountId, value: null },
  });

/** Sent → dead-lettered, and the partition's work around it: how long the record held its partition. */
function heldUp(invalid: InvalidMessage, published: Publishing, readBack: ReadBack): string {
  const topic = readBack.names.physical(Topics.CrmAccountStatuses);
  const letter = readBack.snapshot
    .on(readBack.names.deadLetter(Topics.CrmAccountStatuses))
    .find((m) => (invalid.eventId ? m.json.eventId === invalid.eventId : m.json.key === invalid.key));
  const sentAt = published.invalidSentAt.get(invalid.eventId ?? invalid.key);
  if (!letter || sentAt === undefined) return 'no dead letter';
  const failedAt = Date.parse(String(letter.json.failedAt));
  // The last change applied before the dead letter and the first after it, among the accounts
  // of the same partition.
  const partition = Number(letter.json.partition);
  const applied = readBack.applied
    .filter((h) => partitionOf(topic, h.accountId) === partition)
    .map((h) => h.recordedAt.getTime())
    .sort((a, b) => a - b);
  const before = applied.filter((t) => t <= failedAt).pop();
  const after = applied.find((t) => t > failedAt);
  const gap = (t: number | undefined) => (t === undefined ? '–' : `${Math.abs(failedAt - t)} ms`);
  return (
    `partition ${partition} offset ${String(letter.json.offset)}: dead-lettered ${failedAt - sentAt} ms after it was sent, ` +
    `${gap(before)} after the partition's previous change was applied, ${gap(after)} before its next one`
  );
}

/** The rows of the report (docs/reliability.md shows one). */
function reportRows(
  plan: CrmStreamPlan,
  published: Publishing,
  readBack: ReadBack,
  jobs: JobsCheck,
  segments: SegmentsCheck,
  health: HealthCheck,
  figures: { duplicatedEffects: number; appliedAtS: number; totalS: number },
): [string, string][] {
  const { historyFigures, statusFigures, dlqFigures, snapshot, names } = readBack;
  const { countersJob, membershipJob } = jobs;
  const at = (iso: string | null) => (iso === null ? '?' : `t+${((Date.parse(iso) - published.publishStart) / 1000).toFixed(1)} s`);
  const jobWindow = (job: JobView) =>
    `ran ${at(job.processedAt)} → ${at(job.finishedAt)} (Redis stopped at t+${published.redisDown.toFixed(1)} s)`;
  const validMessagesSent = plan.events.length + plan.duplicates + published.harnessResends;
  return [
    ['events (distinct valid ids)', `${plan.events.length} over ${plan.accounts.length} accounts (seed ${plan.seed})`],
    [
      'messages published',
      `${plan.sends.length} planned + ${published.harnessResends} harness re-sends after ${published.publishErrors} publish errors`,
    ],
    ['duplicates sent / dropped', `${plan.duplicates + published.harnessResends} / ${validMessagesSent - historyFigures.entries}`],
    ['late events (held behind 1–2 later ones)', `${plan.late}`],
    [
      'status-tracking readiness while faults ran',
      published.readiness.map((r) => `t+${r.atS.toFixed(1)} s ${r.status}${r.reason ? ` (${r.reason.slice(0, 160)})` : ''}`).join(' → '),
    ],
    [
      'undecodable record (not UTF-8) → DLQ',
      heldUp(
        plan.invalid.find((i) => i.label === 'not UTF-8')!,
        published,
        readBack,
      ),
    ],
    [
      'invalid → DLQ (expected / seen distinct / raw)',
      `${dlqFigures.expected} / ${dlqFigures.distinct} / ${dlqFigures.raw} (${dlqFigures.matched} with the expected reason)`,
    ],
    ...published.faults.map((f): [string, string] => [
      `${f.name.startsWith('jobs') ? 'step' : 'fault'}: ${f.name}`,
      `t+${f.startedAtS.toFixed(1)} s, ${f.tookS.toFixed(1)} s: ${f.detail}`,
    ]),
    [
      'history entries / distinct ids',
      `${historyFigures.entries} / ${historyFigures.expected} (idempotency keys of CRM events: ${readBack.rememberedIds})`,
    ],
    ['lost', `${historyFigures.lost}`],
    ['applied twice / unexpected entries', `${historyFigures.appliedTwice} / ${historyFigures.unexpected}`],
    [
      'states equal to a fresh replay',
      `${historyFigures.statesEqualToReplay} / ${historyFigures.states} (outboxes pending: ${historyFigures.pendingOutbox})`,
    ],
    [
      'status.changed raw / distinct ids',
      `${snapshot.on(names.physical(Topics.LifecycleStatus)).filter((m) => m.json.type === 'status.changed').length} / ${statusFigures.firstHand + statusFigures.recomputed}`,
    ],
    ['  first-hand (one per applied change) / recomputed', `${statusFigures.firstHand} / ${statusFigures.recomputed}`],
    ['status.recomputed / lifecycle.completed (distinct)', `${statusFigures.statusRecomputed} / ${statusFigures.completedDistinct}`],
    ['lifecycle.status raw / distinct (all types)', `${statusFigures.raw} / ${statusFigures.distinct}`],
    [
      'daily counters job',
      `${countersJob.state}, ${countersJob.attemptsMade} attempt(s), ${jobWindow(countersJob)}; day.rolled ${jobs.ticks} raw / ${jobs.dayRolled} distinct`,
    ],
    [
      'membership job (segment saved just before)',
      `${membershipJob.state}, ${membershipJob.attemptsMade} attempt(s), ${jobWindow(membershipJob)}`,
    ],
    [
      'segment preview per stage (got / replay)',
      [...STAGE_NAMES, 'None'].map((s) => `${s} ${segments.preview.get(s)}/${segments.expectedByStage.get(s)?.size ?? 0}`).join(', '),
    ],
    [
      'saved segment members (live / from events / replay)',
      `${segments.membersTotal} / ${segments.eventMembers.size} / ${segments.implementation.size}`,
    ],
    ['duplicated effects', `${figures.duplicatedEffects}`],
    [
      'services healthy at the end',
      health.problems.length === 0
        ? `all ${APPS.length} (all answered 200 within ${health.healthyAfterS.toFixed(1)} s)`
        : health.problems.join('; '),
    ],
    [
      'time',
      `publish ${published.publishedAtS.toFixed(0)} s, applied by t+${figures.appliedAtS.toFixed(0)} s, total ${figures.totalS.toFixed(0)} s`,
    ],
  ];
}

/** Status-tracking's pair documents, unpacked. */
async function readPairs(trackingDb: Db): Promise<StoredPair[]> {
  const docs = await trackingDb.collection<LifecycleStateDocument>('lifecycle_states').find({}).toArray();
  return docs.map((doc) => ({
    id: doc._id,
    accountId: doc.accountId,
    attributeKey: doc.attributeKey,
    ...unpackPair(doc.packed),
    outboxLength: doc.outbox.length,
  }));
}
