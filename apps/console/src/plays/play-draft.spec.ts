import { describeAction, describeTrigger, newPlayDraft, playBody, type PlayNames } from './play-draft';

const names: PlayNames = {
  attributes: new Map([['onboarding-status', { name: 'Onboarding Status', stages: new Map([['stg-kickoff', 'Kickoff']]) }]]),
  segments: new Map([['seg-1', 'Onboarding overdue']]),
  templates: new Map([['rescue', 'Onboarding rescue']]),
};

describe('play form (P1): the body of the chosen trigger and action only', () => {
  it('an SLA trigger with a task: the attribute, the stage if one is picked, the task name and due days', () => {
    const draft = {
      ...newPlayDraft(),
      name: ' Kickoff overdue ',
      attributeKey: 'onboarding-status',
      stageId: 'stg-kickoff',
      taskName: ' Call ',
    };
    expect(playBody(draft)).toEqual({
      name: 'Kickoff overdue',
      trigger: { type: 'stage.sla-breached', attributeKey: 'onboarding-status', stageId: 'stg-kickoff' },
      action: { type: 'create-task', taskName: 'Call', dueInBusinessDays: 2 },
    });
    expect(playBody({ ...draft, stageId: '' }).trigger).toEqual({ type: 'stage.sla-breached', attributeKey: 'onboarding-status' });
  });

  it('a segment trigger with a template leaves the other kinds’ fields out, even when they were filled in before', () => {
    const draft = {
      ...newPlayDraft(),
      name: 'Rescue',
      triggerType: 'segment.entered' as const,
      segmentId: 'seg-1',
      attributeKey: 'onboarding-status',
      actionType: 'assign-template' as const,
      templateId: 'rescue',
      taskName: 'Call',
      paused: true,
    };
    expect(playBody(draft)).toEqual({
      name: 'Rescue',
      trigger: { type: 'segment.entered', segmentId: 'seg-1' },
      action: { type: 'assign-template', templateId: 'rescue' },
      paused: true,
    });
  });

  it('empty choices are left out for the service to name', () => {
    expect(playBody({ ...newPlayDraft(), dueInBusinessDays: '' })).toEqual({
      name: '',
      trigger: { type: 'stage.sla-breached' },
      action: { type: 'create-task' },
    });
  });

  it('describes triggers and actions with the names it knows, ids otherwise', () => {
    expect(describeTrigger({ type: 'stage.sla-at-risk', attributeKey: 'onboarding-status', stageId: 'stg-kickoff' }, names)).toBe(
      'SLA at risk: Onboarding Status · Kickoff',
    );
    expect(describeTrigger({ type: 'stage.sla-breached', attributeKey: 'onboarding-status' }, names)).toBe(
      'SLA breached: Onboarding Status · any stage',
    );
    expect(describeTrigger({ type: 'segment.entered', segmentId: 'seg-2' }, names)).toBe('Enters segment "seg-2"');
    expect(describeAction({ type: 'assign-template', templateId: 'rescue' }, names)).toBe('Assign "Onboarding rescue"');
    expect(describeAction({ type: 'create-task', taskName: 'Call', dueInBusinessDays: 1 }, names)).toBe(
      'Task "Call", due in 1 business day',
    );
  });
});
