import { addStage, updateStage } from './attribute';
import { AttributeError, AttributeErrorCode } from './attribute-errors';
import { contextAt, onboardingActive, onboardingDraft } from './attribute.fixture';

const later = () => contextAt('2024-03-02T09:00:00.000Z');

function errorOf(fn: () => unknown): AttributeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AttributeError) return e;
    throw e;
  }
  throw new Error('expected an AttributeError');
}

describe('B3: stage SLAs in the catalog', () => {
  it('sets, changes and removes the SLA of a stage of an active attribute, one version each', () => {
    const active = onboardingActive();
    const set = updateStage(active, 's1', { sla: { expected: 5, unit: 'business-days' } }, later());
    expect(set.attribute.stages[0]?.sla).toEqual({ expected: 5, unit: 'business-days' });
    expect(set.attribute.version).toBe(active.version + 1);
    expect(set.event?.data.stages[0]?.sla).toEqual({ expected: 5, unit: 'business-days' });

    const changed = updateStage(set.attribute, 's1', { sla: { expected: 10, unit: 'calendar-days', atRisk: 0.5 } }, later());
    expect(changed.attribute.stages[0]?.sla).toEqual({ expected: 10, unit: 'calendar-days', atRisk: 0.5 });

    const removed = updateStage(changed.attribute, 's1', { sla: null }, later());
    expect(removed.attribute.stages[0]?.sla).toBeNull();
  });

  it('keeps the SLA when a patch does not mention it, and the same SLA again is no change', () => {
    const withSla = updateStage(onboardingActive(), 's2', { sla: { expected: 3, unit: 'business-days' } }, later()).attribute;
    expect(updateStage(withSla, 's2', { name: 'Setup' }, later()).attribute.stages[1]?.sla).toEqual({ expected: 3, unit: 'business-days' });
    expect(updateStage(withSla, 's2', { sla: { expected: 3, unit: 'business-days' } }, later()).event).toBeNull();
  });

  it('an appended stage may carry an SLA', () => {
    const { attribute } = addStage(
      onboardingActive(),
      { name: 'Hypercare', color: '#123456', sla: { expected: 2, unit: 'calendar-days' } },
      later(),
    );
    expect(attribute.stages[4]?.sla).toEqual({ expected: 2, unit: 'calendar-days' });
  });

  it('an end stage refuses an SLA with 409 SLA_ON_END_STAGE naming the stage', () => {
    const e = errorOf(() => updateStage(onboardingActive(), 's4', { sla: { expected: 5, unit: 'business-days' } }, later()));
    expect(e.code).toBe(AttributeErrorCode.SlaOnEndStage);
    expect(e.kind).toBe('conflict');
    expect(e.message).toContain('stage "Go Live" of attribute "onboarding-status" is an end stage');
    const appended = errorOf(() =>
      addStage(
        onboardingActive(),
        { name: 'Churned', color: '#000000', endStage: true, sla: { expected: 1, unit: 'business-days' } },
        later(),
      ),
    );
    expect(appended.code).toBe(AttributeErrorCode.SlaOnEndStage);
  });

  it('a draft stage with an SLA cannot become an end stage unless the SLA goes with it', () => {
    const draft = updateStage(onboardingDraft(), 's3', { sla: { expected: 5, unit: 'business-days' } }, later()).attribute;
    expect(errorOf(() => updateStage(draft, 's3', { endStage: true }, later())).code).toBe(AttributeErrorCode.SlaOnEndStage);
    expect(updateStage(draft, 's3', { endStage: true, sla: null }, later()).attribute.stages[2]).toMatchObject({
      endStage: true,
      sla: null,
    });
  });

  it('a bad SLA is a 400 naming the field and what is allowed', () => {
    const e = errorOf(() => updateStage(onboardingActive(), 's1', { sla: { expected: 0, unit: 'business-days', atRisk: 1.5 } }, later()));
    expect(e.code).toBe(AttributeErrorCode.InvalidField);
    expect(e.details).toEqual({ field: 'sla' });
    expect(e.message).toBe(
      'sla: expected must be a whole number of days from 1 to 3650; got 0; atRisk must be a fraction from 0.01 to 0.99 (e.g. 0.8); got 1.5',
    );
  });
});
