import { randomUUID } from 'node:crypto';
import { CalendarReplica } from '@lifecycle/messaging';
import { addWorkingDays } from '@lifecycle/rules';
import { CyclePlanningHarness, waitFor } from '../testing/cycle-planning.harness';
import { slaBreach } from '../testing/plays.fixture';
import type { TaskPageResponse } from '../tasks/dto/tasks.response';
import type { PlayFiringPageResponse, PlayFiringResponse, PlayResponse } from './dto/play.response';
import { playFiringId } from './play-runner.service';

// The account's calendar works Monday to Friday and takes no holiday: N business days are visible.
const CALENDAR = {
  key: 'ops-play-tasks',
  name: 'Ops',
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: [],
  timeZone: 'UTC',
  version: 1,
  deleted: false,
  updatedAt: new Date().toISOString(),
};
const CROSSED_AT = new Date(Date.now() - 60_000);

const breach = (accountId: string, stageId: string) => slaBreach(accountId, stageId, CROSSED_AT, CALENDAR.key);

/** P1 + C9 on the real servers: a play's one-off task in the tasks view, completed once over HTTP, `play.task-completed`. */
describe('one-off play tasks: the tasks view and their completion (P1, C9)', () => {
  const h = new CyclePlanningHarness('play-tasks');
  const stuck = h.uniqueAccount('stuck');
  const gone = h.uniqueAccount('gone');
  const owner = `csm-${randomUUID().slice(0, 8)}`;
  let play: PlayResponse;

  const tasks = (query: string) => h.ok<TaskPageResponse>('GET', `/v1/tasks?${query}`);
  const playTasks = async (query: string) => (await tasks(query)).items.filter((row) => row.kind === 'play-task');

  /** Publishes a breach and waits for the play's firing of it; returns the firing. */
  async function fire(accountId: string, eventId = randomUUID()): Promise<PlayFiringResponse> {
    await h.publisher.publish('stage.sla-breached', breach(accountId, 'stg-kickoff'), { id: eventId, occurredAt: CROSSED_AT });
    const firingId = playFiringId(play.id, eventId);
    return waitFor(`the firing ${firingId}`, async () => {
      const page = await h.ok<PlayFiringPageResponse>('GET', `/v1/accounts/${accountId}/play-firings`);
      return page.items.find((f) => f.id === firingId);
    });
  }

  beforeAll(async () => {
    await h.start();
    await h.publisher.publish('calendar.created', CALENDAR);
    await waitFor('the calendar in the replica', async () => (await h.get(CalendarReplica).list()).some((c) => c._id === CALENDAR.key));
    await h.seedAttribute();
    await h.seedAccount({ accountId: stuck, name: 'Stuck', ownerId: owner, calendarKey: CALENDAR.key });
    await h.seedAccount({ accountId: gone, name: 'Gone', ownerId: owner, calendarKey: CALENDAR.key });
    play = await h.ok<PlayResponse>('POST', '/v1/plays', {
      name: 'Kickoff overdue → call',
      trigger: { type: 'stage.sla-breached', attributeKey: 'onboarding-status', stageId: 'stg-kickoff' },
      action: { type: 'create-task', taskName: 'Call the customer', dueInBusinessDays: 3 },
    });
  });

  afterAll(() => h.stop());

  it('lists the task in the tasks view of the account and of its owner, due N business days later on its calendar', async () => {
    const firing = await fire(stuck);
    expect(firing.action).toMatchObject({ outcome: 'task-created', taskId: firing.id, ownerId: owner, completedAt: null });
    const calendar = (await h.get(CalendarReplica).resolve(CALENDAR.key)).calendar;
    const due = addWorkingDays(calendar, firing.firedAt.slice(0, 10), 3);
    expect(firing.action.dueDate).toBe(due);

    const row = {
      accountId: stuck,
      kind: 'play-task',
      taskId: firing.id,
      taskName: 'Call the customer',
      dueDate: due,
      ownerId: owner,
      overdue: false,
      playId: play.id,
      playName: play.name,
      cycleId: null,
      cycleName: null,
      stageId: null,
      activityId: null,
    };
    expect(await playTasks(`accountId=${stuck}`)).toEqual([expect.objectContaining(row)]);
    // The owner's view lists it beside the owner's cycle tasks, in due-date order.
    const ownerView = await tasks(`ownerId=${owner}`);
    expect(ownerView.items.filter((r) => r.kind === 'play-task').map((r) => r.taskId)).toEqual([firing.id]);
    const dates = ownerView.items.map((r) => r.dueDate ?? '9999-12-31');
    expect([...dates].sort()).toEqual(dates);
    expect(ownerView.total).toBe(ownerView.items.length);
    // Filters: not overdue; due before the day after its due day, and not before its due day.
    expect((await playTasks(`accountId=${stuck}&overdue=true`)).map((r) => r.taskId)).toEqual([]);
    expect((await playTasks(`ownerId=${owner}&dueBefore=${due}`)).map((r) => r.taskId)).toEqual([]);
    const dayAfter = new Date(new Date(`${due}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
    expect((await playTasks(`ownerId=${owner}&dueBefore=${dayAfter}`)).map((r) => r.taskId)).toEqual([firing.id]);
    expect(await playTasks(`ownerId=someone-else`)).toEqual([]);
  });

  it('completes exactly once: 200 with completedAt, then 409 TASK_ALREADY_COMPLETED; gone from the view; one play.task-completed', async () => {
    const firing = await fire(stuck);
    const path = `/v1/accounts/${stuck}/play-tasks/${firing.id}/complete`;
    const done = await h.ok<PlayFiringResponse>('POST', path, {}, 200);
    expect(done.id).toBe(firing.id);
    expect(Date.parse(done.action.completedAt!)).toBeGreaterThanOrEqual(Date.parse(firing.firedAt));

    const again = await h.api<{ details: { code: string; completedAt: string } }>('POST', path, {});
    expect(again.status).toBe(409);
    expect(again.body.details).toMatchObject({ code: 'TASK_ALREADY_COMPLETED', completedAt: done.action.completedAt });

    expect((await playTasks(`accountId=${stuck}`)).map((r) => r.taskId)).not.toContain(firing.id);
    const listed = await h.ok<PlayFiringPageResponse>('GET', `/v1/plays/${play.id}/firings`);
    expect(listed.items.find((f) => f.id === firing.id)!.action.completedAt).toBe(done.action.completedAt);

    const completed = await waitFor('play.task-completed', () => {
      const events = h.playEvents('play.task-completed').filter((e) => e.data.taskId === firing.id);
      return events.length > 0 ? events : undefined;
    });
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      key: stuck,
      occurredAt: done.action.completedAt,
      data: { playId: play.id, accountId: stuck, taskId: firing.id, taskName: 'Call the customer', ownerId: owner },
    });
  });

  it('two racing completions record one: one 200 and one 409, one event', async () => {
    const firing = await fire(stuck);
    const path = `/v1/accounts/${stuck}/play-tasks/${firing.id}/complete`;
    const answers = await Promise.all([h.api('POST', path, {}), h.api('POST', path, {}), h.api('POST', path, {})]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(h.playEvents('play.task-completed').filter((e) => e.data.taskId === firing.id)).toHaveLength(1);
  });

  it('a redelivered trigger after the completion makes no second task (P2)', async () => {
    const eventId = randomUUID();
    const firing = await fire(stuck, eventId);
    await h.ok('POST', `/v1/accounts/${stuck}/play-tasks/${firing.id}/complete`, {}, 200);
    await h.publisher.publish('stage.sla-breached', breach(stuck, 'stg-kickoff'), { id: eventId, occurredAt: CROSSED_AT });
    const marker = await fire(stuck); // a later event of the same account: the redelivery was handled before it
    const open = (await playTasks(`accountId=${stuck}`)).map((r) => r.taskId);
    expect(open).toContain(marker.id);
    expect(open).not.toContain(firing.id);
    const firings = await h.ok<PlayFiringPageResponse>('GET', `/v1/plays/${play.id}/firings?pageSize=200`);
    expect(firings.items.filter((f) => f.trigger.eventId === eventId)).toHaveLength(1);
    expect(h.fired(play.id).filter((e) => e.id === firing.id)).toHaveLength(1);
    await h.ok('POST', `/v1/accounts/${stuck}/play-tasks/${marker.id}/complete`, {}, 200);
  });

  it('refuses a future or earlier-than-firing time (422), another account or an unknown task (404), a malformed id (400)', async () => {
    const firing = await fire(stuck);
    const path = `/v1/accounts/${stuck}/play-tasks/${firing.id}/complete`;
    const future = await h.api<{ details: { code: string } }>('POST', path, { at: new Date(Date.now() + 3_600_000).toISOString() });
    expect([future.status, future.body.details.code]).toEqual([422, 'INVALID_DATE']);
    const before = await h.api<{ message: string }>('POST', path, { at: '2020-01-01T00:00:00Z' });
    expect(before.status).toBe(422);
    expect(before.body.message).toMatch(/before the play fired/);
    expect((await h.api('POST', `/v1/accounts/${gone}/play-tasks/${firing.id}/complete`, {})).status).toBe(404);
    expect((await h.api('POST', `/v1/accounts/${stuck}/play-tasks/${randomUUID()}/complete`, {})).status).toBe(404);
    expect((await h.api('POST', `/v1/accounts/${stuck}/play-tasks/not-a-uuid/complete`, {})).status).toBe(400);
    expect((await h.api('POST', path, { at: 'yesterday' })).status).toBe(400);
    // Still open after the refusals.
    expect((await playTasks(`accountId=${stuck}`)).map((r) => r.taskId)).toContain(firing.id);
  });

  it("leaves a canceled account's tasks out of the view unless asked for by account", async () => {
    const firing = await fire(gone);
    expect((await playTasks(`ownerId=${owner}`)).map((r) => r.taskId)).toContain(firing.id);
    await h.publisher.publish('crm.account.canceled', { accountId: gone });
    await waitFor('the canceled account left out', async () =>
      (await playTasks(`ownerId=${owner}`)).every((r) => r.taskId !== firing.id) ? true : undefined,
    );
    expect((await playTasks(`accountId=${gone}`)).map((r) => r.taskId)).toEqual([firing.id]);
  });
});
