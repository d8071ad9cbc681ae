import { instantiateCycle } from './account-cycle';
import { nextInChain } from './cycle-chaining';
import type { AccountCycle } from './account-cycle';
import { CycleErrorCode } from './cycle-errors';
import {
  assignInput,
  cycleOf,
  dueDays,
  errorOf,
  instant,
  KICKOFF_DONE,
  onboardingCycle,
  onboardingTemplate,
  progress,
  stage,
  template,
} from './cycle.fixture';

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
