import type { CalendarPayload, CrmAccountUpserted } from '@lifecycle/contracts';
import { CalendarReplica } from '@lifecycle/messaging';
import { waitFor } from '@lifecycle/testing';
import type { ScriptEvent } from '../testing/lifecycle-script.builder';
import { daysAgo, ONBOARDING, onboardingAttribute, SegmentEvaluationHarness, STAGE } from '../testing/segment-evaluation.harness';
import type { PreviewResponse, SegmentResponse } from './dto/segment.response';
import type { ProgressView } from './segments.service';

/**
 * B5 against the real servers: `sla` and business-day conditions in previews, saved segments and
 * their live membership, and the SLA counts of the progress board (B3, S4), fed by the catalog's
 * attribute (stages carry SLAs) and calendar events, the CRM's `calendarKey` and status tracking's
 * status events.
 */
describe('SLA and business-day criteria over HTTP (B5)', () => {
  const h = new SegmentEvaluationHarness('sla-criteria');
  const ids: Record<string, string> = {};
  const id = (label: string): string => (ids[label] ??= h.uniqueAccount(label));
  const lastChange: Record<string, string> = {};
  const every: CalendarPayload = {
    key: 'every-day',
    name: 'Every day',
    workingWeekdays: [1, 2, 3, 4, 5, 6, 7],
    holidays: [],
    timeZone: 'UTC',
    version: 1,
    deleted: false,
    updatedAt: new Date().toISOString(),
  };

  const account = (label: string, facts: Partial<CrmAccountUpserted> = {}): Promise<void> =>
    h.seedAccount({ accountId: id(label), name: label, ...facts });

  const moves = async (label: string, steps: [string | null, Date][]): Promise<void> => {
    const script = h.script(id(label));
    const events: ScriptEvent[] = steps.flatMap(([stage, at]) => script.move(stage, at));
    await h.publishAll(events);
    const changes = events.filter((e) => e.type === 'status.changed');
    lastChange[label] = changes[changes.length - 1]!.data.changeId;
  };

  const preview = async (criteria: unknown): Promise<string[]> => {
    const { status, body } = await h.api<PreviewResponse>('POST', '/v1/segments/preview', { criteria, pageSize: 200 });
    expect(status).toBe(200);
    const labels = Object.fromEntries(Object.entries(ids).map(([label, accountId]) => [accountId, label]));
    return body.members.map((m) => labels[m.accountId] ?? m.accountId).sort();
  };

  beforeAll(async () => {
    await h.start(['segment.membership']);
    // Kickoff: 10 calendar days, at risk from 8; Configuration: 5 business days (at risk from 4).
    const attribute = onboardingAttribute(1);
    attribute.stages = attribute.stages.map((s) => ({
      ...s,
      sla:
        s.id === STAGE.kickoff
          ? { expected: 10, unit: 'calendar-days' as const }
          : s.id === STAGE.configuration
            ? { expected: 5, unit: 'business-days' as const }
            : null,
    }));
    await h.seedAttribute(attribute);
    await h.publisher.publish('calendar.created', every);
    const calendars = h.service.app.get(CalendarReplica);
    await waitFor('the calendar in the replica', async () => (await calendars.list()).some((c) => c._id === every.key));

    await account('on-track');
    await account('at-risk');
    await account('overdue');
    await account('canceled', { canceled: true });
    await account('config-every-day', { calendarKey: every.key });
    await account('config-fresh', { calendarKey: every.key });
    await moves('on-track', [['Kickoff', daysAgo(2)]]);
    await moves('at-risk', [['Kickoff', daysAgo(9)]]);
    await moves('overdue', [['Kickoff', daysAgo(30)]]);
    await moves('canceled', [['Kickoff', daysAgo(30)]]);
    // Every day is a working day: 6 whole days have ended since the entry → overdue (≥ 5).
    await moves('config-every-day', [
      ['Kickoff', daysAgo(20)],
      ['Configuration', daysAgo(6)],
    ]);
    await moves('config-fresh', [
      ['Kickoff', daysAgo(20)],
      ['Configuration', daysAgo(1, -60_000)],
    ]);
    for (const label of Object.keys(lastChange)) await h.waitForChange(id(label), lastChange[label]!);
  });

  afterAll(async () => {
    await h.stop();
  });

  it('selects accounts by the SLA status of their current stage; canceled accounts and stages without an SLA are none (B3)', async () => {
    expect(await preview({ attribute: ONBOARDING, sla: ['overdue'] })).toEqual(['config-every-day', 'overdue']);
    expect(await preview({ attribute: ONBOARDING, sla: ['at-risk'] })).toEqual(['at-risk']);
    expect(await preview({ attribute: ONBOARDING, sla: ['on-track'] })).toEqual(['config-fresh', 'on-track']);
    expect(await preview({ attribute: ONBOARDING, sla: ['none'] })).toEqual(['canceled']);
  });

  it("counts business days on the account's calendar (B2) and refuses unknown statuses with what is allowed", async () => {
    expect(await preview({ attribute: ONBOARDING, isOneOf: ['Configuration'], businessDaysInStage: { eq: 6 } })).toEqual([
      'config-every-day',
    ]);
    expect(await preview({ attribute: ONBOARDING, isOneOf: ['Configuration'], businessDaysInStage: { lt: 2 } })).toEqual(['config-fresh']);
    expect(await preview({ attribute: ONBOARDING, isOneOf: ['Kickoff'], businessDaysInAttribute: { gte: 0 } })).toEqual([
      'at-risk',
      'on-track',
      'overdue',
    ]);
    const refused = await h.api<{ details: { code: string; issues: { path: string; message: string }[] } }>(
      'POST',
      '/v1/segments/preview',
      {
        criteria: { attribute: ONBOARDING, sla: ['late'] },
      },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.details.issues).toEqual([
      { path: 'criteria.sla[0]', message: 'unknown SLA status "late"; allowed: "on-track", "at-risk", "overdue", "none"' },
    ]);
  });

  it('shows on-track / at-risk / overdue counts per stage on the progress board (S4)', async () => {
    const created = await h.api<SegmentResponse>('POST', '/v1/segments', {
      name: 'Onboarding, everyone with a value',
      criteria: { attribute: ONBOARDING, isNotOneOf: ['Go Live'] },
    });
    expect(created.status).toBe(201);
    const { status, body } = await h.api<ProgressView>('GET', `/v1/segments/${created.body.id}/progress?attribute=${ONBOARDING}`);
    expect(status).toBe(200);
    const kickoff = body.groups.find((g) => g.stageId === STAGE.kickoff)!;
    const configuration = body.groups.find((g) => g.stageId === STAGE.configuration)!;
    expect(kickoff.sla).toEqual({ onTrack: 1, atRisk: 1, overdue: 1 });
    expect(kickoff.count).toBe(4);
    expect(configuration.sla).toEqual({ onTrack: 1, atRisk: 0, overdue: 1 });
  });

  it('keeps a saved sla segment current: members enter at save, and a calendar edit re-derives who is overdue (B1, S5)', async () => {
    const created = await h.api<SegmentResponse & { membershipJobId: string }>('POST', '/v1/segments', {
      name: 'Overdue in Configuration',
      criteria: { attribute: ONBOARDING, isOneOf: ['Configuration'], businessDaysInStage: { gte: 5 } },
    });
    expect(created.status).toBe(201);
    await h.waitForJob(created.body.membershipJobId);
    const entered = () =>
      h
        .recorded('segment.membership')
        .filter((e) => e.data.segmentId === created.body.id)
        .map((e) => `${e.type}:${e.data.accountId}`);
    expect(entered()).toEqual([`segment.entered:${id('config-every-day')}`]);
    // Only Mondays are worked now: at most one whole working day in the last 6 days.
    await h.publisher.publish('calendar.updated', { ...every, workingWeekdays: [1], version: 2, updatedAt: new Date().toISOString() });
    await waitFor('the account to leave the segment', () =>
      Promise.resolve(entered().includes(`segment.exited:${id('config-every-day')}`)),
    );
    expect(await preview({ attribute: ONBOARDING, isOneOf: ['Configuration'], businessDaysInStage: { gte: 5 } })).toEqual([]);
  });
});
