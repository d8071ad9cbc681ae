import { activity, editTemplate, onboardingTemplate, stage, stageOf, task, activityOf } from './cycle.fixture';
import { diffTemplates } from './template-diff';

describe('diffTemplates (C10 preview of the template itself)', () => {
  it('lists top-most additions and removals, and renames', () => {
    const previous = onboardingTemplate();
    const next = editTemplate(previous, (draft) => {
      draft.name = 'Onboarding 2';
      stageOf(draft, 'kickoff').name = 'Kick-off';
      activityOf(draft, 'training').tasks.push({ ...task('api-training', 'API training'), order: 99 });
      draft.stages = draft.stages.filter((s) => s.id !== 'renewal');
      draft.stages.push({ ...stage('expansion', 'Expansion', [activity('upsell', 'Upsell', [task('pitch', 'Pitch')])]), order: 99 });
    });
    const diff = diffTemplates(previous, next);
    expect(diff.added).toEqual([
      { kind: 'task', id: 'api-training', name: 'API training' },
      { kind: 'stage', id: 'expansion', name: 'Expansion' },
    ]);
    expect(diff.removed).toEqual([{ kind: 'stage', id: 'renewal', name: 'Renewal' }]);
    expect(diff.renamed).toEqual([
      { kind: 'cycle', id: 'onboarding', name: 'Onboarding 2', previousName: 'Onboarding' },
      { kind: 'stage', id: 'kickoff', name: 'Kick-off', previousName: 'Kickoff' },
    ]);
  });

  it('finds nothing in an unchanged copy', () => {
    const previous = onboardingTemplate();
    expect(
      diffTemplates(
        previous,
        editTemplate(previous, () => undefined),
      ),
    ).toEqual({ added: [], renamed: [], removed: [] });
  });
});
