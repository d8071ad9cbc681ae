import { MONDAY_TO_FRIDAY_UTC } from '@lifecycle/rules';
import { CycleError, CycleErrorCode } from './cycle-errors';
import { playTaskDueDate, triggers, validatePlay, type Play, type TriggerOccurrence } from './play';

const NOW = new Date('2025-03-07T15:00:00Z'); // a Friday

function play(overrides: Partial<Play> = {}): Play {
  return {
    id: 'p1',
    name: 'Kickoff overdue → call',
    trigger: { type: 'stage.sla-breached', attributeKey: 'onboarding-status' },
    action: { type: 'create-task', taskName: 'Call the customer', dueInBusinessDays: 2 },
    paused: false,
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

function occurrence(overrides: Partial<TriggerOccurrence> = {}): TriggerOccurrence {
  return {
    type: 'stage.sla-breached',
    eventId: 'e1',
    occurredAt: NOW,
    accountId: 'acme',
    attributeKey: 'onboarding-status',
    stageId: 'stg-kickoff',
    ...overrides,
  };
}

function problemsOf(input: Parameters<typeof validatePlay>[0]): string[] {
  try {
    validatePlay(input);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(CycleError);
    expect((error as CycleError).code).toBe(CycleErrorCode.InvalidPlay);
    return (error as CycleError).details['problems'] as string[];
  }
}

describe('plays (P1)', () => {
  it('accepts each trigger with each action', () => {
    expect(
      problemsOf({
        name: 'a',
        trigger: { type: 'segment.entered', segmentId: 's1' },
        action: { type: 'assign-template', templateId: 't1' },
      }),
    ).toEqual([]);
    expect(
      problemsOf({
        name: 'b',
        trigger: { type: 'stage.sla-at-risk', attributeKey: 'onboarding-status', stageId: 'k' },
        action: play().action,
      }),
    ).toEqual([]);
  });

  it('lists every problem: missing references, fields of the other kind, bad day counts, empty names', () => {
    expect(
      problemsOf({
        name: ' ',
        trigger: { type: 'segment.entered', attributeKey: 'x' } as unknown as Play['trigger'],
        action: { type: 'create-task', taskName: '', dueInBusinessDays: 1.5, templateId: 't' } as unknown as Play['action'],
      }),
    ).toEqual([
      'name must be 1 to 200 characters',
      'trigger segment.entered needs segmentId (the saved segment)',
      'trigger segment.entered takes segmentId only (attributeKey and stageId belong to the SLA triggers)',
      'action create-task takes taskName and dueInBusinessDays, not templateId',
      'action create-task needs taskName (1 to 200 characters)',
      'action create-task: dueInBusinessDays must be a whole number from 0 to 365',
    ]);
    expect(
      problemsOf({
        name: 'x',
        trigger: { type: 'stage.sla-breached' } as Play['trigger'],
        action: { type: 'assign-template' } as Play['action'],
      }),
    ).toEqual([
      'trigger stage.sla-breached needs attributeKey (the attribute whose stage SLA is watched)',
      'action assign-template needs templateId',
    ]);
  });

  it('is triggered by its own event type and reference only; no stage = every stage of the attribute', () => {
    expect(triggers(play(), occurrence())).toBe(true);
    expect(triggers(play(), occurrence({ type: 'stage.sla-at-risk' }))).toBe(false);
    expect(triggers(play(), occurrence({ attributeKey: 'renewal' }))).toBe(false);
    const kickoffOnly = play({ trigger: { type: 'stage.sla-breached', attributeKey: 'onboarding-status', stageId: 'stg-kickoff' } });
    expect(triggers(kickoffOnly, occurrence())).toBe(true);
    expect(triggers(kickoffOnly, occurrence({ stageId: 'stg-config' }))).toBe(false);
    const segment = play({ trigger: { type: 'segment.entered', segmentId: 's1' } });
    expect(triggers(segment, occurrence({ type: 'segment.entered', segmentId: 's1' }))).toBe(true);
    expect(triggers(segment, occurrence({ type: 'segment.entered', segmentId: 's2' }))).toBe(false);
  });

  it('dates the one-off task N working days after the day it fires, on the account calendar (B6 WORKDAY)', () => {
    const action = { type: 'create-task' as const, taskName: 'Call', dueInBusinessDays: 2 };
    // Friday + 2 working days = Tuesday; 0 = the day itself.
    expect(playTaskDueDate(action, NOW, MONDAY_TO_FRIDAY_UTC)).toBe('2025-03-11');
    expect(playTaskDueDate({ ...action, dueInBusinessDays: 0 }, NOW, MONDAY_TO_FRIDAY_UTC)).toBe('2025-03-07');
    // A holiday on Monday moves it one more working day.
    expect(playTaskDueDate(action, NOW, { ...MONDAY_TO_FRIDAY_UTC, holidays: ['2025-03-10'] })).toBe('2025-03-12');
  });
});
