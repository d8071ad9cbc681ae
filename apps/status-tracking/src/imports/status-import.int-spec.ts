import { randomUUID } from 'node:crypto';
import { Topics } from '@lifecycle/contracts';
import { waitFor } from '@lifecycle/testing';
import { dayRolledEventId } from '../daily-counters/day-rolled-id';
import { LifecycleStateRepository } from '../statuses/lifecycle-state.repository';
import { LifecycleDaysRepository } from '../daily-counters/lifecycle-days.repository';
import { utcDay } from '../daily-counters/materialized-days';
import { StatusImportService, SYNC_IMPORT_BUDGET_MS } from './status-import.service';
import { daysByStage, ONBOARDING, StatusTrackingHarness, timeline } from '../testing/status-tracking.harness';

interface ReportRow {
  row: number;
  accountId: string;
  value: string;
  status: string;
  reason: string | null;
}

interface ImportAnswer {
  importId: string;
  jobId: string | null;
  status: string;
  rejected: boolean;
  totalRows: number | null;
  summary: Record<string, number>;
  rows: ReportRow[];
  truncated: boolean;
  reportUrl: string;
  message?: string;
  details?: { code: string };
}

interface JobAnswer {
  state: string;
  progress: Record<string, unknown>;
  result: Record<string, unknown> | null;
  failedReason: string | null;
}

describe('CSV import and daily counters (real broker, database, Redis)', () => {
  const h = new StatusTrackingHarness('imports');
  const ago = timeline();
  const run = randomUUID().slice(0, 6);
  const id = (name: string) => `${name}-${run}`;
  const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
  const upload = (body: string, query = '', headers: Record<string, string> = {}) =>
    h.api<ImportAnswer>('POST', `/v1/imports/statuses${query}`, body, headers);
  const statuses = (answer: ImportAnswer) => answer.rows.map((r) => `${r.row}:${r.status}`);
  const historyLength = async (accountId: string) =>
    (await h.api<{ entries: unknown[] }>('GET', `/v1/accounts/${accountId}/statuses/${ONBOARDING}/history`)).body.entries.length;

  const mixed = csv(
    'accountId,attributeKey,stage,at',
    `${id('imp-a')},${ONBOARDING},Kickoff,${ago(10)}`,
    `${id('imp-a')},${ONBOARDING},Configuration,${ago(4)}`,
    `${id('imp-b')},${ONBOARDING},Kickof,`,
    `${id('imp-c')},nps-status,Open,`,
    `,${ONBOARDING},Kickoff,`,
    `${id('imp-d')},${ONBOARDING},Go Live,yesterday`,
    `${id('imp-e')},${ONBOARDING},Kickoff`,
  );

  beforeAll(async () => {
    await h.start([h.topic(Topics.LifecycleTicks), h.topic(Topics.LifecycleStatus)]);
    await h.seedAttribute();
  });

  afterAll(async () => {
    await h.stop();
  });

  it('L13: applies the valid rows of a mixed file and reports the others by row with the reason', async () => {
    const { status, body } = await upload(mixed);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'completed', rejected: false, totalRows: 7, truncated: false });
    expect(body.summary).toMatchObject({ rows: 7, applied: 3, invalid: 4, duplicate: 0, noop: 0 });
    expect(statuses(body)).toEqual(['2:applied', '3:applied', '4:invalid', '5:invalid', '6:invalid', '7:invalid', '8:applied']);
    const reasons = Object.fromEntries(body.rows.map((r) => [r.row, r.reason]));
    expect(reasons[4]).toBe(
      'Stage "Kickof" is not a stage of attribute "onboarding-status"; allowed stages: Kickoff, Configuration, Implementation, Go Live',
    );
    expect(reasons[5]).toBe('Attribute "nps-status" does not exist; known attributes: onboarding-status');
    expect(reasons[6]).toBe('accountId is empty');
    expect(reasons[7]).toBe('at "yesterday" is not an ISO-8601 timestamp');
    expect(body.rows[2]).toMatchObject({ accountId: id('imp-b'), value: 'Kickof' });

    expect(daysByStage(await h.lifecycle(id('imp-a')))).toEqual({ Kickoff: 6, Configuration: 4, Implementation: 0, 'Go Live': 0 });
    expect((await h.lifecycle(id('imp-e'))).stage?.name).toBe('Kickoff');
    const history = await h.api<{ entries: { source: string }[] }>('GET', `/v1/accounts/${id('imp-a')}/statuses/${ONBOARDING}/history`);
    expect(history.body.entries.map((e) => e.source)).toEqual(['csv', 'csv']);

    const invalidOnly = await h.api<{ rows: ReportRow[]; total: number }>('GET', `${body.reportUrl}?status=invalid&pageSize=2&page=2`);
    expect(invalidOnly.body).toMatchObject({ total: 4, rows: [{ row: 6 }, { row: 7 }] });
  });

  it('L12: the same file again changes nothing (every applied row is a duplicate)', async () => {
    const { body } = await upload(mixed);
    expect(body.summary).toMatchObject({ rows: 7, applied: 0, duplicate: 3, invalid: 4 });
    expect(statuses(body)).toEqual(['2:duplicate', '3:duplicate', '4:invalid', '5:invalid', '6:invalid', '7:invalid', '8:duplicate']);
    expect(await historyLength(id('imp-a'))).toBe(2);
    expect(daysByStage(await h.lifecycle(id('imp-a')))).toEqual({ Kickoff: 6, Configuration: 4, Implementation: 0, 'Go Live': 0 });
  });

  it('L13 atomic: one invalid row and nothing is applied; all valid and all are applied', async () => {
    const account = id('atomic');
    const refused = await upload(
      csv('accountId,attributeKey,stage', `${account},${ONBOARDING},Kickoff`, `${account},${ONBOARDING},Nope`),
      '?atomic=true',
    );
    expect(refused.body).toMatchObject({ status: 'completed', rejected: true, summary: { rows: 2, valid: 1, invalid: 1, applied: 0 } });
    expect(statuses(refused.body)).toEqual(['2:valid', '3:invalid']);
    expect((await h.api('GET', `/v1/accounts/${account}`)).status).toBe(404);

    const accepted = await upload(
      csv(
        'accountId,attributeKey,stage,at',
        `${account},${ONBOARDING},Kickoff,${ago(3)}`,
        `${account},${ONBOARDING},Implementation,${ago(1)}`,
      ),
      '?atomic=true',
    );
    expect(accepted.body).toMatchObject({ rejected: false, summary: { rows: 2, applied: 2, valid: 0, invalid: 0 } });
    expect(daysByStage(await h.lifecycle(account))).toMatchObject({ Kickoff: 2, Implementation: 1 });
  });

  it('L13 dryRun: validates against earlier rows of the file and applies nothing', async () => {
    const account = id('dry');
    const { body } = await upload(
      csv(
        'accountId,attributeKey,stage',
        `${account},${ONBOARDING},Kickoff`,
        `${account},${ONBOARDING},kickoff`,
        `${account},${ONBOARDING},Launch`,
        `${account},${ONBOARDING},`,
      ),
      '?dryRun=true',
    );
    expect(body).toMatchObject({ status: 'completed', rejected: false, summary: { rows: 4, valid: 2, noop: 1, invalid: 1, applied: 0 } });
    expect(statuses(body)).toEqual(['2:valid', '3:noop', '4:invalid', '5:valid']);
    expect((await h.api('GET', `/v1/accounts/${account}`)).status).toBe(404);
  });

  it('refuses what is not a readable status CSV, whole, before any change', async () => {
    const wrongType = await h.api<ImportAnswer>('POST', '/v1/imports/statuses', { accountId: 'x' });
    expect(wrongType.status).toBe(415);
    const badHeader = await upload(csv('account,attribute,stage', `${id('hdr')},${ONBOARDING},Kickoff`));
    expect(badHeader.status).toBe(422);
    expect(badHeader.body.details).toMatchObject({ code: 'IMPORT_UNREADABLE' });
    expect(badHeader.body.message).toMatch(/missing column\(s\) accountId, attributeKey; unexpected column\(s\) "account", "attribute"/);
    const broken = await upload(
      csv('accountId,attributeKey,stage', `${id('broken')},${ONBOARDING},Kickoff`, `${id('broken')},"${ONBOARDING},Kickoff`),
    );
    expect(broken.status).toBe(422);
    // Refused before anything was queued, in an async import too (its header is read at once).
    expect((await upload(csv('account,attribute,stage'), '?async=true')).status).toBe(422);
    expect((await h.api('GET', `/v1/accounts/${id('broken')}`)).status).toBe(404);
    expect((await h.api('GET', `/v1/imports/statuses/${randomUUID()}`)).status).toBe(404);
  });

  it('L13 async: a larger file imports in a BullMQ job with progress, rows in file order per account', async () => {
    const accounts = Array.from({ length: 20 }, (_, i) => id(`bulk${i}`));
    const stages = ['Kickoff', 'Configuration', 'Implementation', 'Configuration', 'Go Live', 'Kickoff', 'Implementation', 'Launch'];
    // Eight rows per account, interleaved across accounts: 160 rows.
    const lines = stages.flatMap((stage, step) => accounts.map((account) => `${account},${ONBOARDING},${stage},${ago(10 - step)}`));
    const { status, body } = await upload(csv('accountId,attributeKey,stage,at', ...lines), '?async=true');
    expect(status).toBe(202);
    expect(body.jobId).toBe(`tracking-imports-${body.importId}`);

    const job = await waitFor(
      'the import job to complete',
      async () => {
        const { body: answer } = await h.api<JobAnswer>('GET', `/v1/jobs/${body.jobId}`);
        return answer.state === 'completed' || answer.state === 'failed' ? answer : undefined;
      },
      40_000,
      200,
    );
    expect(job.state).toBe('completed');
    expect(job.progress).toMatchObject({ phase: 'applying', rowsDone: 160, totalRows: 160 });
    expect(job.result).toMatchObject({ status: 'completed', counts: { rows: 160, applied: 140, invalid: 20 } });

    const report = await h.api<ImportAnswer>('GET', `/v1/imports/statuses/${body.importId}`);
    expect(report.body).toMatchObject({ status: 'completed', summary: { applied: 140, invalid: 20 } });
    // Kickoff → Configuration → Implementation → Configuration (back) → Go Live (cycle 1 done) → Kickoff (cycle 2) → Implementation.
    const lifecycle = await h.lifecycle(accounts[7]!);
    expect(lifecycle).toMatchObject({ stage: { name: 'Implementation' }, cycle: 2, completedCycles: 1, daysInAttribute: 5 });
    expect(daysByStage(lifecycle)).toEqual({ Kickoff: 1, Configuration: 0, Implementation: 4, 'Go Live': 0 });
    expect(daysByStage(lifecycle, 'totalDays')).toEqual({ Kickoff: 2, Configuration: 2, Implementation: 5, 'Go Live': 0 });
  });

  it('L13: chunks without a common account apply side by side; the rows of one account keep file order across chunks', async () => {
    const accounts = Array.from({ length: 750 }, (_, i) => id(`chunks${i}`));
    // Rows without `at` take the time they are applied, so only file order gives Configuration last.
    // Chunk 1: accounts 0–499 Kickoff. Chunk 2: 0–249 Configuration (waits for chunk 1), 500–749
    // Kickoff. Chunk 3: 250–499 Configuration (nothing in common with chunk 2: starts beside it).
    const lines = [
      ...accounts.slice(0, 500).map((a) => `${a},${ONBOARDING},Kickoff,`),
      ...accounts.slice(0, 250).map((a) => `${a},${ONBOARDING},Configuration,`),
      ...accounts.slice(500, 750).map((a) => `${a},${ONBOARDING},Kickoff,`),
      ...accounts.slice(250, 500).map((a) => `${a},${ONBOARDING},Configuration,`),
    ];
    const { status, body } = await upload(csv('accountId,attributeKey,stage,at', ...lines));
    expect(status).toBe(200);
    expect(body.summary).toMatchObject({ rows: 1250, applied: 1250, invalid: 0, duplicate: 0, noop: 0 });
    for (const [account, stage] of [
      [accounts[0]!, 'Configuration'],
      [accounts[249]!, 'Configuration'],
      [accounts[250]!, 'Configuration'],
      [accounts[499]!, 'Configuration'],
      [accounts[500]!, 'Kickoff'],
      [accounts[749]!, 'Kickoff'],
    ])
      expect((await h.lifecycle(account)).stage?.name).toBe(stage);
    const history = await h.api<{ entries: { to: { name: string } | null }[] }>(
      'GET',
      `/v1/accounts/${accounts[0]}/statuses/${ONBOARDING}/history`,
    );
    expect(history.body.entries.map((e) => e.to?.name)).toEqual(['Kickoff', 'Configuration']);
  });

  it('a synchronous import still running when its answer is due answers 202 and goes on as a job from its checkpoint', async () => {
    const service = h.get(StatusImportService);
    service.syncBudgetMs = 0;
    try {
      const accounts = Array.from({ length: 400 }, (_, i) => id(`handoff${i}`));
      // Three rows per account: 1 200 rows, three chunks; the first is applied before the answer.
      const lines = ['Kickoff', 'Configuration', 'Implementation'].flatMap((stage, step) =>
        accounts.map((account) => `${account},${ONBOARDING},${stage},${ago(5 - step)}`),
      );
      const { status, body } = await upload(csv('accountId,attributeKey,stage,at', ...lines));
      expect(status).toBe(202);
      expect(body.jobId).toContain(body.importId);
      const job = await waitFor(
        'the rest of the import as a job',
        async () => {
          const { body: answer } = await h.api<JobAnswer>('GET', `/v1/jobs/${body.jobId}`);
          return answer.state === 'completed' || answer.state === 'failed' ? answer : undefined;
        },
        60_000,
        200,
      );
      expect(job.state).toBe('completed');
      expect(job.result).toMatchObject({ status: 'completed', counts: { rows: 1200, applied: 1200 } });
      expect((await h.lifecycle(accounts[399]!)).stage?.name).toBe('Implementation');
      expect(await historyLength(accounts[0]!)).toBe(3);
    } finally {
      service.syncBudgetMs = SYNC_IMPORT_BUDGET_MS;
    }
  });

  it('GET /v1/jobs answers 404 for ids that are not jobs of status tracking', async () => {
    expect((await h.api('GET', '/v1/jobs/tracking-imports-nope')).status).toBe(404);
    expect((await h.api('GET', '/v1/jobs/cycles-recalculation-1')).status).toBe(404);
  });

  it('L14: the daily counters job materializes every state in batches and announces day.rolled once per day', async () => {
    const canceled = id('gone');
    await h.seedAccount({ accountId: canceled, name: 'Gone', canceled: true });
    await h.setStatus(canceled, 'Kickoff', ago(2));

    const started = await h.api<{ jobId: string }>('POST', '/v1/internal/daily-counters/run', {});
    expect(started.status).toBe(202);
    const job = await waitFor(
      'the daily counters job',
      async () => {
        const { body } = await h.api<JobAnswer>('GET', `/v1/jobs/${started.body.jobId}`);
        return body.state === 'completed' || body.state === 'failed' ? body : undefined;
      },
      30_000,
      200,
    );
    expect(job.failedReason).toBeNull();
    const day = utcDay(new Date());
    const states = h.get(LifecycleStateRepository);
    const all = [];
    for await (const batch of states.batchesAfter(null, 1_000)) all.push(...batch);
    expect(job.result).toEqual({ day, statesSeen: all.length, statesMaterialized: all.length - 1 });
    expect(job.progress).toMatchObject({ day, statesSeen: all.length });

    const days = h.get(LifecycleDaysRepository);
    expect(await days.get(id('imp-a'), ONBOARDING)).toMatchObject({
      day,
      canceled: false,
      stageId: 'stg-configuration',
      daysInStage: 4,
      daysInAttribute: 10,
    });
    expect(await days.get(canceled, ONBOARDING)).toMatchObject({
      canceled: true,
      stageId: 'stg-kickoff',
      daysInStage: null,
      daysInAttribute: null,
    });

    const rolled = await waitFor('day.rolled', () =>
      h.recorder.on(h.topic(Topics.LifecycleTicks)).find((m) => m.json.type === 'day.rolled'),
    );
    expect(rolled.json).toMatchObject({ id: dayRolledEventId(day), data: { day, statesMaterialized: all.length - 1 } });
    expect(rolled.key).toBe(day);
  });
});
