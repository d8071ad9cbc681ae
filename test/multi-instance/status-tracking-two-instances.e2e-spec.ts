/**
 * Two status-tracking processes on the same database and the same consumer group write the same
 * aggregates at once, and nothing is lost: the guarantee several production instances rely on.
 *
 * Each account gets CHANGES changes, each to a stage of its own (so none is a no-op, L8) and at a
 * time of its own, sent in shuffled order (so most land before the latest one and replay, L11):
 * half through REST, every request sent to BOTH instances at once with the same idempotency key
 * (L12), half as CRM events published twice with the same id and consumed by whichever group
 * member owns the partition. Afterwards every change is in the history exactly once, every state
 * equals the replay of its history (the fold of @lifecycle/rules), no outbox holds events, and the
 * last `status.changed` published for each change says what the replay says (what a replica of
 * `lifecycle.status` ends up with).
 *
 * The in-process `AggregateLock` serializes only one instance's writers; across processes the
 * version condition of every state write (and the unique history slot and idempotency key)
 * carries the guarantee, so this runs against an engine whose single-document updates are atomic,
 * as MongoDB's are: the shared server when it is one, else a private mongo-java-server started
 * through scripts/infra.sh for this suite.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { Topics } from '@lifecycle/contracts';
import { EventPublisher, KafkaConnection } from '@lifecycle/messaging';
import { replay, type HistoryEntry, type LifecycleStage, type Transition } from '@lifecycle/rules';
import {
  freePortRange,
  INFRA,
  newTestRun,
  ProcessSystem,
  ROOT,
  seededRandom,
  TopicRecorder,
  waitFor,
  type RecordedMessage,
} from '@lifecycle/testing';
import { unpackPair } from '../../apps/status-tracking/src/statuses/lifecycle-state.codec';
import { LIFECYCLE_STATE_COLLECTION, type LifecycleStateDocument } from '../../apps/status-tracking/src/statuses/lifecycle-state.schema';
import { buildAppsFor, freeBasePort } from '../faults/infra-faults';

const ATTRIBUTE = 'rollout-status';
const ACCOUNTS = 8;
const CHANGES = 24;
/** REST requests in flight at once (each goes to both instances). */
const REST_CONCURRENCY = 8;
const BASE_AT = Date.UTC(2026, 0, 5);

const STAGES: (LifecycleStage & { name: string; disabled: boolean })[] = Array.from({ length: CHANGES }, (_, i) => ({
  id: `stg-${i}`,
  name: `Step ${i}`,
  order: i,
  endStage: i === CHANGES - 1,
  disabled: false,
}));

interface Change {
  accountId: string;
  stageId: string;
  at: Date;
  via: 'rest' | 'crm';
  key: string;
}

/** An engine that keeps MongoDB's single-document atomicity: the shared server, or a private one. */
async function atomicEngine(): Promise<{ url: string; stop: () => void }> {
  const client = await MongoClient.connect(INFRA.mongo);
  const info = await client.db('admin').command({ buildInfo: 1 });
  await client.close();
  // FerretDB v1.24 applies an update as a separate read and write (docs/architecture.md).
  if (typeof info.ferretdbVersion !== 'string') return { url: INFRA.mongo, stop: () => undefined };
  const port = await freePortRange(1);
  const env = {
    ...process.env,
    INFRA_MONGO_ENGINE: 'mongo-java-server',
    INFRA_MONGO_PORT: String(port),
    LIFECYCLE_LOCAL_DIR: join(ROOT, '.local', `two-instances-${port}`),
  };
  const infra = (command: string) => execFileSync('bash', [join(ROOT, 'scripts', 'infra.sh'), command, 'mongo'], { env, stdio: 'inherit' });
  infra('start');
  return {
    url: `mongodb://127.0.0.1:${port}`,
    stop: () => {
      infra('stop');
      rmSync(env.LIFECYCLE_LOCAL_DIR, { recursive: true, force: true });
    },
  };
}

/**
 * Transitions of the replay whose last `status.changed` on the topic (events deduplicated by id,
 * as consumers do; one account's events share a partition, so the recorded order is theirs)
 * does not move from and to the same stages.
 */
function unpublished(transitions: readonly Transition[], accountId: string, recorded: readonly RecordedMessage[]): Transition[] {
  const last = new Map<string, { from: string | null; to: string | null }>();
  const seen = new Set<string>();
  for (const { json } of recorded) {
    const data = json.data as { accountId: string; changeId: string; from: { id: string } | null; to: { id: string } | null };
    if (json.type !== 'status.changed' || data.accountId !== accountId || seen.has(json.id as string)) continue;
    seen.add(json.id as string);
    last.set(data.changeId, { from: data.from?.id ?? null, to: data.to?.id ?? null });
  }
  return transitions.filter((t) => last.get(t.changeId)?.from !== t.from || last.get(t.changeId)?.to !== t.to);
}

function plannedChanges(): Change[] {
  const rnd = seededRandom(12);
  const changes: Change[] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    for (let c = 0; c < CHANGES; c++) {
      changes.push({
        accountId: `multi-${a}`,
        stageId: `stg-${c}`,
        // Distinct times, in an order unrelated to the stages and to the sending order.
        at: new Date(BASE_AT + Math.floor(rnd() * 1_000_000) * 1_000 + c),
        via: c % 2 === 0 ? 'rest' : 'crm',
        key: randomUUID(),
      });
    }
  }
  for (let i = changes.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [changes[i], changes[j]] = [changes[j]!, changes[i]!];
  }
  return changes;
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

describe('status tracking as two processes on one database and one consumer group', () => {
  const run = newTestRun('twoinst');
  const instances: ProcessSystem[] = [];
  let engine: { url: string; stop: () => void };
  let publisher: EventPublisher;
  let statusTopic: TopicRecorder;
  let mongo: MongoClient;

  beforeAll(async () => {
    buildAppsFor(['status-tracking']);
    engine = await atomicEngine();
    const env = { 'status-tracking': { MONGO_URL: `${engine.url}/${run.databaseFor('status-tracking')}` } };
    for (const name of ['a', 'b']) {
      const system = new ProcessSystem(run, await freeBasePort(), env, name);
      instances.push(system);
      await system.start('status-tracking');
    }
    const connection = new KafkaConnection({ brokers: INFRA.kafka.split(','), clientId: 'two-instances', topicPrefix: run.topicPrefix });
    publisher = new EventPublisher(connection, 'two-instances');
    statusTopic = await new TopicRecorder([connection.names.physical(Topics.LifecycleStatus)]).start();
    await publisher.publish('attribute.activated', {
      key: ATTRIBUTE,
      name: 'Rollout Status',
      state: 'active',
      version: 1,
      updatedAt: new Date().toISOString(),
      stages: STAGES.map((s) => ({ ...s, color: '#1E88E5' })),
    });
    mongo = await MongoClient.connect(engine.url);
    // Both replicas know the attribute before anything is sent.
    for (const system of instances) {
      await waitFor(`${system.logDir}: attribute replica`, async () => {
        const res = await fetch(`${system.url('status-tracking')}/v1/accounts/multi-probe/statuses/${ATTRIBUTE}/history`);
        return res.status === 200;
      });
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(instances.map((system) => system.stopAll()));
    await publisher?.close();
    await statusTopic?.stop();
    await mongo?.close();
    engine?.stop();
  });

  it('loses no change of REST requests sent to both and CRM events consumed by either: history once each, states equal their replay', async () => {
    const changes = plannedChanges();
    const rest = changes.filter((c) => c.via === 'rest');
    const crm = changes.filter((c) => c.via === 'crm');

    const appliedBy = [0, 0];
    const sendToBoth = async (change: Change) => {
      const answers = await Promise.all(
        instances.map(async (system) => {
          const res = await fetch(`${system.url('status-tracking')}/v1/accounts/${change.accountId}/statuses/${ATTRIBUTE}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', 'idempotency-key': change.key },
            body: JSON.stringify({ stage: change.stageId, at: change.at.toISOString() }),
          });
          return { status: res.status, body: (await res.json()) as { outcome: string; changeId: string | null } };
        }),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      // One instance applies the change, the other recognizes its key (L12): one change id.
      expect(answers.map((a) => a.body.outcome).sort()).toEqual(['applied', 'duplicate']);
      expect(answers[0]!.body.changeId).toBe(answers[1]!.body.changeId);
      appliedBy[answers.findIndex((a) => a.body.outcome === 'applied')]!++;
    };
    const publishTwice = async () => {
      for (const change of crm) {
        const data = { accountId: change.accountId, attributeKey: ATTRIBUTE, stage: change.stageId };
        const options = { id: change.key, occurredAt: change.at };
        await publisher.publish('crm.account.status.set', data, options);
        await publisher.publish('crm.account.status.set', data, options);
      }
    };
    await Promise.all([inParallel(rest, REST_CONCURRENCY, sendToBoth), publishTwice()]);
    // Both instances won some of the races.
    expect(appliedBy.every((n) => n > 0)).toBe(true);

    const db = mongo.db(run.databaseFor('status-tracking'));
    const states = db.collection<LifecycleStateDocument>(LIFECYCLE_STATE_COLLECTION);
    await waitFor(
      'every change folded in and every outbox published',
      async () => {
        const docs = await states.find({ accountId: { $regex: '^multi-\\d+$' } }).toArray();
        return (
          docs.length === ACCOUNTS && docs.every((d) => unpackPair(d.packed).history.length === CHANGES && (d.outbox ?? []).length === 0)
        );
      },
      180_000,
      500,
    );

    // Both group members held partitions while the events were consumed.
    const admin = new Kafka({ clientId: 'two-instances-admin', brokers: INFRA.kafka.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const [group] = (await admin.describeGroups([`status-tracking-${run.id}`])).groups;
    await admin.disconnect();
    expect(group?.members).toHaveLength(2);

    const foldOf = async (accountId: string) => {
      const stored = unpackPair((await states.findOne({ accountId, attributeKey: ATTRIBUTE }))!.packed);
      const folded: HistoryEntry[] = stored.history.map((e) => ({ changeId: e.changeId, seq: e.seq, to: e.to, at: e.at }));
      return { entries: stored.history, state: stored.state, folded, transitions: replay(STAGES, folded).transitions };
    };
    await waitFor('every transition published as the replay has it', async () => {
      for (let a = 0; a < ACCOUNTS; a++) {
        const { transitions } = await foldOf(`multi-${a}`);
        if (unpublished(transitions, `multi-${a}`, statusTopic.messages).length > 0) return false;
      }
      return true;
    });

    for (let a = 0; a < ACCOUNTS; a++) {
      const accountId = `multi-${a}`;
      const sent = changes.filter((c) => c.accountId === accountId);
      const { entries, state, folded, transitions } = await foldOf(accountId);
      // Every change once: one entry per idempotency key, at its own position, with its stage and time.
      const keyOf = (c: Change) => (c.via === 'rest' ? `rest:${accountId}:${ATTRIBUTE}:${c.key}` : `crm:${c.key}`);
      expect(entries.map((e) => e.idempotencyKey).sort()).toEqual(sent.map(keyOf).sort());
      expect(entries.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: CHANGES }, (_, i) => i + 1));
      const byKey = new Map(entries.map((e) => [e.idempotencyKey, e]));
      for (const change of sent) expect(byKey.get(keyOf(change))).toMatchObject({ to: change.stageId, at: change.at });

      // The stored fold is the fold of exactly that history.
      expect(state).toEqual(replay(STAGES, folded).state);
      // Every change moves to a stage of its own: each is a transition, published as replayed.
      expect(transitions).toHaveLength(CHANGES);
      expect(unpublished(transitions, accountId, statusTopic.messages)).toEqual([]);
    }
  }, 300_000);
});
