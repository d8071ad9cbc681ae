/**
 * Stage SLAs, SLA criteria and plays end to end, through the public gateway and the real broker
 * and databases (B3–B5, P1, P2): an SLA set in the catalog, an account moved into the stage with
 * a backdated change (history is the truth), status tracking publishing the crossings, segment
 * evaluation putting the account in an "overdue" segment and on the board, and cycle planning's
 * plays turning the breach into a task and the segment entry into a SuccessCycle — each once,
 * listed per play and per account and published as `play.fired`; the play's one-off task in the
 * tasks view of the account and its owner, completed once through the gateway (admin only).
 */
import { Topics } from '@lifecycle/contracts';
import { EventPublisher, KafkaConnection } from '@lifecycle/messaging';
import { startService, type RunningService } from '@lifecycle/http';
import {
  apiClient,
  newTestRun,
  ONBOARDING,
  onboardingAttributeBody,
  testGatewayConfig,
  testServiceConfig,
  TEST_ADMIN_KEY,
  TEST_VIEWER_KEY,
  TopicRecorder,
  waitFor,
  type ApiClient,
} from '@lifecycle/testing';
import { AttributeCatalogModule } from '../apps/attribute-catalog/src/attribute-catalog.module';
import { attributeCatalogDefinition } from '../apps/attribute-catalog/src/attribute-catalog.definition';
import { StatusTrackingModule } from '../apps/status-tracking/src/status-tracking.module';
import { statusTrackingDefinition } from '../apps/status-tracking/src/status-tracking.definition';
import { SegmentEvaluationModule } from '../apps/segment-evaluation/src/segment-evaluation.module';
import { segmentEvaluationDefinition } from '../apps/segment-evaluation/src/segment-evaluation.definition';
import { CyclePlanningModule } from '../apps/cycle-planning/src/cycle-planning.module';
import { cyclePlanningDefinition } from '../apps/cycle-planning/src/cycle-planning.definition';
import { startGateway, type RunningGateway } from '../apps/gateway/src/gateway.bootstrap';

const DAY = 86_400_000;
const ACCOUNT = 'sla-acme';
const RESCUE = {
  id: 'onboarding-rescue',
  name: 'Onboarding rescue',
  stages: [
    { id: 'rescue', name: 'Rescue', activities: [{ id: 'call', name: 'Call', tasks: [{ id: 'call-task', name: 'Call the customer' }] }] },
  ],
};

describe('stage SLAs, SLA segments and plays end to end through the gateway (B3–B5, P1, P2)', () => {
  const run = newTestRun('sla-plays');
  const services: RunningService[] = [];
  let gateway: RunningGateway;
  let publisher: EventPublisher;
  let recorder: TopicRecorder;
  let api: ApiClient;
  let names: KafkaConnection['names'];

  beforeAll(async () => {
    const configs = {
      catalog: testServiceConfig(run, 'attribute-catalog'),
      tracking: testServiceConfig(run, 'status-tracking'),
      segments: testServiceConfig(run, 'segment-evaluation'),
      cycles: testServiceConfig(run, 'cycle-planning'),
    };
    services.push(await startService(AttributeCatalogModule.register(configs.catalog), configs.catalog, attributeCatalogDefinition));
    services.push(await startService(StatusTrackingModule.register(configs.tracking), configs.tracking, statusTrackingDefinition));
    services.push(await startService(SegmentEvaluationModule.register(configs.segments), configs.segments, segmentEvaluationDefinition));
    services.push(await startService(CyclePlanningModule.register(configs.cycles), configs.cycles, cyclePlanningDefinition));
    const [catalog, tracking, segments, cycles] = services.map((s) => s.url) as [string, string, string, string];
    gateway = await startGateway(testGatewayConfig(run, { catalog, tracking, segments, cycles }));
    api = apiClient(gateway.url, TEST_ADMIN_KEY);
    const connection = new KafkaConnection({ brokers: configs.tracking.kafka.brokers, clientId: 'e2e-crm', topicPrefix: run.topicPrefix });
    names = connection.names;
    publisher = new EventPublisher(connection, 'crm');
    recorder = await new TopicRecorder([
      names.physical(Topics.LifecycleSla),
      names.physical(Topics.SegmentMembership),
      names.physical(Topics.Plays),
    ]).start();
  });

  afterAll(async () => {
    await recorder.stop();
    await publisher.close();
    await gateway.app.close();
    for (const s of services.reverse()) await s.app.close();
  });

  const on = (topic: Parameters<typeof names.physical>[0]) => recorder.on(names.physical(topic));

  it('turns an overdue Kickoff into a task (breach) and a rescue cycle (segment entry), once each, visible through the gateway', async () => {
    // Kickoff: 10 calendar days, at risk from 8 (B3).
    const body = onboardingAttributeBody();
    body.stages = (body.stages ?? []).map((s) => (s.name === 'Kickoff' ? { ...s, sla: { expected: 10, unit: 'calendar-days' } } : s));
    const created = await api.POST('/v1/attributes', { body });
    expect(created.response.status).toBe(201);
    const activated = await api.POST('/v1/attributes/{key}/activate', { params: { path: { key: ONBOARDING } } });
    const kickoff = activated.data!.stages.find((s) => s.name === 'Kickoff')!;
    expect(kickoff.sla).toMatchObject({ expected: 10, unit: 'calendar-days' });

    const template = await api.POST('/v1/cycle-templates', { body: RESCUE });
    expect(template.response.status).toBe(201);
    await publisher.publish('crm.account.upserted', { accountId: ACCOUNT, name: 'SLA Acme', ownerId: 'csm-7' });

    const segment = await waitFor('the attribute to reach segment evaluation', async () => {
      const res = await api.POST('/v1/segments', {
        body: { name: 'Overdue onboarding', criteria: { attribute: ONBOARDING, sla: ['overdue'] } },
      });
      return res.response.status === 201 ? res.data : undefined;
    });
    // Cycle planning checks the attribute and stage against its replica of the catalog (P1): 422 until it arrives.
    const taskPlay = await waitFor('the attribute to reach cycle planning', async () => {
      const res = await api.POST('/v1/plays', {
        body: {
          name: 'Kickoff breached → call',
          trigger: { type: 'stage.sla-breached', attributeKey: ONBOARDING, stageId: kickoff.id },
          action: { type: 'create-task', taskName: 'Call the customer', dueInBusinessDays: 2 },
        },
      });
      return res.response.status === 201 ? res : undefined;
    });
    // The saved segment reaches cycle planning on segment.definitions (P1 checks against it): 422 until then.
    const cyclePlay = await waitFor('the segment to reach cycle planning', async () => {
      const res = await api.POST('/v1/plays', {
        body: {
          name: 'Overdue → rescue cycle',
          trigger: { type: 'segment.entered', segmentId: segment!.id },
          action: { type: 'assign-template', templateId: RESCUE.id },
        },
      });
      return res.response.status === 201 ? res : undefined;
    });
    await waitFor('the account in cycle planning', async () => {
      const res = await api.GET('/v1/accounts/{accountId}/cycles', { params: { path: { accountId: ACCOUNT } } });
      return res.response.status === 200;
    });

    // Backdated 20 days: the crossings happened in the past (B4: history is the truth).
    const kickoffAt = new Date(Date.now() - 20 * DAY).toISOString();
    await waitFor('the attribute to reach status tracking', async () => {
      const res = await api.PUT('/v1/accounts/{accountId}/statuses/{attributeKey}', {
        params: { path: { accountId: ACCOUNT, attributeKey: ONBOARDING } },
        body: { stage: 'Kickoff', at: kickoffAt },
      });
      return res.data;
    });

    await waitFor('both plays to fire', () => (on(Topics.Plays).length >= 2 ? true : undefined), 60_000);
    const crossings = on(Topics.LifecycleSla).map((m) => m.json.type);
    expect(crossings.sort()).toEqual(['stage.sla-at-risk', 'stage.sla-breached']);
    expect(on(Topics.SegmentMembership).map((m) => [m.json.type, (m.json.data as { segmentId: string }).segmentId])).toEqual([
      ['segment.entered', segment!.id],
    ]);

    const view = await api.GET('/v1/accounts/{accountId}', { params: { path: { accountId: ACCOUNT } } });
    expect(view.data!.lifecycle[ONBOARDING]!.sla).toMatchObject({ status: 'overdue', expected: 10, unit: 'calendar-days' });

    const firings = await api.GET('/v1/accounts/{accountId}/play-firings', { params: { path: { accountId: ACCOUNT } } });
    expect(firings.response.status).toBe(200);
    const byPlay = new Map(firings.data!.items.map((f) => [f.playId, f]));
    expect(firings.data!.total).toBe(2);
    expect(byPlay.get(taskPlay.data!.id)!.action).toMatchObject({ type: 'create-task', outcome: 'task-created', ownerId: 'csm-7' });
    const assigned = byPlay.get(cyclePlay.data!.id)!;
    expect(assigned.action).toMatchObject({ type: 'assign-template', outcome: 'assigned' });
    const cycles = await api.GET('/v1/accounts/{accountId}/cycles', { params: { path: { accountId: ACCOUNT } } });
    expect(cycles.data!.cycles.filter((c) => c.templateId === RESCUE.id).map((c) => c.cycleId)).toEqual([assigned.action.cycleId]);

    const board = await api.GET('/v1/segments/{id}/progress', { params: { path: { id: segment!.id }, query: { attribute: ONBOARDING } } });
    expect(board.data!.groups.find((g) => g.stageId === kickoff.id)!.sla).toEqual({ onTrack: 0, atRisk: 0, overdue: 1 });

    const perPlay = await api.GET('/v1/plays/{playId}/firings', { params: { path: { playId: taskPlay.data!.id } } });
    expect(perPlay.data!.items.map((f) => f.accountId)).toEqual([ACCOUNT]);
    // Settle, then count: one firing per occurrence, whatever redeliveries happened meanwhile.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(on(Topics.Plays).map((m) => m.key)).toEqual([ACCOUNT, ACCOUNT]);
  }, 180_000);

  it("lists the play's one-off task in the tasks view and completes it once through the gateway, admin only (P1, C9)", async () => {
    const rows = await api.GET('/v1/tasks', { params: { query: { accountId: ACCOUNT } } });
    const playRows = rows.data!.items.filter((r) => r.kind === 'play-task');
    expect(playRows).toHaveLength(1);
    const row = playRows[0]!;
    const firings = await api.GET('/v1/accounts/{accountId}/play-firings', { params: { path: { accountId: ACCOUNT } } });
    const firing = firings.data!.items.find((f) => f.action.outcome === 'task-created')!;
    expect(row).toMatchObject({
      taskId: firing.id,
      taskName: 'Call the customer',
      ownerId: 'csm-7',
      dueDate: firing.action.dueDate,
      overdue: false,
      playId: firing.playId,
      cycleId: null,
    });
    const owners = await api.GET('/v1/tasks', { params: { query: { ownerId: 'csm-7' } } });
    expect(owners.data!.items.filter((r) => r.kind === 'play-task').map((r) => r.taskId)).toEqual([firing.id]);

    const path = { accountId: ACCOUNT, taskId: firing.id };
    const viewer = apiClient(gateway.url, TEST_VIEWER_KEY);
    const refused = await viewer.POST('/v1/accounts/{accountId}/play-tasks/{taskId}/complete', { params: { path }, body: {} });
    expect(refused.response.status).toBe(403);
    const done = await api.POST('/v1/accounts/{accountId}/play-tasks/{taskId}/complete', { params: { path }, body: {} });
    expect(done.response.status).toBe(200);
    expect(done.data!.action.completedAt).toEqual(expect.any(String));
    const again = await api.POST('/v1/accounts/{accountId}/play-tasks/{taskId}/complete', { params: { path }, body: {} });
    expect(again.response.status).toBe(409);
    expect(again.error!.details).toMatchObject({ code: 'TASK_ALREADY_COMPLETED', completedAt: done.data!.action.completedAt });

    const after = await api.GET('/v1/tasks', { params: { query: { accountId: ACCOUNT } } });
    expect(after.data!.items.filter((r) => r.kind === 'play-task')).toEqual([]);
    const completed = await waitFor('play.task-completed on the plays topic', () => {
      const events = on(Topics.Plays).filter((m) => m.json.type === 'play.task-completed');
      return events.length > 0 ? events : undefined;
    });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(on(Topics.Plays).filter((m) => m.json.type === 'play.task-completed')).toHaveLength(1);
    expect(completed[0]!.key).toBe(ACCOUNT);
    expect(completed[0]!.json.data).toMatchObject({ taskId: firing.id, accountId: ACCOUNT, completedAt: done.data!.action.completedAt });
  });

  it('pauses a play through the gateway and refuses a play the rules refuse, naming every problem', async () => {
    const plays = await api.GET('/v1/plays', { params: { query: {} } });
    const first = plays.data!.items[0]!;
    const paused = await api.PATCH('/v1/plays/{playId}', { params: { path: { playId: first.id } }, body: { paused: true } });
    expect(paused.data).toMatchObject({ id: first.id, paused: true });
    const refused = await api.POST('/v1/plays', {
      body: { name: 'Broken', trigger: { type: 'stage.sla-at-risk' }, action: { type: 'create-task', taskName: 'x' } },
    });
    expect(refused.response.status).toBe(422);
    expect(refused.error!.details).toMatchObject({
      code: 'INVALID_PLAY',
      problems: [
        'trigger stage.sla-at-risk needs attributeKey (the attribute whose stage SLA is watched)',
        'action create-task: dueInBusinessDays must be a whole number from 0 to 365',
      ],
    });
  });
});
