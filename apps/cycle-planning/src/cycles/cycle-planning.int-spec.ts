import { randomUUID } from 'node:crypto';
import type { TemplateResponse } from '../templates/dto/template.response';
import { CyclePlanningHarness, day, dueDays, waitFor } from '../testing/cycle-planning.harness';
import {
  ONBOARDING_DUE_RENEWAL_RELATIVE,
  ONBOARDING_DUE_START_RELATIVE,
  ONBOARDING_RENEWAL,
  ONBOARDING_START,
  onboardingBody,
  singleTaskBody,
} from '../testing/cycle-templates.fixture';
import type { CycleResponse } from './dto/cycle.response';

const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
const addDays = (isoDay: string, days: number) => new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const shift = (dates: Record<string, string>, days: number) =>
  Object.fromEntries(Object.entries(dates).map(([k, v]) => [k, addDays(v, days)]));

describe('cycle planning over HTTP and Kafka (real broker, database, Redis)', () => {
  const h = new CyclePlanningHarness('cycles');

  beforeAll(async () => {
    await h.start();
    await h.ok('POST', '/v1/cycle-templates', onboardingBody());
    await h.ok('POST', '/v1/cycle-templates', singleTaskBody('renewal-cycle'));
    await h.ok('POST', '/v1/cycle-templates', singleTaskBody('short', 'renewal-cycle'));
    await h.ok('POST', '/v1/cycle-templates', singleTaskBody('expansion'));
    await h.ok('POST', '/v1/client-types', {
      key: 'enterprise',
      name: 'Enterprise',
      templateIds: ['onboarding', 'short', 'renewal-cycle', 'expansion'],
      defaultTemplateId: 'onboarding',
    });
  });

  afterAll(async () => {
    await h.stop();
  });

  /** A known account (CRM event applied) on the enterprise type, renewal 2026-01-15, owner user-7. */
  async function enterpriseAccount(label: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const accountId = h.uniqueAccount(label);
    await h.seedAccount({
      accountId,
      name: label,
      clientType: 'enterprise',
      ownerId: 'user-7',
      createdAt: ONBOARDING_START,
      subscription: { active: true, renewalDate: ONBOARDING_RENEWAL },
      ...overrides,
    });
    return accountId;
  }

  describe('templates (C1) and the global default (C2)', () => {
    it('creates a whole template in one request, ordered, with stable item ids and version 1', async () => {
      const template = await h.ok<TemplateResponse>('GET', '/v1/cycle-templates/onboarding');
      expect(template).toMatchObject({ id: 'onboarding', name: 'Onboarding', version: 1, isDefault: false, nextTemplateId: null });
      expect(template.stages.map((s) => [s.id, s.order])).toEqual([
        ['kickoff', 1],
        ['adoption', 2],
        ['renewal', 3],
      ]);
      expect(template.stages[2]!.activities[0]!.tasks[0]).toEqual({
        id: 'qbr',
        name: 'QBR',
        order: 1,
        daysDue: { days: -60, relativeTo: 'renewal' },
        ownerRole: null,
      });

      const generated = await h.ok<TemplateResponse>('POST', '/v1/cycle-templates', {
        name: 'Quick',
        stages: [
          {
            name: 'One',
            activities: [{ name: 'A', tasks: [{ name: 'T1' }, { name: 'T2', daysDue: { days: -5, relativeTo: 'renewal' } }] }],
          },
        ],
      });
      expect(generated.id).toMatch(/^tpl-/);
      const ids = [
        generated.stages[0]!.id,
        generated.stages[0]!.activities[0]!.id,
        ...generated.stages[0]!.activities[0]!.tasks.map((t) => t.id),
      ];
      expect(new Set(ids).size).toBe(4);
      expect((await h.api('DELETE', `/v1/cycle-templates/${generated.id}`)).status).toBe(204);
      expect((await h.api('GET', `/v1/cycle-templates/${generated.id}`)).status).toBe(404);
    });

    it('refuses invalid templates with the offending field', async () => {
      const fractional = await h.api<{ message: string; details: { fields: { field: string }[] } }>('POST', '/v1/cycle-templates', {
        name: 'Bad',
        stages: [{ name: 'S', daysDue: { days: 1.5, relativeTo: 'cycleStart' } }],
      });
      expect(fractional.status).toBe(400);
      expect(fractional.body.details.fields.map((d) => d.field)).toContain('stages.0.daysDue.days');

      const duplicate = await h.api<{ message: string; details: { code: string } }>('POST', '/v1/cycle-templates', {
        name: 'Dup',
        stages: [
          { id: 'same', name: 'S1' },
          { id: 'same', name: 'S2' },
        ],
      });
      expect(duplicate.status).toBe(422);
      expect(duplicate.body.details.code).toBe('INVALID_TEMPLATE');
      expect(duplicate.body.message).toMatch(/id "same" is already used/);

      const unknownNext = await h.api('POST', '/v1/cycle-templates', { name: 'Chain', nextTemplateId: 'nope' });
      expect(unknownNext.status).toBe(422);
      expect((await h.api('POST', '/v1/cycle-templates', onboardingBody())).status).toBe(409);
      expect((await h.api('GET', '/v1/cycle-templates/nope')).status).toBe(404);
    });

    it('has "Default SuccessCycle" from first start; it can be renamed, and another template made the default', async () => {
      const settings = await h.ok('GET', '/v1/settings');
      expect(settings).toEqual({ defaultCycleTemplateId: 'default-successcycle', defaultCycleTemplateName: 'Default SuccessCycle' });
      const builtIn = await h.ok<TemplateResponse>('GET', '/v1/cycle-templates/default-successcycle');
      expect(builtIn).toMatchObject({ isDefault: true, builtIn: true, version: 1 });

      const renamed = await h.ok<{ template: TemplateResponse; propagationJobId: string }>(
        'PUT',
        '/v1/cycle-templates/default-successcycle',
        {
          name: 'Standard SuccessCycle',
          stages: builtIn.stages,
        },
      );
      expect(renamed.template).toMatchObject({ name: 'Standard SuccessCycle', version: 2, isDefault: true });
      expect(renamed.propagationJobId).toBe('cycles-recalculation-propagate-default-successcycle-v2');
      expect(await h.ok('GET', '/v1/settings')).toMatchObject({ defaultCycleTemplateName: 'Standard SuccessCycle' });

      expect((await h.api('DELETE', '/v1/cycle-templates/default-successcycle')).status).toBe(409);
      expect(await h.ok('PUT', '/v1/settings/default-cycle-template', { templateId: 'expansion' })).toMatchObject({
        defaultCycleTemplateId: 'expansion',
      });
      expect((await h.ok<TemplateResponse>('GET', '/v1/cycle-templates/expansion')).isDefault).toBe(true);
      expect((await h.api('PUT', '/v1/settings/default-cycle-template', { templateId: 'nope' })).status).toBe(404);
      await h.ok('PUT', '/v1/settings/default-cycle-template', { templateId: 'default-successcycle' });
    });
  });

  describe('client types (C3) and new accounts from the CRM', () => {
    it('manages client types; unknown templates are refused', async () => {
      expect(await h.ok('GET', '/v1/client-types/enterprise')).toMatchObject({ key: 'enterprise', defaultTemplateId: 'onboarding' });
      const bad = await h.api<{ details: { unknownTemplateIds: string[] } }>('POST', '/v1/client-types', {
        key: 'smb',
        name: 'SMB',
        templateIds: ['nope'],
      });
      expect(bad.status).toBe(422);
      expect(bad.body.details.unknownTemplateIds).toEqual(['nope']);
      const smb = await h.ok('POST', '/v1/client-types', {
        key: 'smb',
        name: 'SMB',
        templateIds: ['short'],
        defaultTemplateId: 'expansion',
      });
      expect(smb).toMatchObject({ templateIds: ['short', 'expansion'], defaultTemplateId: 'expansion' });
      expect(await h.ok('PUT', '/v1/client-types/smb', { name: 'Small business', templateIds: ['short'] })).toMatchObject({
        name: 'Small business',
        defaultTemplateId: null,
      });
      expect((await h.api('DELETE', '/v1/client-types/smb')).status).toBe(204);
      expect((await h.api('GET', '/v1/client-types/smb')).status).toBe(404);
    });

    it("gives a new account its client type's default cycle as primary, started on its creation date, once", async () => {
      const accountId = h.uniqueAccount('new');
      const facts = {
        accountId,
        name: 'New Co',
        clientType: 'enterprise',
        ownerId: 'user-7',
        createdAt: ONBOARDING_START,
        subscription: { active: true, renewalDate: ONBOARDING_RENEWAL },
      };
      const eventId = randomUUID();
      await h.publisher.publish('crm.account.upserted', facts, { id: eventId });
      await h.publisher.publish('crm.account.upserted', facts, { id: eventId }); // redelivery
      await h.publisher.publish('crm.account.upserted', { ...facts, name: 'New Co Inc' }); // a later update
      await h.waitForEvents('the default cycle assigned', 1, 'cycle.assigned', accountId);
      await waitFor('the later update', async () => (await h.api('GET', `/v1/accounts/${accountId}/cycles`)).status === 200);

      const { cycles, primaryCycleId } = await h.cycles(accountId);
      expect(cycles).toHaveLength(1);
      const cycle = cycles[0]!;
      expect(cycle).toMatchObject({ templateId: 'onboarding', primary: true, status: 'active', startDate: ONBOARDING_START });
      expect(primaryCycleId).toBe(cycle.cycleId);
      expect(dueDays(cycle)).toEqual({ ...ONBOARDING_DUE_START_RELATIVE, ...ONBOARDING_DUE_RENEWAL_RELATIVE });
      // The csm role goes to the account owner.
      expect(cycle.stages[0]!.activities[0]!.tasks[0]).toMatchObject({ id: 'schedule-call', ownerId: 'user-7', ownerRole: 'csm' });

      const assigned = await h.waitForEvents('assigned', 1, 'cycle.assigned', accountId);
      expect(assigned[0]).toMatchObject({
        key: accountId,
        data: { cycleId: cycle.cycleId, templateId: 'onboarding', primary: true, startDate: ONBOARDING_START },
      });
      const primary = await h.waitForEvents('primary changed', 1, 'cycle.primary-changed', accountId);
      expect(primary[0]!.data).toEqual({ accountId, cycleId: cycle.cycleId, previousCycleId: null });
      await new Promise((r) => setTimeout(r, 500));
      expect(h.events('cycle.assigned', accountId)).toHaveLength(1);
    });

    it('gives an account without client type the global default, started at the event time; no subscription → renewal dates null with a reason', async () => {
      const accountId = h.uniqueAccount('plain');
      const occurredAt = new Date('2025-06-01T08:00:00Z');
      await h.seedAccount({ accountId, name: 'Plain' }, occurredAt);
      const cycle = (await h.cycles(accountId)).cycles[0]!;
      expect(cycle).toMatchObject({
        templateId: 'default-successcycle',
        name: 'Standard SuccessCycle',
        primary: true,
        startDate: occurredAt.toISOString(),
      });
      const renewalStage = cycle.stages.find((s) => s.id === 'renewal')!;
      expect(renewalStage).toMatchObject({
        dueDate: null,
        dueDateReason: 'no active subscription',
        daysDue: { days: 0, relativeTo: 'renewal' },
      });
      expect(cycle.stages[0]).toMatchObject({ id: 'onboarding', dueDate: '2025-07-01', dueDateReason: null }); // start + 30

      const noRenewal = h.uniqueAccount('norenewal');
      await h.seedAccount({ accountId: noRenewal, name: 'No renewal', subscription: { active: true, renewalDate: null } });
      expect((await h.cycles(noRenewal)).cycles[0]!.stages.find((s) => s.id === 'renewal')).toMatchObject({
        dueDate: null,
        dueDateReason: 'no renewal date',
      });
    });
  });

  describe('account cycles (C4–C8)', () => {
    it('C4: assigning computes every due date now, negative offsets before the renewal; without a subscription they are null with a reason', async () => {
      const accountId = await enterpriseAccount('assign', { clientType: null });
      const assigned = await h.ok<CycleResponse>('POST', `/v1/accounts/${accountId}/cycles`, {
        templateId: 'onboarding',
        startDate: ONBOARDING_START,
      });
      expect(assigned).toMatchObject({ templateId: 'onboarding', primary: false, startDate: ONBOARDING_START, templateVersion: 1 });
      expect(dueDays(assigned)).toEqual({ ...ONBOARDING_DUE_START_RELATIVE, ...ONBOARDING_DUE_RENEWAL_RELATIVE });

      const inactive = await enterpriseAccount('inactive', {
        clientType: null,
        subscription: { active: false, renewalDate: ONBOARDING_RENEWAL },
      });
      const cycle = await h.ok<CycleResponse>('POST', `/v1/accounts/${inactive}/cycles`, {
        templateId: 'onboarding',
        startDate: ONBOARDING_START,
      });
      const days = dueDays(cycle);
      for (const id of Object.keys(ONBOARDING_DUE_RENEWAL_RELATIVE)) expect(days[id]).toBeNull();
      expect(cycle.stages[2]!.activities[0]!.tasks[0]).toMatchObject({ id: 'qbr', dueDate: null, dueDateReason: 'no active subscription' });
      expect(dueDays(cycle)).toMatchObject(ONBOARDING_DUE_START_RELATIVE);

      expect((await h.api('POST', `/v1/accounts/${accountId}/cycles`, { templateId: 'onboarding' })).status).toBe(409); // already running
      expect((await h.api('POST', `/v1/accounts/${accountId}/cycles`, { templateId: 'nope' })).status).toBe(404);
      expect((await h.api('POST', '/v1/accounts/unknown-account/cycles', { templateId: 'onboarding' })).status).toBe(404);
      expect((await h.api('POST', `/v1/accounts/${accountId}/cycles`, { templateId: 'onboarding', startDate: 'yesterday' })).status).toBe(
        400,
      );
    });

    it('C5: runs concurrent cycles with exactly one primary; removing the primary promotes the oldest active one, then none', async () => {
      const accountId = await enterpriseAccount('concurrent');
      const first = (await h.cycles(accountId)).cycles[0]!; // the default, primary
      const second = await h.ok<CycleResponse>('POST', `/v1/accounts/${accountId}/cycles`, {
        templateId: 'expansion',
        startDate: daysAgo(3),
      });
      const third = await h.ok<CycleResponse>('POST', `/v1/accounts/${accountId}/cycles`, { templateId: 'short', startDate: daysAgo(1) });
      expect([second.primary, third.primary]).toEqual([false, false]);

      await h.ok('PATCH', `/v1/accounts/${accountId}/cycles/${third.cycleId}`, { primary: true });
      let answer = await h.cycles(accountId);
      expect(answer.primaryCycleId).toBe(third.cycleId);
      expect(answer.cycles.filter((c) => c.primary).map((c) => c.cycleId)).toEqual([third.cycleId]);
      expect(
        (await h.ok<{ primaryCycle: { cycleId: string; name: string; stage: string } }>('GET', `/v1/accounts/${accountId}/primary-cycle`))
          .primaryCycle,
      ).toMatchObject({
        cycleId: third.cycleId,
        templateId: 'short',
        name: 'Cycle short',
        stage: 'Only stage',
        daysInStage: 1,
      });

      const removed = await h.ok('DELETE', `/v1/accounts/${accountId}/cycles/${third.cycleId}`);
      expect(removed).toEqual({ cycleId: third.cycleId, primaryCycleId: first.cycleId }); // the oldest active (started 2025-03-10)
      await h.ok('DELETE', `/v1/accounts/${accountId}/cycles/${first.cycleId}`);
      answer = await h.cycles(accountId);
      expect(answer.primaryCycleId).toBe(second.cycleId);
      expect(answer.cycles.map((c) => c.cycleId)).toEqual([second.cycleId]); // removed cycles are not listed
      await h.ok('DELETE', `/v1/accounts/${accountId}/cycles/${second.cycleId}`);
      expect(await h.ok('GET', `/v1/accounts/${accountId}/primary-cycle`)).toEqual({ primaryCycle: null });
      expect((await h.api('DELETE', `/v1/accounts/${accountId}/cycles/${second.cycleId}`)).status).toBe(404);

      const changes = await h.waitForEvents('primary changes', 5, 'cycle.primary-changed', accountId);
      expect(changes.map((e) => [e.data.cycleId, e.data.previousCycleId])).toEqual([
        [first.cycleId, null],
        [third.cycleId, first.cycleId],
        [first.cycleId, third.cycleId],
        [second.cycleId, first.cycleId],
        [null, second.cycleId],
      ]);
      expect((await h.waitForEvents('removals', 3, 'cycle.removed', accountId)).map((e) => e.data.cycleId)).toEqual([
        third.cycleId,
        first.cycleId,
        second.cycleId,
      ]);
      expect((await h.api('GET', '/v1/accounts/nobody-knows/primary-cycle')).status).toBe(404);
      expect((await h.api('PATCH', `/v1/accounts/${accountId}/cycles/${second.cycleId}`, { primary: false })).status).toBe(400);
    });

    it('C6: tasks roll up to activities, stages and the cycle; the current stage counts days since the previous stage completed', async () => {
      const accountId = await enterpriseAccount('progress', { clientType: null });
      const cycle = await h.ok<CycleResponse>('POST', `/v1/accounts/${accountId}/cycles`, {
        templateId: 'onboarding',
        startDate: daysAgo(10),
        primary: true,
      });
      const base = `/v1/accounts/${accountId}/cycles/${cycle.cycleId}`;

      let answer = await h.ok<{ cycle: CycleResponse }>('POST', `${base}/tasks/schedule-call/complete`, { at: daysAgo(8) }, 200);
      expect(answer.cycle.stages[0]!.activities[0]!.completedAt).toBeNull();
      expect(answer.cycle.currentStage).toMatchObject({ stageId: 'kickoff', daysIn: 10 });
      answer = await h.ok('POST', `${base}/tasks/send-agenda/complete`, { at: daysAgo(6) }, 200);
      expect(answer.cycle.stages[0]!.activities[0]!.completedAt).toBe(answer.cycle.stages[0]!.activities[0]!.tasks[1]!.completedAt);
      expect(answer.cycle.stages[0]!.completedAt).toBeNull(); // the welcome pack is open

      expect((await h.api('POST', `${base}/activities/kickoff-call/complete`, {})).status).toBe(409); // completed, and has tasks
      expect((await h.api('POST', `${base}/activities/training/complete`, {})).status).toBe(409); // completes through its tasks
      expect((await h.api('POST', `${base}/tasks/schedule-call/complete`, {})).status).toBe(409);
      expect((await h.api('POST', `${base}/tasks/nope/complete`, {})).status).toBe(404);
      expect((await h.api('POST', `${base}/tasks/qbr/complete`, { at: new Date(Date.now() + 3_600_000).toISOString() })).status).toBe(422);

      answer = await h.ok('POST', `${base}/activities/welcome-pack/complete`, { at: daysAgo(4) }, 200);
      expect(day(answer.cycle.stages[0]!.completedAt!)).toBe(day(daysAgo(4)));
      expect(answer.cycle.currentStage).toMatchObject({ stageId: 'adoption', name: 'Adoption', daysIn: 4 });
      expect((await h.ok<{ primaryCycle: unknown }>('GET', `/v1/accounts/${accountId}/primary-cycle`)).primaryCycle).toEqual({
        cycleId: cycle.cycleId,
        templateId: 'onboarding',
        name: 'Onboarding',
        stage: 'Adoption',
        daysInStage: 4,
      });
      const stageEvents = await h.waitForEvents('the stage completion', 1, 'cycle.stage-completed', accountId);
      expect(stageEvents[0]!.data).toMatchObject({ cycleId: cycle.cycleId, stageId: 'kickoff', stageName: 'Kickoff' });
      expect(day(String(stageEvents[0]!.data.completedAt))).toBe(day(daysAgo(4)));

      await h.ok('POST', `${base}/tasks/admin-training/complete`, undefined, 200); // no body: now
      for (const task of ['user-training', 'qbr', 'send-quote']) await h.ok('POST', `${base}/tasks/${task}/complete`, {}, 200);
      const done = (await h.cycles(accountId)).cycles.find((c) => c.cycleId === cycle.cycleId)!;
      expect(done).toMatchObject({ status: 'completed', currentStage: null, primary: false });
      expect(done.completedAt).not.toBeNull();
      expect((await h.waitForEvents('the cycle completion', 1, 'cycle.completed', accountId))[0]!.data).toMatchObject({
        cycleId: cycle.cycleId,
        nextCycleId: null,
      });
      expect((await h.api('POST', `${base}/tasks/qbr/complete`, {})).status).toBe(409); // not active any more
    });

    it('C8: completing a cycle starts the next template on the completion date, primary if the completed one was', async () => {
      const accountId = await enterpriseAccount('chain', { clientType: null });
      const primary = await h.ok<CycleResponse>('POST', `/v1/accounts/${accountId}/cycles`, {
        templateId: 'short',
        startDate: daysAgo(20),
        primary: true,
      });
      const at = daysAgo(2);
      const answer = await h.ok<{ cycle: CycleResponse; nextCycle: CycleResponse; primaryCycleId: string }>(
        'POST',
        `/v1/accounts/${accountId}/cycles/${primary.cycleId}/tasks/short-task/complete`,
        { at },
        200,
      );
      expect(answer.cycle.status).toBe('completed');
      expect(answer.nextCycle).toMatchObject({ templateId: 'renewal-cycle', startDate: at, primary: true, status: 'active' });
      expect(answer.nextCycle.stages[0]!.activities[0]!.tasks[0]!.dueDate).toBe(addDays(day(at), 3));
      expect(answer.primaryCycleId).toBe(answer.nextCycle.cycleId);

      const completed = await h.waitForEvents('completed', 1, 'cycle.completed', accountId);
      expect(completed[0]!.data).toMatchObject({ cycleId: primary.cycleId, nextCycleId: answer.nextCycle.cycleId, completedAt: at });
      const assigned = await waitFor('the chained assignment', () =>
        h.events('cycle.assigned', accountId).find((e) => e.data.cycleId === answer.nextCycle.cycleId),
      );
      expect(assigned.data).toMatchObject({ templateId: 'renewal-cycle', primary: true, startDate: at });
      const handedOver = await waitFor('the primary handed over', () =>
        h.events('cycle.primary-changed', accountId).find((e) => e.data.cycleId === answer.nextCycle.cycleId),
      );
      expect(handedOver.data).toEqual({ accountId, cycleId: answer.nextCycle.cycleId, previousCycleId: primary.cycleId });

      // A non-primary cycle chains into a non-primary one.
      const side = await h.ok<CycleResponse>('POST', `/v1/accounts/${accountId}/cycles`, { templateId: 'short', startDate: daysAgo(1) });
      expect(
        (
          await h.ok<{ cycle: CycleResponse; nextCycle: CycleResponse | null }>(
            'POST',
            `/v1/accounts/${accountId}/cycles/${side.cycleId}/tasks/short-task/complete`,
            {},
            200,
          )
        ).nextCycle,
      ).toBeNull(); // renewal-cycle already runs

      // C7: available = the client type's templates minus completed and running ones.
      await h.ok('PUT', '/v1/client-types/enterprise', {
        name: 'Enterprise',
        templateIds: ['onboarding', 'short', 'renewal-cycle', 'expansion'],
        defaultTemplateId: 'onboarding',
      });
      await h.seedAccount({ accountId, name: 'chain', clientType: 'enterprise', ownerId: 'user-7' });
      const available = await h.ok<{ items: TemplateResponse[] }>('GET', `/v1/accounts/${accountId}/available-cycle-templates`);
      expect(available.items.map((t) => t.id).sort()).toEqual(['expansion', 'onboarding']);
    });
  });

  describe('due date changes (C11, C12)', () => {
    it('C11: a new start date moves the start-relative dates of incomplete items only when asked; renewal dates stay', async () => {
      const accountId = await enterpriseAccount('startdate', { clientType: null });
      const cycle = await h.ok<CycleResponse>('POST', `/v1/accounts/${accountId}/cycles`, {
        templateId: 'onboarding',
        startDate: ONBOARDING_START,
      });
      const base = `/v1/accounts/${accountId}/cycles/${cycle.cycleId}`;
      await h.ok('POST', `${base}/tasks/schedule-call/complete`, {}, 200);

      const quiet = await h.ok<CycleResponse & { dueDateChanges: unknown[] }>('PATCH', base, { startDate: '2025-03-15T00:00:00Z' });
      expect(quiet.startDate).toBe('2025-03-15T00:00:00.000Z');
      expect(quiet.dueDateChanges).toEqual([]);
      expect(dueDays(quiet)).toEqual({ ...ONBOARDING_DUE_START_RELATIVE, ...ONBOARDING_DUE_RENEWAL_RELATIVE });

      const moved = await h.ok<CycleResponse & { dueDateChanges: { id: string }[] }>('PATCH', base, {
        startDate: '2025-03-20T09:00:00Z',
        recalculate: true,
      });
      const { ['schedule-call']: completedTask, ...open } = ONBOARDING_DUE_START_RELATIVE;
      expect(dueDays(moved)).toEqual({ ...shift(open, 10), 'schedule-call': completedTask, ...ONBOARDING_DUE_RENEWAL_RELATIVE });
      expect(moved.dueDateChanges.map((c) => c.id).sort()).toEqual(Object.keys(open).sort());
      const events = await h.waitForEvents('recalculated', 1, 'cycle.due-dates-recalculated', accountId);
      expect(events[0]!.data).toMatchObject({ cycleId: cycle.cycleId, reason: 'start-date-changed' });
      expect((await h.api('PATCH', base, { recalculate: true })).status).toBe(422);
    });

    it('C12: a new renewal date from the CRM moves renewal-relative dates of incomplete items only', async () => {
      const accountId = await enterpriseAccount('renewal');
      const cycle = (await h.cycles(accountId)).cycles[0]!;
      await h.ok('POST', `/v1/accounts/${accountId}/cycles/${cycle.cycleId}/tasks/qbr/complete`, {}, 200);

      await h.publisher.publish('crm.account.upserted', {
        accountId,
        name: 'renewal',
        clientType: 'enterprise',
        ownerId: 'user-7',
        subscription: { active: true, renewalDate: '2026-03-15' },
      });
      const events = await h.waitForEvents('renewal recalculation', 1, 'cycle.due-dates-recalculated', accountId);
      expect(events[0]!.data).toMatchObject({ cycleId: cycle.cycleId, reason: 'renewal-date-changed' });
      const after = (await h.cycles(accountId)).cycles[0]!;
      expect(dueDays(after)).toEqual({
        ...ONBOARDING_DUE_START_RELATIVE,
        renewal: '2026-03-15',
        'renewal-prep': '2026-02-13',
        'send-quote': '2026-03-01',
        qbr: ONBOARDING_DUE_RENEWAL_RELATIVE.qbr, // completed: history
      });

      await h.publisher.publish('crm.account.upserted', {
        accountId,
        name: 'renewal',
        subscription: { active: false, renewalDate: '2026-03-15' },
      });
      await h.waitForEvents('deactivation', 2, 'cycle.due-dates-recalculated', accountId);
      const inactive = (await h.cycles(accountId)).cycles[0]!;
      expect(inactive.stages[2]).toMatchObject({ dueDate: null, dueDateReason: 'no active subscription' });
      expect(dueDays(inactive)).toMatchObject({ ...ONBOARDING_DUE_START_RELATIVE, qbr: ONBOARDING_DUE_RENEWAL_RELATIVE.qbr });
    });
  });

  describe('tasks view (C9)', () => {
    it('lists open activities and tasks across concurrent cycles, filtered by account, owner, overdue and due date, sorted and paged', async () => {
      const ann = await enterpriseAccount('ann', { clientType: null, ownerId: 'ann' });
      const bob = await enterpriseAccount('bob', { clientType: null, ownerId: 'bob' });
      for (const accountId of [ann, bob])
        await h.ok('DELETE', `/v1/accounts/${accountId}/cycles/${(await h.cycles(accountId)).cycles[0]!.cycleId}`);
      const soon = new Date(Date.now() + 2 * DAY_MS).toISOString();
      await h.ok('POST', `/v1/accounts/${ann}/cycles`, { templateId: 'short', startDate: daysAgo(10) }); // task due 7 days ago
      await h.ok('POST', `/v1/accounts/${ann}/cycles`, { templateId: 'expansion', startDate: soon }); // due in 5 days
      await h.ok('POST', `/v1/accounts/${bob}/cycles`, { templateId: 'short', startDate: daysAgo(4) }); // due 1 day ago

      type Row = {
        accountId: string;
        kind: string;
        taskId: string | null;
        activityId: string;
        dueDate: string | null;
        overdue: boolean;
        ownerId: string | null;
      };
      const list = (query: string) => h.ok<{ items: Row[]; total: number; page: number; pageSize: number }>('GET', `/v1/tasks?${query}`);

      const annRows = await list(`accountId=${ann}`);
      // By due date, undated rows last (both activities are named "Only activity": any order).
      expect(annRows.items.slice(0, 2).map((r) => [r.kind, r.taskId, r.dueDate])).toEqual([
        ['task', 'short-task', day(daysAgo(7))],
        ['task', 'expansion-task', addDays(day(soon), 3)],
      ]);
      expect(
        annRows.items
          .slice(2)
          .map((r) => [r.kind, r.activityId, r.dueDate])
          .sort(),
      ).toEqual([
        ['activity', 'expansion-activity', null],
        ['activity', 'short-activity', null],
      ]);
      expect(annRows.items[0]).toMatchObject({ overdue: true, ownerId: 'ann' });

      const overdue = await list('overdue=true&pageSize=200');
      expect(overdue.total).toBeLessThanOrEqual(200);
      expect(overdue.items.filter((r) => [ann, bob].includes(r.accountId)).map((r) => [r.accountId, r.taskId])).toEqual([
        [ann, 'short-task'],
        [bob, 'short-task'],
      ]);
      expect(overdue.items.every((r) => r.overdue)).toBe(true);
      const dates = overdue.items.map((r) => r.dueDate!);
      expect([...dates].sort()).toEqual(dates);

      const bobs = await list('ownerId=bob');
      expect(bobs.items.map((r) => [r.accountId, r.taskId])).toEqual([[bob, 'short-task']]);
      const before = await list(`ownerId=ann&dueBefore=${addDays(day(soon), 3)}`);
      expect(before.items.map((r) => r.taskId)).toEqual(['short-task']);
      const notOverdue = await list(`accountId=${ann}&overdue=false`);
      expect(notOverdue.items.map((r) => r.taskId ?? r.activityId).sort()).toEqual([
        'expansion-activity',
        'expansion-task',
        'short-activity',
      ]);
      expect(notOverdue.items[0]!.taskId).toBe('expansion-task');

      const page2 = await list(`accountId=${ann}&page=2&pageSize=3`);
      expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
      expect(page2.items).toHaveLength(1);
      expect(page2.items[0]).toMatchObject({ kind: 'activity', dueDate: null });
      expect((await h.api('GET', '/v1/tasks?overdue=maybe')).status).toBe(400);
      expect((await h.api('GET', '/v1/tasks?pageSize=500')).status).toBe(400);
    });
  });

  describe('template edits (C10) and deletion', () => {
    it('previews an edit, then propagates it: renames, additions and removals, except under completed work and existing dates', async () => {
      const start = (days: number) => ({ days, relativeTo: 'cycleStart' });
      const playbook = {
        id: 'playbook',
        name: 'Playbook',
        stages: [
          {
            id: 'discover',
            name: 'Discover',
            activities: [
              {
                id: 'interviews',
                name: 'Interviews',
                tasks: [
                  { id: 'interview-1', name: 'Interview 1', daysDue: start(5) },
                  { id: 'interview-2', name: 'Interview 2', daysDue: start(8) },
                ],
              },
            ],
          },
          {
            id: 'deliver',
            name: 'Deliver',
            activities: [{ id: 'rollout', name: 'Rollout', tasks: [{ id: 'pilot', name: 'Pilot', daysDue: start(20) }] }],
          },
        ],
      };
      await h.ok('POST', '/v1/cycle-templates', playbook);
      const fresh = await enterpriseAccount('fresh', { clientType: null });
      const cycle = await h.ok<CycleResponse>('POST', `/v1/accounts/${fresh}/cycles`, {
        templateId: 'playbook',
        startDate: '2025-05-01T00:00:00Z',
      });
      const busy = await enterpriseAccount('busy', { clientType: null });
      const busyCycle = await h.ok<CycleResponse>('POST', `/v1/accounts/${busy}/cycles`, {
        templateId: 'playbook',
        startDate: '2025-05-01T00:00:00Z',
      });
      for (const task of ['interview-1', 'interview-2'])
        await h.ok('POST', `/v1/accounts/${busy}/cycles/${busyCycle.cycleId}/tasks/${task}/complete`, {}, 200);
      const busyBefore = (await h.cycles(busy)).cycles.find((c) => c.cycleId === busyCycle.cycleId)!;

      const edited = {
        name: 'Playbook 2',
        stages: [
          {
            id: 'discover',
            name: 'Discovery',
            activities: [
              {
                id: 'interviews',
                name: 'Customer interviews',
                tasks: [
                  { id: 'interview-1', name: 'First interview', daysDue: start(30) },
                  { id: 'survey', name: 'Survey', daysDue: start(9) },
                ],
              },
            ],
          },
          {
            id: 'deliver',
            name: 'Deliver',
            activities: [
              {
                id: 'rollout',
                name: 'Rollout',
                tasks: [
                  { id: 'pilot', name: 'Pilot run', daysDue: start(20) },
                  { id: 'launch', name: 'Launch', daysDue: start(25) },
                ],
              },
            ],
          },
          { id: 'close', name: 'Close', activities: [{ id: 'sign', name: 'Sign', daysDue: { days: -15, relativeTo: 'renewal' } }] },
        ],
      };
      const preview = await h.ok<{ cycles: Record<string, number>; template: Record<string, { id: string }[]> }>(
        'POST',
        '/v1/cycle-templates/playbook/preview',
        edited,
        200,
      );
      expect(preview.template.added!.map((i) => i.id)).toEqual(['survey', 'launch', 'close']);
      expect(preview.template.renamed!.map((i) => i.id)).toEqual(['playbook', 'discover', 'interviews', 'interview-1', 'pilot']);
      expect(preview.template.removed!.map((i) => i.id)).toEqual(['interview-2']);
      // fresh: 3 added, 5 renamed, 1 removed; busy (Discover completed, frozen): launch + close added, cycle + pilot renamed.
      expect(preview.cycles).toEqual({
        cyclesReached: 2,
        cyclesChanged: 2,
        cyclesCompleted: 0,
        added: 5,
        renamed: 7,
        removed: 1,
        addedDated: 5,
        addedWaiting: 0,
      });
      expect((await h.ok<TemplateResponse>('GET', '/v1/cycle-templates/playbook')).version).toBe(1); // nothing applied

      const { propagationJobId } = await h.ok<{ propagationJobId: string }>('PUT', '/v1/cycle-templates/playbook', edited, 200);
      const { job } = await h.waitForJob(propagationJobId);
      expect(job).toMatchObject({
        state: 'completed',
        result: { templateId: 'playbook', version: 2, accounts: 2, cyclesUpdated: 2, cyclesChanged: 2 },
      });
      expect(job.progress).toMatchObject({ processed: 2, total: 2, percent: 100 });

      const after = (await h.cycles(fresh)).cycles.find((c) => c.cycleId === cycle.cycleId)!;
      expect(after).toMatchObject({ name: 'Playbook 2', templateVersion: 2 });
      expect(dueDays(after)).toEqual({
        discover: null,
        interviews: null,
        'interview-1': '2025-05-06', // the existing date is kept (C10 a), not start + 30
        survey: '2025-05-10',
        deliver: null,
        rollout: null,
        pilot: '2025-05-21',
        launch: '2025-05-26',
        close: null,
        sign: '2025-12-31', // renewal 2026-01-15 - 15
      });
      expect(after.stages[0]).toMatchObject({
        name: 'Discovery',
        activities: [{ name: 'Customer interviews', tasks: [{ name: 'First interview' }, { name: 'Survey' }] }],
      });

      const busyAfter = (await h.cycles(busy)).cycles.find((c) => c.cycleId === busyCycle.cycleId)!;
      expect(busyAfter.stages[0]).toEqual(busyBefore.stages[0]); // completed stage: untouched (C10 b)
      expect(busyAfter.stages.map((s) => s.id)).toEqual(['discover', 'deliver', 'close']);
      expect(busyAfter.stages[1]!.activities[0]!.tasks.map((t) => [t.name, t.dueDate])).toEqual([
        ['Pilot run', '2025-05-21'],
        ['Launch', '2025-05-26'],
      ]);
      const recalculated = await h.waitForEvents('template-edited events', 1, 'cycle.due-dates-recalculated', fresh);
      expect(recalculated[0]!.data).toMatchObject({ cycleId: cycle.cycleId, reason: 'template-edited' });
    });

    it('refuses to delete a template in use (active cycles, a default, a chain)', async () => {
      const inUse = await h.api<{ message: string }>('DELETE', '/v1/cycle-templates/onboarding');
      expect(inUse.status).toBe(409);
      expect(inUse.body.message).toMatch(/default cycle of client type\(s\) enterprise/);
      const chained = await h.api<{ message: string }>('DELETE', '/v1/cycle-templates/renewal-cycle');
      expect(chained.status).toBe(409);
      expect(chained.body.message).toMatch(/short/);
      const running = await h.api<{ message: string }>('DELETE', '/v1/cycle-templates/playbook');
      expect(running.status).toBe(409);
      expect(running.body.message).toMatch(/account\(s\) run an active cycle/);
    });
  });
});
