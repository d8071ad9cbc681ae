import { stagesInOrder } from '@lifecycle/rules';
import { enabledStageNames, findStage, resolveStageRef } from './lifecycle-definition';
import { CONFIGURATION, GO_LIVE, KICKOFF, onboardingStatus, stage } from './lifecycle.fixture';

describe('lifecycle definition', () => {
  const def = onboardingStatus();

  it('finds a stage by id only', () => {
    expect(findStage(def, KICKOFF)?.name).toBe('Kickoff');
    expect(findStage(def, 'Kickoff')).toBeUndefined();
  });

  it('resolves a reference by id, or by name trimmed and case-insensitively', () => {
    expect(resolveStageRef(def, GO_LIVE)?.id).toBe(GO_LIVE);
    expect(resolveStageRef(def, 'go live')?.id).toBe(GO_LIVE);
    expect(resolveStageRef(def, '\tCONFIGURATION  ')?.id).toBe(CONFIGURATION);
    expect(resolveStageRef(def, 'Go  Live')).toBeUndefined();
    expect(resolveStageRef(def, '')).toBeUndefined();
  });

  it('prefers an id over a name that happens to spell the same', () => {
    const tricky = { ...def, stages: [stage('a', 'b', 1), stage('b', 'Other', 2)] };
    expect(resolveStageRef(tricky, 'b')?.name).toBe('Other');
  });

  it('sorts stages by order and lists the enabled names', () => {
    const messy = {
      ...def,
      stages: [stage('z', 'Last', 9), stage('y', 'First', 1), stage('x', 'Middle', 5, { disabled: true })],
    };
    expect(stagesInOrder(messy.stages).map((s) => s.name)).toEqual(['First', 'Middle', 'Last']);
    expect(enabledStageNames(messy)).toEqual(['First', 'Last']);
    expect(messy.stages.map((s) => s.id)).toEqual(['z', 'y', 'x']); // not sorted in place
  });
});
