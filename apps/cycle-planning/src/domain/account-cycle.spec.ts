import { assignTaskOwner, instantiateCycle } from './account-cycle';
import { completeTask } from './cycle-progress';
import { CycleErrorCode } from './cycle-errors';
import {
  ACME_START,
  assignInput,
  day,
  deepFreeze,
  dueDays,
  errorOf,
  instant,
  onboardingCycle,
  onboardingTemplate,
  stage,
  subscription,
  template,
} from './cycle.fixture';

const ONBOARDING_DUE_DAYS = {
  kickoff: '2024-03-24',
  'kickoff-call': '2024-03-17',
  'schedule-call': '2024-03-12',
  'send-agenda': '2024-03-15',
  'welcome-pack': '2024-03-20',
  adoption: '2024-05-09',
  training: '2024-04-09',
  'admin-training': '2024-03-31',
  'user-training': '2024-04-07',
  renewal: '2025-01-15',
  'renewal-prep': '2024-12-16',
  qbr: '2024-11-16',
  'send-quote': '2025-01-01',
};

describe('assigning a cycle (C4)', () => {
  it('computes every due date at assignment, to the day, from the start date and the renewal date', () => {
    const cycle = onboardingCycle();
    expect(dueDays(cycle)).toEqual(ONBOARDING_DUE_DAYS);
    expect(cycle.stages.flatMap((s) => [s.dueDateReason, ...s.activities.map((a) => a.dueDateReason)])).toEqual(Array(7).fill(null));
  });

  it('instantiates the template: ids, names, positions, version, status, primary and task owners', () => {
    const cycle = onboardingCycle();
    expect(cycle).toMatchObject({
      cycleId: 'cycle-1',
      accountId: 'acme',
      templateId: 'onboarding',
      templateVersion: 1,
      name: 'Onboarding',
      primary: true,
      status: 'active',
      startDate: ACME_START,
      completedAt: null,
    });
    expect(cycle.stages.map((s) => [s.id, s.name, s.order])).toEqual([
      ['kickoff', 'Kickoff', 1],
      ['adoption', 'Adoption', 2],
      ['renewal', 'Renewal', 3],
    ]);
    const [scheduleCall, sendAgenda] = cycle.stages[0].activities[0].tasks;
    expect(scheduleCall).toEqual({
      id: 'schedule-call',
      name: 'Schedule call',
      order: 1,
      daysDue: { days: 2, relativeTo: 'cycleStart' },
      dueDate: day('2024-03-12'),
      dueDateReason: null,
      completedAt: null,
      ownerRole: 'csm',
      ownerId: 'user-csm',
    });
    expect(sendAgenda).not.toHaveProperty('ownerId');
  });

  it('follows the template order, not the list order', () => {
    const t = onboardingTemplate();
    const shuffled = { ...t, stages: [t.stages[2], t.stages[0], t.stages[1]] };
    expect(instantiateCycle(shuffled, assignInput()).stages.map((s) => s.id)).toEqual(['kickoff', 'adoption', 'renewal']);
  });

  it('an account without a subscription gets null renewal-relative dates with a reason; start-relative dates still come', () => {
    const cycle = onboardingCycle({ subscription: null });
    const renewalStage = cycle.stages[2];
    expect(
      [renewalStage, renewalStage.activities[0], ...renewalStage.activities[0].tasks].map((i) => [i.dueDate, i.dueDateReason]),
    ).toEqual(Array(4).fill([null, 'no active subscription']));
    expect(dueDays(cycle).kickoff).toBe('2024-03-24');
  });

  it('a subscription without a renewal date says so', () => {
    const cycle = onboardingCycle({ subscription: subscription(null) });
    expect(cycle.stages[2].dueDate).toBeNull();
    expect(cycle.stages[2].dueDateReason).toBe('no renewal date');
  });

  it('an inactive subscription gives no renewal dates', () => {
    const cycle = onboardingCycle({ subscription: subscription('2025-01-15', false) });
    expect(cycle.stages[2].dueDateReason).toBe('no active subscription');
  });

  it('does not mutate the template and refuses bad input with typed errors', () => {
    const frozen = deepFreeze(onboardingTemplate());
    expect(() => instantiateCycle(frozen, assignInput())).not.toThrow();
    expect(errorOf(() => instantiateCycle(template('t', [stage('s', '')]), assignInput())).code).toBe(CycleErrorCode.InvalidTemplate);
    expect(errorOf(() => instantiateCycle(frozen, assignInput({ cycleId: '' }))).code).toBe(CycleErrorCode.InvalidCycleInput);
    expect(errorOf(() => instantiateCycle(frozen, assignInput({ startDate: new Date(NaN) }))).code).toBe(CycleErrorCode.InvalidDate);
  });
});

describe('task owners', () => {
  it('assigns and clears the owner of an open task, not of a completed one', () => {
    const cycle = assignTaskOwner(onboardingCycle(), 'send-agenda', 'user-2');
    expect(cycle.stages[0].activities[0].tasks[1].ownerId).toBe('user-2');
    expect(assignTaskOwner(cycle, 'send-agenda', null).stages[0].activities[0].tasks[1]).not.toHaveProperty('ownerId');
    const done = completeTask(cycle, 'send-agenda', instant('2024-03-12T00:00:00Z')).cycle;
    expect(errorOf(() => assignTaskOwner(done, 'send-agenda', 'user-3')).code).toBe(CycleErrorCode.TaskAlreadyCompleted);
    expect(errorOf(() => assignTaskOwner(done, 'nope', 'user-3')).code).toBe(CycleErrorCode.TaskNotFound);
  });
});
