import { updateStage } from './attribute';
import { contextAt, onboardingActive } from './attribute.fixture';
import { daysInFields } from './days-in-fields';

describe('"Days in" fields', () => {
  it('offers the attribute field and one per stage, in stage order, with the current names', () => {
    const ctx = contextAt();
    const attribute = updateStage(
      updateStage(onboardingActive(ctx), 's1', { name: 'Kick-off' }, ctx).attribute,
      's3',
      { disabled: true },
      ctx,
    ).attribute;
    expect(daysInFields(attribute)).toEqual([
      { field: 'daysIn:onboarding-status', label: 'Days in Onboarding Status', scope: 'attribute' },
      { field: 'daysIn:onboarding-status:s1', label: 'Days in Kick-off', scope: 'stage', stageId: 's1', disabled: false },
      { field: 'daysIn:onboarding-status:s2', label: 'Days in Configuration', scope: 'stage', stageId: 's2', disabled: false },
      // A5: a disabled stage keeps its field (still queryable in segments).
      { field: 'daysIn:onboarding-status:s3', label: 'Days in Implementation', scope: 'stage', stageId: 's3', disabled: true },
      { field: 'daysIn:onboarding-status:s4', label: 'Days in Go Live', scope: 'stage', stageId: 's4', disabled: false },
    ]);
  });
});
