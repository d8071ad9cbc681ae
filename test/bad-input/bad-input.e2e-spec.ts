/**
 * Bad input (docs/bad-input.md) through the public gateway and on the topics: every case must be refused with a 4xx
 * in the one error shape `{ statusCode, error, message, details: { code, … } }` without a stack
 * trace (or a dead letter with the reason), change nothing (history, attributes, segments,
 * accounts, plays), and leave every service healthy. 400: the request does not match the OpenAPI
 * document; 422: it does, but a rule refuses it. The run writes the table input → status → message to
 * docs/bad-input.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Topics, type Topic } from '@lifecycle/contracts';
import { startService, type RunningService } from '@lifecycle/http';
import { EventPublisher, KafkaConnection } from '@lifecycle/messaging';
import {
  apiClient,
  createActiveOnboarding,
  newTestRun,
  ONBOARDING,
  ROOT,
  testGatewayConfig,
  testServiceConfig,
  TEST_ADMIN_KEY,
  TEST_VIEWER_KEY,
  TopicRecorder,
  waitFor,
} from '@lifecycle/testing';
import { AttributeCatalogModule } from '../../apps/attribute-catalog/src/attribute-catalog.module';
import { CyclePlanningModule } from '../../apps/cycle-planning/src/cycle-planning.module';
import { cyclePlanningDefinition } from '../../apps/cycle-planning/src/cycle-planning.definition';
import { attributeCatalogDefinition } from '../../apps/attribute-catalog/src/attribute-catalog.definition';
import { startGateway, type RunningGateway } from '../../apps/gateway/src/gateway.bootstrap';
import { SegmentEvaluationModule } from '../../apps/segment-evaluation/src/segment-evaluation.module';
import { segmentEvaluationDefinition } from '../../apps/segment-evaluation/src/segment-evaluation.definition';
import { StatusTrackingModule } from '../../apps/status-tracking/src/status-tracking.module';
import { statusTrackingDefinition } from '../../apps/status-tracking/src/status-tracking.definition';

const DAY = 86_400_000;
const KEY = ONBOARDING;
const STATUS = `/v1/accounts/acme/statuses/${KEY}`;
const STACK_TRACE = /at .*\.ts:\d+/;

type Body = string | Buffer | (() => AsyncIterable<string>);

interface HttpCase {
  group: string;
  input: string;
  method: string;
  path: string;
  body?: Body;
  contentType?: string;
  auth?: 'admin' | 'viewer' | 'wrong' | 'none' | 'malformed';
  headers?: Record<string, string>;
  status: number;
  /** What the message must say (the offending field, the allowed values …). */
  message?: RegExp;
  /** Extra checks of a 2xx answer (a CSV report); returns what the table shows for it. */
  check?: (body: Record<string, unknown>) => Promise<string> | string;
}

interface TopicCase {
  input: string;
  topic: Topic;
  value: string | Buffer;
  /** Consumer groups that must dead-letter it (each consuming service does, independently). */
  groups: string[];
  reason: RegExp;
  /** The record's key, when the case is about the key itself. */
  key?: string;
}

interface TableRow {
  group: string;
  input: string;
  status: string;
  message: string;
}

const json = (value: unknown) => JSON.stringify(value);

/** A valid play (P1); each plays case breaks one thing of it. */
function playBody(
  trigger: Record<string, unknown> = {},
  action: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: 'Kickoff breached → call',
    trigger: { type: 'stage.sla-breached', attributeKey: ONBOARDING, ...trigger },
    action: { type: 'create-task', taskName: 'Call the customer', dueInBusinessDays: 2, ...action },
    ...extra,
  };
}
const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

/** A large CSV, generated while it is sent (the request body streams). */
function csvRows(rows: number, line: (i: number) => string, last?: string): () => AsyncIterable<string> {
  return async function* () {
    yield 'accountId,attributeKey,stage,at\n';
    let chunk = '';
    for (let i = 1; i <= rows; i++) {
      chunk += `${line(i)}\n`;
      if (chunk.length > 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (last !== undefined) chunk += `${last}\n`;
    yield chunk;
  };
}

describe('bad input through the gateway and on the topics', () => {
  const run = newTestRun('badinput');
  const services: RunningService[] = [];
  let gateway: RunningGateway;
  let publisher: EventPublisher;
  let connection: KafkaConnection;
  let deadLetters: TopicRecorder;
  const table: TableRow[] = [];

  /**
   * Raw requests on purpose: the cases send what a typed client cannot (malformed JSON, wrong media
   * types, streamed bodies, bad keys); the reference data above goes through the typed client.
   */
  const request = async (
    method: string,
    path: string,
    body?: Body,
    options: { contentType?: string; auth?: HttpCase['auth']; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth ?? 'admin';
    if (auth === 'admin') headers.authorization = `Bearer ${TEST_ADMIN_KEY}`;
    if (auth === 'viewer') headers.authorization = `Bearer ${TEST_VIEWER_KEY}`;
    if (auth === 'wrong') headers.authorization = 'Bearer not-a-key-0000000000000000';
    if (auth === 'malformed') headers.authorization = `Token ${TEST_ADMIN_KEY}`;
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const init: RequestInit & { duplex?: 'half' } = { method, headers };
    if (typeof body === 'function') {
      init.body = Readable.toWeb(Readable.from(body())) as ReadableStream;
      init.duplex = 'half';
    } else if (body !== undefined) {
      init.body = body;
    }
    const res = await fetch(`${gateway.url}${path}`, init);
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON: the checks below fail on the missing fields
    }
    return { status: res.status, text, body: parsed };
  };

  /** What must not change: the reference account's history, the catalog, the segments, the accounts, the plays. */
  const fingerprint = async () => {
    const [history, attributes, segments, accounts, plays] = await Promise.all([
      request('GET', `${STATUS}/history`),
      request('GET', '/v1/attributes'),
      request('GET', '/v1/segments'),
      request('GET', `/v1/accounts?attribute=${KEY}`),
      request('GET', '/v1/plays'),
    ]);
    return json({
      history: history.body.entries,
      attributes: attributes.text,
      segments: segments.body.items,
      accounts: accounts.body.total,
      plays: plays.body.items,
    });
  };

  /** The gateway's /health reports Kafka, Mongo, Redis and every service behind it. */
  const expectHealthy = async () => {
    const res = await fetch(`${gateway.url}/health`);
    if (res.status !== 200) throw new Error(`/health answered ${res.status} after the case: ${await res.text()}`);
  };

  beforeAll(async () => {
    const catalogConfig = testServiceConfig(run, 'attribute-catalog');
    const trackingConfig = testServiceConfig(run, 'status-tracking');
    const segmentsConfig = testServiceConfig(run, 'segment-evaluation');
    const cyclesConfig = testServiceConfig(run, 'cycle-planning');
    services.push(await startService(AttributeCatalogModule.register(catalogConfig), catalogConfig, attributeCatalogDefinition));
    services.push(await startService(StatusTrackingModule.register(trackingConfig), trackingConfig, statusTrackingDefinition));
    services.push(await startService(SegmentEvaluationModule.register(segmentsConfig), segmentsConfig, segmentEvaluationDefinition));
    services.push(await startService(CyclePlanningModule.register(cyclesConfig), cyclesConfig, cyclePlanningDefinition));
    const [catalog, tracking, segments, cycles] = services.map((s) => s.url) as [string, string, string, string];
    gateway = await startGateway(testGatewayConfig(run, { catalog, tracking, segments, cycles }));
    connection = new KafkaConnection({ brokers: trackingConfig.kafka.brokers, clientId: 'bad-input-crm', topicPrefix: run.topicPrefix });
    publisher = new EventPublisher(connection, 'crm');
    deadLetters = await new TopicRecorder(
      [Topics.CrmAccountStatuses, Topics.CrmAccounts, Topics.LifecycleStatus].map((t) => connection.names.deadLetter(t)),
    ).start();

    // The reference data every case must leave alone.
    expect((await createActiveOnboarding(apiClient(gateway.url, TEST_ADMIN_KEY))).created).toBe(true);
    await publisher.publish('crm.account.upserted', { accountId: 'acme', name: 'Acme', clientType: 'enterprise', ownerId: 'csm-1' });
    await waitFor(
      'the attribute in status tracking',
      async () =>
        (await request('PUT', STATUS, json({ stage: 'Kickoff', at: new Date(Date.now() - 10 * DAY).toISOString() }))).status === 200,
      30_000,
      200,
    );
    expect((await request('PUT', STATUS, json({ stage: 'Configuration', at: new Date(Date.now() - 2 * DAY).toISOString() }))).status).toBe(
      200,
    );
    expect(
      (await request('POST', '/v1/segments', json({ name: 'In Kickoff', criteria: { attribute: KEY, isOneOf: ['Kickoff'] } }))).status,
    ).toBe(201);
    // A reference play, once cycle planning's replicas have the attribute and the segment (P1 checks against them).
    const segmentId = String(((await request('GET', '/v1/segments')).body.items as { id: string }[])[0]!.id);
    for (const [what, body] of [
      ['the attribute in cycle planning', playBody()],
      ['the segment in cycle planning', playBody({ type: 'segment.entered', attributeKey: undefined, segmentId })],
    ] as const) {
      await waitFor(what, async () => (await request('POST', '/v1/plays', json(body))).status === 201, 30_000, 200);
    }
  }, 60_000);

  afterAll(async () => {
    writeFileSync(join(ROOT, 'docs', 'bad-input.md'), renderTable(table));
    await deadLetters?.stop();
    await publisher?.close();
    await gateway?.app.close();
    for (const s of services.reverse()) await s.app.close();
  });

  const huge = 'x'.repeat(1024 * 1024);
  const httpCases: HttpCase[] = [
    // Syntax
    {
      group: 'syntax',
      input: 'PUT status, malformed JSON `{"stage": "Kickoff"`',
      method: 'PUT',
      path: STATUS,
      body: '{"stage": "Kickoff"',
      status: 400,
      message: /JSON/,
    },
    { group: 'syntax', input: 'PUT status, JSON string body `"Kickoff"`', method: 'PUT', path: STATUS, body: '"Kickoff"', status: 400 },
    {
      group: 'syntax',
      input: 'PUT status, JSON array body `[{"stage":"Kickoff"}]`',
      method: 'PUT',
      path: STATUS,
      body: '[{"stage":"Kickoff"}]',
      status: 400,
    },
    { group: 'syntax', input: 'PUT status, empty JSON body', method: 'PUT', path: STATUS, body: '', status: 400, message: /stage/ },
    {
      group: 'syntax',
      input: 'PUT status, text/plain body `stage=Kickoff`',
      method: 'PUT',
      path: STATUS,
      body: 'stage=Kickoff',
      contentType: 'text/plain',
      status: 415,
      message: /must be application\/json/,
    },
    {
      group: 'syntax',
      input: 'POST attribute, malformed JSON',
      method: 'POST',
      path: '/v1/attributes',
      body: '{"key": "x", "name": }',
      status: 400,
      message: /JSON/,
    },
    {
      group: 'syntax',
      input: 'POST segment preview, malformed JSON',
      method: 'POST',
      path: '/v1/segments/preview',
      body: '{"criteria": {"attribute": ',
      status: 400,
      message: /JSON/,
    },
    // Wrong types
    {
      group: 'types',
      input: 'PUT status `{"stage": 42}`',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 42 }),
      status: 400,
      message: /stage/,
    },
    {
      group: 'types',
      input: 'PUT status `{"stage": ["Kickoff"]}`',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: ['Kickoff'] }),
      status: 400,
      message: /stage/,
    },
    {
      group: 'types',
      input: 'PUT status `{"stage": true}`',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: true }),
      status: 400,
      message: /stage/,
    },
    {
      group: 'types',
      input: 'PUT status `at` as epoch number',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 'Implementation', at: 1_700_000_000_000 }),
      status: 400,
      message: /at/,
    },
    {
      group: 'types',
      input: 'PUT status `at: "yesterday"`',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 'Implementation', at: 'yesterday' }),
      status: 400,
      message: /at must be an ISO-8601/,
    },
    {
      group: 'types',
      input: 'POST attribute with `name: 123`, `stages: "Kickoff"`',
      method: 'POST',
      path: '/v1/attributes',
      body: json({ key: 'typed', name: 123, stages: 'Kickoff' }),
      status: 400,
      message: /name/,
    },
    {
      group: 'types',
      input: 'POST attribute stage `endStage: "yes"`',
      method: 'POST',
      path: '/v1/attributes',
      body: json({ key: 'typed', name: 'Typed', stages: [{ name: 'A', color: '#000000', endStage: 'yes' }] }),
      status: 400,
      message: /endStage/,
    },
    {
      group: 'types',
      input: 'POST segment preview `criteria: "all"`, `pageSize: "10"`',
      method: 'POST',
      path: '/v1/segments/preview',
      body: json({ criteria: 'all', pageSize: '10' }),
      status: 400,
    },
    { group: 'types', input: 'GET segments `?page=abc`', method: 'GET', path: '/v1/segments?page=abc', status: 400, message: /page/ },
    // Unknown fields
    {
      group: 'unknown fields',
      input: 'PUT status with an extra field `color`',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 'Implementation', color: 'red' }),
      status: 400,
      message: /color/,
    },
    {
      group: 'unknown fields',
      input: 'POST attribute with an extra field `owner`',
      method: 'POST',
      path: '/v1/attributes',
      body: json({ key: 'extra', name: 'Extra', owner: 'me' }),
      status: 400,
      message: /owner/,
    },
    {
      group: 'unknown fields',
      input: 'POST segment with an extra field `ownerId`',
      method: 'POST',
      path: '/v1/segments',
      body: json({ name: 'x', criteria: { attribute: KEY, isOneOf: ['Kickoff'] }, ownerId: 'u' }),
      status: 400,
      message: /ownerId/,
    },
    {
      group: 'unknown fields',
      input: 'GET accounts with an unknown query parameter `sort`',
      method: 'GET',
      path: '/v1/accounts?sort=name',
      status: 400,
      message: /sort/,
    },
    // Operator injection
    {
      group: 'injection',
      input: 'PUT status `{"stage": {"$gt": ""}}`',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: { $gt: '' } }),
      status: 400,
      message: /stage/,
    },
    {
      group: 'injection',
      input: 'PUT status `{"at": {"$gt": ""}}`',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 'Implementation', at: { $gt: '' } }),
      status: 400,
      message: /at/,
    },
    {
      group: 'injection',
      input: 'PUT status with a `$where` key',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 'Implementation', $where: 'sleep(1000)' }),
      status: 400,
      message: /\$where/,
    },
    {
      group: 'injection',
      input: 'PUT status with a dotted key `stage.name`',
      method: 'PUT',
      path: STATUS,
      body: json({ 'stage.name': 'Implementation' }),
      status: 400,
    },
    {
      group: 'injection',
      input: 'PUT status, account id `{"$gt":""}` in the path',
      method: 'PUT',
      path: `/v1/accounts/${encodeURIComponent('{"$gt":""}')}/statuses/${KEY}`,
      body: json({ stage: 'Kickoff' }),
      status: 400,
      message: /accountId/,
    },
    {
      group: 'injection',
      input: 'PUT status, attribute key `$where` in the path',
      method: 'PUT',
      path: `/v1/accounts/acme/statuses/${encodeURIComponent('$where')}`,
      body: json({ stage: 'Kickoff' }),
      status: 400,
      message: /attributeKey/,
    },
    {
      group: 'injection',
      input: 'GET account id `a.b$c`',
      method: 'GET',
      path: `/v1/accounts/${encodeURIComponent('a.b$c')}/statuses/${KEY}/history`,
      status: 400,
      message: /accountId/,
    },
    {
      group: 'injection',
      input: 'GET accounts `?stage[$ne]=x`',
      method: 'GET',
      path: `/v1/accounts?attribute=${KEY}&stage[$ne]=x`,
      status: 400,
    },
    { group: 'injection', input: 'GET accounts `?attribute[$gt]=`', method: 'GET', path: '/v1/accounts?attribute[$gt]=', status: 400 },
    { group: 'injection', input: 'GET segments `?page[$gt]=0`', method: 'GET', path: '/v1/segments?page[$gt]=0', status: 400 },
    { group: 'injection', input: 'GET segments `?$where=1`', method: 'GET', path: '/v1/segments?$where=1', status: 400 },
    {
      group: 'injection',
      input: 'POST attribute `key: {"$gt": ""}`',
      method: 'POST',
      path: '/v1/attributes',
      body: json({ key: { $gt: '' }, name: 'Injected' }),
      status: 400,
      message: /key/,
    },
    {
      group: 'injection',
      input: 'POST attribute `key: "$where"`',
      method: 'POST',
      path: '/v1/attributes',
      body: json({ key: '$where', name: 'Injected' }),
      status: 400,
      message: /key/,
    },
    {
      group: 'injection',
      input: 'POST attribute `key: "a.b"`',
      method: 'POST',
      path: '/v1/attributes',
      body: json({ key: 'a.b', name: 'Injected' }),
      status: 400,
      message: /key/,
    },
    {
      group: 'injection',
      input: 'POST attribute stage `name: {"$ne": null}`',
      method: 'POST',
      path: '/v1/attributes',
      body: json({ key: 'injected', name: 'Injected', stages: [{ name: { $ne: null }, color: '#000000' }] }),
      status: 400,
      message: /name/,
    },
    {
      group: 'injection',
      input: 'PATCH attribute `{"$set": {"state": "draft"}}`',
      method: 'PATCH',
      path: `/v1/attributes/${KEY}`,
      body: json({ $set: { state: 'draft' } }),
      status: 400,
      message: /\$set/,
    },
    {
      group: 'injection',
      input: 'PATCH attribute `name: {"$set": "x"}`',
      method: 'PATCH',
      path: `/v1/attributes/${KEY}`,
      body: json({ name: { $set: 'x' } }),
      status: 400,
      message: /name/,
    },
    {
      group: 'injection',
      input: 'POST segment criteria `{"$where": "this.a"}`',
      method: 'POST',
      path: '/v1/segments',
      body: json({ name: 'x', criteria: { $where: 'this.a' } }),
      status: 422,
    },
    {
      group: 'injection',
      input: 'POST segment criteria `isOneOf: [{"$gt": ""}]`',
      method: 'POST',
      path: '/v1/segments',
      body: json({ name: 'x', criteria: { attribute: KEY, isOneOf: [{ $gt: '' }] } }),
      status: 422,
    },
    {
      group: 'injection',
      input: 'POST segment criteria `attribute: {"$ne": null}`',
      method: 'POST',
      path: '/v1/segments',
      body: json({ name: 'x', criteria: { attribute: { $ne: null }, isOneOf: ['Kickoff'] } }),
      status: 422,
    },
    {
      group: 'injection',
      input: 'POST segment criteria `daysInStage: {"$gt": 1}`',
      method: 'POST',
      path: '/v1/segments',
      body: json({ name: 'x', criteria: { attribute: KEY, isOneOf: ['Kickoff'], daysInStage: { $gt: 1 } } }),
      status: 422,
    },
    {
      group: 'injection',
      input: 'POST segment criteria `{"all": [{"$expr": {}}]}`',
      method: 'POST',
      path: '/v1/segments',
      body: json({ name: 'x', criteria: { all: [{ $expr: {} }] } }),
      status: 422,
    },
    {
      group: 'injection',
      input: 'POST segment criteria field `{"field": "clientType", "isOneOf": [{"$regex": ".*"}]}`',
      method: 'POST',
      path: '/v1/segments',
      body: json({ name: 'x', criteria: { field: 'clientType', isOneOf: [{ $regex: '.*' }] } }),
      status: 422,
    },
    {
      group: 'injection',
      input: 'POST segment criteria with a dotted key `lifecycle.onboarding-status.stageId`',
      method: 'POST',
      path: '/v1/segments',
      body: json({ name: 'x', criteria: { 'lifecycle.onboarding-status.stageId': 'x' } }),
      status: 422,
    },
    {
      group: 'injection',
      input: 'POST segment preview `{"criteria": {"$or": [{}]}}`',
      method: 'POST',
      path: '/v1/segments/preview',
      body: json({ criteria: { $or: [{}] } }),
      status: 422,
    },
    // Rules
    {
      group: 'rules',
      input: 'PUT status, unknown stage `Launch`',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 'Launch' }),
      status: 422,
      message: /Kickoff, Configuration, Implementation, Go Live/,
    },
    {
      group: 'rules',
      input: 'PUT status, unknown attribute `renewal-status`',
      method: 'PUT',
      path: '/v1/accounts/acme/statuses/renewal-status',
      body: json({ stage: 'Kickoff' }),
      status: 404,
      message: /renewal-status/,
    },
    {
      group: 'rules',
      input: 'PUT status, `at` one day in the future',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 'Implementation', at: new Date(Date.now() + DAY).toISOString() }),
      status: 422,
      message: /future/,
    },
    {
      group: 'rules',
      input: 'POST segment criteria, unknown stage `Launch`',
      method: 'POST',
      path: '/v1/segments',
      body: json({ name: 'x', criteria: { attribute: KEY, isOneOf: ['Launch'] } }),
      status: 422,
      message: /Launch/,
    },
    {
      group: 'rules',
      input: 'POST segment criteria, unknown attribute',
      method: 'POST',
      path: '/v1/segments/preview',
      body: json({ criteria: { attribute: 'no-such-attribute', isOneOf: ['Kickoff'] } }),
      status: 422,
      message: /no-such-attribute/,
    },
    {
      group: 'rules',
      input: 'PUT stage-order with an unknown stage id',
      method: 'PUT',
      path: `/v1/attributes/${KEY}/stage-order`,
      body: json({ stageIds: ['x'] }),
      status: 422,
      message: /every stage/,
    },
    // Size
    {
      group: 'size',
      input: 'PUT status, 900 KB `stage` string',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 'x'.repeat(900 * 1024) }),
      status: 400,
      message: /stage/,
    },
    {
      group: 'size',
      input: 'PUT status, 1 MB `stage` string (body over the 1 MB limit)',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: huge }),
      status: 413,
      message: /too large/,
    },
    {
      group: 'size',
      input: 'POST attribute, 1 MB `description`',
      method: 'POST',
      path: '/v1/attributes',
      body: json({ key: 'huge', name: 'Huge', description: huge }),
      status: 413,
      message: /too large/,
    },
    {
      group: 'size',
      input: 'POST segment preview, 5 MB body',
      method: 'POST',
      path: '/v1/segments/preview',
      body: json({ criteria: { any: Array.from({ length: 60_000 }, () => ({ attribute: KEY, isOneOf: ['Kickoff', 'Configuration'] })) } }),
      status: 413,
      message: /too large/,
    },
    {
      group: 'size',
      input: 'PUT status with an unknown field nested 10 000 arrays deep (20 KB)',
      method: 'PUT',
      path: STATUS,
      body: `{"stage":"Implementation","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
      status: 400,
    },
    {
      group: 'size',
      input: 'POST segment preview, 10 000 nested `all` groups',
      method: 'POST',
      path: '/v1/segments/preview',
      body: `{"criteria":${'{"all":['.repeat(10_000)}{"attribute":"${KEY}","isOneOf":["Kickoff"]}${']}'.repeat(10_000)}}`,
      status: 400,
    },
    {
      group: 'injection',
      input: 'GET accounts `?stage.$ne=x`',
      method: 'GET',
      path: `/v1/accounts?attribute=${KEY}&stage.$ne=x`,
      status: 400,
    },
    {
      group: 'syntax',
      input: 'PUT status, malformed percent-encoding in the path `%E0%A4%A`',
      method: 'PUT',
      path: `/v1/accounts/%E0%A4%A/statuses/${KEY}`,
      body: json({ stage: 'Kickoff' }),
      status: 400,
    },
    {
      group: 'syntax',
      input: 'GET job, malformed percent-encoding `/v1/jobs/tracking-%E0%A4%A`',
      method: 'GET',
      path: '/v1/jobs/tracking-%E0%A4%A',
      status: 400,
    },
    {
      group: 'syntax',
      input: 'PUT status, `Idempotency-Key` of 1 000 characters',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 'Implementation' }),
      headers: { 'idempotency-key': 'k'.repeat(1000) },
      status: 400,
      message: /Idempotency-Key|idempotency-key/i,
    },
    // Auth
    {
      group: 'auth',
      input: 'PUT status without an API key',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 'Implementation' }),
      auth: 'none',
      status: 401,
      message: /API key/,
    },
    {
      group: 'auth',
      input: 'PUT status with a wrong API key',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 'Implementation' }),
      auth: 'wrong',
      status: 401,
      message: /Invalid API key/,
    },
    {
      group: 'auth',
      input: 'GET history with `Authorization: Token <admin key>`',
      method: 'GET',
      path: `${STATUS}/history`,
      auth: 'malformed',
      status: 401,
    },
    {
      group: 'auth',
      input: 'PUT status with the viewer key',
      method: 'PUT',
      path: STATUS,
      body: json({ stage: 'Implementation' }),
      auth: 'viewer',
      status: 403,
      message: /viewer/,
    },
    {
      group: 'auth',
      input: 'POST attribute with the viewer key',
      method: 'POST',
      path: '/v1/attributes',
      body: json({ key: 'viewer-made', name: 'Viewer made' }),
      auth: 'viewer',
      status: 403,
      message: /viewer/,
    },
    {
      group: 'auth',
      input: 'POST CSV import with the viewer key',
      method: 'POST',
      path: '/v1/imports/statuses',
      body: csv('accountId,attributeKey,stage', `acme,${KEY},Implementation`),
      contentType: 'text/csv',
      auth: 'viewer',
      status: 403,
    },
    {
      group: 'auth',
      input: 'POST segment preview with the viewer key (a read, but a POST)',
      method: 'POST',
      path: '/v1/segments/preview',
      body: json({ criteria: { attribute: KEY, isOneOf: ['Kickoff'] } }),
      auth: 'viewer',
      status: 403,
    },
    // Routes
    { group: 'routes', input: 'GET an unknown route `/v1/nothing`', method: 'GET', path: '/v1/nothing', status: 404 },
    {
      group: 'routes',
      input: 'DELETE an attribute (no such operation: 405 with Allow)',
      method: 'DELETE',
      path: `/v1/attributes/${KEY}`,
      status: 405,
    },
    {
      group: 'routes',
      input: 'GET `/v1/accounts/..%2F..%2Fetc%2Fpasswd`',
      method: 'GET',
      path: '/v1/accounts/..%2F..%2Fetc%2Fpasswd',
      status: 400,
    },
    // CSV
    {
      group: 'csv',
      input: 'CSV with a wrong header `account,attr,stage`',
      method: 'POST',
      path: '/v1/imports/statuses',
      body: csv('account,attr,stage', `acme,${KEY},Implementation`),
      contentType: 'text/csv',
      status: 422,
      message: /missing column/,
    },
    {
      group: 'csv',
      input: 'CSV with an unclosed quote',
      method: 'POST',
      path: '/v1/imports/statuses',
      body: csv('accountId,attributeKey,stage', `acme,${KEY},"Implementation`, `acme,${KEY},Kickoff`),
      contentType: 'text/csv',
      status: 422,
      message: /cannot be imported/,
    },
    {
      group: 'csv',
      input: 'CSV with a quote inside an unquoted field',
      method: 'POST',
      path: '/v1/imports/statuses',
      body: csv('accountId,attributeKey,stage', `ac"me,${KEY},Implementation`),
      contentType: 'text/csv',
      status: 422,
      message: /cannot be imported/,
    },
    {
      group: 'csv',
      input: 'CSV, empty file',
      method: 'POST',
      path: '/v1/imports/statuses',
      body: '',
      contentType: 'text/csv',
      status: 422,
      message: /empty/,
    },
    {
      group: 'csv',
      input: 'CSV sent as application/json',
      method: 'POST',
      path: '/v1/imports/statuses',
      body: csv('accountId,attributeKey,stage', `acme,${KEY},Implementation`),
      contentType: 'application/json',
      status: 400,
    },
    {
      group: 'csv',
      input: 'CSV sent as text/plain',
      method: 'POST',
      path: '/v1/imports/statuses',
      body: csv('accountId,attributeKey,stage', `acme,${KEY},Implementation`),
      contentType: 'text/plain',
      status: 415,
      message: /text\/csv/,
    },
    {
      group: 'csv',
      input: 'CSV `?dryRun=maybe`',
      method: 'POST',
      path: '/v1/imports/statuses?dryRun=maybe',
      body: csv('accountId,attributeKey,stage', `acme,${KEY},Implementation`),
      contentType: 'text/csv',
      status: 400,
      message: /dryRun/,
    },
    {
      group: 'csv',
      input: 'CSV rows with bad values (unknown stage, `{"$gt":""}` account, unknown attribute, future and malformed `at`, extra field)',
      method: 'POST',
      path: '/v1/imports/statuses',
      body: csv(
        'accountId,attributeKey,stage,at',
        `acme,${KEY},Launch,`,
        `"{""$gt"":""""}",${KEY},Kickoff,`,
        'acme,no-such-attribute,Kickoff,',
        `acme,${KEY},Implementation,${new Date(Date.now() + 10 * DAY).toISOString()}`,
        `acme,${KEY},Implementation,last tuesday`,
        `acme,${KEY},Implementation,,extra`,
      ),
      contentType: 'text/csv',
      status: 200,
      check: (body) => {
        const rows = body.rows as { status: string; reason: string | null }[];
        expect(rows.map((r) => r.status)).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid']);
        expect(rows.every((r) => typeof r.reason === 'string' && r.reason.length > 0)).toBe(true);
        expect((body.summary as { applied: number }).applied).toBe(0);
        return `report: ${rows.length} rows, all invalid with a reason, 0 applied (e.g. row 3: ${rows[1]!.reason})`;
      },
    },
    {
      group: 'csv',
      input: 'CSV, 200 000 rows streamed, a broken quote on the last line',
      method: 'POST',
      path: '/v1/imports/statuses',
      body: csvRows(200_000, (i) => `b${i},k,K,`, 'b,k,"K'),
      contentType: 'text/csv',
      status: 422,
      message: /cannot be imported/,
    },
    {
      group: 'csv',
      input: 'CSV, 200 000 rows streamed (async), every row invalid (`bad id!`)',
      method: 'POST',
      path: '/v1/imports/statuses?async=true',
      body: csvRows(200_000, (i) => `b ${i}!,k,K,`),
      contentType: 'text/csv',
      status: 202,
      check: async (body) => {
        expect(body.status).toMatch(/queued|running/);
        // The whole stream was received and checked: the job counts every row, applies none.
        const done = await waitFor(
          'the large import to be counted',
          async () => {
            const res = await request('GET', `/v1/imports/statuses/${String(body.importId)}`);
            return typeof res.body.totalRows === 'number' ? res.body : undefined;
          },
          40_000,
          250,
        );
        expect(done.totalRows).toBe(200_000);
        expect((done.summary as { applied: number }).applied).toBe(0);
        return `queued as ${String(body.jobId)}; the job counted ${String(done.totalRows)} rows, applies none (each row invalid, in the report)`;
      },
    },

    // Plays (P1): what the document refuses (400, naming the field and what is allowed), what the rules refuse (422).
    {
      group: 'plays',
      input: 'POST play, unknown trigger type `segment.left`',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({ type: 'segment.left' })),
      status: 400,
      message: /trigger\.type: type must be one of the following values: segment\.entered, stage\.sla-at-risk, stage\.sla-breached/,
    },
    {
      group: 'plays',
      input: 'POST play, unknown action type `send-email`',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({}, { type: 'send-email' })),
      status: 400,
      message: /action\.type: type must be one of the following values: assign-template, create-task/,
    },
    {
      group: 'plays',
      input: 'POST play, SLA trigger on an unknown attribute',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({ attributeKey: 'renewal-status' })),
      status: 422,
      message: /unknown attribute "renewal-status"; known attributes: onboarding-status/,
    },
    {
      group: 'plays',
      input: 'POST play, SLA trigger on an unknown stage id `stg-launch`',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({ stageId: 'stg-launch' })),
      status: 422,
      message: /has no stage id "stg-launch"; its stages \(end stages have no SLA\): "Kickoff" \(id /,
    },
    {
      group: 'plays',
      input: 'POST play, `segment.entered` of an unknown segment',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({ type: 'segment.entered', attributeKey: undefined, segmentId: 'no-such-segment' })),
      status: 422,
      message: /unknown segment "no-such-segment"; saved segments: "In Kickoff" \(id /,
    },
    {
      group: 'plays',
      input: 'POST play, `segment.entered` with the SLA trigger fields (no segmentId, an attributeKey)',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({ type: 'segment.entered' })),
      status: 422,
      message: /needs segmentId .*takes segmentId only/,
    },
    {
      group: 'plays',
      input: 'POST play, assign an unknown template',
      method: 'POST',
      path: '/v1/plays',
      body: json(
        playBody({}, { type: 'assign-template', templateId: 'no-such-template', taskName: undefined, dueInBusinessDays: undefined }),
      ),
      status: 422,
      message: /unknown template "no-such-template"; templates: default-successcycle/,
    },
    {
      group: 'plays',
      input: 'POST play, `dueInBusinessDays: -1`',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({}, { dueInBusinessDays: -1 })),
      status: 400,
      message: /action\.dueInBusinessDays: dueInBusinessDays must not be less than 0/,
    },
    {
      group: 'plays',
      input: 'POST play, `dueInBusinessDays: 366`',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({}, { dueInBusinessDays: 366 })),
      status: 400,
      message: /dueInBusinessDays must not be greater than 365/,
    },
    {
      group: 'plays',
      input: 'POST play, `dueInBusinessDays: 2.5`',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({}, { dueInBusinessDays: 2.5 })),
      status: 400,
      message: /dueInBusinessDays must be a whole number/,
    },
    {
      group: 'plays',
      input: 'POST play, `dueInBusinessDays: "2"` (a string)',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({}, { dueInBusinessDays: '2' })),
      status: 400,
      message: /dueInBusinessDays must be a whole number/,
    },
    {
      group: 'plays',
      input: 'POST play, create-task without `dueInBusinessDays`',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({}, { dueInBusinessDays: undefined })),
      status: 422,
      message: /dueInBusinessDays must be a whole number from 0 to 365/,
    },
    {
      group: 'plays',
      input: 'POST play with an unknown field `priority`',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({}, {}, { priority: 'high' })),
      status: 400,
      message: /priority: property priority should not exist/,
    },
    {
      group: 'plays',
      input: 'POST play with an unknown trigger field `threshold`',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({ threshold: 0.8 })),
      status: 400,
      message: /threshold: property threshold should not exist/,
    },
    {
      group: 'plays',
      input: 'POST play, wrong types: `name: 42`, `paused: "yes"`',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({}, {}, { name: 42, paused: 'yes' })),
      status: 400,
      message: /name: .*name must be a string.*paused: paused must be a boolean value/,
    },
    {
      group: 'plays',
      input: 'POST play, `trigger` as a string',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({}, {}, { trigger: 'stage.sla-breached' })),
      status: 400,
      message: /trigger/,
    },
    {
      group: 'plays',
      input: 'POST play, `attributeKey: {"$gt": ""}`',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody({ attributeKey: { $gt: '' } })),
      status: 400,
      message: /attributeKey must be 1-100 letters/,
    },
    {
      group: 'plays',
      input: 'GET plays `?pageSize=500`',
      method: 'GET',
      path: '/v1/plays?pageSize=500',
      status: 400,
      message: /pageSize must not be greater than 200/,
    },
    {
      group: 'plays',
      input: 'PATCH an unknown play',
      method: 'PATCH',
      path: '/v1/plays/5d0c1f0e-3a55-4a5e-8d0e-3c1f3c1b9a10',
      body: json({ paused: true }),
      status: 404,
      message: /No play "5d0c1f0e-3a55-4a5e-8d0e-3c1f3c1b9a10"/,
    },
    {
      group: 'plays',
      input: 'PATCH play, id not a UUID',
      method: 'PATCH',
      path: '/v1/plays/kickoff',
      body: json({ paused: true }),
      status: 400,
      message: /playId must be a play id \(a UUID\)/,
    },
    {
      group: 'plays',
      input: 'POST play with the viewer key',
      method: 'POST',
      path: '/v1/plays',
      body: json(playBody()),
      auth: 'viewer',
      status: 403,
      message: /viewer role may only read/,
    },
    {
      group: 'plays',
      input: 'complete an unknown play task',
      method: 'POST',
      path: '/v1/accounts/acme/play-tasks/5d0c1f0e-3a55-4a5e-8d0e-3c1f3c1b9a10/complete',
      body: json({}),
      status: 404,
      message: /no play task/,
    },
    {
      group: 'plays',
      input: 'complete a play task, `at: "yesterday"`',
      method: 'POST',
      path: '/v1/accounts/acme/play-tasks/5d0c1f0e-3a55-4a5e-8d0e-3c1f3c1b9a10/complete',
      body: json({ at: 'yesterday' }),
      status: 400,
      message: /at must be an ISO-8601 timestamp/,
    },
  ];

  let before = '';
  it.each(httpCases.map((c) => [c.input, c] as const))('%s', async (_input, c) => {
    before ||= await fingerprint();
    const res = await request(c.method, c.path, c.body, { contentType: c.contentType, auth: c.auth, headers: c.headers });
    const row: TableRow = {
      group: c.group,
      input: c.input,
      status: String(res.status),
      message: String(res.body.message ?? res.text.slice(0, 200)),
    };
    table.push(row);
    expect({ status: res.status, body: res.status === c.status ? '' : res.text.slice(0, 500) }).toEqual({ status: c.status, body: '' });
    expect(res.text).not.toMatch(STACK_TRACE);
    if (c.status >= 400) {
      // The one error shape, from every service and the gateway: a machine-readable code in `details`.
      expect(res.body).toEqual({
        statusCode: c.status,
        error: expect.any(String) as unknown,
        message: expect.any(String) as unknown,
        details: expect.objectContaining({ code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/) as unknown }) as unknown,
      });
      if (c.message) expect(String(res.body.message)).toMatch(c.message);
    }
    if (c.check && res.status === c.status) row.message = await c.check(res.body);
    expect(await fingerprint()).toEqual(before);
    await expectHealthy();
  });

  // Each status event names its own account: a valid envelope must be keyed by its account id,
  // and the dead letters of a case are found by that key.
  let accounts = 0;
  const envelope = (overrides: Record<string, unknown>, data: Record<string, unknown> = {}) =>
    json({
      id: '2f1c7b0e-5c55-4e0a-9f7e-6c0d0e2f4a10',
      type: 'crm.account.status.set',
      version: 1,
      occurredAt: new Date(Date.now() - DAY).toISOString(),
      source: 'crm',
      ...overrides,
      data: { accountId: `acme-${++accounts}`, attributeKey: KEY, stage: 'Implementation', ...data },
    });
  const uuid = (n: number) => `2f1c7b0e-5c55-4e0a-9f7e-6c0d0e2f4a${String(n).padStart(2, '0')}`;
  const tracking = (suffix: string) => `status-tracking-${suffix}`;
  const segments = (suffix: string) => `segment-evaluation-${suffix}`;
  const cycles = (suffix: string) => `cycle-planning-${suffix}`;
  const topicCases: TopicCase[] = [
    {
      input: 'status event, malformed JSON',
      topic: Topics.CrmAccountStatuses,
      value: '{"id": "2f1c", "type": ',
      groups: [tracking(run.id)],
      reason: /not valid JSON/,
    },
    {
      input: 'status event, empty value',
      topic: Topics.CrmAccountStatuses,
      value: '',
      groups: [tracking(run.id)],
      reason: /empty message/,
    },
    {
      input: 'status event, JSON array',
      topic: Topics.CrmAccountStatuses,
      value: '[1,2]',
      groups: [tracking(run.id)],
      reason: /must be a JSON object/,
    },
    {
      input: 'status event, 1 000 100 bytes',
      topic: Topics.CrmAccountStatuses,
      value: envelope({ id: uuid(1) }, { stage: 'x'.repeat(1_000_000) }),
      groups: [tracking(run.id)],
      reason: /exceeds the limit/,
    },
    {
      input: 'status event, unknown type `crm.account.status.deleted`',
      topic: Topics.CrmAccountStatuses,
      value: envelope({ id: uuid(2), type: 'crm.account.status.deleted' }),
      groups: [tracking(run.id)],
      reason: /unknown event type/,
    },
    {
      input: 'status event, unsupported version 2',
      topic: Topics.CrmAccountStatuses,
      value: envelope({ id: uuid(3), version: 2 }),
      groups: [tracking(run.id)],
      reason: /unsupported version 2/,
    },
    {
      input: 'status event, type of another topic (`crm.account.upserted`)',
      topic: Topics.CrmAccountStatuses,
      value: envelope({ id: uuid(4), type: 'crm.account.upserted' }),
      groups: [tracking(run.id)],
      reason: /does not belong on topic/,
    },
    {
      input: 'status event, id not a UUID',
      topic: Topics.CrmAccountStatuses,
      value: envelope({ id: 'abc' }),
      groups: [tracking(run.id)],
      reason: /id must be a UUID/,
    },
    {
      input: 'status event, `stage: 42`',
      topic: Topics.CrmAccountStatuses,
      value: envelope({ id: uuid(5) }, { stage: 42 }),
      groups: [tracking(run.id)],
      reason: /stage/,
    },
    {
      input: 'status event, `accountId: {"$gt": ""}`',
      topic: Topics.CrmAccountStatuses,
      value: envelope({ id: uuid(6) }, { accountId: { $gt: '' } }),
      groups: [tracking(run.id)],
      reason: /accountId/,
    },
    {
      input: 'status event, unknown stage `Launch`',
      topic: Topics.CrmAccountStatuses,
      value: envelope({ id: uuid(7) }, { stage: 'Launch' }),
      groups: [tracking(run.id)],
      reason: /rejected: .*Launch.*Kickoff, Configuration, Implementation, Go Live/,
    },
    {
      input: 'status event keyed by another account',
      topic: Topics.CrmAccountStatuses,
      value: envelope({ id: uuid(12) }, { accountId: 'keyed-elsewhere' }),
      key: 'another-account',
      groups: [tracking(run.id)],
      reason: /record key "another-account" is not the aggregate id "keyed-elsewhere"/,
    },
    {
      input: 'status event, bytes that are not UTF-8',
      topic: Topics.CrmAccountStatuses,
      value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      groups: [tracking(run.id)],
      reason: /not valid UTF-8/,
    },
    {
      input: 'status event, unknown attribute',
      topic: Topics.CrmAccountStatuses,
      value: envelope({ id: uuid(8) }, { attributeKey: 'no-such-attribute' }),
      groups: [tracking(run.id)],
      reason: /rejected: .*no-such-attribute/,
    },
    {
      input: 'status event, event time 30 days ahead',
      topic: Topics.CrmAccountStatuses,
      value: envelope({ id: uuid(9), occurredAt: new Date(Date.now() + 30 * DAY).toISOString() }),
      groups: [tracking(run.id)],
      reason: /rejected: .*future/,
    },
    {
      input: 'account event, malformed JSON (every consuming service)',
      topic: Topics.CrmAccounts,
      value: '{"type": "crm.account.upserted", ',
      groups: [tracking(run.id), segments(run.id), cycles(run.id)],
      reason: /not valid JSON/,
    },
    {
      input: 'account event, `name: {"$set": …}` (every consuming service)',
      topic: Topics.CrmAccounts,
      value: json({
        id: uuid(10),
        type: 'crm.account.upserted',
        version: 1,
        occurredAt: new Date().toISOString(),
        source: 'crm',
        data: { accountId: 'acme', name: { $set: { canceled: true } } },
      }),
      groups: [tracking(run.id), segments(run.id), cycles(run.id)],
      reason: /name/,
    },
    {
      input: 'status.changed on lifecycle.status with a `$`-key attribute (segments)',
      topic: Topics.LifecycleStatus,
      value: json({
        id: uuid(11),
        type: 'status.changed',
        version: 1,
        occurredAt: new Date().toISOString(),
        source: 'status-tracking',
        data: {
          accountId: 'acme',
          attributeKey: '$where',
          changeId: 'c1',
          from: null,
          to: { id: 'x', name: 'x' },
          cycle: 1,
          daysInStageLeft: null,
          msInStageLeft: null,
          cause: 'set',
          at: new Date().toISOString(),
          clock: {
            stageId: 'x',
            cycle: 1,
            completedCycles: 0,
            completed: false,
            cycleStartedAt: null,
            stageEnteredAt: null,
            stageMsBefore: 0,
            frozenStageMs: null,
            frozenAttributeMs: null,
          },
        },
      }),
      groups: [segments(run.id)],
      reason: /not a catalog slug/,
    },
  ];

  it('dead-letters bad messages on the topics with the reason; nothing changes, the services stay healthy', async () => {
    before ||= await fingerprint();
    // The key is the event's account id where the value names one (the consumer refuses any
    // other key), else a key of the case's own.
    const keyOf = (c: TopicCase, i: number) => {
      try {
        const accountId = (JSON.parse(String(c.value)) as { data?: { accountId?: unknown } }).data?.accountId;
        if (typeof accountId === 'string') return accountId;
      } catch {
        // not JSON: the case's own key
      }
      return `bad-input-${i}`;
    };
    for (const [i, c] of topicCases.entries()) {
      await publisher.sendRaw(connection.names.physical(c.topic), [{ key: c.key ?? keyOf(c, i), value: c.value }]);
    }
    for (const [i, c] of topicCases.entries()) {
      const key = c.key ?? keyOf(c, i);
      const found = await waitFor(
        `dead letters of "${c.input}" from ${c.groups.join(', ')}`,
        () => {
          const letters = deadLetters.on(connection.names.deadLetter(c.topic)).filter((m) => m.json.key === key);
          return c.groups.every((g) => letters.some((m) => m.json.consumerGroup === g)) ? letters : undefined;
        },
        20_000,
        100,
      ).catch(() => []);
      const why = (m: (typeof found)[number]) => [String(m.json.reason), ...((m.json.errors as string[] | undefined) ?? [])].join('; ');
      const reason = found.map(why).join(' | ');
      table.push({
        group: 'topics',
        input: `${c.input} → \`${c.topic}\``,
        status: found.length > 0 ? `DLQ ×${found.length}` : 'not dead-lettered',
        message: reason,
      });
      expect(found.length).toBeGreaterThanOrEqual(c.groups.length);
      for (const letter of found) {
        expect(why(letter)).toMatch(c.reason);
        expect(letter.json.originalTopic).toBe(c.topic);
        expect(letter.value).not.toMatch(STACK_TRACE);
      }
    }
    // Give a wrongly accepted message time to show, then compare.
    await new Promise((r) => setTimeout(r, 500));
    expect(await fingerprint()).toEqual(before);
    await expectHealthy();
  });
});

/** docs/bad-input.md: stable across runs (times, ids and ports normalized). */
function renderTable(rows: readonly TableRow[]): string {
  const clean = (s: string) =>
    s
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
      .replace(/x{50,}/g, 'xxx…')
      .replace(/\|/g, '\\|')
      .replace(/\n/g, ' ')
      .slice(0, 300);
  const lines = [
    '# Bad input: what the platform answers',
    '',
    'Generated by `test/bad-input/bad-input.e2e-spec.ts` (run it with',
    '`npx jest --selectProjects integration --runInBand test/bad-input`); do not edit by hand.',
    'Every case goes through the public gateway (or onto a topic) against the real services, Kafka,',
    'FerretDB and Redis. For each one the test also checks: the body is',
    '`{ statusCode, error, message, details: { code } }` with no stack trace, nothing changed (the reference',
    "account's history, the attributes, the segments, the accounts) and every service's `/health`",
    'still answers 200 afterwards. Topic cases must reach `<topic>.dlq` with the reason, from every',
    'consumer group that reads the topic.',
    '',
    'Related: [product rules](rules.md) (error body: §5.3) · [style guide](style.md) (errors) · [README](../README.md)',
    '400: the request does not match the OpenAPI document (docs/openapi.json; the fields are named);',
    '422: it matches, but a rule refuses its content; 404 / 409 / 405 / 413 / 415 as usual.',
    '',
    '| group | input | status | message |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.group} | ${clean(r.input)} | ${r.status} | ${clean(r.message)} |`),
    '',
  ];
  return lines.join('\n');
}
