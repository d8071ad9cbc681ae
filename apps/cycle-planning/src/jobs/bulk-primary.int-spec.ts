import { MongoClient } from 'mongodb';
import { CyclePlanningHarness, day, waitFor } from '../testing/cycle-planning.harness';
import { singleTaskBody } from '../testing/cycle-templates.fixture';
import type { CycleResponse } from '../cycles/dto/cycle.response';
import type { JobResponse } from '@lifecycle/http';

describe('bulk primary cycle (C13) over HTTP and Kafka', () => {
  const h = new CyclePlanningHarness('bulk');

  beforeAll(async () => {
    await h.start();
    await h.ok('POST', '/v1/cycle-templates', singleTaskBody('focus'));
  });

  afterAll(async () => {
    await h.stop();
  });

  async function account(label: string): Promise<string> {
    const accountId = h.uniqueAccount(label);
    await h.seedAccount({ accountId, name: label, ownerId: 'csm-1', subscription: { active: true, renewalDate: '2026-06-30' } });
    return accountId;
  }

  const primaryTemplate = async (accountId: string) =>
    (await h.ok<{ primaryCycle: { templateId: string } | null }>('GET', `/v1/accounts/${accountId}/primary-cycle`)).primaryCycle
      ?.templateId ?? null;

  it('by account ids: makes the running cycle primary, assigns the template where it is missing, skips unknown accounts', async () => {
    const running = await account('running'); // runs focus, not primary
    const runningCycle = await h.ok<CycleResponse>('POST', `/v1/accounts/${running}/cycles`, {
      templateId: 'focus',
      startDate: '2026-01-05T00:00:00Z',
    });
    const missing = await account('missing'); // does not run focus
    const already = await account('already'); // focus is already primary
    await h.ok('POST', `/v1/accounts/${already}/cycles`, { templateId: 'focus', primary: true });

    const { jobId } = await h.ok<{ jobId: string }>(
      'POST',
      '/v1/bulk/primary-cycle',
      { templateId: 'focus', accountIds: [running, missing, already, 'ghost-account'] },
      202,
    );
    expect(jobId).toMatch(/^cycles-recalculation-bulk-primary-/);
    const { job, progress } = await h.waitForJob(jobId);
    expect(job).toMatchObject({ jobId, queue: 'cycles-recalculation', name: 'bulk-primary', state: 'completed', failedReason: null });
    expect(job.result).toEqual({ templateId: 'focus', accounts: 4, counts: { unchanged: 1, primarySet: 1, assigned: 1, skipped: 1 } });
    expect(job.progress).toMatchObject({ processed: 4, total: 4, percent: 100 });
    expect(progress.length).toBeGreaterThan(0);

    for (const accountId of [running, missing, already]) expect(await primaryTemplate(accountId)).toBe('focus');
    expect((await h.cycles(running)).primaryCycleId).toBe(runningCycle.cycleId);
    const assigned = (await h.cycles(missing)).cycles.find((c) => c.templateId === 'focus')!;
    expect(day(assigned.startDate)).toBe(day(new Date())); // started on the request's date
    expect(assigned.stages[0]!.activities[0]!.tasks[0]!.dueDate).toBe(day(new Date(Date.now() + 3 * 86_400_000)));

    await h.waitForEvents('the assignment', 1, 'cycle.assigned', missing);
    const changes = await waitFor('primary changes', () =>
      [running, missing].every((a) =>
        h.events('cycle.primary-changed', a).some((e) => e.data.cycleId !== null && e.data.previousCycleId !== null),
      )
        ? true
        : undefined,
    );
    expect(changes).toBe(true);
    expect(h.events('cycle.primary-changed', already)).toHaveLength(2); // default at creation, then the explicit assignment; nothing from the job
  });

  it('by segment: applies to the current members of the segment, from the segment.membership events', async () => {
    const [b1, b2, b3] = [await account('seg1'), await account('seg2'), await account('seg3')];
    await h.publisher.publish('segment.entered', { segmentId: 'stuck-in-kickoff', accountId: b1 });
    await h.publisher.publish('segment.entered', { segmentId: 'stuck-in-kickoff', accountId: b2 });
    await h.publisher.publish('segment.entered', { segmentId: 'stuck-in-kickoff', accountId: b3 });
    await h.publisher.publish('segment.exited', { segmentId: 'stuck-in-kickoff', accountId: b3 });
    const client = await MongoClient.connect(h.config.mongo.url);
    try {
      const members = client.db().collection<{ _id: string; member: boolean }>('segment_members');
      await waitFor('the memberships', async () => {
        const docs = await members.find({ segmentId: 'stuck-in-kickoff' }).toArray();
        return docs.length === 3 && docs.find((d) => d._id.endsWith(b3))?.member === false;
      });
    } finally {
      await client.close();
    }

    const { jobId } = await h.ok<{ jobId: string }>(
      'POST',
      '/v1/bulk/primary-cycle',
      { templateId: 'focus', segmentId: 'stuck-in-kickoff' },
      202,
    );
    const { job } = await h.waitForJob(jobId);
    expect(job.result).toEqual({ templateId: 'focus', accounts: 2, counts: { unchanged: 0, primarySet: 0, assigned: 2, skipped: 0 } });
    expect([await primaryTemplate(b1), await primaryTemplate(b2), await primaryTemplate(b3)]).toEqual([
      'focus',
      'focus',
      'default-successcycle',
    ]);
  });

  it('refuses to bulk-edit stages, with a clear message, and other malformed requests', async () => {
    const stage = await h.api<{ message: string; details: { code: string; field: string } }>('POST', '/v1/bulk/primary-cycle', {
      templateId: 'focus',
      accountIds: ['a'],
      stage: 'Kickoff',
    });
    expect(stage.status).toBe(400);
    expect(stage.body.message).toBe('Stages cannot be edited in bulk; only the primary cycle can (remove "stage" from the request)');
    expect(stage.body.details).toMatchObject({ code: 'BULK_STAGE_EDIT_NOT_SUPPORTED', field: 'stage' });

    // Exactly one of accountIds and segmentId: a rule over two fields (422).
    expect((await h.api('POST', '/v1/bulk/primary-cycle', { templateId: 'focus', accountIds: ['a'], segmentId: 's' })).status).toBe(422);
    expect((await h.api('POST', '/v1/bulk/primary-cycle', { templateId: 'focus' })).status).toBe(422);
    const unknownField = await h.api<{ details: { fields: { field: string }[] } }>('POST', '/v1/bulk/primary-cycle', {
      templateId: 'focus',
      accountIds: ['a'],
      color: 'red',
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.details.fields[0]!.field).toBe('color');
    expect((await h.api('POST', '/v1/bulk/primary-cycle', { templateId: 'nope', accountIds: ['a'] })).status).toBe(404);
    expect((await h.api<JobResponse>('GET', '/v1/jobs/cycles-recalculation-bulk-primary-nope')).status).toBe(404);
  });
});
