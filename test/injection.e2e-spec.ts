/**
 * Strings from outside never become query operators or field paths, in any service: each of the
 * four services is sent `{"$gt": ""}`-like values and keys with `$` and `.` through its paths,
 * query parameters, bodies and topics. Every case is either refused with a 400 (or a 404 for an
 * id that names nothing) or taken as the literal string it is — never a 5xx (which is what the
 * storage query guard answers when something unsafe reaches a repository), never another
 * entity's data.
 */
import { startService, type RunningService } from '@lifecycle/http';
import { EventPublisher, KafkaConnection } from '@lifecycle/messaging';
import { newTestRun, testServiceConfig, waitFor } from '@lifecycle/testing';
import { attributeCatalogDefinition } from '../apps/attribute-catalog/src/attribute-catalog.definition';
import { AttributeCatalogModule } from '../apps/attribute-catalog/src/attribute-catalog.module';
import { cyclePlanningDefinition } from '../apps/cycle-planning/src/cycle-planning.definition';
import { CyclePlanningModule } from '../apps/cycle-planning/src/cycle-planning.module';
import { segmentEvaluationDefinition } from '../apps/segment-evaluation/src/segment-evaluation.definition';
import { EvaluationIndexService } from '../apps/segment-evaluation/src/evaluation-index/evaluation-index.service';
import { SegmentEvaluationModule } from '../apps/segment-evaluation/src/segment-evaluation.module';
import { statusTrackingDefinition } from '../apps/status-tracking/src/status-tracking.definition';
import { StatusTrackingModule } from '../apps/status-tracking/src/status-tracking.module';

const KEY = 'onboarding-status';
const OPERATOR = '{"$gt":""}';
const enc = encodeURIComponent;
const STACK_TRACE = /at .*\.ts:\d+/;

interface Answer {
  status: number;
  body: Record<string, unknown>;
  text: string;
}

describe('operators and dotted keys in strings from outside reach no query', () => {
  const run = newTestRun('injection');
  const services: RunningService[] = [];
  let catalog: string;
  let tracking: string;
  let cycles: string;
  let segments: string;
  let connection: KafkaConnection;
  let crm: EventPublisher;
  const answers: { service: string; method: string; path: string; status: number }[] = [];

  const call = async (service: string, base: string, method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON
    }
    answers.push({ service, method, path, status: res.status });
    expect(text).not.toMatch(STACK_TRACE);
    return { status: res.status, body: parsed, text };
  };
  /**
   * Refused (400 off the document, 422 refused by a rule such as the criteria language), or an id
   * that names nothing: never a 2xx with someone else's data, never a 5xx.
   */
  const refused = (answer: Answer) => expect([400, 404, 422]).toContain(answer.status);

  beforeAll(async () => {
    const configs = {
      catalog: testServiceConfig(run, 'attribute-catalog'),
      tracking: testServiceConfig(run, 'status-tracking'),
      cycles: testServiceConfig(run, 'cycle-planning'),
      segments: testServiceConfig(run, 'segment-evaluation'),
    };
    services.push(await startService(AttributeCatalogModule.register(configs.catalog), configs.catalog, attributeCatalogDefinition));
    services.push(await startService(StatusTrackingModule.register(configs.tracking), configs.tracking, statusTrackingDefinition));
    services.push(await startService(CyclePlanningModule.register(configs.cycles), configs.cycles, cyclePlanningDefinition));
    services.push(await startService(SegmentEvaluationModule.register(configs.segments), configs.segments, segmentEvaluationDefinition));
    [catalog, tracking, cycles, segments] = services.map((s) => s.url) as [string, string, string, string];
    // Segment reads answer 503 until the evaluation index is loaded: every answer here must be the request's own.
    await services[3]!.app.get(EvaluationIndexService).whenReady(60_000);
    connection = new KafkaConnection({ brokers: configs.tracking.kafka.brokers, clientId: 'injection-crm', topicPrefix: run.topicPrefix });
    crm = new EventPublisher(connection, 'crm');

    const created = await call('catalog', catalog, 'POST', '/v1/attributes', {
      key: KEY,
      name: 'Onboarding Status',
      stages: [
        { name: 'Kickoff', color: '#1E88E5' },
        { name: 'Go Live', color: '#43A047', endStage: true },
      ],
    });
    expect(created.status).toBe(201);
    expect((await call('catalog', catalog, 'POST', `/v1/attributes/${KEY}/activate`)).status).toBe(200);
    await crm.publish('crm.account.upserted', { accountId: 'acme', name: 'Acme', clientType: 'smb', ownerId: 'csm-1' });
    await waitFor(
      'the attribute in status tracking',
      async () => (await call('tracking', tracking, 'PUT', `/v1/accounts/acme/statuses/${KEY}`, { stage: 'Kickoff' })).status === 200,
      30_000,
      200,
    );
  }, 90_000);

  afterAll(async () => {
    await crm?.close();
    for (const s of services.reverse()) await s.app.close();
  });

  it('attribute catalog: keys and filters are validated, names are stored as written', async () => {
    refused(await call('catalog', catalog, 'GET', `/v1/attributes/${enc(OPERATOR)}`));
    refused(await call('catalog', catalog, 'GET', `/v1/attributes/${enc('$where')}`));
    refused(await call('catalog', catalog, 'POST', '/v1/attributes', { key: { $gt: '' }, name: 'x' }));
    refused(await call('catalog', catalog, 'POST', '/v1/attributes', { key: 'a.b', name: 'x' }));
    refused(await call('catalog', catalog, 'GET', '/v1/attributes?flow[$ne]=x'));
    // A flow filter is a literal: `a.b` and an operator-looking string find nothing.
    for (const flow of ['a.b', OPERATOR, '$where']) {
      const listed = await call('catalog', catalog, 'GET', `/v1/attributes?flow=${enc(flow)}`);
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain(KEY);
    }
    const literal = await call('catalog', catalog, 'POST', '/v1/attributes', {
      key: 'literal-names',
      name: '$where',
      description: OPERATOR,
      flow: 'a.b',
    });
    expect(literal.status).toBe(201);
    const stored = await call('catalog', catalog, 'GET', '/v1/attributes/literal-names');
    expect(stored.body).toMatchObject({ name: '$where', description: OPERATOR, flow: 'a.b' });
    const byFlow = await call('catalog', catalog, 'GET', `/v1/attributes?flow=${enc('a.b')}`);
    expect(JSON.stringify(byFlow.body)).toContain('literal-names');
  });

  it('status tracking: ids with "." are literal ids, operators are refused', async () => {
    refused(await call('tracking', tracking, 'PUT', `/v1/accounts/${enc(OPERATOR)}/statuses/${KEY}`, { stage: 'Kickoff' }));
    refused(await call('tracking', tracking, 'PUT', `/v1/accounts/acme/statuses/${enc('a.b')}`, { stage: 'Kickoff' }));
    refused(await call('tracking', tracking, 'PUT', `/v1/accounts/acme/statuses/${KEY}`, { stage: { $gt: '' } }));
    refused(await call('tracking', tracking, 'GET', `/v1/accounts?attribute=${KEY}&stage[$ne]=x`));
    refused(await call('tracking', tracking, 'GET', `/v1/accounts/${enc('$where')}/statuses/${KEY}/history`));
    // `a.b` is a valid account id: its own state, nothing of `a` or `acme`.
    expect((await call('tracking', tracking, 'PUT', `/v1/accounts/a.b/statuses/${KEY}`, { stage: 'Go Live' })).status).toBe(200);
    const history = await call('tracking', tracking, 'GET', `/v1/accounts/a.b/statuses/${KEY}/history`);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain('Go Live');
    const other = await call('tracking', tracking, 'GET', `/v1/accounts/a/statuses/${KEY}/history`);
    expect(JSON.stringify(other.body)).not.toContain('Go Live');
    const acme = await call('tracking', tracking, 'GET', `/v1/accounts/acme/statuses/${KEY}/history`);
    expect(JSON.stringify(acme.body)).not.toContain('Go Live');
  });

  it('cycle planning: keys with "." are literal keys, operators are refused', async () => {
    refused(await call('cycles', cycles, 'GET', `/v1/accounts/${enc(OPERATOR)}/cycles`));
    refused(await call('cycles', cycles, 'GET', `/v1/client-types/${enc('$where')}`));
    refused(await call('cycles', cycles, 'POST', '/v1/client-types', { key: { $gt: '' }, name: 'x' }));
    refused(await call('cycles', cycles, 'GET', `/v1/cycle-templates/${enc(OPERATOR)}`));
    refused(await call('cycles', cycles, 'GET', '/v1/tasks?ownerId[$ne]=x'));
    refused(await call('cycles', cycles, 'GET', `/v1/jobs/${enc(OPERATOR)}`));
    // An owner filter is a literal string.
    const tasks = await call('cycles', cycles, 'GET', `/v1/tasks?ownerId=${enc(OPERATOR)}`);
    expect(tasks.status).toBe(200);
    expect(JSON.stringify(tasks.body)).not.toContain('acme');
    // `a.b` is a valid client type key (as the CRM sends it): stored and found as written.
    expect((await call('cycles', cycles, 'POST', '/v1/client-types', { key: 'a.b', name: '$where' })).status).toBe(201);
    expect((await call('cycles', cycles, 'GET', '/v1/client-types/a.b')).body).toMatchObject({ key: 'a.b', name: '$where' });
    expect((await call('cycles', cycles, 'GET', '/v1/client-types/a')).status).toBe(404);
    // An account id with "." names that account only (not known here yet: 404, not another account's cycles).
    refused(await call('cycles', cycles, 'GET', '/v1/accounts/a.b/cycles'));
  });

  it('segment evaluation: criteria and ids are validated, names are stored as written', async () => {
    await waitFor('the attribute in segment evaluation', async () => {
      const preview = await call('segments', segments, 'POST', '/v1/segments/preview', {
        criteria: { attribute: KEY, isOneOf: ['Kickoff'] },
      });
      return preview.status === 200;
    });
    refused(await call('segments', segments, 'GET', `/v1/segments/${enc(OPERATOR)}`));
    refused(await call('segments', segments, 'POST', '/v1/segments/preview', { criteria: { attribute: 'a.b', isOneOf: ['Kickoff'] } }));
    refused(await call('segments', segments, 'POST', '/v1/segments/preview', { criteria: { attribute: KEY, isOneOf: [OPERATOR] } }));
    refused(await call('segments', segments, 'POST', '/v1/segments/preview', { criteria: { field: 'ownerId', isOneOf: [{ $gt: '' }] } }));
    refused(await call('segments', segments, 'GET', `/v1/reports/lifecycle?attribute=${enc('a.b')}`));
    refused(await call('segments', segments, 'GET', `/v1/reports/lifecycle?attribute=${enc('$where')}`));
    // Field values are literals: an operator-looking owner matches nobody.
    const owners = await call('segments', segments, 'POST', '/v1/segments/preview', {
      criteria: { field: 'ownerId', isOneOf: [OPERATOR, 'a.b'] },
    });
    expect(owners.status).toBe(200);
    expect(owners.body).toMatchObject({ count: 0 });
    const saved = await call('segments', segments, 'POST', '/v1/segments', {
      name: '$where',
      description: OPERATOR,
      criteria: { attribute: KEY, isOneOf: ['Kickoff'] },
    });
    expect(saved.status).toBe(201);
    const id = String(saved.body.id);
    expect((await call('segments', segments, 'GET', `/v1/segments/${enc(id)}`)).body).toMatchObject({
      name: '$where',
      description: OPERATOR,
    });
    refused(await call('segments', segments, 'GET', `/v1/segments/${enc(id)}/progress?attribute=${enc('a.b')}`));
  });

  it('events from the CRM: operator-looking and dotted strings are stored as the literal values', async () => {
    await crm.publish('crm.account.upserted', { accountId: 'x.y', name: '$where', clientType: 'a.b', ownerId: OPERATOR });
    await waitFor('the account in segment evaluation', async () => {
      const preview = await call('segments', segments, 'POST', '/v1/segments/preview', {
        criteria: { field: 'ownerId', isOneOf: [OPERATOR] },
      });
      return (preview.body as { count?: number }).count === 1;
    });
    const byType = await call('segments', segments, 'POST', '/v1/segments/preview', {
      criteria: { field: 'clientType', isOneOf: ['a.b'] },
    });
    expect(byType.body).toMatchObject({ count: 1, members: [{ accountId: 'x.y', name: '$where' }] });
  });

  it('no answer was a server error (the storage guard refuses what validation would have missed)', () => {
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(new Set(answers.map((a) => a.service))).toEqual(new Set(['catalog', 'tracking', 'cycles', 'segments']));
  });
});
