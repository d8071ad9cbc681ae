import { MONDAY_TO_FRIDAY_UTC } from '@lifecycle/rules';
import { CycleError, CycleErrorCode } from './cycle-errors';
import fc from 'fast-check';
import {
  catalogProblems,
  segmentProblems,
  playTaskCompletion,
  playTaskDueDate,
  playTaskOf,
  triggers,
  validatePlay,
  type Play,
  type PlayFiring,
  type TriggerOccurrence,
} from './play';
import { openItems, openPlayTaskItems, compareOpenItems } from './tasks-view';

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

function taskFiring(overrides: Partial<PlayFiring['action']> = {}, id = 'f1', accountId = 'acme'): PlayFiring {
  return {
    id,
    playId: 'p1',
    playName: 'Kickoff overdue → call',
    accountId,
    trigger: occurrence({ accountId }),
    action: {
      type: 'create-task',
      outcome: 'task-created',
      taskId: id,
      taskName: 'Call the customer',
      ownerId: 'csm-1',
      dueDate: '2025-03-11',
      ...overrides,
    },
    firedAt: NOW,
  };
}

describe('one-off play tasks (P1, in the tasks view C9)', () => {
  it('a task-created firing is one open task, its id the firing id; other outcomes are none', () => {
    expect(playTaskOf(taskFiring())).toEqual({
      taskId: 'f1',
      accountId: 'acme',
      playId: 'p1',
      playName: 'Kickoff overdue → call',
      taskName: 'Call the customer',
      ownerId: 'csm-1',
      dueDate: new Date('2025-03-11T00:00:00Z'),
      firedAt: NOW,
      completedAt: null,
    });
    expect(
      playTaskOf({ ...taskFiring(), action: { type: 'assign-template', outcome: 'assigned', templateId: 't', cycleId: 'c' } }),
    ).toBeNull();
  });

  it('completes once: at defaults to now, never in the future nor before the play fired; a second completion is a 409', () => {
    const task = playTaskOf(taskFiring())!;
    const later = new Date('2025-03-10T09:00:00Z');
    expect(playTaskCompletion(task, undefined, later)).toEqual(later);
    expect(playTaskCompletion(task, new Date('2025-03-08T00:00:00Z'), later)).toEqual(new Date('2025-03-08T00:00:00Z'));
    const codeOf = (f: () => unknown) => {
      try {
        f();
        return null;
      } catch (error) {
        return [(error as CycleError).code, (error as CycleError).kind];
      }
    };
    expect(codeOf(() => playTaskCompletion(task, new Date('2025-03-11T00:00:00Z'), later))).toEqual([
      CycleErrorCode.InvalidDate,
      'invalid',
    ]);
    expect(codeOf(() => playTaskCompletion(task, new Date('2025-03-07T14:59:59Z'), later))).toEqual([
      CycleErrorCode.InvalidDate,
      'invalid',
    ]);
    const done = { ...task, completedAt: later };
    expect(codeOf(() => playTaskCompletion(done, undefined, later))).toEqual([CycleErrorCode.TaskAlreadyCompleted, 'conflict']);
  });

  it('open tasks are rows of kind play-task, filtered by account, owner, overdue and due before like cycle rows', () => {
    const tasks = [
      playTaskOf(taskFiring())!,
      playTaskOf(taskFiring({ dueDate: '2025-03-06', ownerId: 'csm-2' }, 'f2', 'globex'))!,
      { ...playTaskOf(taskFiring({}, 'f3'))!, completedAt: NOW },
    ];
    const rows = openPlayTaskItems(tasks, { now: NOW });
    expect(rows.map((r) => [r.taskId, r.kind, r.overdue, r.cycleId, r.playId])).toEqual([
      ['f2', 'play-task', true, null, 'p1'],
      ['f1', 'play-task', false, null, 'p1'],
    ]);
    expect(openPlayTaskItems(tasks, { now: NOW, accountId: 'acme' }).map((r) => r.taskId)).toEqual(['f1']);
    expect(openPlayTaskItems(tasks, { now: NOW, ownerId: 'csm-2' }).map((r) => r.taskId)).toEqual(['f2']);
    expect(openPlayTaskItems(tasks, { now: NOW, overdue: false }).map((r) => r.taskId)).toEqual(['f1']);
    expect(openPlayTaskItems(tasks, { now: NOW, dueBefore: new Date('2025-03-11T12:00:00Z') }).map((r) => r.taskId)).toEqual(['f2']);
    expect(openItems([], { now: NOW })).toEqual([]);
  });

  it('property: merged with any rows, the order is total (no two distinct tasks compare equal)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ id: fc.uuid(), day: fc.integer({ min: 1, max: 28 }), name: fc.constantFrom('Call', 'call', 'Email') }), {
          minLength: 2,
          maxLength: 8,
          selector: (t) => t.id,
        }),
        (specs) => {
          const rows = openPlayTaskItems(
            specs.map((t) => ({
              ...playTaskOf(taskFiring({ taskName: t.name, dueDate: `2025-03-${String(t.day).padStart(2, '0')}` }, t.id))!,
            })),
            { now: NOW },
          );
          for (let i = 0; i < rows.length; i++) {
            for (let j = 0; j < rows.length; j++) if (i !== j) expect(compareOpenItems(rows[i]!, rows[j]!)).not.toBe(0);
          }
          for (let i = 1; i < rows.length; i++) expect(compareOpenItems(rows[i - 1]!, rows[i]!)).toBeLessThan(0);
        },
      ),
    );
  });
});

describe('what an SLA trigger names exists in the catalog (P1)', () => {
  const catalog = new Map([
    [
      'onboarding-status',
      [
        { id: 'stg-kickoff', name: 'Kickoff', endStage: false, hasSla: true },
        { id: 'stg-config', name: 'Configuration', endStage: false, hasSla: false },
        { id: 'stg-live', name: 'Go Live', endStage: true, hasSla: false },
      ],
    ],
    ['renewal-status', []],
  ]);

  it('accepts a known attribute, any stage of it (with an SLA or not yet), and segment triggers', () => {
    expect(catalogProblems({ type: 'stage.sla-breached', attributeKey: 'onboarding-status' }, catalog)).toEqual([]);
    expect(catalogProblems({ type: 'stage.sla-breached', attributeKey: 'onboarding-status', stageId: 'stg-config' }, catalog)).toEqual([]);
    expect(catalogProblems({ type: 'segment.entered', segmentId: 's' }, catalog)).toEqual([]);
  });

  it('names the known attributes, the stages of the attribute, and refuses an end stage', () => {
    expect(catalogProblems({ type: 'stage.sla-at-risk', attributeKey: 'no-such' }, catalog)).toEqual([
      'trigger stage.sla-at-risk: unknown attribute "no-such"; known attributes: onboarding-status, renewal-status',
    ]);
    expect(catalogProblems({ type: 'stage.sla-at-risk', attributeKey: 'no-such' }, new Map())).toEqual([
      'trigger stage.sla-at-risk: unknown attribute "no-such"; no attribute is known yet',
    ]);
    expect(catalogProblems({ type: 'stage.sla-breached', attributeKey: 'onboarding-status', stageId: 'Kickoff' }, catalog)).toEqual([
      'trigger stage.sla-breached: attribute "onboarding-status" has no stage id "Kickoff"; its stages (end stages have no SLA): "Kickoff" (id stg-kickoff), "Configuration" (id stg-config)',
    ]);
    expect(catalogProblems({ type: 'stage.sla-breached', attributeKey: 'onboarding-status', stageId: 'stg-live' }, catalog)).toEqual([
      'trigger stage.sla-breached: "Go Live" is an end stage, which has no SLA (B3) and never crosses; pick one of: "Kickoff" (id stg-kickoff), "Configuration" (id stg-config)',
    ]);
  });
});

describe('the saved segment a segment trigger names exists (P1)', () => {
  it('accepts a known segment and SLA triggers; names the saved segments by name, a long list cut after 20', () => {
    const segments = new Map([
      ['s2', 'Stuck'],
      ['s1', 'Overdue'],
    ]);
    expect(segmentProblems({ type: 'segment.entered', segmentId: 's1' }, segments)).toEqual([]);
    expect(segmentProblems({ type: 'stage.sla-breached', attributeKey: 'x' }, new Map())).toEqual([]);
    expect(segmentProblems({ type: 'segment.entered', segmentId: 'nope' }, segments)).toEqual([
      'trigger segment.entered: unknown segment "nope"; saved segments: "Overdue" (id s1), "Stuck" (id s2)',
    ]);
    expect(segmentProblems({ type: 'segment.entered', segmentId: 'nope' }, new Map())).toEqual([
      'trigger segment.entered: unknown segment "nope"; no segment is saved yet',
    ]);
    const many = new Map(Array.from({ length: 25 }, (_, i) => [`s${i}`, `Segment ${String(i).padStart(2, '0')}`] as const));
    expect(segmentProblems({ type: 'segment.entered', segmentId: 'nope' }, many)[0]).toMatch(/"Segment 19" \(id s19\) … \(25 in all\)$/);
  });
});
