import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { Topics } from '@lifecycle/contracts';
import type { ErrorBody, RunningService } from '@lifecycle/http';
import { startService } from '@lifecycle/http';
import { KafkaConnection } from '@lifecycle/messaging';
import { newTestRun, testGatewayConfig, testServiceConfig, TEST_ADMIN_KEY, TopicRecorder, waitFor } from '@lifecycle/testing';
import { startGateway, type RunningGateway } from '../../../gateway/src/gateway.bootstrap';
import { attributeCatalogDefinition } from '../attribute-catalog.definition';
import { AttributeCatalogModule } from '../attribute-catalog.module';
import type { AttributeResponse, DaysInFieldResponse } from './dto/attribute.response';

interface Answer<T> {
  status: number;
  body: T;
  etag: string | null;
  location: string | null;
}

const ONBOARDING = {
  key: 'onboarding-status',
  name: 'Onboarding Status',
  description: 'From kickoff to go-live',
  flow: 'Onboarding',
  stages: [
    { name: 'Kickoff', color: '#1E88E5' },
    { name: 'Configuration', color: '#43a047' },
    { name: 'Implementation', color: '#FDD835' },
    { name: 'Go Live', color: '#8E24AA', endStage: true },
  ],
};

describe('attribute catalog through the gateway, against the real database and broker', () => {
  const run = newTestRun('catalog');
  const config = testServiceConfig(run, 'attribute-catalog');
  let service: RunningService;
  let gateway: RunningGateway;
  let recorder: TopicRecorder;
  let attributesTopic: string;

  beforeAll(async () => {
    service = await startService(AttributeCatalogModule.register(config), config, attributeCatalogDefinition);
    // Every rule is exercised through the public gateway (auth, routing, error shape pass through).
    const none = 'http://127.0.0.1:9';
    gateway = await startGateway(testGatewayConfig(run, { catalog: service.url, tracking: none, cycles: none, segments: none }));
    attributesTopic = service.app.get(KafkaConnection).names.physical(Topics.LifecycleAttributes);
    recorder = await new TopicRecorder([attributesTopic]).start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await gateway?.app.close();
    await service?.app.get<Connection>(getConnectionToken()).dropDatabase();
    await service?.app.close();
  });

  async function call<T = AttributeResponse>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const res = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? (JSON.parse(text) as unknown) : null) as T,
      etag: res.headers.get('etag'),
      location: res.headers.get('location'),
    };
  }

  const failure = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    call<ErrorBody>(method, path, body, headers);

  /** A fresh draft attribute with the four onboarding stages under its own key. */
  async function draft(key: string, overrides: Record<string, unknown> = {}): Promise<AttributeResponse> {
    const created = await call('POST', '/v1/attributes', { ...ONBOARDING, key, ...overrides });
    expect(created.status).toBe(201);
    return created.body;
  }

  async function active(key: string): Promise<AttributeResponse> {
    await draft(key);
    const activated = await call('POST', `/v1/attributes/${key}/activate`);
    expect(activated.status).toBe(200);
    return activated.body;
  }

  const stageNames = (a: AttributeResponse) => a.stages.map((s) => s.name);
  const stageIds = (a: AttributeResponse) => a.stages.map((s) => s.id);

  describe('create and read', () => {
    it('creates a draft at version 1 and answers the full attribute with its ETag', async () => {
      const created = await call('POST', '/v1/attributes', ONBOARDING);
      expect(created.status).toBe(201);
      expect(created.etag).toBe('"1"');
      expect(created.location).toBe('/v1/attributes/onboarding-status');
      expect(created.body).toMatchObject({
        key: 'onboarding-status',
        name: 'Onboarding Status',
        flow: 'Onboarding',
        state: 'draft',
        version: 1,
      });
      expect(created.body.stages).toEqual([
        { id: expect.any(String), name: 'Kickoff', color: '#1E88E5', order: 0, endStage: false, disabled: false, sla: null },
        { id: expect.any(String), name: 'Configuration', color: '#43A047', order: 1, endStage: false, disabled: false, sla: null },
        { id: expect.any(String), name: 'Implementation', color: '#FDD835', order: 2, endStage: false, disabled: false, sla: null },
        { id: expect.any(String), name: 'Go Live', color: '#8E24AA', order: 3, endStage: true, disabled: false, sla: null },
      ]);
      expect(new Set(stageIds(created.body)).size).toBe(4);

      const read = await call('GET', '/v1/attributes/onboarding-status');
      expect(read.status).toBe(200);
      expect(read.etag).toBe('"1"');
      expect(read.body).toEqual(created.body);
    });

    it('refuses a taken key with 409', async () => {
      await draft('taken-key');
      const again = await failure('POST', '/v1/attributes', { ...ONBOARDING, key: 'taken-key' });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        statusCode: 409,
        error: 'Conflict',
        message: expect.stringMatching(/"taken-key" already exists/),
      });
    });

    it('lists by key, filtered by state and by flow (ignoring case)', async () => {
      await draft('list-renewal', { flow: 'Renewal' });
      await active('list-onboarding');
      const all = await call<AttributeResponse[]>('GET', '/v1/attributes');
      const keys = all.body.map((a) => a.key);
      expect(keys).toEqual([...keys].sort());
      expect(keys).toEqual(expect.arrayContaining(['list-renewal', 'list-onboarding']));

      const renewal = await call<AttributeResponse[]>('GET', '/v1/attributes?flow=%20renewal');
      expect(renewal.body.map((a) => a.key)).toEqual(['list-renewal']);
      const activeOnes = await call<AttributeResponse[]>('GET', '/v1/attributes?state=active');
      expect(activeOnes.body.map((a) => a.key)).toContain('list-onboarding');
      expect(activeOnes.body.every((a) => a.state === 'active')).toBe(true);
      expect((await failure('GET', '/v1/attributes?state=retired')).status).toBe(400);
    });

    it('answers 404 for an unknown attribute or stage', async () => {
      const missing = await failure('GET', '/v1/attributes/nope');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({
        statusCode: 404,
        error: 'Not Found',
        message: 'Attribute "nope" does not exist',
        details: { code: 'ATTRIBUTE_NOT_FOUND', key: 'nope' },
      });
      expect((await failure('PATCH', '/v1/attributes/nope', { name: 'X' })).status).toBe(404);
      expect((await failure('POST', '/v1/attributes/nope/activate')).status).toBe(404);
      expect((await failure('GET', '/v1/attributes/nope/days-in-fields')).status).toBe(404);
      await draft('stage-404');
      expect((await failure('PATCH', '/v1/attributes/stage-404/stages/nope', { name: 'X' })).status).toBe(404);
      expect((await failure('DELETE', '/v1/attributes/stage-404/stages/nope')).status).toBe(404);
    });
  });

  describe('invalid input: 400 naming the field', () => {
    it.each([
      ['a bad colour', { ...ONBOARDING, key: 'bad-color', stages: [{ name: 'Kickoff', color: 'blue' }] }, 'stages.0.color'],
      ['an empty name', { ...ONBOARDING, key: 'empty-name', name: '  ' }, 'name'],
      ['an empty stage name', { ...ONBOARDING, key: 'empty-stage', stages: [{ name: '', color: '#000000' }] }, 'stages.0.name'],
      ['an unknown field', { ...ONBOARDING, key: 'unknown-field', owner: 'me' }, 'owner'],
      [
        'an unknown stage field',
        { ...ONBOARDING, key: 'unknown-stage-field', stages: [{ name: 'A', color: '#000000', id: 'mine' }] },
        'stages.0.id',
      ],
      ['a state', { ...ONBOARDING, key: 'with-state', state: 'active' }, 'state'],
      ['a key that is not a slug', { ...ONBOARDING, key: 'Onboarding Status' }, 'key'],
    ])('on create with %s', async (_what, body, field) => {
      const res = await failure('POST', '/v1/attributes', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.details).toMatchObject({
        code: 'INVALID_REQUEST',
        fields: expect.arrayContaining([expect.objectContaining({ field })]),
      });
    });

    it('on stage names that differ only in case, on create and on append', async () => {
      const create = await failure('POST', '/v1/attributes', {
        ...ONBOARDING,
        key: 'dup-names',
        stages: [
          { name: 'Kickoff', color: '#000000' },
          { name: 'KICKOFF ', color: '#000000' },
        ],
      });
      expect(create.status).toBe(422);
      expect(create.body.message).toMatch(/already has a stage named "Kickoff"; stage names must be unique \(ignoring case\)/);
      expect(create.body.details).toMatchObject({ code: 'DUPLICATE_STAGE_NAME', field: 'stages[1].name' });

      const a = await draft('dup-append');
      const append = await failure('POST', '/v1/attributes/dup-append/stages', { name: 'go live', color: '#000000' });
      expect(append.status).toBe(422);
      expect(append.body.details).toMatchObject({ code: 'DUPLICATE_STAGE_NAME', conflictsWith: a.stages[3]?.id });
      const rename = await failure('PATCH', `/v1/attributes/dup-append/stages/${a.stages[0]?.id}`, { name: 'CONFIGURATION' });
      expect(rename.status).toBe(422);
    });

    it('on PATCH: empty or null name, bad colour, the key, unknown fields, a bad If-Match', async () => {
      const a = await draft('bad-patch');
      const stage = `/v1/attributes/bad-patch/stages/${a.stages[0]?.id}`;
      for (const [path, body] of [
        ['/v1/attributes/bad-patch', { name: '' }],
        ['/v1/attributes/bad-patch', { name: null }],
        ['/v1/attributes/bad-patch', { key: 'renamed' }],
        ['/v1/attributes/bad-patch', { stages: [] }],
        [stage, { color: '#12345' }],
        [stage, { name: ' ' }],
        [stage, { disabled: 'yes' }],
        [stage, { order: 3 }],
      ] as const) {
        const res = await failure('PATCH', path, body);
        expect([path, body, res.status]).toEqual([path, body, 400]);
      }
      const badIfMatch = await failure('PATCH', '/v1/attributes/bad-patch', { name: 'X' }, { 'if-match': 'yesterday' });
      expect(badIfMatch.status).toBe(400);
      expect(badIfMatch.body.details).toMatchObject({ field: 'If-Match' });
      expect((await call('GET', '/v1/attributes/bad-patch')).body.version).toBe(1);
    });

    it('on a reorder that is not a permutation of the stage ids', async () => {
      const a = await draft('bad-order');
      const [s1, s2, s3] = stageIds(a);
      const res = await failure('PUT', '/v1/attributes/bad-order/stage-order', { stageIds: [s1, s2, s3, 'other'] });
      expect(res.status).toBe(422);
      expect(res.body.details).toMatchObject({ code: 'INVALID_STAGE_ORDER', missing: [a.stages[3]?.id], unknown: ['other'] });
      expect((await failure('PUT', '/v1/attributes/bad-order/stage-order', { stageIds: 'all' })).status).toBe(400);
    });
  });

  describe('stages while draft (A4)', () => {
    it('adds, removes and reorders freely, each change a new version', async () => {
      const a = await draft('draft-edits');
      const [kickoff, configuration, implementation, goLive] = stageIds(a);
      const added = await call('POST', '/v1/attributes/draft-edits/stages', { name: 'Handover', color: '#101010' });
      expect(added.status).toBe(201);
      expect(added.etag).toBe('"2"');
      const handover = added.body.stages[4]?.id;
      expect(added.body.stages[4]).toMatchObject({ name: 'Handover', order: 4 });

      const removed = await call('DELETE', `/v1/attributes/draft-edits/stages/${configuration}`);
      expect(removed.status).toBe(200);
      expect(stageNames(removed.body)).toEqual(['Kickoff', 'Implementation', 'Go Live', 'Handover']);

      const reordered = await call('PUT', '/v1/attributes/draft-edits/stage-order', {
        stageIds: [handover, kickoff, implementation, goLive],
      });
      expect(reordered.status).toBe(200);
      expect(stageNames(reordered.body)).toEqual(['Handover', 'Kickoff', 'Implementation', 'Go Live']);
      expect(reordered.body.stages.map((s) => s.order)).toEqual([0, 1, 2, 3]);
      expect(reordered.body.version).toBe(4);

      const flagged = await call('PATCH', `/v1/attributes/draft-edits/stages/${implementation}`, { endStage: true });
      expect(flagged.body.stages[2]).toMatchObject({ name: 'Implementation', endStage: true });
    });

    it('changes name, description and flow; null unlinks the flow; a no-op keeps the version', async () => {
      await draft('details');
      const patched = await call('PATCH', '/v1/attributes/details', { name: 'Onboarding', description: 'New', flow: null });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ key: 'details', name: 'Onboarding', description: 'New', version: 2 });
      expect(patched.body).not.toHaveProperty('flow');
      const same = await call('PATCH', '/v1/attributes/details', { name: 'Onboarding' });
      expect(same.body.version).toBe(2);
      expect(same.etag).toBe('"2"');
    });
  });

  describe('activation (A3)', () => {
    it('refuses an attribute without stages or without an end stage, saying why', async () => {
      await draft('no-stages', { stages: [] });
      const empty = await failure('POST', '/v1/attributes/no-stages/activate');
      expect(empty.status).toBe(409);
      expect(empty.body.message).toBe(
        'Attribute "no-stages" cannot be activated: it has no stages; add at least one stage and one end stage',
      );

      await draft('no-end', { stages: [{ name: 'Kickoff', color: '#000000' }] });
      const noEnd = await failure('POST', '/v1/attributes/no-end/activate');
      expect(noEnd.status).toBe(409);
      expect(noEnd.body.details).toMatchObject({ code: 'NOT_ACTIVATABLE', problems: ['it needs at least one end stage'] });
      expect((await call('GET', '/v1/attributes/no-end')).body.state).toBe('draft');
    });

    it('activates (200) and is a no-op the second time', async () => {
      const a = await active('activated');
      expect(a).toMatchObject({ state: 'active', version: 2 });
      const again = await call('POST', '/v1/attributes/activated/activate');
      expect(again.status).toBe(200);
      expect(again.body.version).toBe(2);
    });
  });

  describe('stages once active (A4, A5)', () => {
    it('refuses a reorder with 409 and a message that says why', async () => {
      const a = await active('locked-order');
      const [s1, s2, s3, s4] = stageIds(a);
      const res = await failure('PUT', '/v1/attributes/locked-order/stage-order', { stageIds: [s2, s1, s3, s4] });
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/cannot be reordered: the attribute is active, and the order of an active attribute is fixed/);
      expect(res.body.details).toMatchObject({ code: 'STAGE_ORDER_LOCKED' });
      expect(stageIds((await call('GET', '/v1/attributes/locked-order')).body)).toEqual([s1, s2, s3, s4]);
    });

    it('refuses removing a stage with 409, suggesting to disable it', async () => {
      const a = await active('locked-set');
      const res = await failure('DELETE', `/v1/attributes/locked-set/stages/${a.stages[1]?.id}`);
      expect(res.status).toBe(409);
      expect(res.body.message).toBe(
        'Stage "Configuration" cannot be removed from attribute "locked-set": the attribute is active, and the stages of an active ' +
          'attribute are fixed because accounts and their history refer to them. Disable the stage instead.',
      );
      expect((await call('GET', '/v1/attributes/locked-set')).body.stages).toHaveLength(4);
    });

    it('renames, recolours, disables and enables; the end-stage flag is fixed; a new stage goes last', async () => {
      const a = await active('editable');
      const [kickoff, configuration, , goLive] = stageIds(a);
      const renamed = await call('PATCH', `/v1/attributes/editable/stages/${kickoff}`, { name: 'Kick-off', color: '#ff8800' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.stages[0]).toEqual({
        id: kickoff,
        name: 'Kick-off',
        color: '#FF8800',
        order: 0,
        endStage: false,
        disabled: false,
        sla: null,
      });
      const disabled = await call('PATCH', `/v1/attributes/editable/stages/${configuration}`, { disabled: true });
      expect(disabled.body.stages[1]).toMatchObject({ id: configuration, disabled: true, order: 1 });
      expect(disabled.body.version).toBe(4);

      const endFlag = await failure('PATCH', `/v1/attributes/editable/stages/${goLive}`, { endStage: false });
      expect(endFlag.status).toBe(409);
      expect(endFlag.body.details).toMatchObject({ code: 'END_STAGE_LOCKED' });

      const appended = await call('POST', '/v1/attributes/editable/stages', { name: 'Churned', color: '#FF0000', endStage: true });
      expect(appended.status).toBe(201);
      expect(stageNames(appended.body)).toEqual(['Kick-off', 'Configuration', 'Implementation', 'Go Live', 'Churned']);
      expect(appended.body.stages[4]).toMatchObject({ order: 4, endStage: true });
      expect(appended.body.state).toBe('active');

      const enabled = await call('PATCH', `/v1/attributes/editable/stages/${configuration}`, { disabled: false });
      expect(enabled.body.stages[1]?.disabled).toBe(false);
      expect(enabled.body.version).toBe(6);
    });
  });

  it('offers the "Days in" fields, disabled stages included', async () => {
    const a = await active('days-in');
    const [kickoff, , implementation] = stageIds(a);
    await call('PATCH', `/v1/attributes/days-in/stages/${implementation}`, { disabled: true });
    const res = await call<DaysInFieldResponse[]>('GET', '/v1/attributes/days-in/days-in-fields');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(5);
    expect(res.body[0]).toEqual({ field: 'daysIn:days-in', label: 'Days in Onboarding Status', scope: 'attribute' });
    expect(res.body[1]).toEqual({
      field: `daysIn:days-in:${kickoff}`,
      label: 'Days in Kickoff',
      scope: 'stage',
      stageId: kickoff,
      disabled: false,
    });
    expect(res.body[3]).toEqual({
      field: `daysIn:days-in:${implementation}`,
      label: 'Days in Implementation',
      scope: 'stage',
      stageId: implementation,
      disabled: true,
    });
  });

  describe('optimistic concurrency', () => {
    it('with the same If-Match, one of two concurrent PATCHes wins and the other gets 409', async () => {
      await draft('if-match');
      const [first, second] = await Promise.all([
        failure('PATCH', '/v1/attributes/if-match', { name: 'First' }, { 'if-match': '"1"' }),
        failure('PATCH', '/v1/attributes/if-match', { description: 'Second' }, { 'if-match': '"1"' }),
      ]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const loser = first.status === 409 ? first : second;
      expect(loser.body.message).toMatch(/modified concurrently .*; reload and retry$/);
      expect(loser.body.details).toMatchObject({ code: 'CONCURRENT_MODIFICATION', expectedVersion: 1, actualVersion: 2 });

      const final = (await call('GET', '/v1/attributes/if-match')).body;
      expect(final.version).toBe(2);
      expect(final.name === 'First').toBe(first.status === 200);
      expect(final.description === 'Second').toBe(second.status === 200);
    });

    it('refuses a stale If-Match and accepts the current one', async () => {
      await draft('stale');
      expect((await call('PATCH', '/v1/attributes/stale', { name: 'Two' }, { 'if-match': '1' })).status).toBe(200);
      const stale = await failure('POST', '/v1/attributes/stale/activate', undefined, { 'if-match': '"1"' });
      expect(stale.status).toBe(409);
      expect(stale.body.details).toMatchObject({ code: 'CONCURRENT_MODIFICATION', expectedVersion: 1, actualVersion: 2 });
      expect((await call('POST', '/v1/attributes/stale/activate', undefined, { 'if-match': 'W/"2"' })).status).toBe(200);
    });

    it.each([1, 2, 3])(
      'without If-Match, concurrent edits never lose an update: each one is applied or refused with 409 (round %d)',
      async (round) => {
        const key = `no-if-match-${round}`;
        const a = await draft(key, {
          stages: Array.from({ length: 8 }, (_, i) => ({ name: `Stage ${i}`, color: '#000000', endStage: i === 7 })),
        });
        const renames = a.stages.map((s, i) => ({ id: s.id, name: `Renamed ${i}` }));
        const answers = await Promise.all(renames.map((r) => failure('PATCH', `/v1/attributes/${key}/stages/${r.id}`, { name: r.name })));
        expect(answers.every((res) => res.status === 200 || res.status === 409)).toBe(true);
        const applied = renames.filter((_, i) => answers[i]?.status === 200);
        expect(applied.length).toBeGreaterThanOrEqual(1);
        for (const refused of answers.filter((res) => res.status === 409)) {
          expect(refused.body.message).toMatch(/modified concurrently.*reload and retry/);
        }

        const final = (await call('GET', `/v1/attributes/${key}`)).body;
        expect(final.version).toBe(1 + applied.length);
        for (const [i, r] of renames.entries()) {
          expect(final.stages[i]?.name).toBe(applied.includes(r) ? r.name : a.stages[i]?.name);
        }
      },
    );
  });

  describe('events (A6)', () => {
    it('publish the full attribute on lifecycle.attributes, keyed by the key, with increasing versions', async () => {
      const a = await draft('evented');
      await call('PATCH', '/v1/attributes/evented', { description: 'Changed' });
      await call('PATCH', `/v1/attributes/evented/stages/${a.stages[0]?.id}`, { name: 'Kick-off' });
      await call('PATCH', '/v1/attributes/evented', { description: 'Changed' }); // no-op: no event
      await call('POST', '/v1/attributes/evented/activate');
      const final = (await call('GET', '/v1/attributes/evented')).body;

      const events = await waitFor('four events of "evented"', () => {
        const mine = recorder.on(attributesTopic).filter((m) => m.key === 'evented');
        return mine.length >= 4 ? mine : undefined;
      });
      await new Promise((r) => setTimeout(r, 300)); // nothing more arrives (the no-op made no event)
      expect(recorder.on(attributesTopic).filter((m) => m.key === 'evented')).toHaveLength(4);
      expect(events.map((m) => [m.json.type, (m.json.data as AttributeResponse).version])).toEqual([
        ['attribute.created', 1],
        ['attribute.updated', 2],
        ['attribute.updated', 3],
        ['attribute.activated', 4],
      ]);
      expect(events[0]?.json).toMatchObject({ version: 1, source: 'attribute-catalog', occurredAt: a.updatedAt });
      const { createdAt: _createdAt, ...payload } = final;
      expect(events[3]?.json.data).toEqual(payload);
      expect((events[2]?.json.data as AttributeResponse).stages[0]?.name).toBe('Kick-off');
      expect(new Set(events.map((m) => m.json.id)).size).toBe(4);
    });
  });

  // Runs last: every change made by the tests above was published once, in version order.
  it('published every version of every attribute exactly once, in order, up to the stored version', async () => {
    const stored = (await call<AttributeResponse[]>('GET', '/v1/attributes')).body;
    expect(stored.length).toBeGreaterThan(20);
    const versionsOf = (key: string) =>
      recorder
        .on(attributesTopic)
        .filter((m) => m.key === key)
        .map((m) => (m.json.data as AttributeResponse).version);
    await waitFor('the last version of every attribute on the topic', () => stored.every((a) => versionsOf(a.key).at(-1) === a.version));
    for (const a of stored) {
      expect([a.key, versionsOf(a.key)]).toEqual([a.key, Array.from({ length: a.version }, (_, i) => i + 1)]);
    }
  });

  it('documents every path of SPEC 5.3 in OpenAPI', () => {
    expect(Object.keys(service.openApi.paths)).toEqual(
      expect.arrayContaining([
        '/v1/attributes',
        '/v1/attributes/{key}',
        '/v1/attributes/{key}/stages',
        '/v1/attributes/{key}/stages/{stageId}',
        '/v1/attributes/{key}/stage-order',
        '/v1/attributes/{key}/activate',
        '/v1/attributes/{key}/days-in-fields',
      ]),
    );
  });
});
