import { instantiateCycle } from './account-cycle';
import { completeActivity, completeStage, completeTask, currentStage } from './cycle-progress';
import type { AccountCycle } from './account-cycle';
import { CycleErrorCode } from './cycle-errors';
import {
  ACME_START,
  activity,
  assignInput,
  deepFreeze,
  errorOf,
  instant,
  KICKOFF_DONE,
  onboardingCycle,
  progress,
  stage,
  task,
  template,
} from './cycle.fixture';

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
