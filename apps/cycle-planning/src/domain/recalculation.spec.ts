import { completeTask, currentStage } from './cycle-progress';
import type { AccountCycle } from './account-cycle';
import { CycleErrorCode } from './cycle-errors';
import { ACME_SUBSCRIPTION, day, dueDays, errorOf, instant, onboardingCycle, subscription } from './cycle.fixture';
import { recalculateForRenewal, recalculateForStartDate } from './recalculation';

const ASSIGNED_DUE_DAYS = {
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

/** Schedule call and QBR are done; everything else is open. */
function inProgress(): AccountCycle {
  const first = completeTask(onboardingCycle(), 'schedule-call', instant('2024-03-11T09:00:00Z')).cycle;
  return completeTask(first, 'qbr', instant('2024-03-12T09:00:00Z')).cycle;
}

describe('start date change (C11)', () => {
  it('with recalculation, moves the cycle-start-relative dates of incomplete items only', () => {
    const { cycle, changes } = recalculateForStartDate(
      inProgress(),
      instant('2024-04-01T08:00:00Z'),
      { recalculate: true },
      ACME_SUBSCRIPTION,
    );
    expect(cycle.startDate).toEqual(instant('2024-04-01T08:00:00Z'));
    expect(dueDays(cycle)).toEqual({
      ...ASSIGNED_DUE_DAYS,
      kickoff: '2024-04-15',
      'kickoff-call': '2024-04-08',
      'send-agenda': '2024-04-06',
      'welcome-pack': '2024-04-11',
      adoption: '2024-05-31',
      training: '2024-05-01',
      'admin-training': '2024-04-22',
      'user-training': '2024-04-29',
      // schedule-call (completed) and every renewal-relative date stay
    });
    expect(changes.map((c) => c.id)).toEqual([
      'send-agenda',
      'kickoff-call',
      'welcome-pack',
      'kickoff',
      'admin-training',
      'user-training',
      'training',
      'adoption',
    ]);
    expect(changes[0]).toEqual({
      kind: 'task',
      id: 'send-agenda',
      name: 'Send agenda',
      previousDueDate: day('2024-03-15'),
      dueDate: day('2024-04-06'),
      reason: null,
    });
  });

  it('moves dates back when the start moves earlier, across a month boundary', () => {
    const { cycle } = recalculateForStartDate(onboardingCycle(), instant('2024-02-25T00:00:00Z'), { recalculate: true }, ACME_SUBSCRIPTION);
    expect(dueDays(cycle)).toMatchObject({ 'schedule-call': '2024-02-27', 'send-agenda': '2024-03-01', kickoff: '2024-03-10' });
  });

  it('without recalculation, only the start date changes (and with it the days in the current stage)', () => {
    const before = inProgress();
    const { cycle, changes } = recalculateForStartDate(before, instant('2024-03-01T00:00:00Z'), { recalculate: false }, ACME_SUBSCRIPTION);
    expect(dueDays(cycle)).toEqual(ASSIGNED_DUE_DAYS);
    expect(changes).toEqual([]);
    expect(cycle.startDate).toEqual(instant('2024-03-01T00:00:00Z'));
    expect(currentStage(cycle, instant('2024-03-11T00:00:00Z'))?.daysIn).toBe(10);
  });

  it('is refused on a completed or removed cycle, and for an invalid date', () => {
    expect(
      errorOf(() =>
        recalculateForStartDate({ ...inProgress(), status: 'completed' }, instant('2024-04-01T00:00:00Z'), { recalculate: true }, null),
      ).code,
    ).toBe(CycleErrorCode.CycleNotActive);
    expect(errorOf(() => recalculateForStartDate(inProgress(), new Date('x'), { recalculate: false }, null)).code).toBe(
      CycleErrorCode.InvalidDate,
    );
  });
});

describe('renewal date change (C12)', () => {
  it('moves the renewal-relative dates of incomplete items; nothing else', () => {
    const before = inProgress();
    const { cycle, changes } = recalculateForRenewal(before, subscription('2025-03-01'));
    expect(dueDays(cycle)).toEqual({
      ...ASSIGNED_DUE_DAYS,
      renewal: '2025-03-01',
      'renewal-prep': '2025-01-30',
      'send-quote': '2025-02-15',
      // qbr is completed: it keeps 2024-11-16
    });
    expect(changes.map((c) => [c.id, c.dueDate?.toISOString().slice(0, 10)])).toEqual([
      ['send-quote', '2025-02-15'],
      ['renewal-prep', '2025-01-30'],
      ['renewal', '2025-03-01'],
    ]);
    expect(cycle.startDate).toBe(before.startDate);
  });

  it('an account that loses its subscription gets null renewal dates with the reason', () => {
    const { cycle } = recalculateForRenewal(inProgress(), subscription('2025-01-15', false));
    expect(cycle.stages[2]).toMatchObject({ dueDate: null, dueDateReason: 'no active subscription' });
    expect(cycle.stages[2].activities[0].tasks.map((t) => [t.id, t.dueDate, t.dueDateReason])).toEqual([
      ['qbr', day('2024-11-16'), null],
      ['send-quote', null, 'no active subscription'],
    ]);
  });

  it('an account without a subscription at assignment gets its renewal dates once it has one', () => {
    const withoutSubscription = onboardingCycle({ subscription: null });
    expect(dueDays(withoutSubscription).qbr).toBeNull();
    const { cycle } = recalculateForRenewal(withoutSubscription, subscription('2025-06-30'));
    expect(cycle.stages[2].activities[0].tasks.map((t) => [t.id, t.dueDate, t.dueDateReason])).toEqual([
      ['qbr', day('2025-05-01'), null],
      ['send-quote', day('2025-06-16'), null],
    ]);
  });

  it('an unchanged renewal date changes nothing; inactive cycles are left alone', () => {
    const before = inProgress();
    expect(recalculateForRenewal(before, ACME_SUBSCRIPTION)).toEqual({ cycle: before, changes: [] });
    expect(recalculateForRenewal(before, ACME_SUBSCRIPTION).cycle).toBe(before);
    const removed: AccountCycle = { ...before, status: 'removed' };
    expect(recalculateForRenewal(removed, subscription('2026-01-01')).cycle).toBe(removed);
  });
});
