/**
 * Kafka interoperability with a client that is not kafkajs: librdkafka (Python confluent-kafka,
 * installed from PyPI into .local/venv) produces what upstream CRMs produce — every compression,
 * with and without headers, idempotent and transactional producers, and the records the platform
 * must refuse without stalling — and reads what the platform publishes, checking keys, headers and
 * envelopes against docs/asyncapi.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { RECORD_POLICY, Topics, type DeadLetterRecord, type Topic } from '@lifecycle/contracts';
import { startService, type RunningService } from '@lifecycle/http';
import { TopicNames } from '@lifecycle/messaging';
import { INFRA, newTestRun, testServiceConfig, TopicRecorder, waitFor } from '@lifecycle/testing';
import { AttributeCatalogModule } from '../../apps/attribute-catalog/src/attribute-catalog.module';
import { attributeCatalogDefinition } from '../../apps/attribute-catalog/src/attribute-catalog.definition';
import { StatusTrackingModule } from '../../apps/status-tracking/src/status-tracking.module';
import { statusTrackingDefinition } from '../../apps/status-tracking/src/status-tracking.definition';
import { CyclePlanningModule } from '../../apps/cycle-planning/src/cycle-planning.module';
import { cyclePlanningDefinition } from '../../apps/cycle-planning/src/cycle-planning.definition';
import { SegmentEvaluationModule } from '../../apps/segment-evaluation/src/segment-evaluation.module';
import { segmentEvaluationDefinition } from '../../apps/segment-evaluation/src/segment-evaluation.definition';

const ROOT = join(__dirname, '..', '..');
const COMPRESSIONS = RECORD_POLICY.compressions;

interface PeerRecord {
  key: string | null;
  value?: string | null;
  valueBase64?: string;
  valuePadTo?: number;
  headers?: [string, string][];
}
interface PeerStep {
  topic: string;
  config?: Record<string, string | number | boolean>;
  transaction?: 'commit' | 'abort';
  records: PeerRecord[];
}
interface Delivered {
  step: number;
  index: number;
  topic: string;
  partition: number;
  offset: number;
}
interface ReadRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  headers: Record<string, string>;
  type: string | null;
  problems: string[];
}

describe('Kafka interoperability with librdkafka (confluent-kafka)', () => {
  const run = newTestRun('interop');
  const names = new TopicNames(run.topicPrefix);
  const services: Record<'catalog' | 'tracking' | 'cycles' | 'segments', RunningService> = {} as never;
  let python = '';
  let deadLetters: TopicRecorder;
  let membership: TopicRecorder;
  let produced: Delivered[] = [];
  let steps: PeerStep[] = [];

  const peer = <T>(command: Record<string, unknown>): Promise<T> =>
    new Promise((resolve, reject) => {
      const child = spawn(python, [join(__dirname, 'kafka_peer.py')], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) reject(new Error(`kafka_peer.py exited ${code}: ${err}`));
        else resolve(JSON.parse(out) as T);
      });
      child.stdin.end(JSON.stringify({ bootstrap: INFRA.kafka, ...command }));
    });

  const envelope = (type: string, data: Record<string, unknown>, occurredAt = new Date()) =>
    JSON.stringify({ id: randomUUID(), type, version: 1, occurredAt: occurredAt.toISOString(), source: 'crm-connector', data });
  const upsert = (accountId: string) => envelope('crm.account.upserted', { accountId, name: `Account ${accountId}`, clientType: 'smb' });
  const setStage = (accountId: string, stage: string, at?: Date) =>
    envelope('crm.account.status.set', { accountId, attributeKey: 'onboarding', stage }, at);
  const json = async (service: RunningService, path: string, init?: RequestInit) => {
    const res = await fetch(`${service.url}${path}`, { ...init, headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };
  const stageOf = async (accountId: string) => {
    const { status, body } = await json(services.tracking, `/v1/accounts/${accountId}`);
    if (status !== 200) return null;
    const lifecycle = (body as { lifecycle?: Record<string, { stage: { name: string } | null }> }).lifecycle ?? {};
    return lifecycle.onboarding?.stage?.name ?? null;
  };
  const deadLettersOf = (topic: Topic) => deadLetters.on(names.deadLetter(topic)).map((m) => m.json as unknown as DeadLetterRecord);

  beforeAll(async () => {
    python = execFileSync('bash', [join(ROOT, 'scripts', 'python-env.sh')], { encoding: 'utf8' }).trim();
    const start = async (
      name: string,
      module: { register(c: ReturnType<typeof testServiceConfig>): unknown },
      definition: Parameters<typeof startService>[2],
    ) => {
      const config = testServiceConfig(run, name);
      return startService(module.register(config), config, definition);
    };
    services.catalog = await start('attribute-catalog', AttributeCatalogModule, attributeCatalogDefinition);
    services.tracking = await start('status-tracking', StatusTrackingModule, statusTrackingDefinition);
    services.cycles = await start('cycle-planning', CyclePlanningModule, cyclePlanningDefinition);
    services.segments = await start('segment-evaluation', SegmentEvaluationModule, segmentEvaluationDefinition);
    deadLetters = await new TopicRecorder([names.deadLetter(Topics.CrmAccounts), names.deadLetter(Topics.CrmAccountStatuses)]).start();
    membership = await new TopicRecorder([names.physical(Topics.SegmentMembership)]).start();

    const created = await json(services.catalog, '/v1/attributes', {
      method: 'POST',
      body: JSON.stringify({
        key: 'onboarding',
        name: 'Onboarding',
        flow: 'Onboarding',
        stages: [
          { name: 'Kickoff', color: '#1E88E5' },
          { name: 'Configuration', color: '#8E24AA' },
          { name: 'Go Live', color: '#43A047', endStage: true },
        ],
      }),
    });
    expect(created.status).toBe(201);
    expect((await json(services.catalog, '/v1/attributes/onboarding/activate', { method: 'POST' })).status).toBe(200);
    // The segment service validates criteria against its own replica of the attribute.
    await waitFor('the segment saved', async () => {
      const segment = await json(services.segments, '/v1/segments', {
        method: 'POST',
        body: JSON.stringify({ name: 'In Kickoff', criteria: { attribute: 'onboarding', isOneOf: ['Kickoff'] } }),
      });
      return segment.status === 201;
    });
    // The replicas of both consumers know the attribute before any CRM status arrives.
    await waitFor('the attribute in the tracking replica', async () => {
      const probe = await json(services.tracking, '/v1/accounts/probe/statuses/onboarding', {
        method: 'PUT',
        body: JSON.stringify({ stage: 'Kickoff' }),
      });
      return probe.status === 200;
    });

    const statuses = names.physical(Topics.CrmAccountStatuses);
    const accounts = names.physical(Topics.CrmAccounts);
    const bigText = setStage('i-big', 'Kickoff');
    steps = [
      // 0-4: one step per compression; headers on every other one.
      ...COMPRESSIONS.map((compression, i) => ({
        topic: accounts,
        config: { 'compression.type': compression, 'linger.ms': 50 },
        records: [
          {
            key: `i-${compression}`,
            value: upsert(`i-${compression}`),
            headers: i % 2 ? ([['source', 'crm']] as [string, string][]) : undefined,
          },
        ],
      })),
      ...COMPRESSIONS.map((compression, i) => ({
        topic: statuses,
        config: { 'compression.type': compression },
        records: [
          {
            key: `i-${compression}`,
            value: setStage(`i-${compression}`, 'Kickoff'),
            headers: i % 2 ? undefined : ([['event-type', 'crm.account.status.set']] as [string, string][]),
          },
        ],
      })),
      // 10: what must be dead-lettered without stopping anything, and a record just under the limit.
      {
        topic: statuses,
        records: [
          { key: null, value: setStage('i-nullkey', 'Kickoff') },
          { key: 'i-tomb', value: null },
          { key: 'i-bin', valueBase64: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'), headers: [['trace', 'abc']] },
          { key: 'someone-else', value: setStage('i-wrongkey', 'Kickoff') },
          { key: 'i-big', value: bigText, valuePadTo: RECORD_POLICY.maxValueBytes + 1 },
          { key: 'i-under', value: setStage('i-under', 'Kickoff'), valuePadTo: RECORD_POLICY.maxValueBytes },
        ],
      },
      // 11: an idempotent producer.
      {
        topic: statuses,
        config: { 'enable.idempotence': true, 'compression.type': 'zstd' },
        records: [{ key: 'i-idem', value: setStage('i-idem', 'Kickoff') }],
      },
      // 12: an aborted transaction: none of it may be applied.
      {
        topic: statuses,
        transaction: 'abort' as const,
        records: [
          { key: 'i-none', value: setStage('i-none', 'Configuration') },
          { key: 'i-aborted', value: setStage('i-aborted', 'Kickoff') },
        ],
      },
      // 13: a committed transaction.
      {
        topic: statuses,
        transaction: 'commit' as const,
        config: { 'compression.type': 'lz4' },
        records: [{ key: 'i-txn', value: setStage('i-txn', 'Kickoff') }],
      },
      // 14: a plain record after everything, on every partition's way.
      { topic: statuses, records: [{ key: 'i-last', value: setStage('i-last', 'Kickoff') }] },
    ];
    const result = await peer<{ delivered: Delivered[]; errors: string[] }>({ command: 'produce', steps });
    expect(result.errors).toEqual([]);
    produced = result.delivered;
    expect(produced).toHaveLength(steps.reduce((n, s) => n + s.records.length, 0));
  }, 240_000);

  afterAll(async () => {
    await deadLetters?.stop();
    await membership?.stop();
    for (const s of Object.values(services).reverse()) await s.app.close();
  });

  it.each(COMPRESSIONS)(
    'applies %s-compressed CRM records in status tracking, cycle planning and segment evaluation',
    async (compression) => {
      const account = `i-${compression}`;
      await waitFor(`${account} in Kickoff`, async () => (await stageOf(account)) === 'Kickoff');
      await waitFor(`${account}'s first cycle`, async () => {
        const { status, body } = await json(services.cycles, `/v1/accounts/${account}/cycles`);
        return status === 200 && ((body as { cycles?: unknown[] } | null)?.cycles ?? []).length > 0;
      });
      await waitFor(`${account} entering the segment`, () =>
        membership.on(names.physical(Topics.SegmentMembership)).some((m) => m.key === account && m.json.type === 'segment.entered'),
      );
    },
  );

  it('applies an idempotent producer, a committed transaction and a record of exactly the size limit', async () => {
    for (const account of ['i-idem', 'i-txn', 'i-under', 'i-last']) {
      await waitFor(`${account} in Kickoff`, async () => (await stageOf(account)) === 'Kickoff');
    }
  });

  it('never applies the records of an aborted transaction', async () => {
    await waitFor('the record after the transaction', async () => (await stageOf('i-last')) === 'Kickoff');
    await waitFor('i-txn, committed after the abort', async () => (await stageOf('i-txn')) === 'Kickoff');
    expect(await stageOf('i-none')).toBe('Kickoff');
    expect(await stageOf('i-aborted')).toBeNull();
  });

  it('dead-letters what cannot be used, with reason, offset, key, headers and raw bytes, and goes on', async () => {
    const offsetOf = (index: number) => String(produced.find((d) => d.step === 10 && d.index === index)!.offset);
    await waitFor('five dead letters', () => deadLettersOf(Topics.CrmAccountStatuses).length >= 5);
    const letters = deadLettersOf(Topics.CrmAccountStatuses);
    const at = (index: number) =>
      letters.find(
        (l) => l.offset === offsetOf(index) && l.partition === produced.find((d) => d.step === 10 && d.index === index)!.partition,
      );

    expect(at(0)).toMatchObject({ reason: expect.stringMatching(/^record has no key; .*"i-nullkey"/), key: null, eventId: null });
    expect(at(1)).toMatchObject({
      reason: expect.stringMatching(/^tombstone \(null value\)/),
      key: 'i-tomb',
      value: null,
      valueBase64: null,
    });
    expect(at(2)).toMatchObject({
      reason: expect.stringMatching(/^value is not valid UTF-8/),
      key: 'i-bin',
      value: null,
      valueBase64: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'),
      headers: [{ name: 'trace', text: 'abc', base64: Buffer.from('abc').toString('base64') }],
    });
    expect(at(3)).toMatchObject({ reason: expect.stringMatching(/^record key "someone-else" is not the aggregate id "i-wrongkey"/) });
    expect(at(4)).toMatchObject({
      reason: `message of ${RECORD_POLICY.maxValueBytes + 1} bytes exceeds the limit of ${RECORD_POLICY.maxValueBytes} bytes`,
      valueBytes: RECORD_POLICY.maxValueBytes + 1,
      valueTruncated: true,
      originalTopic: Topics.CrmAccountStatuses,
    });
    for (const letter of letters) expect(letter.lastOffset).toBe(letter.offset);
    expect(await stageOf('i-wrongkey')).toBeNull();
    expect(await stageOf('i-nullkey')).toBeNull();
  });

  it('is read by librdkafka with keys, headers and envelopes as the AsyncAPI document says', async () => {
    await waitFor(
      'membership events of every compression',
      () => membership.on(names.physical(Topics.SegmentMembership)).length >= COMPRESSIONS.length,
    );
    const topics = [Topics.LifecycleStatus, Topics.SuccessCycleEvents, Topics.SegmentMembership].map((t) => names.physical(t));
    const result = await peer<{ records: ReadRecord[]; counts: Record<string, number>; timedOut: boolean }>({
      command: 'consume',
      topics,
      group: `interop-reader-${run.id}`,
      expect: Object.fromEntries(topics.map((t) => [t, COMPRESSIONS.length])),
      timeoutS: 60,
      asyncapi: join(ROOT, 'docs', 'asyncapi.json'),
    });
    expect(result.timedOut).toBe(false);
    expect(result.records.filter((r) => r.problems.length > 0)).toEqual([]);
    const types = new Set(result.records.map((r) => r.type));
    expect([...types]).toEqual(expect.arrayContaining(['status.changed', 'cycle.assigned', 'segment.entered']));
  });

  it('reports every consumer consuming and ready in /health', async () => {
    for (const service of [services.tracking, services.cycles, services.segments]) {
      await waitFor('ready', async () => (await json(service, '/health')).status === 200);
      const { body } = await json(service, '/health');
      const consumers = (body as { details: { consumers: { consumers: { state: string; partitions: unknown[] }[] } } }).details.consumers
        .consumers;
      expect(consumers).toHaveLength(1);
      expect(consumers[0]!.state).toBe('consuming');
      expect(consumers[0]!.partitions.length).toBeGreaterThan(0);
    }
  });
});
