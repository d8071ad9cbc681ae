/**
 * Test data for the attribute domain specs (plain TypeScript, no test framework): a clock and a
 * predictable stage id sequence, and the "Onboarding Status" attribute of the example in docs/rules.md.
 */
import { activate, createAttribute, type Attribute, type AttributeContext, type StageInput } from './attribute';

/** Stage ids `s1`, `s2`, … from a fresh sequence per context; the clock stays at `now`. */
export function contextAt(now = '2024-03-01T09:00:00.000Z'): AttributeContext {
  let next = 0;
  return { now: new Date(now), newStageId: () => `s${++next}` };
}

export const ONBOARDING_STAGES: readonly StageInput[] = [
  { name: 'Kickoff', color: '#1E88E5' },
  { name: 'Configuration', color: '#43A047' },
  { name: 'Implementation', color: '#FDD835' },
  { name: 'Go Live', color: '#8E24AA', endStage: true },
];

/** Draft "Onboarding Status" with stages s1 Kickoff, s2 Configuration, s3 Implementation, s4 Go Live (end). */
export function onboardingDraft(ctx = contextAt()): Attribute {
  return createAttribute(
    {
      key: 'onboarding-status',
      name: 'Onboarding Status',
      description: 'Tracks onboarding',
      flow: 'Onboarding',
      stages: ONBOARDING_STAGES,
    },
    ctx,
  ).attribute;
}

/** The same, activated (version 2). */
export function onboardingActive(ctx = contextAt()): Attribute {
  return activate(onboardingDraft(ctx), ctx).attribute;
}
