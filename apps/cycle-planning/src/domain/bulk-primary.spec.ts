import { instantiateCycle } from './account-cycle';
import { setPrimary } from './primary-cycle';
import type { AccountCycle } from './account-cycle';
import { assertNoBulkStageEdit, planBulkPrimary } from './bulk-primary';
import { CYCLE_ERROR_KIND, CycleErrorCode } from './cycle-errors';
import { assignInput, errorOf, instant, onboardingCycle, onboardingTemplate } from './cycle.fixture';

function cycle(cycleId: string, templateId: string, start: string, overrides: Partial<AccountCycle> = {}): AccountCycle {
  return {
    ...onboardingCycle({ cycleId, startDate: instant(start), assignedAt: instant(start), primary: false }),
    templateId,
    ...overrides,
  };
}

describe('bulk primary cycle (C13)', () => {
  it('an account running the template gets that cycle as primary (the oldest if several)', () => {
    const cycles = [
      cycle('a', 'health', '2024-01-01T00:00:00Z', { primary: true }),
      cycle('b', 'renewal', '2024-03-01T00:00:00Z'),
      cycle('c', 'renewal', '2024-02-01T00:00:00Z'),
    ];
    const step = planBulkPrimary(cycles, { templateId: 'renewal' });
    expect(step).toEqual({ action: 'set-primary', cycleId: 'c' });
    const applied = setPrimary(cycles, step.action === 'set-primary' ? step.cycleId : '');
    expect(applied.cycles.filter((c) => c.primary).map((c) => c.cycleId)).toEqual(['c']);
  });

  it('an account whose primary already runs the template is left unchanged', () => {
    const cycles = [cycle('a', 'renewal', '2024-01-01T00:00:00Z', { primary: true })];
    expect(planBulkPrimary(cycles, { templateId: 'renewal' })).toEqual({ action: 'unchanged', cycleId: 'a' });
  });

  it('an account not running the template gets it assigned as primary, even if it completed it before', () => {
    const cycles = [
      cycle('a', 'renewal', '2023-01-01T00:00:00Z', { status: 'completed' }),
      cycle('b', 'renewal', '2023-06-01T00:00:00Z', { status: 'removed' }),
      cycle('c', 'health', '2024-01-01T00:00:00Z', { primary: true }),
    ];
    const step = planBulkPrimary(cycles, { templateId: 'renewal' });
    expect(step).toEqual({ action: 'assign', templateId: 'renewal', primary: true });
    const assigned = instantiateCycle({ ...onboardingTemplate(), id: 'renewal' }, assignInput({ cycleId: 'd', primary: true }));
    const result = setPrimary([...cycles, assigned], 'd');
    expect(result.cycles.filter((c) => c.status === 'active' && c.primary).map((c) => c.cycleId)).toEqual(['d']);
  });

  it('refuses to edit stages in bulk', () => {
    const error = errorOf(() => planBulkPrimary([], { templateId: 'renewal', stageId: 'kickoff' }));
    expect(error.code).toBe(CycleErrorCode.BulkStageEditNotSupported);
    expect(error.message).toBe('Stages cannot be edited in bulk; only the primary cycle can (remove "stageId" from the request)');
    expect(CYCLE_ERROR_KIND[error.code]).toBe('malformed');
    expect(() => assertNoBulkStageEdit({ stage: null })).toThrow(
      expect.objectContaining({ code: CycleErrorCode.BulkStageEditNotSupported }),
    );
    expect(() => assertNoBulkStageEdit({ templateId: 'renewal', accountIds: ['a'] })).not.toThrow();
  });
});
