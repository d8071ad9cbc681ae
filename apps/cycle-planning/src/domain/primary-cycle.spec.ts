import { availableTemplates, choosePrimaryAfterRemoval, removeCycle, setPrimary } from './primary-cycle';
import { CycleErrorCode } from './cycle-errors';
import { cycleOf, errorOf, instant } from './cycle.fixture';

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
