import { canonicalCriteria } from './criteria';
import { validateCriteria } from './criteria-validation';
import { affectedSegments, resolveSavedCriteria, savedSegment } from './saved-criteria';
import { CATALOG, STAGE } from './testing/account-projection.builder';

const resolve = (input: unknown) => {
  const result = validateCriteria(input, CATALOG);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.criteria;
};

describe('saved criteria', () => {
  it('resolves the canonical form back without the catalog (renamed or removed names do not matter, A5)', () => {
    const trees = [
      { attribute: 'onboarding', isOneOf: ['Kickoff', 'Implementation'], daysInStage: { gt: 30 } },
      {
        any: [
          { attribute: 'onboarding', isNotOneOf: ['Go Live'] },
          { attribute: 'renewal', doesNotExist: true },
        ],
      },
      {
        all: [
          { attribute: 'onboarding', changed: { lastDays: 7, fromStage: null, toStage: 'Kickoff' } },
          { field: 'renewalDate', withinDays: 30 },
        ],
      },
      { attribute: 'onboarding', changed: { from: '2024-01-01', to: '2024-02-01T10:00:00+02:00' } },
      { attribute: 'renewal', completed: { lastDays: 90 } },
      {
        all: [
          { field: 'clientType', isOneOf: ['enterprise'] },
          { field: 'canceled', is: false },
          { field: 'ownerId', isOneOf: ['u-1'] },
        ],
      },
    ];
    for (const tree of trees) {
      const resolved = resolve(tree);
      const stored: unknown = JSON.parse(JSON.stringify(canonicalCriteria(resolved)));
      expect(resolveSavedCriteria(stored)).toEqual(resolved);
    }
  });

  it('finds the segments an update can change', () => {
    const stuck = savedSegment('s1', resolve({ attribute: 'onboarding', isOneOf: [STAGE.kickoff], daysInStage: { gt: 30 } }));
    const renewal = savedSegment('s2', resolve({ attribute: 'renewal', completed: true }));
    const enterprise = savedSegment('s3', resolve({ field: 'clientType', isOneOf: ['enterprise'] }));
    expect(stuck).toMatchObject({ attributes: ['onboarding'], timeBased: true });
    expect(affectedSegments([stuck, renewal, enterprise], { attributeKey: 'onboarding' }).map((s) => s.id)).toEqual(['s1']);
    expect(affectedSegments([stuck, renewal, enterprise], 'facts').map((s) => s.id)).toEqual(['s1', 's2', 's3']);
    expect(affectedSegments([stuck, renewal, enterprise], 'new-account')).toHaveLength(3);
  });
});
