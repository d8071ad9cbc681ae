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
import { MongoClient } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { Topics } from '@lifecycle/contracts';
import { EventPublisher, KafkaConnection, buildEnvelope, type AttributeReplicaDocument } from '@lifecycle/messaging';
import { INFRA, newTestRun, ProcessSystem, ROOT, SYSTEM_ADMIN_KEY, waitFor, type AppName, type TopicRecorder } from '@lifecycle/testing';
import { dayRolledEventId } from '../../apps/status-tracking/src/daily-counters/day-rolled-id';
import type { LifecycleDefinition } from '../../apps/status-tracking/src/domain/lifecycle-definition';
import type { LifecycleStateDocument } from '../../apps/status-tracking/src/statuses/lifecycle-state.schema';
import type { StatusHistoryDocument } from '../../apps/status-tracking/src/statuses/status-history.schema';
import { ATTRIBUTE_KEY, STAGE_NAMES, planCrmStream, type Send } from './crm-stream';
import { accountsWithLate, checkDeadLetters, checkHistoryAndStates, checkStatusTopic, distinctBy, membersFromEvents } from './fault-checks';
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
/** Status tracking applies roughly 5–15 events/s on FerretDB here; leave room for a slow machine. */
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

describe('fault injection: nothing lost, nothing applied twice', () => {
  const run = newTestRun('faults');
  let system: ProcessSystem | null = null;
  let publisher: EventPublisher | null = null;
  let mongo: MongoClient | null = null;
  let cyclesStub: Server | null = null;
  const recorders: TopicRecorder[] = [];

  afterAll(async () => {
    for (const r of recorders) await r.stop().catch(() => undefined);
    await publisher?.close();
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
      assertOwnedByInfraScript(['kafka', 'mongo', 'redis']);
      buildAppsFor(APPS);
      const sys = new ProcessSystem(run, await freeBasePort());
      system = sys;
      cyclesStub = await startHealthStub(sys.basePort + 3);
      await sys.startAll(APPS);
      say(`system up in ${((Date.now() - t0) / 1000).toFixed(0)} s (run ${run.id}, logs ${sys.logDir}, seed ${SEED})`);

      const api = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown, base = sys.url('gateway')) => {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${SYSTEM_ADMIN_KEY}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
      };

      // The seed's "Onboarding Status", through the gateway.
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
      const stageIdOf = (name: string) => stageIds.get(name) ?? name;
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

      mongo = await new MongoClient(INFRA.mongo, { serverSelectionTimeoutMS: 2_000 }).connect();
      const trackingDb = mongo.db(run.databaseFor('status-tracking'));
      const historyCount = () => trackingDb.collection('status_history').countDocuments({});

      const connection = new KafkaConnection({
        brokers: INFRA.kafka.split(','),
        clientId: `fault-crm-${run.id}`,
        topicPrefix: run.topicPrefix,
      });
      const pub = new EventPublisher(connection, 'crm-fault-suite');
      publisher = pub;
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
      const rate = Number(process.env.FAULT_RATE ?? Math.max(1, plan.sends.length / PUBLISH_SECONDS));
      say(
        `plan: ${plan.events.length} events over ${plan.accounts.length} accounts, ${plan.duplicates} duplicates, ${plan.late} late, ${plan.invalid.length} invalid; ${plan.sends.length} messages at ${rate.toFixed(1)}/s`,
      );

      // ------------------------------------------------------------------ publishing + faults
      const faults: FaultRecord[] = [];
      const publishStart = Date.now();
      const since = () => (Date.now() - publishStart) / 1000;
      let sentValid = new Set<string>();
      let publishErrors = 0;
      let harnessResends = 0;
      let segmentId = '';
      let membershipJobId = '';
      let countersJobId = '';
      let redisDown = Number.NaN;

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
            segmentId = segment.body.id;
            membershipJobId = segment.body.membershipJobId;
            const counters = await api<{ jobId: string }>('POST', '/v1/internal/daily-counters/run', {}, sys.url('status-tracking'));
            if (counters.status !== 202) throw new Error(`daily counters not started: ${counters.status} ${JSON.stringify(counters.body)}`);
            countersJobId = counters.body.jobId;
            return `daily counters ${countersJobId} and membership ${membershipJobId} queued`;
          },
        },
        // Right after the jobs were queued: they are waiting or running when Redis goes down.
        {
          at: 0.5,
          name: 'Redis restart under the jobs',
          run: async () => {
            redisDown = since();
            return restart('redis', 'redis')();
          },
        },
        { at: 0.65, name: 'Kafka restart #2', run: restart('kafka', 'broker') },
        { at: 0.8, name: 'Mongo-wire restart', run: restart('mongo', 'FerretDB') },
      ];
      // Baseline (FAULT_INJECT=0): the jobs still run, no server is touched.
      if (!INJECT) schedule.splice(0, schedule.length, ...schedule.filter((f) => f.fault === false));
      let faultChain: Promise<void> = Promise.resolve();
      const trigger = (fault: (typeof schedule)[number]) => {
        faultChain = faultChain.then(async () => {
          const startedAtS = since();
          say(`t+${startedAtS.toFixed(1)} s fault: ${fault.name}`);
          const detail = await fault.run();
          faults.push({ name: fault.name, startedAtS, tookS: since() - startedAtS, detail });
          say(`t+${since().toFixed(1)} s fault done: ${fault.name} (${detail})`);
        });
      };

      const sendChunk = async (chunk: readonly Send[]) => {
        const envelopes = chunk.flatMap((s) => (s.kind === 'invalid' ? [] : [s.event.envelope]));
        const raw = chunk.flatMap((s) => (s.kind === 'invalid' ? [s.invalid] : []));
        for (let attempt = 1; ; attempt++) {
          try {
            if (envelopes.length > 0) await pub.publishEnvelopes(envelopes);
            break;
          } catch (e) {
            // The broker is down: send the chunk again (ids unchanged: a repeat is one more duplicate).
            publishErrors++;
            if (attempt > 1) harnessResends += envelopes.length;
            if (attempt > 60) throw e;
            await sleep(1_000);
          }
        }
        for (const message of raw) {
          await waitFor(
            `invalid message ${message.key} sent`,
            async () => {
              await pub.sendRaw(connection.names.physical(Topics.CrmAccountStatuses), [{ key: message.key, value: message.value }]);
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
      const publishedAtS = since();
      say(`t+${publishedAtS.toFixed(1)} s all ${plan.sends.length} messages published (${publishErrors} publish errors retried)`);
      await faultChain;

      // ------------------------------------------------------------------ convergence
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
      const jobDone = async (jobId: string) =>
        waitFor(
          `job ${jobId} finished`,
          async () => {
            const res = await api<JobView>('GET', `/v1/jobs/${encodeURIComponent(jobId)}`);
            return res.status === 200 && (res.body.state === 'completed' || res.body.state === 'failed') ? res.body : undefined;
          },
          180_000,
          500,
        );
      const countersJob = await jobDone(countersJobId);
      const membershipJob = await jobDone(membershipJobId);
      const appliedAtS = since();
      say(`t+${appliedAtS.toFixed(1)} s converged in tracking`);

      // ------------------------------------------------------------------ read back
      const history = await trackingDb.collection<StatusHistoryDocument>('status_history').find({}).toArray();
      const states = await trackingDb.collection<LifecycleStateDocument>('lifecycle_states').find({}).toArray();
      const replica = await trackingDb.collection<AttributeReplicaDocument>('attributes').findOne({ _id: ATTRIBUTE_KEY });
      if (!replica) throw new Error('the attribute vanished from the replica');
      const def: LifecycleDefinition = { key: replica.key, name: replica.name, state: replica.state, stages: replica.stages };
      const rememberedIds = await trackingDb.collection('processed_events').countDocuments({ type: 'crm.account.status.set' });

      const historyFigures = checkHistoryAndStates(plan, stageIdOf, def, history, states);

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
          distinctBy(
            snapshot.on(names.deadLetter(Topics.CrmAccountStatuses)),
            (m) => `${String(m.json.partition)}@${String(m.json.offset)}`,
          ).length >= plan.invalid.length,
        60_000,
        250,
      ).catch(() => undefined);
      const dlqFigures = checkDeadLetters(plan, snapshot.on(names.deadLetter(Topics.CrmAccountStatuses)));

      // BullMQ: the daily counters job completed and announced its day once (after dedupe).
      const jobProblems: string[] = [];
      const day = (countersJob.result as { day?: string } | null)?.day ?? new Date().toISOString().slice(0, 10);
      if (countersJob.state !== 'completed')
        jobProblems.push(`daily counters job ${countersJobId}: ${countersJob.state} (${countersJob.failedReason ?? ''})`);
      if (membershipJob.state !== 'completed')
        jobProblems.push(`membership job ${membershipJobId}: ${membershipJob.state} (${membershipJob.failedReason ?? ''})`);
      const ticks = snapshot.on(names.physical(Topics.LifecycleTicks)).filter((m) => m.json.type === 'day.rolled');
      const dayRolled = distinctBy(ticks, (m) => String(m.json.id));
      if (dayRolled.length !== 1 || dayRolled[0]!.json.id !== dayRolledEventId(day)) {
        jobProblems.push(
          `day.rolled: ${dayRolled.length} distinct ids for ${day} (${dayRolled.map((m) => String(m.json.id)).join(', ')}), want 1 (${dayRolledEventId(day)})`,
        );
      }

      // ------------------------------------------------------------------ segments converge
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
      const segmentProblems: string[] = [];
      if (!sameCounts(preview)) {
        segmentProblems.push(
          `preview counts ${JSON.stringify(Object.fromEntries(preview))} ≠ replayed ${JSON.stringify(Object.fromEntries([...expectedByStage].map(([k, v]) => [k, v.size])))}`,
        );
      }
      if (membersNow.body.total !== implementation.size)
        segmentProblems.push(`saved segment has ${membersNow.body.total} members, replay says ${implementation.size}`);
      const eventMembers = fromEvents();
      if (!sameSet(eventMembers, implementation))
        segmentProblems.push(`segment.membership events fold to ${eventMembers.size} members, replay says ${implementation.size}`);
      // Every process recovered from every fault on its own.
      // Asked until it answers 200 for at most HEALTH_WAIT_MS (a readiness probe's patience), since
      // the last fault ended a few seconds ago; the slowest recovery is reported.
      const healthProblems: string[] = [];
      const healthStart = Date.now();
      for (const app of APPS) {
        for (;;) {
          const res = await fetch(`${sys.url(app)}/health`, { signal: AbortSignal.timeout(5_000) }).catch((e: unknown) => ({
            status: 0,
            text: () => Promise.resolve(String(e)),
          }));
          if (res.status === 200) break;
          if (Date.now() - healthStart > HEALTH_WAIT_MS) {
            healthProblems.push(
              `${app} /health answered ${res.status} for ${HEALTH_WAIT_MS / 1000} s: ${(await res.text()).slice(0, 300)}`,
            );
            break;
          }
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      const healthyAfterS = (Date.now() - healthStart) / 1000;
      const totalS = (Date.now() - t0) / 1000;

      // ------------------------------------------------------------------ report
      const at = (iso: string | null) => (iso === null ? '?' : `t+${((Date.parse(iso) - publishStart) / 1000).toFixed(1)} s`);
      const jobWindow = (job: JobView) =>
        `ran ${at(job.processedAt)} → ${at(job.finishedAt)} (Redis stopped at t+${redisDown.toFixed(1)} s)`;
      const validMessagesSent = plan.events.length + plan.duplicates + harnessResends;
      const duplicatedEffects = historyFigures.appliedTwice + statusFigures.duplicatedEffects + Math.max(0, dayRolled.length - 1);
      const rows: [string, string][] = [
        ['events (distinct valid ids)', `${plan.events.length} over ${plan.accounts.length} accounts (seed ${plan.seed})`],
        ['messages published', `${plan.sends.length} planned + ${harnessResends} harness re-sends after ${publishErrors} publish errors`],
        ['duplicates sent / dropped', `${plan.duplicates + harnessResends} / ${validMessagesSent - historyFigures.entries}`],
        ['late events (held behind 1–2 later ones)', `${plan.late}`],
        [
          'invalid → DLQ (expected / seen distinct / raw)',
          `${dlqFigures.expected} / ${dlqFigures.distinct} / ${dlqFigures.raw} (${dlqFigures.matched} with the expected reason)`,
        ],
        ...faults.map((f): [string, string] => [
          `${f.name.startsWith('jobs') ? 'step' : 'fault'}: ${f.name}`,
          `t+${f.startedAtS.toFixed(1)} s, ${f.tookS.toFixed(1)} s: ${f.detail}`,
        ]),
        [
          'history entries / distinct ids',
          `${historyFigures.entries} / ${historyFigures.expected} (consumer remembered ${rememberedIds} ids)`,
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
          `${countersJob.state}, ${countersJob.attemptsMade} attempt(s), ${jobWindow(countersJob)}; day.rolled ${ticks.length} raw / ${dayRolled.length} distinct`,
        ],
        [
          'membership job (segment saved just before)',
          `${membershipJob.state}, ${membershipJob.attemptsMade} attempt(s), ${jobWindow(membershipJob)}`,
        ],
        [
          'segment preview per stage (got / replay)',
          [...STAGE_NAMES, 'None'].map((s) => `${s} ${preview.get(s)}/${expectedByStage.get(s)?.size ?? 0}`).join(', '),
        ],
        ['saved segment members (live / from events / replay)', `${membersNow.body.total} / ${eventMembers.size} / ${implementation.size}`],
        ['duplicated effects', `${duplicatedEffects}`],
        [
          'services healthy at the end',
          healthProblems.length === 0
            ? `all ${APPS.length} (all answered 200 within ${healthyAfterS.toFixed(1)} s)`
            : healthProblems.join('; '),
        ],
        ['time', `publish ${publishedAtS.toFixed(0)} s, applied by t+${appliedAtS.toFixed(0)} s, total ${totalS.toFixed(0)} s`],
      ];
      const width = Math.max(...rows.map(([k]) => k.length));
      const table = ['| measure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
      process.stdout.write(
        `\nFault-injection report (run ${run.id})\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n\n`,
      );
      const out = join(ROOT, '.local', 'test-results');
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'fault-report.md'), `${table}\n`);

      const problems = [
        ...historyFigures.problems,
        ...statusFigures.problems,
        ...dlqFigures.problems,
        ...jobProblems,
        ...segmentProblems,
        ...healthProblems,
      ];
      if (problems.length > 0)
        process.stdout.write(
          `Problems (${problems.length}):\n${problems
            .slice(0, 50)
            .map((p) => `  - ${p}`)
            .join('\n')}\n`,
        );
      expect(faults.map((f) => f.name)).toEqual(schedule.map((f) => f.name));
      expect(problems).toEqual([]);
      expect(historyFigures.lost).toBe(0);
      expect(duplicatedEffects).toBe(0);
    },
    Math.max(15 * 60_000, CONVERGENCE_MS + 6 * 60_000),
  );
});
