import { CYCLE_ERROR_KIND, CycleErrorCode } from './cycle-errors';
import { byOrder, templateItems, validateTemplate, validateTemplateEdit } from './cycle-template';
import type { CycleTemplate } from './cycle-template';
import { activity, afterStart, errorOf, onboardingTemplate, renewal, stage, task, template } from './cycle.fixture';

describe('cycle templates (C1)', () => {
  it('accepts stages → activities → tasks with daysDue relative to the start or the renewal, negative included', () => {
    expect(() => validateTemplate(onboardingTemplate())).not.toThrow();
    expect(onboardingTemplate().stages[2].activities[0].tasks[0].daysDue).toEqual(renewal(-60));
  });

  it('accepts empty templates, stages and activities (built step by step)', () => {
    expect(() => validateTemplate(template('empty', []))).not.toThrow();
    expect(() => validateTemplate(template('t', [stage('s', 'S', [activity('a', 'A')])]))).not.toThrow();
  });

  it('lists items in template order', () => {
    const items = templateItems(onboardingTemplate());
    expect(items.slice(0, 5).map((i) => `${i.kind}:${i.id}`)).toEqual([
      'stage:kickoff',
      'activity:kickoff-call',
      'task:schedule-call',
      'task:send-agenda',
      'activity:welcome-pack',
    ]);
  });

  it('sorts by order, keeping the list order for ties, without mutating', () => {
    const items = [
      { id: 'b', order: 2 },
      { id: 'a', order: 1 },
      { id: 'c', order: 2 },
    ];
    expect(byOrder(items).map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(items.map((i) => i.id)).toEqual(['b', 'a', 'c']);
  });

  it('rejects an id used twice, even across levels, naming both places', () => {
    const bad = template('t', [stage('x', 'Stage', [activity('a', 'A', [task('x', 'Task')])])]);
    const error = errorOf(() => validateTemplate(bad));
    expect(error.code).toBe(CycleErrorCode.InvalidTemplate);
    expect(error.message).toContain('id "x" is already used by stages[0]');
    expect(CYCLE_ERROR_KIND[error.code]).toBe('invalid');
  });

  it('rejects fractional days, unknown bases, empty names and bad versions, listing every problem', () => {
    const bad: CycleTemplate = {
      ...template('t', [
        stage('s', ' ', [activity('a', 'A', [task('t1', 'T', { daysDue: { days: 2.5, relativeTo: 'cycleStart' } })])], {
          daysDue: { days: 1, relativeTo: 'signature' as 'renewal' },
        }),
      ]),
      version: 0,
    };
    const error = errorOf(() => validateTemplate(bad));
    expect(error.details?.problems).toEqual([
      'template version must be a positive integer, got 0',
      'stages[0]: stage name must not be empty',
      'stages[0].daysDue.relativeTo must be one of cycleStart, renewal, stageEntry, taskCompletion, got signature',
      'stages[0].activities[0].tasks[0].daysDue.days must be an integer number of days (may be negative), got 2.5',
    ]);
    expect(error.message).toMatch(/^Template "t" is invalid: template version .* \(and 3 more\)$/);
  });
});

describe('template edits (C1 versioning, C10)', () => {
  const v1 = onboardingTemplate();
  const v2: CycleTemplate = { ...v1, version: 2, name: 'Onboarding 2.0' };

  it('accepts an edit of the same template with a higher version', () => {
    expect(() => validateTemplateEdit(v1, v2)).not.toThrow();
  });

  it('refuses a lower or equal version, another template, or an id changing kind', () => {
    expect(errorOf(() => validateTemplateEdit(v2, v1)).code).toBe(CycleErrorCode.InvalidTemplateEdit);
    expect(errorOf(() => validateTemplateEdit(v1, { ...v2, id: 'other' })).code).toBe(CycleErrorCode.InvalidTemplateEdit);
    const kindChange = template('onboarding', [stage('kickoff', 'Kickoff', [activity('qbr', 'QBR as activity')])], {
      version: 2,
    });
    const error = errorOf(() => validateTemplateEdit(v1, kindChange));
    expect(error.message).toBe('Item "qbr" of template "onboarding" cannot change from task to activity; give the new activity a new id');
  });

  it('accepts changed daysDue in an edit', () => {
    const v3 = template('onboarding', [stage('kickoff', 'Kickoff', [], { daysDue: afterStart(-2) })], { version: 3 });
    expect(() => validateTemplateEdit(v1, v3)).not.toThrow();
  });
});
