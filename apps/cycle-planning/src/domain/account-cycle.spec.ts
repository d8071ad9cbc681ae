import {
  assignTaskOwner,
  availableTemplates,
  choosePrimaryAfterRemoval,
  completeActivity,
  completeStage,
  completeTask,
  currentStage,
  instantiateCycle,
  nextInChain,
  removeCycle,
  setPrimary,
} from './account-cycle';
import type { AccountCycle } from './account-cycle';
import { CycleErrorCode } from './cycle-errors';
import {
  ACME_START,
  activity,
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
  task,
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

/** Completes the given tasks/activities/stages in order, at the given instants. */
function progress(cycle: AccountCycle, steps: Array<[kind: 'task' | 'activity' | 'stage', id: string, at: string]>): AccountCycle {
  return steps.reduce((current, [kind, id, at]) => {
    const complete = kind === 'task' ? completeTask : kind === 'activity' ? completeActivity : completeStage;
    return complete(current, id, instant(at)).cycle;
  }, cycle);
}

const KICKOFF_DONE: Array<['task' | 'activity' | 'stage', string, string]> = [
  ['task', 'schedule-call', '2024-03-11T09:00:00Z'],
  ['task', 'send-agenda', '2024-03-14T09:00:00Z'],
  ['activity', 'welcome-pack', '2024-03-18T10:00:00Z'],
];

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

describe('progress and roll-up (C6)', () => {
  it('completing one task of two leaves the activity open', () => {
    const { cycle, events } = completeTask(onboardingCycle(), 'schedule-call', instant('2024-03-11T09:00:00Z'));
    const kickoffCall = cycle.stages[0].activities[0];
    expect(kickoffCall.tasks[0].completedAt).toEqual(instant('2024-03-11T09:00:00Z'));
    expect(kickoffCall.completedAt).toBeNull();
    expect(events).toEqual([]);
  });

  it('completing all tasks of an activity completes it; the stage waits for its other activity', () => {
    const cycle = progress(onboardingCycle(), KICKOFF_DONE.slice(0, 2));
    expect(cycle.stages[0].activities[0].completedAt).toEqual(instant('2024-03-14T09:00:00Z'));
    expect(cycle.stages[0].completedAt).toBeNull();
  });

  it('completing all activities of a stage completes it and emits stage-completed', () => {
    const before = progress(onboardingCycle(), KICKOFF_DONE.slice(0, 2));
    const { cycle, events } = completeActivity(before, 'welcome-pack', instant('2024-03-18T10:00:00Z'));
    expect(cycle.stages[0].completedAt).toEqual(instant('2024-03-18T10:00:00Z'));
    expect(events).toEqual([{ type: 'stage-completed', stageId: 'kickoff', stageName: 'Kickoff', at: instant('2024-03-18T10:00:00Z') }]);
    expect(cycle.status).toBe('active');
  });

  it('completing all stages completes the cycle', () => {
    const almost = progress(onboardingCycle(), [
      ...KICKOFF_DONE,
      ['task', 'admin-training', '2024-03-30T09:00:00Z'],
      ['task', 'user-training', '2024-04-05T09:00:00Z'],
      ['task', 'qbr', '2024-11-10T09:00:00Z'],
    ]);
    const { cycle, events } = completeTask(almost, 'send-quote', instant('2024-12-20T09:00:00Z'));
    expect(cycle.status).toBe('completed');
    expect(cycle.completedAt).toEqual(instant('2024-12-20T09:00:00Z'));
    expect(events).toEqual([
      { type: 'stage-completed', stageId: 'renewal', stageName: 'Renewal', at: instant('2024-12-20T09:00:00Z') },
      { type: 'cycle-completed', at: instant('2024-12-20T09:00:00Z') },
    ]);
  });

  it('a rolled-up completion is the latest child completion, even when completions are backdated', () => {
    const first = completeTask(onboardingCycle(), 'send-agenda', instant('2024-03-14T09:00:00Z')).cycle;
    const { cycle } = completeTask(first, 'schedule-call', instant('2024-03-11T09:00:00Z'));
    expect(cycle.stages[0].activities[0].completedAt).toEqual(instant('2024-03-14T09:00:00Z'));
  });

  it('an empty stage completes with completeStage; a stage with activities does not', () => {
    const t = template('t', [stage('intro', 'Intro'), stage('work', 'Work', [activity('a', 'A', [task('t1', 'T1')])])]);
    const cycle = instantiateCycle(t, assignInput());
    expect(errorOf(() => completeStage(cycle, 'work', instant('2024-03-11T00:00:00Z'))).code).toBe(CycleErrorCode.StageHasActivities);
    const { cycle: next, events } = completeStage(cycle, 'intro', instant('2024-03-11T00:00:00Z'));
    expect(next.stages[0].completedAt).toEqual(instant('2024-03-11T00:00:00Z'));
    expect(events).toEqual([{ type: 'stage-completed', stageId: 'intro', stageName: 'Intro', at: instant('2024-03-11T00:00:00Z') }]);
    expect(errorOf(() => completeStage(next, 'intro', instant('2024-03-12T00:00:00Z'))).code).toBe(CycleErrorCode.StageAlreadyCompleted);
  });

  it('a cycle without stages stays active (nothing to complete)', () => {
    const cycle = instantiateCycle(template('empty', []), assignInput());
    expect(cycle.status).toBe('active');
    expect(currentStage(cycle, instant('2024-04-01T00:00:00Z'))).toBeNull();
  });

  it('refuses unknown and completed tasks, activities with tasks, and inactive cycles with typed errors', () => {
    const cycle = deepFreeze(completeTask(onboardingCycle(), 'qbr', instant('2024-11-01T00:00:00Z')).cycle);
    const at = instant('2024-11-02T00:00:00Z');
    const unknown = errorOf(() => completeTask(cycle, 'nope', at));
    expect(unknown.code).toBe(CycleErrorCode.TaskNotFound);
    expect(unknown.message).toBe('Task "nope" is not part of cycle "Onboarding"');
    const twice = errorOf(() => completeTask(cycle, 'qbr', at));
    expect(twice.code).toBe(CycleErrorCode.TaskAlreadyCompleted);
    expect(twice.message).toBe('Task "QBR" of cycle "Onboarding" was already completed on 2024-11-01T00:00:00.000Z');
    expect(errorOf(() => completeActivity(cycle, 'training', at)).code).toBe(CycleErrorCode.ActivityHasTasks);
    expect(errorOf(() => completeActivity(cycle, 'nope', at)).code).toBe(CycleErrorCode.ActivityNotFound);
    expect(errorOf(() => completeStage(cycle, 'nope', at)).code).toBe(CycleErrorCode.StageNotFound);
    const removed: AccountCycle = { ...cycle, status: 'removed' };
    const inactive = errorOf(() => completeTask(removed, 'send-quote', at));
    expect(inactive.code).toBe(CycleErrorCode.CycleNotActive);
    expect(inactive.kind).toBe('conflict');
  });

  it('refuses completing an activity twice', () => {
    const cycle = completeActivity(onboardingCycle(), 'welcome-pack', instant('2024-03-12T00:00:00Z')).cycle;
    expect(errorOf(() => completeActivity(cycle, 'welcome-pack', instant('2024-03-13T00:00:00Z'))).code).toBe(
      CycleErrorCode.ActivityAlreadyCompleted,
    );
  });

  it('never mutates its input', () => {
    const cycle = deepFreeze(onboardingCycle());
    const snapshot = structuredClone(cycle);
    progress(cycle, KICKOFF_DONE);
    expect(cycle).toEqual(snapshot);
  });
});

describe('current stage and days in (C5, C6)', () => {
  it('is the first stage, counted from the cycle start, while nothing is completed', () => {
    expect(currentStage(onboardingCycle(), instant('2024-03-20T15:29:59Z'))).toEqual({
      stageId: 'kickoff',
      name: 'Kickoff',
      daysIn: 9,
      since: ACME_START,
    });
  });

  it('counts from when the previous stage completed', () => {
    const cycle = progress(onboardingCycle(), KICKOFF_DONE);
    expect(currentStage(cycle, instant('2024-03-21T10:00:00Z'))).toEqual({
      stageId: 'adoption',
      name: 'Adoption',
      daysIn: 3,
      since: instant('2024-03-18T10:00:00Z'),
    });
  });

  it('is the first incomplete stage even if a later one completed first', () => {
    const cycle = progress(onboardingCycle(), [
      ['task', 'admin-training', '2024-03-12T00:00:00Z'],
      ['task', 'user-training', '2024-03-13T00:00:00Z'],
    ]);
    expect(cycle.stages[1].completedAt).not.toBeNull();
    expect(currentStage(cycle, instant('2024-03-15T00:00:00Z'))?.stageId).toBe('kickoff');
    // once Kickoff completes (after Adoption did), Renewal is current since Kickoff's completion
    const later = progress(cycle, KICKOFF_DONE);
    expect(currentStage(later, instant('2024-03-20T10:00:00Z'))).toMatchObject({
      stageId: 'renewal',
      since: instant('2024-03-18T10:00:00Z'),
      daysIn: 2,
    });
  });

  it('is none for a completed or removed cycle, and never negative before the start', () => {
    expect(currentStage({ ...onboardingCycle(), status: 'removed' }, instant('2024-04-01T00:00:00Z'))).toBeNull();
    expect(currentStage(onboardingCycle(), instant('2024-01-01T00:00:00Z'))?.daysIn).toBe(0);
  });
});

function cycleOf(cycleId: string, start: string, overrides: Partial<AccountCycle> = {}): AccountCycle {
  return {
    ...onboardingCycle({ cycleId, startDate: instant(start), assignedAt: instant(start), primary: false }),
    templateId: `tpl-${cycleId}`,
    ...overrides,
  };
}

describe('concurrent cycles and the primary one (C5)', () => {
  const primary = cycleOf('p', '2024-03-01T00:00:00Z', { primary: true });
  const older = cycleOf('older', '2024-01-01T00:00:00Z');
  const sameDayLaterAssigned = cycleOf('same-day-b', '2024-02-01T00:00:00Z', { assignedAt: instant('2024-02-03T00:00:00Z') });
  const sameDayEarlierAssigned = cycleOf('same-day-a', '2024-02-01T00:00:00Z', { assignedAt: instant('2024-02-02T00:00:00Z') });
  const completedOldest = cycleOf('done', '2023-01-01T00:00:00Z', { status: 'completed', completedAt: instant('2023-06-01T00:00:00Z') });

  it('removing the primary promotes the oldest active cycle (by start date)', () => {
    const result = removeCycle([primary, sameDayLaterAssigned, older, completedOldest], 'p');
    expect(result.primaryCycleId).toBe('older');
    expect(result.previousPrimaryCycleId).toBe('p');
    expect(result.changed).toBe(true);
    expect(result.cycles.map((c) => [c.cycleId, c.status, c.primary])).toEqual([
      ['p', 'removed', false],
      ['same-day-b', 'active', false],
      ['older', 'active', true],
      ['done', 'completed', false],
    ]);
  });

  it('breaks a start-date tie by assignment time', () => {
    expect(choosePrimaryAfterRemoval([sameDayLaterAssigned, sameDayEarlierAssigned])).toBe('same-day-a');
  });

  it('removing a non-primary cycle keeps the primary', () => {
    const result = removeCycle([primary, older], 'older');
    expect(result.primaryCycleId).toBe('p');
    expect(result.changed).toBe(false);
    expect(choosePrimaryAfterRemoval(result.cycles)).toBe('p');
  });

  it('removing the last active cycle leaves no primary', () => {
    const result = removeCycle([primary, completedOldest], 'p');
    expect(result.primaryCycleId).toBeNull();
    expect(choosePrimaryAfterRemoval(result.cycles)).toBeNull();
  });

  it('only an active cycle can be removed', () => {
    expect(errorOf(() => removeCycle([completedOldest], 'done')).code).toBe(CycleErrorCode.CycleNotActive);
    expect(errorOf(() => removeCycle([primary], 'nope')).code).toBe(CycleErrorCode.CycleNotFound);
  });

  it('setPrimary leaves exactly one primary among active cycles', () => {
    const result = setPrimary([primary, older, { ...sameDayEarlierAssigned, primary: true }], 'older');
    expect(result.cycles.filter((c) => c.status === 'active' && c.primary).map((c) => c.cycleId)).toEqual(['older']);
    expect(result).toMatchObject({ primaryCycleId: 'older', previousPrimaryCycleId: 'same-day-a', changed: true });
  });

  it('setPrimary on the current primary changes nothing', () => {
    const result = setPrimary([primary, older], 'p');
    expect(result.changed).toBe(false);
    expect(result.cycles[0]).toBe(primary);
  });

  it('setPrimary refuses unknown and inactive cycles, and cycles of several accounts', () => {
    expect(errorOf(() => setPrimary([primary], 'nope')).code).toBe(CycleErrorCode.CycleNotFound);
    const error = errorOf(() => setPrimary([primary, completedOldest], 'done'));
    expect(error.code).toBe(CycleErrorCode.CycleNotActive);
    expect(error.message).toBe('Cycle "Onboarding" is completed; only an active cycle can be primary');
    expect(errorOf(() => setPrimary([primary, { ...older, accountId: 'globex' }], 'p')).code).toBe(CycleErrorCode.MixedAccounts);
  });
});

describe('available cycles (C7)', () => {
  it('are the client type templates minus completed and running ones', () => {
    const cycles = [
      cycleOf('a', '2024-01-01T00:00:00Z', { templateId: 'onboarding', status: 'completed' }),
      cycleOf('b', '2024-01-01T00:00:00Z', { templateId: 'adoption' }),
      cycleOf('c', '2024-01-01T00:00:00Z', { templateId: 'expansion', status: 'removed' }),
      cycleOf('d', '2024-01-01T00:00:00Z', { templateId: 'not-offered' }),
    ];
    expect(availableTemplates(['onboarding', 'adoption', 'expansion', 'renewal', 'renewal'], cycles)).toEqual(['expansion', 'renewal']);
    expect(availableTemplates(['onboarding'], [])).toEqual(['onboarding']);
  });
});

describe('chaining (C8)', () => {
  const chained = onboardingTemplate({ nextTemplateId: 'adoption-cycle' });
  const finish = (primary: boolean): AccountCycle =>
    progress(instantiateCycle(chained, assignInput({ primary })), [
      ...KICKOFF_DONE,
      ['task', 'admin-training', '2024-03-30T09:00:00Z'],
      ['task', 'user-training', '2024-04-05T09:00:00Z'],
      ['task', 'qbr', '2024-11-10T09:00:00Z'],
      ['task', 'send-quote', '2024-12-20T09:00:00Z'],
    ]);

  it('starts the next template on the completion date, primary if the completed cycle was', () => {
    const completed = finish(true);
    expect(nextInChain(chained, completed)).toEqual({
      templateId: 'adoption-cycle',
      startDate: instant('2024-12-20T09:00:00Z'),
      primary: true,
    });
    expect(nextInChain(chained, finish(false))?.primary).toBe(false);
  });

  it('the next cycle computes its due dates from the completion date', () => {
    const completed = finish(true);
    const plan = nextInChain(chained, completed);
    const next = template('adoption-cycle', [stage('s', 'Check-in', [], { daysDue: { days: 30, relativeTo: 'cycleStart' } })]);
    const cycle = instantiateCycle(next, assignInput({ cycleId: 'cycle-2', startDate: plan?.startDate, primary: plan?.primary }));
    expect(dueDays(cycle)).toEqual({ s: '2025-01-19' });
  });

  it('nothing follows without a next template, or when the account already runs it', () => {
    const completed = finish(true);
    expect(nextInChain(onboardingTemplate(), completed)).toBeNull();
    const running = cycleOf('x', '2024-01-01T00:00:00Z', { templateId: 'adoption-cycle' });
    expect(nextInChain(chained, completed, [completed, running])).toBeNull();
  });

  it('refuses a cycle that is not completed or belongs to another template', () => {
    expect(errorOf(() => nextInChain(chained, onboardingCycle())).code).toBe(CycleErrorCode.CycleNotCompleted);
    expect(errorOf(() => nextInChain({ ...chained, id: 'other' }, finish(true))).code).toBe(CycleErrorCode.TemplateMismatch);
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
