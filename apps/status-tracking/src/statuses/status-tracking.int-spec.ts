import { randomUUID } from 'node:crypto';
import { Topics, type AttributePayload } from '@lifecycle/contracts';
import { buildEnvelope } from '@lifecycle/messaging';
import { waitFor } from '@lifecycle/testing';
import { LifecycleStateRepository } from './lifecycle-state.repository';
import {
  daysAgo,
  daysByStage,
  onboardingAttribute,
  ONBOARDING,
  StatusTrackingHarness,
  timeline,
  type AccountAnswer,
} from '../testing/status-tracking.harness';

interface HistoryAnswer {
  entries: {
    from: { name: string } | null;
    to: { name: string } | null;
    source: string;
    cause: string | null;
    effective: boolean;
    actor: string | null;
  }[];
}

const ESCALATION: AttributePayload = {
  key: 'escalation-status',
  name: 'Escalation Status',
  state: 'active',
  version: 1,
  stages: [
    { id: 'esc-open', name: 'Open', color: '#E53935', order: 1, endStage: false, disabled: false },
    { id: 'esc-legacy', name: 'Legacy Triage', color: '#9E9E9E', order: 2, endStage: false, disabled: true },
    { id: 'esc-closed', name: 'Closed', color: '#43A047', order: 3, endStage: true, disabled: false },
  ],
  updatedAt: new Date().toISOString(),
};

const RENEWAL_DRAFT: AttributePayload = {
  key: 'renewal-status',
  name: 'Renewal Status',
  state: 'draft',
  version: 1,
  stages: [{ id: 'ren-open', name: 'Open', color: '#1E88E5', order: 1, endStage: true, disabled: false }],
  updatedAt: new Date().toISOString(),
};

describe('status tracking over HTTP and Kafka (real broker, database, Redis)', () => {
  const h = new StatusTrackingHarness('tracking');
  /** What was published for an account, once per event id (delivery is at-least-once; consumers dedupe by id). */
  const statusEvents = (accountId: string) => {
    const seen = new Set<unknown>();
    return h.recorder.on(h.topic(Topics.LifecycleStatus)).filter((m) => m.key === accountId && !seen.has(m.json.id) && seen.add(m.json.id));
  };
  /** `cause:From>To` per status.changed, the type otherwise, in the order published. */
  const eventTrail = (accountId: string) =>
    statusEvents(accountId).map((m) => {
      const data = m.json.data as { cause?: string; from?: { name: string } | null; to?: { name: string } | null };
      return m.json.type === 'status.changed' ? `${data.cause}:${data.from?.name ?? '-'}>${data.to?.name ?? '-'}` : String(m.json.type);
    });
  const dlq = () => h.recorder.on(h.deadLetter(Topics.CrmAccountStatuses));
  const historyOf = async (accountId: string, key = ONBOARDING) =>
    (await h.api<HistoryAnswer>('GET', `/v1/accounts/${accountId}/statuses/${key}/history`)).body.entries;

  beforeAll(async () => {
    await h.start([h.topic(Topics.LifecycleStatus), h.deadLetter(Topics.CrmAccountStatuses)]);
    await Promise.all([h.seedAttribute(), h.seedAttribute(ESCALATION), h.seedAttribute(RENEWAL_DRAFT)]);
  });

  afterAll(async () => {
    await h.stop();
  });

  describe('rules over REST', () => {
    let ago = timeline();
    beforeEach(() => {
      ago = timeline();
    });

    it('L3/L9: backdated moves give exact day counts', async () => {
      const account = h.uniqueAccount('acme');
      const started = await h.setStatus(account, 'Kickoff', ago(10));
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ outcome: 'applied', recomputed: false, lifecycle: { cycle: 1, stage: { name: 'Kickoff' } } });
      expect((await h.setStatus(account, 'configuration', ago(4))).body.outcome).toBe('applied');

      const lifecycle = await h.lifecycle(account);
      expect(lifecycle).toMatchObject({
        stage: { id: 'stg-configuration', name: 'Configuration' },
        cycle: 1,
        completed: false,
        daysInAttribute: 10,
      });
      expect(daysByStage(lifecycle)).toEqual({ Kickoff: 6, Configuration: 4, Implementation: 0, 'Go Live': 0 });
      expect(lifecycle.stages[0]!.ms).toBe(6 * 86_400_000);
    });

    it('L4: moving back resets only the target stage', async () => {
      const account = h.uniqueAccount('back');
      await h.setStatus(account, 'Kickoff', ago(20));
      await h.setStatus(account, 'Configuration', ago(15));
      await h.setStatus(account, 'Implementation', ago(10));
      await h.setStatus(account, 'Configuration', ago(4));
      const lifecycle = await h.lifecycle(account);
      expect(daysByStage(lifecycle)).toEqual({ Kickoff: 5, Configuration: 4, Implementation: 6, 'Go Live': 0 });
      expect(daysByStage(lifecycle, 'totalDays')).toEqual({ Kickoff: 5, Configuration: 9, Implementation: 6, 'Go Live': 0 });
      const history = await historyOf(account);
      expect(history.map((e) => e.cause)).toEqual(['set', 'set', 'set', 'moved-back']);
      expect(history[3]).toMatchObject({ from: { name: 'Implementation' }, to: { name: 'Configuration' }, source: 'rest' });
    });

    it('L5/L6: an end stage freezes and completes; leaving it starts cycle 2 with cumulative totals kept', async () => {
      const account = h.uniqueAccount('golive');
      await h.setStatus(account, 'Kickoff', ago(30));
      await h.setStatus(account, 'Go Live', ago(20));
      const done = await h.lifecycle(account);
      expect(done).toMatchObject({ stage: { name: 'Go Live' }, completed: true, completedCycles: 1, cycle: 1, daysInAttribute: 10 });
      expect(done.lastCompletedAt).toBe(new Date(Date.parse(done.stageEnteredAt!)).toISOString());
      expect(daysByStage(done)).toEqual({ Kickoff: 10, Configuration: 0, Implementation: 0, 'Go Live': 0 });

      await h.setStatus(account, 'Configuration', ago(5));
      const again = await h.lifecycle(account);
      expect(again).toMatchObject({ stage: { name: 'Configuration' }, completed: false, completedCycles: 1, cycle: 2, daysInAttribute: 5 });
      expect(daysByStage(again)).toEqual({ Kickoff: 0, Configuration: 5, Implementation: 0, 'Go Live': 0 });
      expect(daysByStage(again, 'totalDays')).toEqual({ Kickoff: 10, Configuration: 5, Implementation: 0, 'Go Live': 0 });

      // L15: keyed by the account, in history order, the completed cycle's record among them.
      await waitFor('four events', () => statusEvents(account).length >= 4);
      expect(eventTrail(account)).toEqual([
        'set:->Kickoff',
        'set:Kickoff>Go Live',
        'lifecycle.completed',
        'cycle-restarted:Go Live>Configuration',
      ]);
      const completed = statusEvents(account)[2]!.json.data as { cycle: number; days: number; stages: { name: string; days: number }[] };
      expect(completed).toMatchObject({ cycle: 1, days: 10 });
      expect(completed.stages.map((s) => [s.name, s.days])).toEqual([
        ['Kickoff', 10],
        ['Configuration', 0],
        ['Implementation', 0],
        ['Go Live', 0],
      ]);
      const changed = statusEvents(account)[1]!.json.data as {
        daysInStageLeft: number;
        clock: { completed: boolean; frozenAttributeMs: number };
      };
      expect(changed.daysInStageLeft).toBe(10);
      expect(changed.clock).toMatchObject({ completed: true, frozenAttributeMs: 10 * 86_400_000 });
    });

    it('L7: clearing resets the running cycle; the next value starts a new one', async () => {
      const account = h.uniqueAccount('clear');
      await h.setStatus(account, 'Kickoff', ago(10));
      const cleared = await h.setStatus(account, null, ago(2));
      expect(cleared.body.lifecycle).toMatchObject({ stage: null, daysInAttribute: null, cycle: 1 });
      expect(daysByStage(cleared.body.lifecycle)).toEqual({ Kickoff: 0, Configuration: 0, Implementation: 0, 'Go Live': 0 });
      expect(daysByStage(cleared.body.lifecycle, 'totalDays')).toMatchObject({ Kickoff: 8 });
      expect((await h.setStatus(account, null)).body.outcome).toBe('noop');

      await h.setStatus(account, 'Kickoff', ago(1));
      expect(await h.lifecycle(account)).toMatchObject({ stage: { name: 'Kickoff' }, cycle: 2, daysInAttribute: 1 });
    });

    it('L10: a canceled account keeps its stage and shows null days; un-canceling resumes them', async () => {
      const account = h.uniqueAccount('canceled');
      await h.seedAccount({ accountId: account, name: 'Canceled Co', clientType: 'smb', canceled: true });
      const set = await h.setStatus(account, 'Kickoff', ago(3));
      expect(set.body).toMatchObject({
        outcome: 'applied',
        canceled: true,
        lifecycle: { stage: { name: 'Kickoff' }, daysInAttribute: null, msInAttribute: null },
      });
      const view = (await h.api<AccountAnswer>('GET', `/v1/accounts/${account}`)).body;
      expect(view).toMatchObject({ accountId: account, name: 'Canceled Co', canceled: true });
      expect(view.lifecycle[ONBOARDING]!.stages.every((s) => s.days === null && s.totalDays === null)).toBe(true);

      await h.seedAccount({ accountId: account, name: 'Canceled Co', canceled: false });
      expect(await h.lifecycle(account)).toMatchObject({ daysInAttribute: 3, stages: [{ name: 'Kickoff', days: 3 }, {}, {}, {}] });
    });

    it('L11: a late (backdated) change is inserted in time order, recomputes and re-emits only what changed', async () => {
      const account = h.uniqueAccount('late');
      await h.setStatus(account, 'Kickoff', ago(10));
      await h.setStatus(account, 'Implementation', ago(2));
      const late = await h.setStatus(account, 'Configuration', ago(6));
      expect(late.body).toMatchObject({ outcome: 'applied', recomputed: true, lifecycle: { stage: { name: 'Implementation' } } });
      expect(daysByStage(await h.lifecycle(account))).toEqual({ Kickoff: 4, Configuration: 4, Implementation: 2, 'Go Live': 0 });

      await waitFor('the recomputation events', () => statusEvents(account).length >= 5);
      expect(eventTrail(account)).toEqual([
        'set:->Kickoff',
        'set:Kickoff>Implementation',
        'set:Kickoff>Configuration',
        'recomputed:Configuration>Implementation',
        'status.recomputed',
      ]);
      const recomputed = statusEvents(account)[4]!.json.data as { clock: { stageId: string; stageMsBefore: number } };
      expect(recomputed.clock).toMatchObject({ stageId: 'stg-implementation', stageMsBefore: 0 });
      expect((await historyOf(account)).map((e) => e.to?.name)).toEqual(['Kickoff', 'Configuration', 'Implementation']);
    });

    it('L1: refuses unknown and disabled stages, unknown and inactive attributes, future times, naming what is allowed', async () => {
      const account = h.uniqueAccount('rules');
      const unknownStage = await h.setStatus(account, 'Kickof');
      expect(unknownStage.status).toBe(422);
      expect(unknownStage.body.message).toBe(
        'Stage "Kickof" is not a stage of attribute "onboarding-status"; allowed stages: Kickoff, Configuration, Implementation, Go Live',
      );
      expect(unknownStage.body.details).toMatchObject({
        code: 'STAGE_UNKNOWN',
        allowedStages: ['Kickoff', 'Configuration', 'Implementation', 'Go Live'],
      });

      const disabled = await h.api('PUT', `/v1/accounts/${account}/statuses/escalation-status`, { stage: 'Legacy Triage' });
      expect(disabled.status).toBe(409);
      expect(disabled.body.message).toMatch(
        /Stage "Legacy Triage" of attribute "escalation-status" is disabled; allowed stages: Open, Closed/,
      );

      const unknownAttribute = await h.api('PUT', `/v1/accounts/${account}/statuses/nps-status`, { stage: 'Open' });
      expect(unknownAttribute.status).toBe(404);
      expect(unknownAttribute.body).toMatchObject({
        details: { code: 'ATTRIBUTE_UNKNOWN', knownAttributes: ['escalation-status', 'onboarding-status'] },
      });

      const draft = await h.api('PUT', `/v1/accounts/${account}/statuses/renewal-status`, { stage: 'Open' });
      expect(draft.status).toBe(409);
      expect(draft.body.message).toMatch(/not active \(state: draft\)/);

      const future = await h.setStatus(account, 'Kickoff', new Date(Date.now() + 3_600_000).toISOString());
      expect(future.status).toBe(422);
      expect(future.body.message).toMatch(/is in the future/);

      const badBody = await h.api('PUT', `/v1/accounts/${account}/statuses/${ONBOARDING}`, { stage: 5, at: 'yesterday' });
      expect(badBody.status).toBe(400);
      expect(badBody.body.message).toMatch(
        /stage: .*stage must be a stage name or id, or null to clear; at: at must be an ISO-8601 timestamp/,
      );

      // Nothing else changed (L1): no state, no history, so no account.
      expect((await h.api('GET', `/v1/accounts/${account}`)).status).toBe(404);
    });

    it('L8/L12: the same value is a no-op and a repeated Idempotency-Key changes nothing', async () => {
      const account = h.uniqueAccount('idem');
      const key = { 'Idempotency-Key': `req-${randomUUID()}` };
      expect((await h.setStatus(account, 'Kickoff', ago(3), key)).body.outcome).toBe('applied');
      const repeat = await h.setStatus(account, 'Kickoff', ago(3), key);
      expect(repeat.body).toMatchObject({ outcome: 'duplicate', lifecycle: { stage: { name: 'Kickoff' } } });
      expect((await h.setStatus(account, 'kickoff')).body.outcome).toBe('noop');
      expect(await historyOf(account)).toHaveLength(1);
    });

    it('stores a change whole or not at all: a write planned on an older version leaves the document as it is', async () => {
      const account = h.uniqueAccount('whole');
      const states = h.get(LifecycleStateRepository);
      await h.setStatus(account, 'Kickoff', ago(9));
      const read = (await states.get(account, ONBOARDING))!;
      await h.setStatus(account, 'Configuration', ago(6));
      const stale = {
        state: read.state,
        history: [...read.history, { ...read.history[0]!, changeId: randomUUID(), seq: 2, to: 'stg-go-live', idempotencyKey: 'stale' }],
        events: [],
      };
      expect(await states.write(account, ONBOARDING, read, stale)).toBe(false);
      const after = (await states.get(account, ONBOARDING))!;
      expect(after.history.map((e) => e.to)).toEqual(['stg-kickoff', 'stg-configuration']);
      expect(after.state.stageId).toBe('stg-configuration');
      expect(after.version).toBe(read.version + 1);
    });
  });

  describe('concurrency', () => {
    it('concurrent changes of one account and attribute are each kept once and folded in time order', async () => {
      const account = h.uniqueAccount('race');
      const ago = timeline();
      const stages = [
        'Kickoff',
        'Configuration',
        'Implementation',
        'Configuration',
        'Go Live',
        'Kickoff',
        'Implementation',
        'Configuration',
      ];
      // Arriving in any order, most of them land before another one: late inserts (L11) under contention.
      const answers = await Promise.all(stages.map((stage, i) => h.setStatus(account, stage, ago(16 - 2 * i))));
      expect(answers.map((a) => a.status)).toEqual(stages.map(() => 200));
      const applied = answers.filter((a) => a.body.outcome === 'applied').length;
      const entries = await historyOf(account);
      expect(entries).toHaveLength(applied);
      expect((await h.get(LifecycleStateRepository).get(account, ONBOARDING))?.history).toHaveLength(applied);
      expect(entries.map((e) => e.to?.name)).toEqual(stages);
      const lifecycle = await h.lifecycle(account);
      // Kickoff(16) Config(14) Impl(12) Config(10, back) Go Live(8, cycle 1 done) Kickoff(6, cycle 2) Impl(4) Config(2, back).
      expect(lifecycle).toMatchObject({ stage: { name: 'Configuration' }, cycle: 2, completedCycles: 1, daysInAttribute: 6 });
      expect(daysByStage(lifecycle)).toEqual({ Kickoff: 2, Configuration: 2, Implementation: 2, 'Go Live': 0 });
    });
  });

  describe('reads', () => {
    it('GET /v1/accounts/{id} answers 404 for an account with neither facts nor states', async () => {
      const missing = await h.api('GET', '/v1/accounts/nobody-here');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found', details: { code: 'ACCOUNT_NOT_FOUND' } });
    });

    it('views requested at once (their reads merged into shared queries) each answer their own account', async () => {
      const stages = ['Kickoff', 'Configuration', 'Implementation'];
      const accounts = Array.from({ length: 9 }, (_, i) => ({ id: h.uniqueAccount('merged'), stage: stages[i % 3]! }));
      await Promise.all(accounts.map((a) => h.setStatus(a.id, a.stage, daysAgo(2))));
      // Every third account also has an escalation: a view reads both of its pairs.
      await Promise.all(
        accounts
          .filter((_, i) => i % 3 === 0)
          .map((a) => h.api('PUT', `/v1/accounts/${a.id}/statuses/${ESCALATION.key}`, { stage: 'Open' })),
      );
      const asked = [...accounts, ...accounts, { id: 'nobody-merged-1', stage: null }, { id: 'nobody-merged-2', stage: null }];
      const views = await Promise.all(asked.map((a) => h.api<AccountAnswer>('GET', `/v1/accounts/${a.id}`)));
      views.forEach((view, i) => {
        const { id, stage } = asked[i]!;
        if (stage === null) return expect(view.status).toBe(404);
        expect(view.status).toBe(200);
        expect(view.body.accountId).toBe(id);
        expect(view.body.lifecycle[ONBOARDING]!.stage?.name).toBe(stage);
        expect(view.body.lifecycle[ESCALATION.key]?.stage?.name).toBe(i % 3 === 0 ? 'Open' : undefined);
      });
    });

    it('lists accounts by attribute and stage, paged', async () => {
      const inKickoff = [h.uniqueAccount('list'), h.uniqueAccount('list')];
      for (const account of inKickoff) await h.setStatus(account, 'Kickoff', daysAgo(1));
      const firstPage = await h.api<{ items: AccountAnswer[]; total: number; page: number; pageSize: number }>(
        'GET',
        `/v1/accounts?attribute=${ONBOARDING}&stage=kickoff&page=1&pageSize=200`,
      );
      expect(firstPage.status).toBe(200);
      const ids = firstPage.body.items.map((i) => i.accountId);
      expect(ids).toEqual(expect.arrayContaining(inKickoff));
      expect(firstPage.body.items.every((i) => i.lifecycle[ONBOARDING]!.stage?.name === 'Kickoff')).toBe(true);
      expect(firstPage.body.total).toBe(ids.length);

      const paged = await h.api<{ items: AccountAnswer[]; total: number }>(
        'GET',
        `/v1/accounts?attribute=${ONBOARDING}&stage=Kickoff&page=2&pageSize=1`,
      );
      expect(paged.body.items).toHaveLength(1);
      expect(paged.body.items[0]!.accountId).toBe([...ids].sort()[1]);

      // Without a stage: each item carries its own account's state (a page's states are read at once).
      const elsewhere = h.uniqueAccount('list');
      await h.setStatus(elsewhere, 'Configuration', daysAgo(1));
      const all = await h.api<{ items: AccountAnswer[] }>('GET', `/v1/accounts?attribute=${ONBOARDING}&page=1&pageSize=200`);
      const stageOf = (id: string) => all.body.items.find((i) => i.accountId === id)?.lifecycle[ONBOARDING]?.stage?.name;
      expect([...inKickoff, elsewhere].map(stageOf)).toEqual(['Kickoff', 'Kickoff', 'Configuration']);

      expect((await h.api('GET', '/v1/accounts?stage=Kickoff')).status).toBe(422);
      expect((await h.api('GET', `/v1/accounts?attribute=${ONBOARDING}&stage=Nope`)).status).toBe(422);
    });
  });

  describe('CRM status updates over Kafka', () => {
    it('applies them with occurredAt as event time; a duplicate event changes nothing', async () => {
      const account = h.uniqueAccount('crm');
      const id = randomUUID();
      const set = { accountId: account, attributeKey: ONBOARDING, stage: 'stg-kickoff' };
      await h.publisher.publish('crm.account.status.set', set, { id, occurredAt: new Date(daysAgo(5)) });
      await h.publisher.publish('crm.account.status.set', set, { id, occurredAt: new Date(daysAgo(5)) });
      await h.publisher.publish('crm.account.status.set', { ...set, stage: 'Configuration' }, { occurredAt: new Date(daysAgo(2)) });
      await waitFor(
        'the second CRM change',
        async () => (await h.lifecycle(account).catch(() => undefined))?.stage?.name === 'Configuration',
      );
      expect(daysByStage(await h.lifecycle(account))).toEqual({ Kickoff: 3, Configuration: 2, Implementation: 0, 'Go Live': 0 });
      const history = await historyOf(account);
      expect(history.map((e) => [e.source, e.to?.name])).toEqual([
        ['crm', 'Kickoff'],
        ['crm', 'Configuration'],
      ]);
    });

    it('dead-letters a malformed message and an L1 refusal with the allowed stages, and applies the next one', async () => {
      const account = h.uniqueAccount('dlq');
      await h.publisher.sendRaw(h.topic(Topics.CrmAccountStatuses), [{ key: account, value: '{ not json' }]);
      await h.publisher.publish('crm.account.status.set', { accountId: account, attributeKey: ONBOARDING, stage: 'Kickof' });
      await h.publisher.publish(
        'crm.account.status.set',
        { accountId: account, attributeKey: ONBOARDING, stage: 'Kickoff' },
        { occurredAt: new Date(daysAgo(1)) },
      );

      await waitFor(
        'the valid event to be applied',
        async () => (await h.lifecycle(account).catch(() => undefined))?.stage?.name === 'Kickoff',
      );
      await waitFor('two dead letters', () => dlq().filter((m) => m.key === account).length >= 2);
      const [malformed, refused] = dlq().filter((m) => m.key === account);
      expect(malformed!.json.reason).toMatch(/^value is not valid JSON/);
      expect(refused!.json.reason).toBe(
        'rejected: LifecycleError: Stage "Kickof" is not a stage of attribute "onboarding-status"; allowed stages: Kickoff, Configuration, Implementation, Go Live',
      );
      expect(await historyOf(account)).toHaveLength(1);
    });
    it('a refused and a late event in the middle of one batch touch only their own accounts', async () => {
      // One producer call: each partition's fetch holds these records together in one batch.
      const others = Array.from({ length: 24 }, () => h.uniqueAccount('batch'));
      const refused = h.uniqueAccount('batch-refused');
      const late = h.uniqueAccount('batch-late');
      // One clock reading for every event: whole-day differences stay whole however slow the run.
      const now = Date.now();
      const set = (accountId: string, stage: string, days: number) =>
        buildEnvelope(
          'crm',
          'crm.account.status.set',
          { accountId, attributeKey: ONBOARDING, stage },
          { occurredAt: new Date(now - days * 86_400_000) },
        );
      const half = others.length / 2;
      await h.publisher.publishEnvelopes([
        ...others.slice(0, half).map((a) => set(a, 'Kickoff', 5)),
        set(refused, 'Kickof', 4),
        set(late, 'Configuration', 2),
        ...others.slice(half).map((a) => set(a, 'Kickoff', 5)),
        set(late, 'Kickoff', 6),
        set(refused, 'Configuration', 1),
        ...others.map((a) => set(a, 'Configuration', 2)),
      ]);

      await waitFor('every account applied', async () => {
        const answers = await Promise.all([...others, refused].map((a) => h.lifecycle(a).catch(() => undefined)));
        return answers.every((x) => x?.stage?.name === 'Configuration');
      });
      // History is written before the state it folds into: wait for the state.
      await waitFor(
        'the late account folded',
        async () =>
          (await h.lifecycle(late).catch(() => undefined))?.stage?.name === 'Configuration' &&
          (await historyOf(late)).length === 2 &&
          (daysByStage(await h.lifecycle(late)).Kickoff ?? 0) > 0,
      );
      for (const account of others) expect(daysByStage(await h.lifecycle(account))).toMatchObject({ Kickoff: 3, Configuration: 2 });
      expect((await historyOf(late)).map((e) => e.to?.name)).toEqual(['Kickoff', 'Configuration']);
      expect(daysByStage(await h.lifecycle(late))).toMatchObject({ Kickoff: 4, Configuration: 2 });
      expect((await historyOf(refused)).map((e) => e.to?.name)).toEqual(['Configuration']);
      await waitFor('the refusal dead-lettered', () => dlq().some((m) => m.key === refused));
      expect(
        dlq()
          .filter((m) => m.key === refused)
          .map((m) => m.json.reason),
      ).toEqual([expect.stringContaining('Stage "Kickof"')]);
    });
  });

  describe('attribute replica', () => {
    it('keeps the highest version whatever the delivery order (renames show in reads, history keeps ids)', async () => {
      const account = h.uniqueAccount('rename');
      await h.setStatus(account, 'Kickoff', daysAgo(1));
      const renamed = onboardingAttribute(5);
      renamed.stages[0]!.name = 'Kick-off';
      await h.seedAttribute(renamed);
      await h.publisher.publish('attribute.updated', onboardingAttribute(3));
      await h.publisher.publish('attribute.updated', { ...onboardingAttribute(6), name: 'Onboarding Status v6', stages: renamed.stages });
      await h.seedAttribute({ ...onboardingAttribute(6), name: 'Onboarding Status v6', stages: renamed.stages });
      const { body } = await h.api<{ items: { key: string; version: number; stages: { name: string }[] }[] }>(
        'GET',
        '/v1/internal/attributes',
      );
      const replica = body.items.find((a) => a.key === ONBOARDING)!;
      expect(replica.version).toBe(6);
      expect(replica.stages[0]!.name).toBe('Kick-off');
      expect((await h.lifecycle(account)).stage).toEqual({ id: 'stg-kickoff', name: 'Kick-off' });
    });
  });
});
