import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Topics, type AttributePayload, type CalendarPayload } from '@lifecycle/contracts';
import { businessDaysBetween, MONDAY_TO_FRIDAY_UTC, MS_PER_DAY } from '@lifecycle/rules';
import { waitFor } from '@lifecycle/testing';
import { SlaSweepJob } from '../jobs/tracking-jobs';
import { lifecycleStateId } from '../statuses/lifecycle-state.schema';
import { ONBOARDING, onboardingAttribute, StatusTrackingHarness } from '../testing/status-tracking.harness';
import { SlaTimersQueue } from './sla-timers.queue';
import { SlaWatchRepository } from './sla-watch.repository';

/** Kickoff: 1 calendar day, at risk from half of it; Configuration: 3 business days; Implementation: none. */
function onboardingWithSla(version: number): AttributePayload {
  const attribute = onboardingAttribute(version);
  return {
    ...attribute,
    stages: attribute.stages.map((s) =>
      s.name === 'Kickoff'
        ? { ...s, sla: { expected: 1, unit: 'calendar-days' as const, atRisk: 0.5 } }
        : s.name === 'Configuration'
          ? { ...s, sla: { expected: 3, unit: 'business-days' as const } }
          : s,
    ),
  };
}

function calendar(key: string, workingWeekdays: number[], version = 1): CalendarPayload {
  return { key, name: key, workingWeekdays, holidays: [], timeZone: 'UTC', version, deleted: false, updatedAt: new Date().toISOString() };
}

interface SlaEvent {
  id: string;
  type: 'stage.sla-at-risk' | 'stage.sla-breached';
  occurredAt: string;
  data: { accountId: string; entryChangeId: string; threshold: string; crossedAt: string; dueAt: string; stage: { name: string } };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('B2–B4: stage SLAs in status tracking, on the real servers', () => {
  const h = new StatusTrackingHarness('sla');
  let slaTopic: string;

  beforeAll(async () => {
    await h.start([h.topic(Topics.LifecycleSla)]);
    slaTopic = h.topic(Topics.LifecycleSla);
    await h.seedAttribute(onboardingWithSla(2));
  });

  afterAll(() => h.stop());

  const slaEvents = (accountId: string): SlaEvent[] =>
    h.recorder
      .on(slaTopic)
      .map((m) => m.json as unknown as SlaEvent)
      .filter((e) => e.data.accountId === accountId);

  const types = (accountId: string) => slaEvents(accountId).map((e) => e.type);

  async function account(label: string, extra: { calendarKey?: string; canceled?: boolean } = {}): Promise<string> {
    const accountId = h.uniqueAccount(label);
    await h.seedAccount({ accountId, name: label, ...extra });
    return accountId;
  }

  /** Waits for a sweep of the SLA queue to finish, so what it publishes is on the topic. */
  async function sweep(reason: string): Promise<void> {
    const jobId = await h.get(SlaTimersQueue).sweep(reason);
    const queue = h.service.app.get<Queue>(getQueueToken(SlaSweepJob.queue));
    await waitFor(`sweep ${reason}`, async () => (await queue.getJob(jobId))?.isCompleted());
  }

  it('B3: the account view shows business days and the SLA of the current stage, with its due instant', async () => {
    const accountId = await account('view');
    const enteredAt = Date.now() - 13 * 3_600_000;
    await h.setStatus(accountId, 'Kickoff', iso(enteredAt));
    const lifecycle = await h.lifecycle(accountId);
    expect(lifecycle.sla).toEqual({
      status: 'at-risk',
      expected: 1,
      unit: 'calendar-days',
      atRisk: 0.5,
      atRiskAt: iso(enteredAt + MS_PER_DAY / 2),
      dueAt: iso(enteredAt + MS_PER_DAY),
    });
    const now = new Date();
    expect(lifecycle.businessDaysInStage).toBe(businessDaysBetween(MONDAY_TO_FRIDAY_UTC, new Date(enteredAt), now));

    await h.setStatus(accountId, 'Implementation');
    expect((await h.lifecycle(accountId)).sla).toMatchObject({ status: 'none', expected: null, dueAt: null });
  });

  it("B1/B2: business days count on the account's calendar; editing the calendar re-derives the SLA and its events", async () => {
    await h.seedCalendar(calendar('mondays', [1]));
    const accountId = await account('calendar', { calendarKey: 'mondays' });
    const midnight = Math.floor(Date.now() / MS_PER_DAY) * MS_PER_DAY;
    await h.setStatus(accountId, 'Configuration', iso(midnight - 10 * MS_PER_DAY));
    const mondaysOnly = { workingWeekdays: [1], holidays: [], timeZone: 'UTC' };
    const before = await h.lifecycle(accountId);
    expect(before.businessDaysInStage).toBe(businessDaysBetween(mondaysOnly, new Date(midnight - 10 * MS_PER_DAY), new Date()));
    expect(before.sla.status).toBe('on-track');

    await h.seedCalendar(calendar('mondays', [1, 2, 3, 4, 5, 6, 7], 2));
    await waitFor('the sweep after the calendar edit', () => types(accountId).length === 2);
    expect(types(accountId)).toEqual(['stage.sla-at-risk', 'stage.sla-breached']);
    const after = await h.lifecycle(accountId);
    expect(after.businessDaysInStage).toBe(10);
    expect(after.sla.status).toBe('overdue');
  });

  it('B4: an account sitting still crosses at the due instant (a timer), once per threshold, dated when it crossed', async () => {
    const accountId = await account('timer');
    const enteredAt = Date.now() - MS_PER_DAY + 4_000;
    const { body } = await h.setStatus(accountId, 'Kickoff', iso(enteredAt));
    // At risk half a day ago: published at once; breached in about 4 s, by the timer.
    await waitFor('at-risk', () => types(accountId).includes('stage.sla-at-risk'));
    expect(types(accountId)).toEqual(['stage.sla-at-risk']);
    await waitFor('breached', () => types(accountId).includes('stage.sla-breached'), 20_000);
    await new Promise((r) => setTimeout(r, 1_500));
    const events = slaEvents(accountId);
    expect(events.map((e) => [e.type, e.occurredAt, e.data.entryChangeId])).toEqual([
      ['stage.sla-at-risk', iso(enteredAt + MS_PER_DAY / 2), body.changeId],
      ['stage.sla-breached', iso(enteredAt + MS_PER_DAY), body.changeId],
    ]);
    expect(events[1]!.data).toMatchObject({ threshold: 'breached', stage: { name: 'Kickoff' }, dueAt: iso(enteredAt + MS_PER_DAY) });
  });

  it('B4: a status change of an attribute without stage SLAs asks for no look (no watch document)', async () => {
    const plain: AttributePayload = { ...onboardingAttribute(1), key: 'plain-journey', name: 'Plain journey' };
    await h.seedAttribute(plain);
    const accountId = await account('plain');
    const watches = h.get(SlaWatchRepository);
    const passedOver = () => h.service.events!.consumerStats!.passedOver;
    const before = passedOver();
    // One account: both status.changed land on one partition, the plain one first.
    expect((await h.api('PUT', `/v1/accounts/${accountId}/statuses/plain-journey`, { stage: 'Kickoff' })).status).toBe(200);
    await h.setStatus(accountId, 'Kickoff');
    await waitFor('the SLA pair looked at', async () => (await watches.get(lifecycleStateId(accountId, ONBOARDING))) !== undefined);
    expect(await watches.get(lifecycleStateId(accountId, 'plain-journey'))).toBeUndefined();
    // The plain attribute's status.changed is told apart by its `attribute-key` header, unparsed.
    expect(passedOver() - before).toBe(1);
  });

  it('B4: nothing is published for a stage the account left before the crossing', async () => {
    const accountId = await account('left');
    await h.setStatus(accountId, 'Kickoff', iso(Date.now() - MS_PER_DAY + 3_000));
    await waitFor('at-risk', () => types(accountId).includes('stage.sla-at-risk'));
    await h.setStatus(accountId, 'Implementation');
    await new Promise((r) => setTimeout(r, 6_000));
    expect(types(accountId)).toEqual(['stage.sla-at-risk']);
  });

  it('B4/L11: a backdated change that puts the stage entry earlier publishes both crossings at once, at their past instants', async () => {
    const accountId = await account('backdated');
    await h.setStatus(accountId, 'Kickoff', iso(Date.now() - 3_600_000));
    const earlier = Date.now() - 2 * MS_PER_DAY;
    const { body } = await h.setStatus(accountId, 'Kickoff', iso(earlier));
    await waitFor('both crossings', () => types(accountId).length === 2);
    expect(slaEvents(accountId).map((e) => [e.type, e.data.crossedAt, e.data.entryChangeId])).toEqual([
      ['stage.sla-at-risk', iso(earlier + MS_PER_DAY / 2), body.changeId],
      ['stage.sla-breached', iso(earlier + MS_PER_DAY), body.changeId],
    ]);
  });

  it('B3/L10: a canceled account has status none and publishes nothing; un-canceled, its crossings go out', async () => {
    const accountId = await account('canceled', { canceled: true });
    await h.setStatus(accountId, 'Kickoff', iso(Date.now() - 2 * MS_PER_DAY));
    expect((await h.lifecycle(accountId)).sla.status).toBe('none');
    await new Promise((r) => setTimeout(r, 2_000));
    expect(types(accountId)).toEqual([]);

    await h.seedAccount({ accountId, name: 'canceled', canceled: false });
    await waitFor('crossings after un-canceling', () => types(accountId).length === 2);
    expect((await h.lifecycle(accountId)).sla.status).toBe('overdue');
  });

  it('B4: exactly once across a restart and a sweep that looks at every pair again', async () => {
    const accountId = await account('restart');
    await h.setStatus(accountId, 'Kickoff', iso(Date.now() - 2 * MS_PER_DAY));
    await waitFor('both crossings', () => types(accountId).length === 2);

    await h.restart();
    await sweep(`test-${accountId}`);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(types(accountId)).toEqual(['stage.sla-at-risk', 'stage.sla-breached']);
    // Every published crossing anywhere in this run went out once.
    const ids = h.recorder.on(slaTopic).map((m) => (m.json as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
