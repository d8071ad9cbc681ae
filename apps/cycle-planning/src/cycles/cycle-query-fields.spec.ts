import { completeTask, removeCycle } from '../domain';
import { assignInput, onboardingCycle, subscription } from '../domain/cycle.fixture';
import { awaitsVersion, cycleQueryFields, templateVersionKey } from './cycle-query-fields';

describe('query fields derived from an account’s cycles', () => {
  it('lists running templates, the earliest open due date and the owners of open tasks', () => {
    const cycle = onboardingCycle(); // schedule-call is owned by user-csm; send-agenda has no owner
    expect(cycleQueryFields([cycle], 'account-owner')).toEqual({
      activeTemplateIds: ['onboarding'],
      activeTemplateVersions: ['onboarding@1'],
      hasOpenItems: true,
      nextDueDate: new Date('2024-03-12T00:00:00Z'), // schedule-call: start 2024-03-10 + 2
      openOwnerIds: ['account-owner', 'user-csm'],
    });
    const progressed = completeTask(cycle, 'schedule-call', new Date('2024-03-11T00:00:00Z')).cycle;
    expect(cycleQueryFields([progressed], null)).toMatchObject({
      nextDueDate: new Date('2024-03-15T00:00:00Z'),
      openOwnerIds: ['user-csm'],
    });
  });

  it('keys each active cycle by template and version, for the cycles a template edit has yet to reach (C10)', () => {
    const onV3 = { ...onboardingCycle(assignInput({ cycleId: 'c-1' })), templateVersion: 3 };
    const renewal = { ...onboardingCycle(assignInput({ cycleId: 'c-2' })), templateId: 'renewal@eu', templateVersion: 12 };
    const completed = { ...onboardingCycle(assignInput({ cycleId: 'c-3' })), templateId: 'old', status: 'completed' as const };
    expect(cycleQueryFields([onV3, renewal, completed], null).activeTemplateVersions).toEqual(['onboarding@3', 'renewal@eu@12']);
    expect(templateVersionKey('renewal@eu', 12)).toBe('renewal@eu@12');
  });

  it('tells from those keys whether an edit to a version has yet to reach a cycle of the template (C10)', () => {
    const keys = ['onboarding@3', 'renewal@eu@12'];
    expect(awaitsVersion(keys, 'onboarding', 4)).toBe(true);
    expect(awaitsVersion(keys, 'onboarding', 3)).toBe(false); // reached
    expect(awaitsVersion(keys, 'onboarding', 2)).toBe(false); // on a newer version already
    expect(awaitsVersion(keys, 'renewal@eu', 13)).toBe(true);
    expect(awaitsVersion(keys, 'renewal', 99)).toBe(false); // "renewal@eu@12" is another template's
    expect(awaitsVersion([], 'onboarding', 9)).toBe(false);
  });

  it('ignores cycles that are not active', () => {
    const removed = removeCycle([onboardingCycle(assignInput({ subscription: subscription(null) }))], 'cycle-1').cycles;
    expect(cycleQueryFields(removed, 'owner')).toEqual({
      activeTemplateIds: [],
      activeTemplateVersions: [],
      hasOpenItems: false,
      nextDueDate: null,
      openOwnerIds: [],
    });
  });
});
