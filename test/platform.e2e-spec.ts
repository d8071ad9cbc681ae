/**
 * The whole platform in one run, through the public gateway and the real broker and databases:
 * catalog → tracking replica, CRM facts → every service, a status moved through the gateway →
 * counters, live segment membership events, and the composed account view.
 */
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import { Topics } from '@lifecycle/contracts';
import type { EventPublisher } from '@lifecycle/messaging';
import { startService } from '@lifecycle/http';
import {
  createActiveOnboarding,
  newTestRun,
  ONBOARDING,
  testServiceConfig,
  TopicRecorder,
  waitFor,
  type ApiClient,
} from '@lifecycle/testing';
import { StatusTrackingModule } from '../apps/status-tracking/src/status-tracking.module';
import { statusTrackingDefinition } from '../apps/status-tracking/src/status-tracking.definition';
import { startGatewayOverThreeServices, type GatewayOverThreeServices } from './gateway-over-three-services';

const DAY = 86_400_000;

describe('platform end to end through the gateway', () => {
  const run = newTestRun('platform');
  let platform: GatewayOverThreeServices;
  let publisher: EventPublisher;
  let membership: TopicRecorder;
  let statusTopic: TopicRecorder;
  let api: ApiClient;
  const status = { params: { path: { accountId: 'acme', attributeKey: ONBOARDING } } };

  beforeAll(async () => {
    platform = await startGatewayOverThreeServices(run);
    ({ api, publisher } = platform);
    const connection = platform.connection;
    membership = await new TopicRecorder([connection.names.physical(Topics.SegmentMembership)]).start();
    statusTopic = await new TopicRecorder([connection.names.physical(Topics.LifecycleStatus)]).start();
  });

  afterAll(async () => {
    await membership.stop();
    await statusTopic.stop();
    await platform.close();
  });

  it('moves an account through a saved segment: backdated Kickoff enters "stuck > 30 days", moving on leaves it, one event each', async () => {
    const { created, attribute } = await createActiveOnboarding(api);
    expect(created).toBe(true);
    expect(attribute.state).toBe('active');
    await publisher.publish('crm.account.upserted', { accountId: 'acme', name: 'Acme', clientType: 'enterprise', ownerId: 'csm-1' });

    // Segment evaluation learns the attribute from the catalog's events; until then the criteria name nothing (422).
    const segment = await waitFor('the attribute to reach segment evaluation', async () => {
      const res = await api.POST('/v1/segments', {
        body: { name: 'Stuck in Kickoff over 30 days', criteria: { attribute: ONBOARDING, isOneOf: ['Kickoff'], daysInStage: { gt: 30 } } },
      });
      return res.response.status === 201 ? res.data : undefined;
    });
    const segmentId = segment!.id;

    // The tracking service learns the attribute from the catalog's events; until then L1 refuses.
    const kickoffAt = new Date(Date.now() - 40 * DAY).toISOString();
    const moved = await waitFor('the attribute to reach status tracking', async () => {
      const res = await api.PUT('/v1/accounts/{accountId}/statuses/{attributeKey}', {
        ...status,
        body: { stage: 'Kickoff', at: kickoffAt },
      });
      return res.data;
    });
    expect(moved.outcome).toBe('applied');

    const entered = await waitFor('segment.entered', () => {
      const found = membership.messages.filter((m) => m.json.type === 'segment.entered');
      return found.length > 0 ? found : undefined;
    });
    expect(entered.length).toBe(1);
    expect(entered[0]!.json.data).toEqual({ segmentId, accountId: 'acme' });
    expect(entered[0]!.key).toBe('acme');

    const view = await api.GET('/v1/accounts/{accountId}', { params: { path: { accountId: 'acme' } } });
    expect(view.response.status).toBe(200);
    const lifecycle = view.data!.lifecycle[ONBOARDING]!;
    expect(lifecycle.stage?.name).toBe('Kickoff');
    expect(lifecycle.cycle).toBe(1);
    expect(lifecycle.daysInAttribute).toBe(40);
    expect(lifecycle.stages.map((s) => [s.name, s.days])).toEqual([
      ['Kickoff', 40],
      ['Configuration', 0],
      ['Implementation', 0],
      ['Go Live', 0],
    ]);
    expect(view.data!.name).toBe('Acme');
    expect(view.data!.degraded).toEqual(['cycle-planning']);

    const next = await api.PUT('/v1/accounts/{accountId}/statuses/{attributeKey}', { ...status, body: { stage: 'Configuration' } });
    expect(next.response.status).toBe(200);
    await waitFor('segment.exited', () => membership.messages.some((m) => m.json.type === 'segment.exited'));
    // Settle, then count: exactly one event per transition.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(membership.messages.map((m) => m.json.type)).toEqual(['segment.entered', 'segment.exited']);

    const changes = statusTopic.messages
      .filter((m) => m.json.type === 'status.changed')
      .map((m) => m.json.data as { to: { name: string }; daysInStageLeft: number | null });
    expect(changes.map((c) => [c.to.name, c.daysInStageLeft])).toEqual([
      ['Kickoff', null],
      ['Configuration', 40],
    ]);
  });

  it("keeps status tracking's attribute replica current (rename, disable) and rebuilds it from the topic alone", async () => {
    const tracking = platform.tracking;
    interface Replica {
      key: string;
      version: number;
      stages: { id: string; name: string; disabled: boolean }[];
    }
    const replicaOf = async (url: string) => ((await (await fetch(`${url}/v1/internal/attributes`)).json()) as { items: Replica[] }).items;
    const attribute = (await api.GET('/v1/attributes/{key}', { params: { path: { key: ONBOARDING } } })).data!;
    const [, configuration, implementation] = attribute.stages;
    const stage = (stageId: string) => ({ params: { path: { key: ONBOARDING, stageId } } });
    expect(
      (await api.PATCH('/v1/attributes/{key}/stages/{stageId}', { ...stage(configuration!.id), body: { name: 'Setup' } })).response.status,
    ).toBe(200);
    const disabled = await api.PATCH('/v1/attributes/{key}/stages/{stageId}', { ...stage(implementation!.id), body: { disabled: true } });
    expect(disabled.response.status).toBe(200);
    const latest = disabled.data!.version;

    const replica = await waitFor('the rename and the disable in the replica', async () => {
      const r = (await replicaOf(tracking.url)).find((a) => a.key === 'onboarding-status');
      return r && r.version === latest ? r : undefined;
    });
    expect(replica.stages.map((st) => [st.name, st.disabled])).toEqual([
      ['Kickoff', false],
      ['Setup', false],
      ['Implementation', true],
      ['Go Live', false],
    ]);

    // A4/L1: the disabled stage cannot be set on an account not already in it.
    const refused = await api.PUT('/v1/accounts/{accountId}/statuses/{attributeKey}', { ...status, body: { stage: 'Implementation' } });
    expect(refused.response.status).toBe(409);
    expect(refused.error?.details.code).toBe('STAGE_DISABLED');

    // A fresh instance (empty database, new consumer group) rebuilds the same replica from the topic.
    const rebuildConfig = {
      ...testServiceConfig(newTestRun('rebuild'), 'status-tracking'),
      kafka: { ...tracking.app.get<ServiceConfig>(SERVICE_CONFIG).kafka, groupId: `rebuild-${run.id}`, clientId: `rebuild-${run.id}` },
    };
    const rebuilt = await startService(StatusTrackingModule.register(rebuildConfig), rebuildConfig, statusTrackingDefinition);
    try {
      const strip = (items: Replica[]) => items.map(({ key, version, stages }) => ({ key, version, stages }));
      const again = await waitFor('the rebuilt replica', async () => {
        const items = await replicaOf(rebuilt.url);
        return items.some((a) => a.version === latest) ? items : undefined;
      });
      expect(strip(again)).toEqual(strip(await replicaOf(tracking.url)));
    } finally {
      await rebuilt.app.close();
    }
  });

  it('answers bad input with a 4xx naming what is allowed, and changes nothing', async () => {
    const put = (body: unknown) =>
      api.PUT('/v1/accounts/{accountId}/statuses/{attributeKey}', { ...status, body: body as { stage: string | null } });
    const bad = await put({ stage: 'Launch' });
    // A rule refuses a well-formed request: 422, naming what is allowed.
    expect(bad.response.status).toBe(422);
    // After the rename and the disable above: enabled stages only, by their current names.
    expect(bad.error?.message).toMatch(/allowed stages: Kickoff, Setup, Go Live$/);
    // Input off the document (an object where a string goes): 400 naming the field.
    const injected = await put({ stage: { $gt: '' } });
    expect(injected.response.status).toBe(400);
    expect(injected.error?.details.code).toBe('INVALID_REQUEST');
    const future = await put({ stage: 'Implementation', at: new Date(Date.now() + DAY).toISOString() });
    expect(future.response.status).toBe(422);
    const history = await api.GET('/v1/accounts/{accountId}/statuses/{attributeKey}/history', status);
    expect(history.data!.entries.length).toBe(2);
  });
});
