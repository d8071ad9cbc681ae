import fc from 'fast-check';
import type { BusinessCalendar } from '@lifecycle/rules';
import { findItem, instantiateCycle, type AccountCycle } from './account-cycle';
import { CycleError, CycleErrorCode } from './cycle-errors';
import { completeTask } from './cycle-progress';
import { validateTemplate, type DaysDue } from './cycle-template';
import { activity, afterStart, day, stage, task, template } from './cycle.fixture';
import { settleDueDates } from './dependent-due-dates';
import { DUE_DATE_REASONS, stageEntryKey } from './due-dates';
import { recalculateForStartDate } from './recalculation';

const MON_FRI: BusinessCalendar = { workingWeekdays: [1, 2, 3, 4, 5], holidays: ['2025-03-10'], timeZone: 'Europe/Berlin' };
const business = (days: number, relativeTo: DaysDue['relativeTo'] = 'cycleStart', extra: Partial<DaysDue> = {}): DaysDue => ({
  days,
  relativeTo,
  unit: 'business-days',
  ...extra,
});
const after = (taskId: string, days: number, unit: DaysDue['unit'] = 'calendar-days'): DaysDue => ({
  days,
  relativeTo: 'taskCompletion',
  taskId,
  unit,
});

/** Kickoff call (start + 2), Welcome pack (2 business days after the call), Training (3 days after the pack), Go-live review (5 business days after entering Live). */
const onboarding = template('onboarding', [
  stage('s1', 'Start', [
    activity('a1', 'Kickoff', [
      task('call', 'Kickoff call', { daysDue: afterStart(2) }),
      task('pack', 'Welcome pack', { daysDue: after('call', 2, 'business-days') }),
      task('training', 'Training', { daysDue: after('pack', 3) }),
      task('review', 'Go-live review', { daysDue: business(5, 'stageEntry', { attributeKey: 'onboarding-status', stageId: 'stg-live' }) }),
    ]),
  ]),
]);

// 2025-03-05 is a Wednesday; 2025-03-10 (Monday) is a holiday of MON_FRI.
const START = day('2025-03-05');

function assign(stageEntries: ReadonlyMap<string, Date> = new Map()): AccountCycle {
  return instantiateCycle(onboarding, {
    cycleId: 'c1',
    accountId: 'acme',
    startDate: START,
    assignedAt: START,
    subscription: null,
    primary: true,
    calendar: MON_FRI,
    stageEntries,
  });
}

const due = (cycle: AccountCycle, id: string) => findItem(cycle, 'task', id)?.dueDate?.toISOString().slice(0, 10) ?? null;
const reason = (cycle: AccountCycle, id: string) => findItem(cycle, 'task', id)?.dueDateReason ?? null;

describe('B6: due dates counting from business days, stage entries and other tasks', () => {
  it('counts business days on the account calendar, skipping weekends and holidays (WORKDAY convention)', () => {
    const friday = instantiateCycle(template('t', [stage('s', 'S', [], { daysDue: business(1) })]), {
      cycleId: 'c',
      accountId: 'a',
      startDate: day('2025-03-07'),
      assignedAt: day('2025-03-07'),
      subscription: null,
      primary: true,
      calendar: MON_FRI,
    });
    // Friday + 1 business day: Monday the 10th is a holiday → Tuesday.
    expect(friday.stages[0]?.dueDate).toEqual(day('2025-03-11'));
  });

  it('a task counting from another is projected from its due date while it is open (chains cascade)', () => {
    const cycle = assign();
    expect(due(cycle, 'call')).toBe('2025-03-07'); // Wednesday + 2 days
    expect(due(cycle, 'pack')).toBe('2025-03-12'); // Friday + 2 business days, Monday off → Wednesday
    expect(due(cycle, 'training')).toBe('2025-03-15');
  });

  it('a stage-entry date waits for the entry, with the reason, and counts from it once known', () => {
    expect(due(assign(), 'review')).toBeNull();
    expect(reason(assign(), 'review')).toBe(DUE_DATE_REASONS.stageNotEntered);
    const entered = assign(new Map([[stageEntryKey('onboarding-status', 'stg-live'), new Date('2025-03-14T16:00:00Z')]]));
    expect(due(entered, 'review')).toBe('2025-03-21'); // Friday + 5 business days
  });

  it('completing a task late moves the open dates that count from it, down the chain', () => {
    const completed = completeTask(assign(), 'call', new Date('2025-03-13T10:00:00Z')).cycle;
    const settled = settleDueDates(completed, { subscription: null, calendar: MON_FRI });
    expect(due(settled.cycle, 'pack')).toBe('2025-03-17'); // Thursday + 2 business days
    expect(due(settled.cycle, 'training')).toBe('2025-03-20');
    expect(
      settled.changes.map((c) => [c.id, c.previousDueDate?.toISOString().slice(0, 10), c.dueDate?.toISOString().slice(0, 10)]),
    ).toEqual([
      ['pack', '2025-03-12', '2025-03-17'],
      ['training', '2025-03-15', '2025-03-20'],
    ]);
  });

  it('completed items never move', () => {
    let cycle = completeTask(assign(), 'pack', new Date('2025-03-06T10:00:00Z')).cycle;
    cycle = settleDueDates(cycle, { subscription: null, calendar: MON_FRI }).cycle;
    cycle = completeTask(cycle, 'call', new Date('2025-03-20T10:00:00Z')).cycle;
    const settled = settleDueDates(cycle, { subscription: null, calendar: MON_FRI });
    expect(due(settled.cycle, 'pack')).toBe('2025-03-12');
    // Training counts from the pack's completion (6th) + 3 days.
    expect(due(settled.cycle, 'training')).toBe('2025-03-09');
  });

  it('moving the cycle start (C11) moves the dates that hang on the moved ones', () => {
    const moved = recalculateForStartDate(assign(), day('2025-03-12'), { recalculate: true }, null, { calendar: MON_FRI });
    expect(due(moved.cycle, 'call')).toBe('2025-03-14');
    expect(due(moved.cycle, 'pack')).toBe('2025-03-18');
    expect(moved.changes.map((c) => c.id)).toEqual(['call', 'pack', 'training']);
  });

  it('a loop of dependencies is refused when the template is saved, naming the loop', () => {
    const looping = template('loop', [
      stage('s', 'S', [
        activity('a', 'A', [
          task('x', 'Send contract', { daysDue: after('z', 1) }),
          task('y', 'Sign contract', { daysDue: after('x', 1) }),
          task('z', 'File contract', { daysDue: after('y', 1) }),
        ]),
      ]),
    ]);
    let error: unknown;
    try {
      validateTemplate(looping);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CycleError);
    expect((error as CycleError).code).toBe(CycleErrorCode.DueDateDependencyLoop);
    expect((error as CycleError).message).toBe(
      'Template "loop": due dates depend on each other in a loop: "Send contract" → "File contract" → "Sign contract" → "Send contract"; every due date must count from something that does not wait for it',
    );
    expect((error as CycleError).details).toMatchObject({ loop: ['x', 'z', 'y', 'x'] });
  });

  it('refuses a dependency on an unknown item, on a stage, or on itself, and rules without their fields', () => {
    const bad = template('bad', [
      stage('s', 'S', [
        activity('a', 'A', [
          task('x', 'X', { daysDue: after('nope', 1) }),
          task('y', 'Y', { daysDue: after('s', 1) }),
          task('z', 'Z', { daysDue: after('z', 1) }),
          task('w', 'W', { daysDue: { days: 1, relativeTo: 'stageEntry' } }),
        ]),
      ]),
    ]);
    let error: CycleError | undefined;
    try {
      validateTemplate(bad);
    } catch (e) {
      error = e as CycleError;
    }
    expect(error?.details?.problems).toEqual([
      'stages[0].activities[0].tasks[3].daysDue: relativeTo stageEntry needs attributeKey and stageId (the lifecycle stage whose entry the date counts from)',
      'stages[0].activities[0].tasks[0].daysDue.taskId "nope" is not an item of this template',
      'stages[0].activities[0].tasks[1].daysDue.taskId "s" is a stage; due dates count from a task\'s completion',
      'stages[0].activities[0].tasks[2].daysDue.taskId: a task cannot count from its own completion',
    ]);
  });

  it('property: settling is idempotent and never moves a completed item', () => {
    const ids = ['call', 'pack', 'training', 'review'];
    fc.assert(
      fc.property(fc.subarray(ids), fc.integer({ min: 0, max: 30 }), (completedIds, offset) => {
        let cycle = assign();
        for (const id of completedIds) cycle = completeTask(cycle, id, new Date(START.getTime() + offset * 86_400_000)).cycle;
        const before = new Map(completedIds.map((id) => [id, findItem(cycle, 'task', id)?.dueDate?.getTime() ?? null]));
        const once = settleDueDates(cycle, { subscription: null, calendar: MON_FRI });
        for (const id of completedIds) expect(findItem(once.cycle, 'task', id)?.dueDate?.getTime() ?? null).toBe(before.get(id));
        expect(settleDueDates(once.cycle, { subscription: null, calendar: MON_FRI }).changes).toEqual([]);
      }),
    );
  });
});
