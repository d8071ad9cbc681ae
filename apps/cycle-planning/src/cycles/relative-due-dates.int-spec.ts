import type { StatusChanged } from '@lifecycle/contracts';
import { CalendarReplica } from '@lifecycle/messaging';
import { StageEntriesRepository } from '../accounts/stage-entries.repository';
import { CyclePlanningHarness, day, dueDays, waitFor } from '../testing/cycle-planning.harness';
import type { CycleResponse } from './dto/cycle.response';

// 2025-03-05 is a Wednesday; the account's calendar takes Monday 2025-03-10 off.
const CALENDAR = {
  key: 'ops',
  name: 'Ops',
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays: ['2025-03-10'],
  timeZone: 'UTC',
  version: 1,
  deleted: false,
  updatedAt: new Date().toISOString(),
};

const TEMPLATE = {
  id: 'relative-onboarding',
  name: 'Relative onboarding',
  stages: [
    {
      id: 'start',
      name: 'Start',
      activities: [
        {
          id: 'kickoff',
          name: 'Kickoff',
          tasks: [
            { id: 'call', name: 'Kickoff call', daysDue: { days: 2, relativeTo: 'cycleStart' } },
            { id: 'pack', name: 'Welcome pack', daysDue: { days: 2, relativeTo: 'taskCompletion', taskId: 'call', unit: 'business-days' } },
            {
              id: 'review',
              name: 'Go-live review',
              daysDue: { days: 5, relativeTo: 'stageEntry', attributeKey: 'onboarding-status', stageId: 'stg-live', unit: 'business-days' },
            },
          ],
        },
      ],
    },
  ],
};

function statusChanged(accountId: string, at: string): StatusChanged {
  return {
    accountId,
    attributeKey: 'onboarding-status',
    changeId: `change-${accountId}`,
    from: { id: 'stg-setup', name: 'Setup' },
    to: { id: 'stg-live', name: 'Live' },
    cycle: 1,
    daysInStageLeft: 3,
    msInStageLeft: 3 * 86_400_000,
    cause: 'set',
    at,
    clock: {
      stageId: 'stg-live',
      cycle: 1,
      completedCycles: 0,
      completed: false,
      cycleStartedAt: at,
      stageEnteredAt: at,
      stageMsBefore: 0,
      frozenStageMs: null,
      frozenAttributeMs: null,
    },
  };
}

describe('B6: due dates relative to a task or a stage entry, in business days, on the real servers', () => {
  const h = new CyclePlanningHarness('relative-due-dates');
  let accountId: string;
  let cycleId: string;

  beforeAll(async () => {
    await h.start();
    await h.publisher.publish('calendar.created', CALENDAR);
    await waitFor('the calendar in the replica', async () => (await h.get(CalendarReplica).list()).some((c) => c._id === 'ops'));
    await h.ok('POST', '/v1/cycle-templates', TEMPLATE);
    accountId = h.uniqueAccount('relative');
    await h.seedAccount({ accountId, name: 'Relative', ownerId: 'csm-1', calendarKey: 'ops' });
    const assigned = await h.ok<CycleResponse>('POST', `/v1/accounts/${accountId}/cycles`, {
      templateId: TEMPLATE.id,
      startDate: '2025-03-05',
      primary: false,
    });
    cycleId = assigned.cycleId;
  });

  afterAll(() => h.stop());

  async function cycle(): Promise<CycleResponse> {
    return (await h.cycles(accountId)).cycles.find((c) => c.cycleId === cycleId)!;
  }

  it("computes business days on the account's calendar and projects a task's dependents from its due date", async () => {
    const due = dueDays(await cycle());
    expect(due.call).toBe('2025-03-07');
    // Friday + 2 business days, Monday off: Wednesday.
    expect(due.pack).toBe('2025-03-12');
    const review = (await cycle()).stages[0]!.activities[0]!.tasks.find((t) => t.id === 'review')!;
    expect(review.dueDate).toBeNull();
    expect(review.dueDateReason).toBe('the account has not entered the stage yet');
  });

  it('completing a task late moves its dependents and announces it (task-completed)', async () => {
    await h.ok('POST', `/v1/accounts/${accountId}/cycles/${cycleId}/tasks/call/complete`, { at: '2025-03-13T10:00:00.000Z' }, 200);
    expect(dueDays(await cycle()).pack).toBe('2025-03-17');
    const [event] = await h.waitForEvents('due dates moved by the completion', 1, 'cycle.due-dates-recalculated', accountId);
    expect(event!.data).toMatchObject({ cycleId, reason: 'task-completed' });
  });

  it('entering the lifecycle stage (status.changed) dates what counts from it (stage-entered)', async () => {
    await h.publisher.publish('status.changed', statusChanged(accountId, '2025-03-14T16:00:00.000Z'));
    await waitFor('the review date', async () => dueDays(await cycle()).review === '2025-03-21');
    const events = await h.waitForEvents('the stage-entered recalculation', 2, 'cycle.due-dates-recalculated', accountId);
    expect(events.map((e) => e.data.reason)).toEqual(['task-completed', 'stage-entered']);
  });

  it('a completed task never moves', async () => {
    await h.ok('POST', `/v1/accounts/${accountId}/cycles/${cycleId}/tasks/pack/complete`, { at: '2025-03-18T10:00:00.000Z' }, 200);
    await h.publisher.publish('status.changed', statusChanged(accountId, '2025-03-20T09:00:00.000Z'));
    await waitFor('the review date after the second entry', async () => dueDays(await cycle()).review === '2025-03-27');
    const after = dueDays(await cycle());
    expect([after.call, after.pack]).toEqual(['2025-03-07', '2025-03-17']);
  });

  it('refuses a template whose due dates depend on each other in a loop, naming the loop', async () => {
    const answer = await h.api<{ message: string; details: { code: string; loop: string[] } }>('POST', '/v1/cycle-templates', {
      name: 'Looping',
      stages: [
        {
          name: 'S',
          activities: [
            {
              name: 'A',
              tasks: [
                { id: 'send', name: 'Send contract', daysDue: { days: 1, relativeTo: 'taskCompletion', taskId: 'sign' } },
                { id: 'sign', name: 'Sign contract', daysDue: { days: 1, relativeTo: 'taskCompletion', taskId: 'send' } },
              ],
            },
          ],
        },
      ],
    });
    expect(answer.status).toBe(422);
    expect(answer.body.details).toMatchObject({ code: 'DUE_DATE_DEPENDENCY_LOOP', loop: ['send', 'sign', 'send'] });
    expect(answer.body.message).toContain('"Send contract" → "Sign contract" → "Send contract"');
  });

  it('the template preview shows which added items would get a date in running cycles and which would wait', async () => {
    const { id: _id, ...edited } = structuredClone(TEMPLATE);
    edited.stages[0]!.activities[0]!.tasks.push(
      { id: 'thanks', name: 'Thank-you note', daysDue: { days: 1, relativeTo: 'taskCompletion', taskId: 'pack', unit: 'business-days' } },
      {
        id: 'renewal-call',
        name: 'Renewal call',
        daysDue: { days: 1, relativeTo: 'stageEntry', attributeKey: 'renewal-status', stageId: 'stg-due', unit: 'business-days' },
      },
    );
    const preview = await h.ok<{ cycles: Record<string, number> }>('POST', `/v1/cycle-templates/${TEMPLATE.id}/preview`, edited, 200);
    expect(preview.cycles).toMatchObject({ cyclesReached: 1, added: 2, addedDated: 1, addedWaiting: 1 });
    expect(day((await cycle()).startDate)).toBe('2025-03-05');
  });

  it('an account without cycles keeps the stage entry, and a cycle assigned later counts from it', async () => {
    // Status tracking heard of the account before the CRM event reached cycle planning.
    const newcomer = h.uniqueAccount('entered-first');
    await h.publisher.publish('status.changed', statusChanged(newcomer, '2025-03-14T16:00:00.000Z'));
    const entries = h.get(StageEntriesRepository);
    await waitFor('the stage entry', async () => (await entries.get(newcomer)).size === 1);
    expect((await h.api('GET', `/v1/accounts/${newcomer}/cycles`)).status).toBe(404);
    await h.seedAccount({ accountId: newcomer, name: 'Entered first', ownerId: 'csm-1', calendarKey: 'ops' });
    const assigned = await h.ok<CycleResponse>('POST', `/v1/accounts/${newcomer}/cycles`, {
      templateId: TEMPLATE.id,
      startDate: '2025-03-05',
      primary: false,
    });
    expect(dueDays(assigned).review).toBe('2025-03-21');
  });
});
