import { randomUUID } from 'node:crypto';
import { CalendarReplica } from '@lifecycle/messaging';
import { addWorkingDays } from '@lifecycle/rules';
import { CyclePlanningHarness, waitFor } from '../testing/cycle-planning.harness';
import { slaBreach } from '../testing/plays.fixture';
import type { PlayFiringPageResponse, PlayResponse } from './dto/play.response';
import { playFiringId } from './play-runner.service';

// The crossings happened on Friday 7 March 2025; the account's calendar takes Monday 10 March off.
const CALENDAR = {
  key: 'ops-plays',
  name: 'Ops',
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: ['2025-03-10'],
  timeZone: 'UTC',
  version: 1,
  deleted: false,
  updatedAt: new Date().toISOString(),
};
const CROSSED_AT = new Date('2025-03-07T15:00:00Z');

const RESCUE = {
  id: 'rescue-plays',
  name: 'Onboarding rescue',
  stages: [
    { id: 'rescue', name: 'Rescue', activities: [{ id: 'call', name: 'Call', tasks: [{ id: 'call-task', name: 'Call the customer' }] }] },
  ],
};

const breach = (accountId: string, stageId: string) => slaBreach(accountId, stageId, CROSSED_AT, CALENDAR.key);

/** P1/P2 on the real servers: plays over HTTP, triggers from Kafka, one firing per occurrence, `play.fired`. */
describe('plays (P1, P2) over HTTP and Kafka', () => {
  const h = new CyclePlanningHarness('plays');
  const stuck = h.uniqueAccount('stuck');
  const other = h.uniqueAccount('other');
  let taskPlay: PlayResponse;
  let configPlay: PlayResponse;
  let templatePlay: PlayResponse;

  const firings = (path: string) => h.ok<PlayFiringPageResponse>('GET', path);

  beforeAll(async () => {
    await h.start();
    await h.publisher.publish('calendar.created', CALENDAR);
    await waitFor('the calendar in the replica', async () => (await h.get(CalendarReplica).list()).some((c) => c._id === CALENDAR.key));
    await h.seedAttribute();
    await h.seedSegment('seg-stuck', 'Stuck');
    await h.ok('POST', '/v1/cycle-templates', RESCUE);
    await h.seedAccount({ accountId: stuck, name: 'Stuck', ownerId: 'csm-1', calendarKey: CALENDAR.key });
    await h.seedAccount({ accountId: other, name: 'Other', ownerId: 'csm-2' });
    taskPlay = await h.ok<PlayResponse>('POST', '/v1/plays', {
      name: 'Kickoff overdue → call',
      trigger: { type: 'stage.sla-breached', attributeKey: 'onboarding-status', stageId: 'stg-kickoff' },
      action: { type: 'create-task', taskName: 'Call the customer', dueInBusinessDays: 2 },
    });
    configPlay = await h.ok<PlayResponse>('POST', '/v1/plays', {
      name: 'Configuration overdue → call',
      trigger: { type: 'stage.sla-breached', attributeKey: 'onboarding-status', stageId: 'stg-configuration' },
      action: { type: 'create-task', taskName: 'Check the configuration', dueInBusinessDays: 0 },
    });
    templatePlay = await h.ok<PlayResponse>('POST', '/v1/plays', {
      name: 'Stuck segment → rescue cycle',
      trigger: { type: 'segment.entered', segmentId: 'seg-stuck' },
      action: { type: 'assign-template', templateId: RESCUE.id },
    });
  });

  afterAll(() => h.stop());

  it('creates a task for the account owner due N business days later on its calendar, once per breach event (P1, P2)', async () => {
    const id = randomUUID();
    const data = breach(stuck, 'stg-kickoff');
    await h.publisher.publish('stage.sla-breached', data, { id, occurredAt: CROSSED_AT });
    await h.publisher.publish('stage.sla-breached', data, { id, occurredAt: CROSSED_AT }); // a redelivery
    // A later event of the same account (same partition) that another play reacts to: once it fired, both copies were handled.
    await h.publisher.publish('stage.sla-breached', breach(stuck, 'stg-configuration'), { occurredAt: CROSSED_AT });
    await waitFor('the configuration play to fire', () => Promise.resolve(h.fired(configPlay.id).length === 1));

    const page = await firings(`/v1/plays/${taskPlay.id}/firings`);
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({
      id: playFiringId(taskPlay.id, id),
      playId: taskPlay.id,
      accountId: stuck,
      trigger: { type: 'stage.sla-breached', eventId: id, attributeKey: 'onboarding-status', stageId: 'stg-kickoff' },
      action: { type: 'create-task', outcome: 'task-created', taskName: 'Call the customer', ownerId: 'csm-1' },
    });
    // 2 working days of the account's calendar after the day it fired (not after the crossing, which is in the past).
    const calendar = (await h.get(CalendarReplica).resolve(CALENDAR.key)).calendar;
    expect(page.items[0]!.action.dueDate).toBe(addWorkingDays(calendar, page.items[0]!.firedAt.slice(0, 10), 2));
    expect(page.items[0]!.action.dueDate! > CROSSED_AT.toISOString().slice(0, 10)).toBe(true);
    const fired = h.fired(taskPlay.id);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ id: playFiringId(taskPlay.id, id), key: stuck, type: 'play.fired' });
  });

  it('assigns a SuccessCycle template when an account enters the segment, once, and lists firings per account', async () => {
    const id = randomUUID();
    await h.publisher.publish('segment.entered', { segmentId: 'seg-stuck', accountId: other }, { id });
    await h.publisher.publish('segment.entered', { segmentId: 'seg-stuck', accountId: other }, { id });
    await h.publisher.publish('segment.entered', { segmentId: 'seg-other', accountId: other });
    await waitFor('the template play to fire', () => Promise.resolve(h.fired(templatePlay.id).length === 1));
    const { cycles } = await h.cycles(other);
    const rescue = cycles.filter((c) => c.templateId === RESCUE.id);
    expect(rescue).toHaveLength(1);
    expect(rescue[0]!.cycleId).toBe(playFiringId(templatePlay.id, id));
    const page = await firings(`/v1/accounts/${other}/play-firings`);
    expect(page.items.map((f) => [f.playId, f.action.outcome, f.action.cycleId])).toEqual([
      [templatePlay.id, 'assigned', rescue[0]!.cycleId],
    ]);
    // The account runs the template already: a second entry (a new occurrence) fires, and says so.
    await h.publisher.publish('segment.entered', { segmentId: 'seg-stuck', accountId: other });
    await waitFor('the second firing', () => Promise.resolve(h.fired(templatePlay.id).length === 2));
    expect((await firings(`/v1/accounts/${other}/play-firings`)).items[0]!.action.outcome).toBe('already-running');
    expect((await h.cycles(other)).cycles.filter((c) => c.templateId === RESCUE.id)).toHaveLength(1);
  });

  it('records nothing while paused, and does not replay what happened meanwhile once resumed (P2)', async () => {
    await h.ok('PATCH', `/v1/plays/${taskPlay.id}`, { paused: true });
    await h.publisher.publish('stage.sla-breached', breach(stuck, 'stg-kickoff'), { occurredAt: CROSSED_AT });
    await h.publisher.publish('stage.sla-breached', breach(stuck, 'stg-configuration'), { occurredAt: CROSSED_AT });
    await waitFor('the configuration play to fire again', () => Promise.resolve(h.fired(configPlay.id).length === 2));
    expect((await firings(`/v1/plays/${taskPlay.id}/firings`)).total).toBe(1);

    const resumed = await h.ok<PlayResponse>('PATCH', `/v1/plays/${taskPlay.id}`, { paused: false });
    expect(resumed).toMatchObject({ paused: false, version: 3 });
    await h.publisher.publish('stage.sla-breached', breach(stuck, 'stg-kickoff'), { occurredAt: CROSSED_AT });
    await waitFor('the resumed play to fire', () => Promise.resolve(h.fired(taskPlay.id).length === 2));
    expect((await firings(`/v1/plays/${taskPlay.id}/firings`)).total).toBe(2);
    expect((await firings(`/v1/accounts/${stuck}/play-firings`)).total).toBe(4);
  });

  it('fires once across a restart: a redelivered trigger after the restart changes nothing (P2)', async () => {
    const id = randomUUID();
    const data = breach(stuck, 'stg-kickoff');
    await h.publisher.publish('stage.sla-breached', data, { id, occurredAt: CROSSED_AT });
    await waitFor('the firing', () => Promise.resolve(h.fired(taskPlay.id).length === 3));
    await h.stopService();
    await h.startService();
    await h.publisher.publish('stage.sla-breached', data, { id, occurredAt: CROSSED_AT });
    await h.publisher.publish('stage.sla-breached', breach(stuck, 'stg-configuration'), { occurredAt: CROSSED_AT });
    await waitFor('the configuration play after the restart', () => Promise.resolve(h.fired(configPlay.id).length === 3));
    expect((await firings(`/v1/plays/${taskPlay.id}/firings`)).total).toBe(3);
    expect(h.fired(taskPlay.id)).toHaveLength(3);
  });

  it('refuses what the rules refuse with every problem named, and unknown plays with 404', async () => {
    const mixed = await h.api<{ details: { code: string; problems: string[] } }>('POST', '/v1/plays', {
      name: 'Mixed',
      trigger: { type: 'segment.entered', attributeKey: 'onboarding-status' },
      action: { type: 'assign-template', templateId: 'no-such-template' },
    });
    expect(mixed.status).toBe(422);
    expect(mixed.body.details.code).toBe('INVALID_PLAY');
    expect(mixed.body.details.problems).toEqual([
      'trigger segment.entered needs segmentId (the saved segment)',
      'trigger segment.entered takes segmentId only (attributeKey and stageId belong to the SLA triggers)',
    ]);
    const unknownTemplate = await h.api<{ details: { problems: string[] } }>('POST', '/v1/plays', {
      name: 'Unknown template',
      trigger: { type: 'segment.entered', segmentId: 'seg-stuck' },
      action: { type: 'assign-template', templateId: 'no-such-template' },
    });
    expect(unknownTemplate.status).toBe(422);
    expect(unknownTemplate.body.details.problems).toEqual([
      expect.stringMatching(/^action assign-template: unknown template "no-such-template"; templates: .*rescue-plays/),
    ]);
    // The saved segment is checked against the replica of segment.definitions, naming the saved ones.
    const unknownSegment = await h.api<{ details: { problems: string[] } }>('POST', '/v1/plays', {
      name: 'Unknown segment',
      trigger: { type: 'segment.entered', segmentId: 'seg-gone' },
      action: { type: 'assign-template', templateId: RESCUE.id },
    });
    expect([unknownSegment.status, unknownSegment.body.details.problems]).toEqual([
      422,
      ['trigger segment.entered: unknown segment "seg-gone"; saved segments: "Stuck" (id seg-stuck)'],
    ]);
    // A renamed segment (a higher version) keeps its id; an older version arriving late changes nothing.
    await h.seedSegment('seg-stuck', 'Stuck accounts', 2);
    await h.publisher.publish('segment.saved', { segmentId: 'seg-stuck', name: 'Stuck (old)', version: 1 });
    await h.seedSegment('seg-late', 'Marker', 1);
    const renamed = await h.api<{ details: { problems: string[] } }>('POST', '/v1/plays', {
      name: 'Unknown segment',
      trigger: { type: 'segment.entered', segmentId: 'seg-gone' },
      action: { type: 'assign-template', templateId: RESCUE.id },
    });
    expect(renamed.body.details.problems[0]).toMatch(/saved segments: "Marker" \(id seg-late\), "Stuck accounts" \(id seg-stuck\)$/);
    // What an SLA trigger names is checked against the catalog's replica, naming what exists.
    const sla = (trigger: Record<string, unknown>) =>
      h.api<{ details: { code: string; problems: string[] } }>('POST', '/v1/plays', {
        name: 'SLA',
        trigger: { type: 'stage.sla-at-risk', ...trigger },
        action: { type: 'create-task', taskName: 'Call', dueInBusinessDays: 1 },
      });
    const unknownAttribute = await sla({ attributeKey: 'renewal-status' });
    expect([unknownAttribute.status, unknownAttribute.body.details.problems]).toEqual([
      422,
      ['trigger stage.sla-at-risk: unknown attribute "renewal-status"; known attributes: onboarding-status'],
    ]);
    const unknownStage = await sla({ attributeKey: 'onboarding-status', stageId: 'stg-launch' });
    expect(unknownStage.status).toBe(422);
    expect(unknownStage.body.details.problems[0]).toMatch(/has no stage id "stg-launch"; its stages .*"Kickoff" \(id stg-kickoff\)/);
    const endStage = await sla({ attributeKey: 'onboarding-status', stageId: 'stg-go-live' });
    expect(endStage.status).toBe(422);
    expect(endStage.body.details.problems[0]).toMatch(/"Go Live" is an end stage/);
    const offSchema = await h.api('POST', '/v1/plays', { ...unknownTemplate, extra: true });
    expect(offSchema.status).toBe(400);
    expect((await h.api('GET', `/v1/plays/${randomUUID()}`)).status).toBe(404);
    expect((await h.api('GET', `/v1/plays/${randomUUID()}/firings`)).status).toBe(404);
    expect((await h.api('PATCH', `/v1/plays/${randomUUID()}`, { paused: true })).status).toBe(404);
  });
});
