import { replay, type LifecycleState } from '@lifecycle/rules';
import type { LifecycleDefinition } from './lifecycle-definition';
import { LifecycleError, LifecycleErrorCode } from './lifecycle-errors';
import { CONFIGURATION, GO_LIVE, IMPLEMENTATION, KICKOFF, day, history, onboardingStatus } from './lifecycle.fixture';
import type { StatusChangeRequest } from './status-command';
import { FUTURE_TOLERANCE_MS, decideChange } from './status-command';

const def = onboardingStatus();
const now = day(10);

function request(stage: string | null, at: Date = now): StatusChangeRequest {
  return { attributeKey: 'onboarding-status', stage, at };
}

function stateIn(stageId: string | null, at: Date = day(5)): LifecycleState {
  const h = history().set(KICKOFF, day(0));
  if (stageId !== KICKOFF) h.set(stageId, at);
  return replay(def.stages, h.build()).state;
}

function refusal(fn: () => unknown): LifecycleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LifecycleError) return error;
    throw error;
  }
  throw new Error('expected a LifecycleError');
}

describe('decideChange (L1, L8)', () => {
  describe('refusals', () => {
    it('refuses an unknown attribute', () => {
      const error = refusal(() => decideChange(undefined, undefined, { ...request(KICKOFF), attributeKey: 'nope' }, now));
      expect(error.code).toBe(LifecycleErrorCode.AttributeUnknown);
      expect(error.message).toBe('Attribute "nope" does not exist');
      expect(error.details).toEqual({ attributeKey: 'nope' });
    });

    it('refuses an attribute that is not active', () => {
      const draft = onboardingStatus({ state: 'draft' });
      const error = refusal(() => decideChange(draft, undefined, request('Kickoff'), now));
      expect(error.code).toBe(LifecycleErrorCode.AttributeNotActive);
      expect(error.message).toBe('Attribute "onboarding-status" is not active (state: draft); only active attributes accept values');
    });

    it('refuses a value that is not a stage, naming the value and the allowed stages', () => {
      const error = refusal(() => decideChange(def, undefined, request('Foo'), now));
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('LifecycleError');
      expect(error.code).toBe(LifecycleErrorCode.StageUnknown);
      expect(error.message).toBe(
        'Stage "Foo" is not a stage of attribute "onboarding-status"; allowed stages: Kickoff, Configuration, Implementation, Go Live',
      );
      expect(error.details).toEqual({
        attributeKey: 'onboarding-status',
        value: 'Foo',
        allowedStages: ['Kickoff', 'Configuration', 'Implementation', 'Go Live'],
      });
    });

    it('refuses an empty or blank stage reference as unknown', () => {
      expect(refusal(() => decideChange(def, undefined, request('  '), now)).code).toBe(LifecycleErrorCode.StageUnknown);
    });

    it('lists only enabled stages as allowed', () => {
      const withDisabled = disable(def, CONFIGURATION);
      const error = refusal(() => decideChange(withDisabled, undefined, request('Foo'), now));
      expect(error.message).toMatch(/allowed stages: Kickoff, Implementation, Go Live$/);
    });

    it('says "none" when no stage is enabled', () => {
      const allDisabled: LifecycleDefinition = { ...def, stages: def.stages.map((s) => ({ ...s, disabled: true })) };
      expect(refusal(() => decideChange(allDisabled, undefined, request('Foo'), now)).message).toMatch(/allowed stages: none$/);
    });

    it('refuses a disabled stage for an account not already in it (A5)', () => {
      const withDisabled = disable(def, CONFIGURATION);
      const error = refusal(() => decideChange(withDisabled, stateIn(KICKOFF), request('configuration'), now));
      expect(error.code).toBe(LifecycleErrorCode.StageDisabled);
      expect(error.message).toBe(
        'Stage "Configuration" of attribute "onboarding-status" is disabled; allowed stages: Kickoff, Implementation, Go Live',
      );
      expect(error.details).toMatchObject({ value: 'configuration', stageId: CONFIGURATION });
    });

    it('accepts a disabled stage for an account already in it (as a no-op or a backdated entry)', () => {
      const withDisabled = disable(def, CONFIGURATION);
      const state = stateIn(CONFIGURATION, day(5));
      expect(decideChange(withDisabled, state, request('Configuration'), now)).toEqual({ kind: 'noop' });
      expect(decideChange(withDisabled, state, request('Configuration', day(2)), now)).toEqual({
        kind: 'apply',
        to: CONFIGURATION,
      });
    });

    it('refuses a timestamp in the future beyond the tolerance', () => {
      const at = new Date(now.getTime() + FUTURE_TOLERANCE_MS + 1);
      const error = refusal(() => decideChange(def, undefined, request('Kickoff', at), now));
      expect(error.code).toBe(LifecycleErrorCode.FutureTimestamp);
      expect(error.message).toBe(
        `Timestamp "${at.toISOString()}" is in the future; "at" must not be later than now (${now.toISOString()})`,
      );
    });

    it('accepts a timestamp within the clock-skew tolerance', () => {
      const at = new Date(now.getTime() + FUTURE_TOLERANCE_MS);
      expect(decideChange(def, undefined, request('Kickoff', at), now)).toEqual({ kind: 'apply', to: KICKOFF });
    });

    it('refuses an invalid date', () => {
      const error = refusal(() => decideChange(def, undefined, request('Kickoff', new Date('nope')), now));
      expect(error.code).toBe(LifecycleErrorCode.InvalidTimestamp);
    });
  });

  describe('stage references', () => {
    it.each([
      ['by id', GO_LIVE, GO_LIVE],
      ['by name', 'Implementation', IMPLEMENTATION],
      ['by name, any case, trimmed', '  go LIVE ', GO_LIVE],
      ['by id, trimmed', ` ${CONFIGURATION} `, CONFIGURATION],
    ])('resolves a stage %s', (_label, ref, id) => {
      expect(decideChange(def, stateIn(KICKOFF), request(ref), now)).toEqual({ kind: 'apply', to: id });
    });
  });

  describe('L8 no-ops', () => {
    it('is a no-op to set the current stage again', () => {
      expect(decideChange(def, stateIn(CONFIGURATION), request('Configuration'), now)).toEqual({ kind: 'noop' });
    });

    it('is a no-op to clear an empty value', () => {
      expect(decideChange(def, undefined, request(null), now)).toEqual({ kind: 'noop' });
      expect(decideChange(def, stateIn(null), request(null), now)).toEqual({ kind: 'noop' });
    });

    it('applies a clear of a value', () => {
      expect(decideChange(def, stateIn(KICKOFF), request(null), now)).toEqual({ kind: 'apply', to: null });
    });

    it('always applies a backdated entry, even to the current stage or an empty value', () => {
      expect(decideChange(def, stateIn(CONFIGURATION, day(5)), request('Configuration', day(3)), now)).toEqual({
        kind: 'apply',
        to: CONFIGURATION,
      });
      expect(decideChange(def, stateIn(null, day(5)), request(null, day(3)), now)).toEqual({ kind: 'apply', to: null });
    });

    it('treats an entry at the same instant as the last change as landing last', () => {
      expect(decideChange(def, stateIn(CONFIGURATION, day(5)), request(CONFIGURATION, day(5)), now)).toEqual({
        kind: 'noop',
      });
    });
  });
});

function disable(source: LifecycleDefinition, stageId: string): LifecycleDefinition {
  return { ...source, stages: source.stages.map((s) => (s.id === stageId ? { ...s, disabled: true } : s)) };
}
