import { instantiateCycle } from './account-cycle';
import { completeActivity, completeTask } from './cycle-progress';
import type { AccountCycle } from './account-cycle';
import { activity, afterStart, assignInput, day, instant, onboardingCycle, stage, task, template } from './cycle.fixture';
import { openItems } from './tasks-view';

const now = instant('2024-03-16T12:00:00Z');

/** Acme runs Onboarding (started 2024-03-10) with Schedule call done, and a concurrent Health check cycle. */
function acmeCycles(): AccountCycle[] {
  const onboarding = completeTask(onboardingCycle(), 'schedule-call', instant('2024-03-11T00:00:00Z')).cycle;
  const health = instantiateCycle(
    template(
      'health',
      [
        stage('check', 'Check', [
          activity('review', 'Usage review', [task('pull-report', 'Pull report', { daysDue: afterStart(1), ownerRole: 'analyst' })], {
            daysDue: afterStart(3),
          }),
          activity('notes', 'Notes'),
        ]),
      ],
      { name: 'Health check' },
    ),
    assignInput({
      cycleId: 'cycle-2',
      startDate: instant('2024-03-14T00:00:00Z'),
      primary: false,
      ownersByRole: { analyst: 'user-analyst' },
    }),
  );
  return [onboarding, health];
}

const rowId = (row: { kind: string; activityId: string | null; taskId: string | null }): string => row.taskId ?? `${row.activityId ?? ''}*`;

describe('tasks view (C9)', () => {
  it('lists open activities and tasks of all concurrent active cycles, by due date (nulls last), then name', () => {
    const rows = openItems(acmeCycles(), { now });
    expect(rows.map((r) => [rowId(r), r.dueDate?.toISOString().slice(0, 10) ?? null, r.overdue])).toEqual([
      ['pull-report', '2024-03-15', true],
      ['send-agenda', '2024-03-15', true],
      ['kickoff-call*', '2024-03-17', false],
      ['review*', '2024-03-17', false],
      ['welcome-pack*', '2024-03-20', false],
      ['admin-training', '2024-03-31', false],
      ['user-training', '2024-04-07', false],
      ['training*', '2024-04-09', false],
      ['qbr', '2024-11-16', false],
      ['renewal-prep*', '2024-12-16', false],
      ['send-quote', '2025-01-01', false],
      ['notes*', null, false],
    ]);
  });

  it('describes each row with its account, cycle, stage, activity and owner', () => {
    const rows = openItems(acmeCycles(), { now });
    expect(rows[0]).toEqual({
      accountId: 'acme',
      cycleId: 'cycle-2',
      cycleName: 'Health check',
      stageId: 'check',
      stageName: 'Check',
      activityId: 'review',
      activityName: 'Usage review',
      taskId: 'pull-report',
      taskName: 'Pull report',
      kind: 'task',
      dueDate: day('2024-03-15'),
      ownerId: 'user-analyst',
      overdue: true,
      playId: null,
      playName: null,
    });
    expect(rows.find((r) => r.activityId === 'welcome-pack')).toMatchObject({
      kind: 'activity',
      taskId: null,
      taskName: null,
      ownerId: null,
    });
  });

  it('leaves out completed items, completed stages and cycles that are not active', () => {
    const [onboarding, health] = acmeCycles();
    const done = completeTask(completeTask(onboarding, 'send-agenda', now).cycle, 'admin-training', now).cycle;
    const kickoffDone = completeActivity(done, 'welcome-pack', now).cycle;
    const rows = openItems([kickoffDone, { ...health, status: 'removed' }], { now });
    expect(rows.map(rowId)).toEqual(['user-training', 'training*', 'qbr', 'renewal-prep*', 'send-quote']);
  });

  it('filters by account, owner, overdue and due before (a day, exclusive)', () => {
    const globex = { ...onboardingCycle({ cycleId: 'cycle-3', accountId: 'globex' }) };
    const cycles = [...acmeCycles(), globex];
    expect(new Set(openItems(cycles, { now, accountId: 'globex' }).map((r) => r.accountId))).toEqual(new Set(['globex']));
    expect(openItems(cycles, { now, accountId: 'acme', ownerId: 'user-csm' }).map(rowId)).toEqual(['send-quote']);
    expect(openItems(cycles, { now, accountId: 'acme', overdue: true }).map(rowId)).toEqual(['pull-report', 'send-agenda']);
    expect(openItems(cycles, { now, accountId: 'acme', overdue: false }).map(rowId)).toContain('notes*');
    expect(openItems(cycles, { now, accountId: 'acme', dueBefore: instant('2024-03-20T18:00:00Z') }).map(rowId)).toEqual([
      'pull-report',
      'send-agenda',
      'kickoff-call*',
      'review*',
    ]);
  });

  it('is empty without cycles', () => {
    expect(openItems([], { now })).toEqual([]);
  });
});
