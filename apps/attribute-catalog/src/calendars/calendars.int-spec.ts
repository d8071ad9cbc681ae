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
import type { AttributeResponse } from '../attributes/dto/attribute.response';
import type { CalendarResponse } from './dto/calendar.response';

interface Answer<T> {
  status: number;
  body: T;
}

describe('B1/B3: calendars and stage SLAs in the catalog, through the gateway, on the real servers', () => {
  const run = newTestRun('calendars');
  const config = testServiceConfig(run, 'attribute-catalog');
  let service: RunningService;
  let gateway: RunningGateway;
  let recorder: TopicRecorder;
  let calendarsTopic: string;
  let attributesTopic: string;

  beforeAll(async () => {
    service = await startService(AttributeCatalogModule.register(config), config, attributeCatalogDefinition);
    const none = 'http://127.0.0.1:9';
    gateway = await startGateway(testGatewayConfig(run, { catalog: service.url, tracking: none, cycles: none, segments: none }));
    const names = service.app.get(KafkaConnection).names;
    calendarsTopic = names.physical(Topics.LifecycleCalendars);
    attributesTopic = names.physical(Topics.LifecycleAttributes);
    recorder = await new TopicRecorder([calendarsTopic, attributesTopic]).start();
  });

  afterAll(async () => {
    await recorder?.stop();
    await gateway?.app.close();
    await service?.app.get<Connection>(getConnectionToken()).dropDatabase();
    await service?.app.close();
  });

  async function call<T = CalendarResponse>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const res = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  const calendarEvents = (key: string) =>
    recorder
      .on(calendarsTopic)
      .map((m) => m.json as { type: string; data: { key: string; version: number; deleted: boolean } })
      .filter((e) => e.data.key === key);

  it('the default calendar exists from the start: Monday to Friday in UTC, announced on lifecycle.calendars', async () => {
    const answer = await call('GET', '/v1/calendars/default');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ key: 'default', workingWeekdays: [1, 2, 3, 4, 5], holidays: [], timeZone: 'UTC', default: true });
    await waitFor('calendar.created of the default calendar', () => calendarEvents('default').length === 1);
    expect(calendarEvents('default')[0]).toMatchObject({ type: 'calendar.created', data: { version: 1 } });
  });

  it('creates, edits and deletes a calendar, one version and one event each, keyed by the calendar', async () => {
    const created = await call('POST', '/v1/calendars', {
      key: 'germany',
      name: 'Germany',
      holidays: ['2025-12-26', '2025-12-25'],
      timeZone: 'Europe/Berlin',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'germany', holidays: ['2025-12-25', '2025-12-26'], version: 1, default: false });

    const edited = await call('PATCH', '/v1/calendars/germany', { holidays: ['2025-10-03'] });
    expect(edited.body).toMatchObject({ version: 2, holidays: ['2025-10-03'] });
    expect((await call<CalendarResponse[]>('GET', '/v1/calendars')).body.map((c) => c.key)).toEqual(['default', 'germany']);

    expect((await call('DELETE', '/v1/calendars/germany')).status).toBe(200);
    expect((await call<ErrorBody>('GET', '/v1/calendars/germany')).status).toBe(404);

    await waitFor('three events of germany', () => calendarEvents('germany').length === 3);
    expect(calendarEvents('germany').map((e) => [e.type, e.data.version, e.data.deleted])).toEqual([
      ['calendar.created', 1, false],
      ['calendar.updated', 2, false],
      ['calendar.deleted', 3, true],
    ]);
    expect(recorder.on(calendarsTopic).find((m) => (m.json as { data: { key: string } }).data.key === 'germany')?.key).toBe('germany');
  });

  it('refuses a bad calendar naming what is wrong, a taken key, and deleting the default', async () => {
    const bad = await call<ErrorBody>('POST', '/v1/calendars', {
      key: 'mars',
      name: 'Mars',
      timeZone: 'Mars/Olympus',
      holidays: ['2025-02-29'],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.details).toMatchObject({ code: 'INVALID_CALENDAR' });
    expect(bad.body.message).toContain('timeZone "Mars/Olympus" is not an IANA time-zone name');
    expect(bad.body.message).toContain('"2025-02-29"');

    expect((await call<ErrorBody>('POST', '/v1/calendars', { key: 'default', name: 'D', timeZone: 'UTC' })).status).toBe(409);
    const locked = await call<ErrorBody>('DELETE', '/v1/calendars/default');
    expect(locked.status).toBe(409);
    expect(locked.body.details).toMatchObject({ code: 'DEFAULT_CALENDAR_LOCKED' });
  });

  it('B3: a stage of an active attribute takes an SLA, carried in attribute.updated; an end stage refuses one', async () => {
    const created = await call<AttributeResponse>('POST', '/v1/attributes', {
      key: 'sla-onboarding',
      name: 'SLA Onboarding',
      stages: [
        { name: 'Kickoff', color: '#1E88E5', sla: { expected: 5, unit: 'business-days' } },
        { name: 'Go Live', color: '#8E24AA', endStage: true },
      ],
    });
    expect(created.status).toBe(201);
    const [kickoff, goLive] = created.body.stages;
    expect(kickoff?.sla).toEqual({ expected: 5, unit: 'business-days' });
    expect(goLive?.sla).toBeNull();
    await call('POST', '/v1/attributes/sla-onboarding/activate');

    const changed = await call<AttributeResponse>('PATCH', `/v1/attributes/sla-onboarding/stages/${kickoff!.id}`, {
      sla: { expected: 10, unit: 'calendar-days', atRisk: 0.5 },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.stages[0]?.sla).toEqual({ expected: 10, unit: 'calendar-days', atRisk: 0.5 });

    const refused = await call<ErrorBody>('PATCH', `/v1/attributes/sla-onboarding/stages/${goLive!.id}`, {
      sla: { expected: 3, unit: 'business-days' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.details).toMatchObject({ code: 'SLA_ON_END_STAGE' });
    expect(refused.body.message).toContain('stage "Go Live" of attribute "sla-onboarding" is an end stage');

    const badUnit = await call<ErrorBody>('PATCH', `/v1/attributes/sla-onboarding/stages/${kickoff!.id}`, {
      sla: { expected: 3, unit: 'hours' },
    });
    expect(badUnit.status).toBe(400);

    await waitFor('attribute.updated version 3', () =>
      recorder
        .on(attributesTopic)
        .some(
          (m) =>
            (m.json as { data: { key: string; version: number } }).data.key === 'sla-onboarding' &&
            (m.json as { data: { version: number } }).data.version === 3,
        ),
    );
    const last = recorder
      .on(attributesTopic)
      .map((m) => m.json as { type: string; data: { key: string; version: number; stages: { sla?: unknown }[] } })
      .filter((e) => e.data.key === 'sla-onboarding')
      .pop();
    expect(last?.data.stages[0]?.sla).toEqual({ expected: 10, unit: 'calendar-days', atRisk: 0.5 });
  });
});
