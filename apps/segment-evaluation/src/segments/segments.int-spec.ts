import type { CrmAccountUpserted } from '@lifecycle/contracts';
import { waitFor } from '@lifecycle/testing';
import { MS_PER_DAY } from '@lifecycle/rules';
import type { LifecycleReport } from '../domain/lifecycle-report';
import type { ScriptEvent } from '../testing/lifecycle-script.builder';
import { daysAgo, ONBOARDING, onboardingAttribute, SegmentEvaluationHarness, STAGE } from '../testing/segment-evaluation.harness';
import type { MembersPageResponse, PreviewResponse, SegmentResponse } from './dto/segment.response';
import type { ProgressView } from './segments.service';

/**
 * The criteria operators (S1–S3), the progress view (S4) and the report against the real
 * database, fed by the events status tracking and the CRM publish.
 */
describe('segments over HTTP against the real projection', () => {
  const h = new SegmentEvaluationHarness('segments');
  const ids: Record<string, string> = {};
  const id = (label: string): string => (ids[label] ??= h.uniqueAccount(label));
  const lastChange: Record<string, string> = {};

  const account = (label: string, facts: Partial<CrmAccountUpserted> = {}): Promise<void> =>
    h.seedAccount({ accountId: id(label), name: label, clientType: 'smb', ownerId: 'csm-2', ...facts });

  /** Moves an account through the onboarding stages (status tracking's events, in order). */
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
    expect(body.count).toBe(body.members.length);
    const labels = Object.fromEntries(Object.entries(ids).map(([label, accountId]) => [accountId, label]));
    return body.members.map((m) => labels[m.accountId] ?? m.accountId).sort();
  };

  beforeAll(async () => {
    await h.start();
    await h.seedAttribute(onboardingAttribute(1));
    const inDays = (n: number) => new Date(Date.now() + n * MS_PER_DAY).toISOString().slice(0, 10);
    await account('stuck', { clientType: 'enterprise', ownerId: 'csm-1', subscription: { active: true, renewalDate: inDays(20) } });
    await account('fresh', { subscription: { active: true, renewalDate: inDays(60) } });
    await account('canceled-stuck', { clientType: 'enterprise', canceled: true });
    await account('config');
    await account('old-change');
    await account('impl');
    await account('done-twice');
    await account('done-once');
    await account('none');
    await account('cleared');

    await moves('stuck', [['Kickoff', daysAgo(40)]]);
    await moves('fresh', [['Kickoff', daysAgo(5)]]);
    await moves('canceled-stuck', [['Kickoff', daysAgo(40)]]);
    await moves('config', [
      ['Kickoff', daysAgo(20)],
      ['Configuration', daysAgo(8)],
    ]);
    await moves('old-change', [
      ['Kickoff', daysAgo(100)],
      ['Configuration', daysAgo(60)],
    ]);
    await moves('impl', [
      ['Kickoff', daysAgo(30)],
      ['Implementation', daysAgo(10)],
    ]);
    await moves('done-twice', [
      ['Kickoff', daysAgo(200)],
      ['Go Live', daysAgo(150)],
      ['Kickoff', daysAgo(100)],
      ['Go Live', daysAgo(10)],
    ]);
    await moves('done-once', [
      ['Kickoff', daysAgo(200)],
      ['Go Live', daysAgo(120)],
    ]);
    await moves('cleared', [
      ['Kickoff', daysAgo(15)],
      [null, daysAgo(3)],
    ]);
    for (const label of Object.keys(lastChange)) await h.waitForChange(id(label), lastChange[label]!);
    // The completions of the last cycle come right after their status change (same partition).
    await h.waitForAccount(id('done-twice'), (a) => a.lifecycle[ONBOARDING]?.completions.length === 2);
    await h.waitForAccount(id('done-once'), (a) => a.lifecycle[ONBOARDING]?.completions.length === 1);
  });

  afterAll(async () => {
    await h.stop();
  });

  const attr = (condition: Record<string, unknown>) => ({ attribute: ONBOARDING, ...condition });

  it('isOneOf with day comparisons: canceled accounts never match days (L10), but match the stage', async () => {
    expect(await preview(attr({ isOneOf: ['Kickoff'] }))).toEqual(['canceled-stuck', 'fresh', 'stuck']);
    expect(await preview(attr({ isOneOf: ['kickoff'], daysInStage: { gt: 30 } }))).toEqual(['stuck']);
    expect(await preview(attr({ isOneOf: ['Kickoff'], daysInStage: { eq: 40 } }))).toEqual(['stuck']);
    expect(await preview(attr({ isOneOf: ['Kickoff'], daysInStage: { lte: 5 } }))).toEqual(['fresh']);
    expect(await preview(attr({ isOneOf: ['Configuration'], daysInAttribute: { gte: 20 } }))).toEqual(['config', 'old-change']);
    expect(await preview(attr({ isOneOf: ['Configuration'], daysInStage: { lt: 10 }, daysInAttribute: { gte: 20 } }))).toEqual(['config']);
    // End stage: the counters are frozen (L5): the first cycle of "done-once" took 80 days.
    expect(await preview(attr({ isOneOf: ['Go Live'], daysInAttribute: { eq: 80 } }))).toEqual(['done-once']);
  });

  it('isNotOneOf and doesNotExist include accounts with no value (never set, or cleared)', async () => {
    expect(await preview(attr({ isNotOneOf: ['Go Live'] }))).toEqual(
      ['canceled-stuck', 'cleared', 'config', 'fresh', 'impl', 'none', 'old-change', 'stuck'].sort(),
    );
    expect(await preview(attr({ doesNotExist: true }))).toEqual(['cleared', 'none']);
  });

  it('changed: only toStage, only fromStage, None, and windows that exclude older changes', async () => {
    expect(await preview(attr({ changed: { toStage: 'Configuration' } }))).toEqual(['config', 'old-change']);
    expect(await preview(attr({ changed: { toStage: 'Configuration', lastDays: 30 } }))).toEqual(['config']);
    expect(await preview(attr({ changed: { fromStage: 'Kickoff', lastDays: 30 } }))).toEqual(['cleared', 'config', 'done-twice', 'impl']);
    expect(await preview(attr({ changed: { fromStage: 'Kickoff', toStage: 'Implementation' } }))).toEqual(['impl']);
    expect(await preview(attr({ changed: { toStage: null } }))).toEqual(['cleared']);
    expect(await preview(attr({ changed: { fromStage: null, lastDays: 20 } }))).toEqual(['cleared', 'fresh']);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    expect(await preview(attr({ changed: { from: day(daysAgo(65)), to: day(daysAgo(55)) } }))).toEqual(['old-change']);
  });

  it('completed: ever, in the last days, and in a window — across several cycles', async () => {
    expect(await preview(attr({ completed: true }))).toEqual(['done-once', 'done-twice']);
    expect(await preview(attr({ completed: { lastDays: 30 } }))).toEqual(['done-twice']);
    expect(await preview(attr({ completed: { from: daysAgo(160).toISOString(), to: daysAgo(140).toISOString() } }))).toEqual([
      'done-twice',
    ]);
    expect(await preview(attr({ completed: { from: daysAgo(130).toISOString(), to: daysAgo(110).toISOString() } }))).toEqual(['done-once']);
    const twice = await h.projection(id('done-twice'));
    expect(twice?.lifecycle[ONBOARDING]).toMatchObject({ cycle: 2, completedCycles: 2, running: false, stageId: STAGE.goLive });
  });

  it('account fields: client type, owner, canceled, renewal within N days', async () => {
    expect(await preview({ field: 'clientType', isOneOf: ['enterprise'] })).toEqual(['canceled-stuck', 'stuck']);
    expect(await preview({ field: 'ownerId', isOneOf: ['csm-1'] })).toEqual(['stuck']);
    expect(await preview({ field: 'canceled', is: true })).toEqual(['canceled-stuck']);
    expect(await preview({ field: 'renewalDate', withinDays: 30 })).toEqual(['stuck']);
    expect(
      await preview({
        all: [
          attr({ isOneOf: ['Kickoff'] }),
          {
            any: [
              { field: 'clientType', isOneOf: ['enterprise'] },
              { field: 'renewalDate', withinDays: 90 },
            ],
          },
        ],
      }),
    ).toEqual(['canceled-stuck', 'fresh', 'stuck']);
  });

  it('disabled stages stay usable and renamed stages resolve by their new name (A5, S2)', async () => {
    await h.publisher.publish(
      'attribute.updated',
      onboardingAttribute(2, { [STAGE.configuration]: { name: 'Setup' }, [STAGE.implementation]: { disabled: true } }),
    );
    await waitFor(
      'the renamed stage',
      async () => (await h.api('POST', '/v1/segments/preview', { criteria: attr({ isOneOf: ['Setup'] }) })).status === 200,
    );
    expect(await preview(attr({ isOneOf: ['Setup'] }))).toEqual(['config', 'old-change']);
    expect(await preview(attr({ isOneOf: ['Implementation'] }))).toEqual(['impl']);
    expect(await preview(attr({ isOneOf: [STAGE.configuration] }))).toEqual(['config', 'old-change']);

    const stale = await h.api<{ statusCode: number; details: { code: string; issues: { path: string; message: string }[] } }>(
      'POST',
      '/v1/segments/preview',
      {
        criteria: { all: [attr({ isOneOf: ['Kickoff', 'Configuration'] })] },
      },
    );
    expect(stale.status).toBe(422);
    expect(stale.body.details).toEqual({
      code: 'INVALID_CRITERIA',
      issues: [{ path: 'criteria.all[0].isOneOf[1]', message: expect.stringContaining('Configuration') }],
    });
  });

  it('invalid criteria are a 400 naming every problem with its path', async () => {
    const { status, body } = await h.api<{
      statusCode: number;
      error: string;
      message: string;
      details: { code: string; issues: { path: string; message: string }[] };
    }>('POST', '/v1/segments/preview', {
      criteria: {
        any: [
          { attribute: 'nope', isOneOf: ['x'] },
          attr({ isOneOf: ['Kickoff'], daysInStage: { gt: -1 } }),
          { attribute: ONBOARDING, $where: '1' },
        ],
      },
    });
    expect(status).toBe(422);
    expect(body.error).toBe('Unprocessable Entity');
    expect(body.details.code).toBe('INVALID_CRITERIA');
    expect(body.details.issues.map((d) => d.path)).toEqual([
      'criteria.any[0].attribute',
      'criteria.any[1].daysInStage.gt',
      'criteria.any[2].$where',
    ]);
    expect((await h.api('POST', '/v1/segments/preview', {})).status).toBe(400);
  });

  it('saved segments: CRUD, paged members with a total, and the progress board now and as of a past date', async () => {
    const created = await h.api<SegmentResponse>('POST', '/v1/segments', {
      name: 'Onboarding in progress',
      criteria: attr({ isOneOf: ['Kickoff', 'Setup', 'Implementation'] }),
    });
    expect(created.status).toBe(201);
    expect(created.body.criteria).toEqual(attr({ isOneOf: [STAGE.kickoff, STAGE.configuration, STAGE.implementation] }));
    expect(created.body.membershipJobId).toMatch(/^segments-/);
    const segment = created.body.id;

    const page1 = await h.api<MembersPageResponse>('GET', `/v1/segments/${segment}/members?page=1&pageSize=4`);
    const page2 = await h.api<MembersPageResponse>('GET', `/v1/segments/${segment}/members?page=2&pageSize=4`);
    expect(page1.body.total).toBe(6);
    expect(page1.body.items).toHaveLength(4);
    expect(page2.body.items).toHaveLength(2);
    const all = [...page1.body.items, ...page2.body.items].map((m) => m.accountId);
    expect(all).toEqual([...all].sort());
    expect(new Set(all)).toEqual(new Set(['stuck', 'fresh', 'canceled-stuck', 'config', 'old-change', 'impl'].map(id)));
    expect((await h.api('GET', `/v1/segments/${segment}/members?pageSize=500`)).status).toBe(400);

    const board = await h.api<ProgressView>('GET', `/v1/segments/${segment}/progress?attribute=${ONBOARDING}`);
    expect(board.status).toBe(200);
    expect(board.body.groups.map((g) => [g.name, g.count])).toEqual([
      ['Kickoff', 3],
      ['Setup', 2],
      ['Implementation', 1],
      ['Go Live', 0],
      ['None', 0],
    ]);
    // The canceled account is counted, not measured (L10).
    expect(board.body.groups[0]!.daysInStage).toEqual({ accounts: 2, avg: 22.5, median: 22.5, max: 40 });
    expect(board.body.groups[1]!.daysInStage).toMatchObject({ accounts: 2, max: 60 });

    const past = await h.api<ProgressView>(
      'GET',
      `/v1/segments/${segment}/progress?attribute=${ONBOARDING}&asOf=${daysAgo(50).toISOString()}`,
    );
    expect(past.body.groups.map((g) => [g.name, g.count])).toEqual([
      ['Kickoff', 0],
      ['Setup', 1],
      ['Implementation', 0],
      ['Go Live', 0],
      ['None', 5],
    ]);
    expect(past.body.groups[1]).toMatchObject({ accountIds: [id('old-change')], daysInStage: { median: 10 } });
    const future = await h.api('GET', `/v1/segments/${segment}/progress?attribute=${ONBOARDING}&asOf=2999-01-01`);
    expect(future.status).toBe(422);
    expect((await h.api('GET', `/v1/segments/${segment}/progress?attribute=unknown-attr`)).status).toBe(404);

    const renamed = await h.api<SegmentResponse>('PATCH', `/v1/segments/${segment}`, {
      name: 'In progress',
      criteria: attr({ isOneOf: ['Kickoff'] }),
    });
    expect(renamed.body).toMatchObject({ name: 'In progress', version: 2, criteria: attr({ isOneOf: [STAGE.kickoff] }) });
    expect((await h.api<MembersPageResponse>('GET', `/v1/segments/${segment}/members`)).body.total).toBe(3);
    expect((await h.api<{ items: SegmentResponse[]; total: number }>('GET', '/v1/segments')).body.total).toBe(1);

    expect((await h.api('DELETE', `/v1/segments/${segment}`)).status).toBe(200);
    expect((await h.api<{ statusCode: number }>('GET', `/v1/segments/${segment}`)).status).toBe(404);
    expect((await h.api('GET', `/v1/segments/${segment}/members`)).status).toBe(404);
  });

  it('lifecycle report: stages over time, conversion, median / p90 days, restarted and cleared cycles', async () => {
    const to = new Date(Date.now() + MS_PER_DAY).toISOString().slice(0, 10);
    const from = daysAgo(250).toISOString().slice(0, 10);
    const { status, body } = await h.api<LifecycleReport>(
      'GET',
      `/v1/reports/lifecycle?attribute=${ONBOARDING}&from=${from}&to=${to}&interval=month`,
    );
    expect(status).toBe(200);
    expect(body.cycles).toEqual({ inScope: 10, completed: 3, running: 6, cleared: 1, restarted: 1, movedBack: 0 });
    const kickoff = body.stages.find((s) => s.stageId === STAGE.kickoff)!;
    expect(kickoff).toMatchObject({ name: 'Kickoff', accounts: 3, entered: 10, advanced: 6, conversion: 0.6 });
    expect(body.stages.find((s) => s.stageId === STAGE.goLive)).toMatchObject({ accounts: 2, conversion: null });
    expect(body.cycleDays).toEqual({ count: 3, medianDays: 80, p90Days: 90 });
    const last = body.timeline[body.timeline.length - 1]!;
    expect(last.stages[STAGE.kickoff]).toBe(3);
    expect(last.none).toBe(1);
    expect((await h.api('GET', `/v1/reports/lifecycle?attribute=${ONBOARDING}&from=2025-02-30`)).status).toBe(422);
    expect((await h.api('GET', `/v1/reports/lifecycle?attribute=${ONBOARDING}&from=1990-01-01&interval=day`)).status).toBe(422);
  });

  it('a second instance rebuilds the same projection from the topics alone (fresh database, new group)', async () => {
    const rebuilt = new SegmentEvaluationHarness('rebuild', h.config.kafka.topicPrefix);
    try {
      await rebuilt.start();
      const criteria = attr({ isNotOneOf: ['Go Live'] });
      const expected = (await h.api<PreviewResponse>('POST', '/v1/segments/preview', { criteria, pageSize: 200 })).body;
      await waitFor('the rebuilt projection', async () => {
        const { status, body } = await rebuilt.api<PreviewResponse>('POST', '/v1/segments/preview', { criteria, pageSize: 200 });
        return (
          status === 200 &&
          body.count === expected.count &&
          (await rebuilt.projection(id('done-twice')))?.lifecycle[ONBOARDING]?.completions.length === 2
        );
      });
      const original = await h.projection(id('done-twice'));
      const copy = await rebuilt.projection(id('done-twice'));
      expect(copy?.lifecycle).toEqual(original?.lifecycle);
    } finally {
      await rebuilt.stop();
    }
  });
});
