import { instantiateCycle } from './account-cycle';
import { completeActivity, completeTask } from './cycle-progress';
import type { AccountCycle, CycleTask } from './account-cycle';
import { CycleErrorCode } from './cycle-errors';
import type { CycleTemplate } from './cycle-template';
import {
  activity,
  activityOf,
  afterStart,
  assignInput,
  cycleItem,
  day,
  deepFreeze,
  dueDays,
  editTemplate,
  errorOf,
  instant,
  onboardingCycle,
  onboardingTemplate,
  outline,
  renewal,
  stage,
  stageOf,
  task,
  ACME_SUBSCRIPTION,
} from './cycle.fixture';
import { recalculateForStartDate } from './recalculation';
import { applyTemplateEdit, awaitsPropagation, planPropagation, previewPropagation, templateEdit } from './template-propagation';
import type { PropagationContext } from './template-propagation';

const v1 = onboardingTemplate();
const ctx: PropagationContext = { subscription: ACME_SUBSCRIPTION, ownersByRole: { csm: 'user-csm' } };

function complete(cycle: AccountCycle, ...steps: Array<[kind: 'task' | 'activity', id: string, at: string]>): AccountCycle {
  return steps.reduce(
    (c, [kind, id, at]) => (kind === 'task' ? completeTask(c, id, instant(at)) : completeActivity(c, id, instant(at))).cycle,
    cycle,
  );
}

const KICKOFF_STAGE_DONE: Array<['task' | 'activity', string, string]> = [
  ['task', 'schedule-call', '2024-03-11T09:00:00Z'],
  ['task', 'send-agenda', '2024-03-14T09:00:00Z'],
  ['activity', 'welcome-pack', '2024-03-18T10:00:00Z'],
];

/** An edit touching every part of the Kickoff stage: it shows what completed work protects. */
const kickoffEdit = editTemplate(v1, (t) => {
  const kickoff = stageOf(t, 'kickoff');
  kickoff.name = 'Kick-off';
  kickoff.daysDue = afterStart(21);
  const call = activityOf(t, 'kickoff-call');
  call.name = 'Kick-off call';
  call.tasks = [{ ...call.tasks[0], name: 'Book the call' }, task('send-recap', 'Send recap', { daysDue: afterStart(3) })];
  kickoff.activities = [call, { ...activity('intro-email', 'Intro email'), order: 5 }];
});

describe('template edits propagate to active cycles (C10)', () => {
  it('adds new items with due dates computed from the cycle start and the subscription', () => {
    const v2 = editTemplate(v1, (t) => {
      activityOf(t, 'kickoff-call').tasks.push({
        ...task('send-recap', 'Send recap', { daysDue: afterStart(3), ownerRole: 'csm' }),
        order: 15,
      });
      t.stages.push({
        ...stage('expansion', 'Expansion', [activity('upsell', 'Upsell review', [task('pitch', 'Pitch', { daysDue: renewal(30) })])], {
          daysDue: renewal(45),
        }),
        order: 40,
      });
    });
    const { cycle, changes } = planPropagation(v1, v2, onboardingCycle(), ctx);
    expect(changes.added).toEqual([
      { kind: 'task', id: 'send-recap', name: 'Send recap' },
      { kind: 'stage', id: 'expansion', name: 'Expansion' },
    ]);
    expect(changes.renamed).toEqual([]);
    expect(changes.removed).toEqual([]);
    expect(outline(cycle)[0][1][0]).toEqual(['kickoff-call', ['schedule-call', 'send-recap', 'send-agenda']]);
    expect(cycleItem(cycle, 'send-recap')).toEqual({
      id: 'send-recap',
      name: 'Send recap',
      order: 2,
      daysDue: afterStart(3),
      dueDate: day('2024-03-13'),
      dueDateReason: null,
      completedAt: null,
      ownerRole: 'csm',
      ownerId: 'user-csm',
    });
    expect(dueDays(cycle)).toMatchObject({ expansion: '2025-03-01', upsell: null, pitch: '2025-02-14' });
    expect(cycle.templateVersion).toBe(2);
  });

  it('a new renewal-relative item of an account without a subscription gets no date, with the reason', () => {
    const v2 = editTemplate(v1, (t) => {
      activityOf(t, 'renewal-prep').tasks.push({ ...task('survey', 'NPS survey', { daysDue: renewal(-90) }), order: 30 });
    });
    const cycle = onboardingCycle({ subscription: null });
    const result = planPropagation(v1, v2, cycle, { subscription: null });
    expect(cycleItem(result.cycle, 'survey')).toMatchObject({ dueDate: null, dueDateReason: 'no active subscription' });
  });

  it('renames renamed items, including the cycle itself', () => {
    const v2 = editTemplate(v1, (t) => {
      t.name = 'Onboarding 2.0';
      stageOf(t, 'adoption').name = 'Adopt';
      activityOf(t, 'training').name = 'Product training';
    });
    const { cycle, changes } = planPropagation(v1, v2, onboardingCycle(), ctx);
    expect(changes.renamed).toEqual([
      { kind: 'cycle', id: 'onboarding', name: 'Onboarding 2.0', previousName: 'Onboarding' },
      { kind: 'stage', id: 'adoption', name: 'Adopt', previousName: 'Adoption' },
      { kind: 'activity', id: 'training', name: 'Product training', previousName: 'Training' },
    ]);
    expect(cycle.name).toBe('Onboarding 2.0');
    expect(cycleItem(cycle, 'training')?.name).toBe('Product training');
  });

  it('removes removed items (reporting the top-most one of a removed subtree)', () => {
    const v2 = editTemplate(v1, (t) => {
      t.stages = t.stages.filter((s) => s.id !== 'renewal');
      activityOf(t, 'training').tasks.pop();
    });
    const { cycle, changes } = planPropagation(v1, v2, onboardingCycle(), ctx);
    expect(changes.removed).toEqual([
      { kind: 'task', id: 'user-training', name: 'User training' },
      { kind: 'stage', id: 'renewal', name: 'Renewal' },
    ]);
    expect(outline(cycle)).toEqual([
      [
        'kickoff',
        [
          ['kickoff-call', ['schedule-call', 'send-agenda']],
          ['welcome-pack', []],
        ],
      ],
      ['adoption', [['training', ['admin-training']]]],
    ]);
  });

  it('follows the new template order, storing positions 1..n', () => {
    const v2 = editTemplate(v1, (t) => {
      stageOf(t, 'kickoff').order = 25;
      activityOf(t, 'kickoff-call').tasks[0].order = 99;
    });
    const { cycle, changes } = planPropagation(v1, v2, onboardingCycle(), ctx);
    expect(cycle.stages.map((s) => [s.id, s.order])).toEqual([
      ['adoption', 1],
      ['kickoff', 2],
      ['renewal', 3],
    ]);
    expect(cycle.stages[1].activities[0].tasks.map((x) => [x.id, x.order])).toEqual([
      ['send-agenda', 1],
      ['schedule-call', 2],
    ]);
    expect(changes).toEqual({ added: [], renamed: [], removed: [] });
  });

  it('(a) never changes an existing due date, even when daysDue changed; the new rule is kept for recalculation', () => {
    const v2 = editTemplate(v1, (t) => {
      activityOf(t, 'kickoff-call').daysDue = afterStart(20);
      activityOf(t, 'renewal-prep').tasks[0].daysDue = renewal(-90);
      delete stageOf(t, 'adoption').daysDue;
    });
    const before = onboardingCycle();
    const { cycle } = planPropagation(v1, v2, before, ctx);
    expect(dueDays(cycle)).toEqual(dueDays(before));
    expect(cycleItem(cycle, 'kickoff-call')).toMatchObject({ daysDue: afterStart(20), dueDate: day('2024-03-17') });
    expect(cycleItem(cycle, 'adoption')).not.toHaveProperty('daysDue');
    expect(cycleItem(cycle, 'adoption')?.dueDate).toEqual(day('2024-05-09'));
    // C11 with recalculation then uses the template's current rule:
    const moved = recalculateForStartDate(cycle, cycle.startDate, { recalculate: true }, ACME_SUBSCRIPTION).cycle;
    expect(dueDays(moved)['kickoff-call']).toBe('2024-03-30');
  });

  it('(b) nothing beneath a completed stage changes, and the stage keeps its name', () => {
    const before = complete(onboardingCycle(), ...KICKOFF_STAGE_DONE);
    const { cycle, changes } = planPropagation(v1, kickoffEdit, before, ctx);
    expect(cycle.stages[0]).toEqual(before.stages[0]);
    expect(changes).toEqual({ added: [], renamed: [], removed: [] });
  });

  it('(b) nothing beneath a completed activity changes; its open stage does change', () => {
    const before = complete(
      onboardingCycle(),
      ['task', 'schedule-call', '2024-03-11T09:00:00Z'],
      ['task', 'send-agenda', '2024-03-14T09:00:00Z'],
    );
    const { cycle, changes } = planPropagation(v1, kickoffEdit, before, ctx);
    const kickoff = cycle.stages[0];
    expect(kickoff.activities.find((a) => a.id === 'kickoff-call')).toEqual({ ...before.stages[0].activities[0], order: 2 });
    expect(kickoff.name).toBe('Kick-off');
    expect(kickoff.dueDate).toEqual(before.stages[0].dueDate);
    expect(changes).toEqual({
      added: [{ kind: 'activity', id: 'intro-email', name: 'Intro email' }],
      renamed: [{ kind: 'stage', id: 'kickoff', name: 'Kick-off', previousName: 'Kickoff' }],
      removed: [{ kind: 'activity', id: 'welcome-pack', name: 'Welcome pack' }],
    });
  });

  it('a completed task is kept as it is; its open siblings follow the edit', () => {
    const before = complete(onboardingCycle(), ['task', 'schedule-call', '2024-03-11T09:00:00Z']);
    const v2 = editTemplate(v1, (t) => {
      const call = activityOf(t, 'kickoff-call');
      call.tasks = [{ ...call.tasks[1], name: 'Email agenda' }];
    });
    const { cycle, changes } = planPropagation(v1, v2, before, ctx);
    expect(cycle.stages[0].activities[0].tasks).toEqual([
      { ...before.stages[0].activities[0].tasks[0], order: 1 },
      { ...before.stages[0].activities[0].tasks[1], name: 'Email agenda', order: 2 },
    ]);
    expect(changes.removed).toEqual([]);
  });

  it('removing an open stage keeps its completed activity; the stage then completes (roll-up)', () => {
    const before = complete(
      onboardingCycle(),
      ['task', 'schedule-call', '2024-03-11T09:00:00Z'],
      ['task', 'send-agenda', '2024-03-14T09:00:00Z'],
    );
    const v2 = editTemplate(v1, (t) => {
      t.stages = t.stages.filter((s) => s.id !== 'kickoff');
    });
    const { cycle, changes, events } = planPropagation(v1, v2, before, ctx);
    expect(outline(cycle)[0]).toEqual(['kickoff', [['kickoff-call', ['schedule-call', 'send-agenda']]]]);
    expect(cycle.stages[0].activities[0]).toEqual(before.stages[0].activities[0]);
    expect(cycle.stages[0].completedAt).toEqual(instant('2024-03-14T09:00:00Z'));
    expect(changes.removed).toEqual([{ kind: 'activity', id: 'welcome-pack', name: 'Welcome pack' }]);
    expect(events).toEqual([{ type: 'stage-completed', stageId: 'kickoff', stageName: 'Kickoff', at: instant('2024-03-14T09:00:00Z') }]);
  });

  it('removing the last open task completes the activity at its latest task completion', () => {
    const before = complete(onboardingCycle(), ['task', 'schedule-call', '2024-03-11T09:00:00Z']);
    const v2 = editTemplate(v1, (t) => {
      activityOf(t, 'kickoff-call').tasks.pop();
    });
    const { cycle, events } = planPropagation(v1, v2, before, ctx);
    expect(cycleItem(cycle, 'kickoff-call')?.completedAt).toEqual(instant('2024-03-11T09:00:00Z'));
    expect(events).toEqual([]);
  });

  it('an open item moved to another parent keeps its state; a completed one stays where it is', () => {
    const before = complete(onboardingCycle(), ['task', 'schedule-call', '2024-03-11T09:00:00Z']);
    const v2 = editTemplate(v1, (t) => {
      const call = activityOf(t, 'kickoff-call');
      const [scheduleCall, sendAgenda] = call.tasks;
      call.tasks = [];
      activityOf(t, 'training').tasks.push({ ...sendAgenda, order: 5 }, { ...scheduleCall, order: 6 });
    });
    const { cycle, changes } = planPropagation(v1, v2, before, ctx);
    expect(outline(cycle).slice(0, 2)).toEqual([
      [
        'kickoff',
        [
          ['kickoff-call', ['schedule-call']],
          ['welcome-pack', []],
        ],
      ],
      ['adoption', [['training', ['send-agenda', 'admin-training', 'user-training']]]],
    ]);
    expect(cycleItem(cycle, 'send-agenda')).toEqual({ ...cycleItem(before, 'send-agenda'), order: 1 });
    expect(changes).toEqual({ added: [], renamed: [], removed: [] });
    // the moved-out task left kickoff-call with only completed tasks: it completed
    expect(cycleItem(cycle, 'kickoff-call')?.completedAt).toEqual(instant('2024-03-11T09:00:00Z'));
  });

  it('is idempotent: applying the same edit twice changes nothing the second time', () => {
    const before = complete(onboardingCycle(), ['task', 'schedule-call', '2024-03-11T09:00:00Z']);
    const once = planPropagation(v1, kickoffEdit, before, ctx);
    const twice = planPropagation(v1, kickoffEdit, once.cycle, ctx);
    expect(twice.cycle).toEqual(once.cycle);
    expect(twice.changes).toEqual({ added: [], renamed: [], removed: [] });
    expect(twice.events).toEqual([]);
  });

  it('a cycle that missed a version converges to the newest template', () => {
    const v2 = editTemplate(v1, (t) => {
      activityOf(t, 'training').name = 'Product training';
    });
    const v3 = editTemplate(v2, (t) => {
      activityOf(t, 'training').tasks.pop();
    });
    const stale = onboardingCycle();
    const direct = planPropagation(v2, v3, stale, ctx);
    const stepwise = planPropagation(v2, v3, planPropagation(v1, v2, stale, ctx).cycle, ctx);
    expect(direct.cycle).toEqual(stepwise.cycle);
    expect(direct.changes.renamed.map((r) => r.id)).toEqual(['training']);
  });

  it('new tasks get owners from the account team by role', () => {
    const v2 = editTemplate(v1, (t) => {
      activityOf(t, 'training').tasks.push({ ...task('follow-up', 'Follow up', { ownerRole: 'ae' }), order: 30 });
    });
    const { cycle } = planPropagation(v1, v2, onboardingCycle(), { subscription: null, ownersByRole: { ae: 'user-ae' } });
    expect(cycleItem(cycle, 'follow-up')).toMatchObject({ ownerRole: 'ae', ownerId: 'user-ae' });
  });

  it('does not reach completed or removed cycles, nor cycles already on a newer version', () => {
    const v2 = editTemplate(v1, (t) => {
      t.name = 'Renamed';
    });
    for (const cycle of [
      { ...onboardingCycle(), status: 'completed' as const },
      { ...onboardingCycle(), status: 'removed' as const },
      { ...onboardingCycle(), templateVersion: 3 },
    ]) {
      const result = planPropagation(v1, v2, cycle, ctx);
      expect(result.reached).toBe(false);
      expect(result.cycle).toBe(cycle);
    }
  });

  it('refuses a cycle of another template, and an id that changes kind', () => {
    const other = { ...onboardingCycle(), templateId: 'other' };
    const v2 = editTemplate(v1, () => undefined);
    expect(errorOf(() => planPropagation(v1, v2, other, ctx)).code).toBe(CycleErrorCode.TemplateMismatch);
    const cycleWithOldItem = instantiateCycle(
      { ...v1, stages: [...v1.stages, { ...stage('legacy', 'Legacy'), order: 99 }] },
      assignInput(),
    );
    const kindChange = editTemplate(v1, (t) => {
      activityOf(t, 'training').tasks.push({ ...task('legacy', 'Now a task'), order: 50 });
    });
    expect(errorOf(() => planPropagation(v1, kindChange, cycleWithOldItem, ctx)).code).toBe(CycleErrorCode.InvalidTemplateEdit);
  });

  it('never mutates the cycle or the templates', () => {
    const before = deepFreeze(complete(onboardingCycle(), ['task', 'schedule-call', '2024-03-11T09:00:00Z']));
    const snapshot = structuredClone(before);
    planPropagation(deepFreeze(structuredClone(v1)), deepFreeze(structuredClone(kickoffEdit)), before, ctx);
    expect(before).toEqual(snapshot);
  });
});

describe('an edit checked once and applied to many cycles (C10, a propagation job)', () => {
  it('applies to each cycle exactly as planPropagation does, whatever the order of the template lists', () => {
    const cycles = [
      onboardingCycle({ cycleId: 'fresh' }),
      complete(onboardingCycle({ cycleId: 'call-done' }), ['task', 'schedule-call', '2024-03-11T09:00:00Z']),
      complete(onboardingCycle({ cycleId: 'kickoff-done' }), ...KICKOFF_STAGE_DONE),
    ];
    // The same edit with every list reversed: `order` decides, not the list position.
    const shuffled: CycleTemplate = {
      ...kickoffEdit,
      stages: [...kickoffEdit.stages]
        .reverse()
        .map((s) => ({ ...s, activities: [...s.activities].reverse().map((a) => ({ ...a, tasks: [...a.tasks].reverse() })) })),
    };
    const edit = templateEdit(v1, shuffled);
    for (const cycle of cycles) expect(applyTemplateEdit(edit, cycle, ctx)).toEqual(planPropagation(v1, kickoffEdit, cycle, ctx));
  });

  it('is checked when made, not per cycle: an invalid edit is refused before any cycle is touched', () => {
    expect(errorOf(() => templateEdit(v1, { ...v1, version: 1 })).code).toBe(CycleErrorCode.InvalidTemplateEdit);
    expect(errorOf(() => templateEdit(v1, { ...kickoffEdit, id: 'other' })).code).toBe(CycleErrorCode.InvalidTemplateEdit);
  });

  it('dates an added item that counts from a task (B6) and leaves the others as computed from the cycle start', () => {
    const v2 = editTemplate(v1, (t) => {
      activityOf(t, 'kickoff-call').tasks.push(
        { ...task('follow-up', 'Follow up', { daysDue: { days: 3, relativeTo: 'taskCompletion', taskId: 'schedule-call' } }), order: 20 },
        { ...task('recap', 'Send recap', { daysDue: afterStart(9) }), order: 30 },
      );
    });
    const edit = templateEdit(v1, v2);
    expect([...edit.dependent]).toEqual(['follow-up']);
    const called = complete(onboardingCycle(), ['task', 'schedule-call', '2024-03-11T09:00:00Z']);
    const { cycle } = applyTemplateEdit(edit, called, ctx);
    const tasks = activityOf(cycle as never, 'kickoff-call').tasks as unknown as CycleTask[];
    expect(tasks.find((t) => t.id === 'follow-up')?.dueDate).toEqual(instant('2024-03-14T00:00:00Z'));
    expect(tasks.find((t) => t.id === 'recap')?.dueDate).toEqual(instant('2024-03-19T00:00:00Z')); // cycle start + 9
  });

  it('never mutates the templates it was made from', () => {
    const previous = deepFreeze(structuredClone(v1));
    const next = deepFreeze(structuredClone(kickoffEdit));
    const edit = templateEdit(previous, next);
    applyTemplateEdit(edit, onboardingCycle(), ctx);
    expect(next).toEqual(kickoffEdit);
  });
});

describe('previewing a template edit (C10)', () => {
  it('counts the cycles reached and what would be added, renamed and removed, changing nothing', () => {
    const fresh = onboardingCycle({ cycleId: 'fresh' });
    const kickoffDone = complete(onboardingCycle({ cycleId: 'kickoff-done' }), ...KICKOFF_STAGE_DONE);
    const callDone = complete(
      onboardingCycle({ cycleId: 'call-done' }),
      ['task', 'schedule-call', '2024-03-11T09:00:00Z'],
      ['task', 'send-agenda', '2024-03-14T09:00:00Z'],
    );
    const finished: AccountCycle = { ...onboardingCycle({ cycleId: 'finished' }), status: 'completed' };
    const otherTemplate: AccountCycle = { ...onboardingCycle({ cycleId: 'other' }), templateId: 'renewal-cycle' };
    const cycles = deepFreeze([fresh, kickoffDone, callDone, finished, otherTemplate]);
    const preview = previewPropagation(v1, kickoffEdit, cycles, () => ctx);
    // fresh: +send-recap, +intro-email; renamed kickoff, kickoff-call, schedule-call; -send-agenda, -welcome-pack
    // kickoff-done: nothing (completed stage); call-done: +intro-email, renamed kickoff, -welcome-pack
    expect(preview).toEqual({
      cyclesReached: 3,
      cyclesChanged: 2,
      cyclesCompleted: 0,
      added: 3,
      renamed: 4,
      removed: 3,
      // B6: send-recap gets its date in the fresh cycle; intro-email has no rule.
      addedDated: 1,
      addedWaiting: 0,
    });
  });

  it('counts cycles an edit would complete', () => {
    const almost = complete(
      onboardingCycle(),
      ...KICKOFF_STAGE_DONE,
      ['task', 'admin-training', '2024-03-20T00:00:00Z'],
      ['task', 'user-training', '2024-03-21T00:00:00Z'],
    );
    const v2: CycleTemplate = editTemplate(v1, (t) => {
      t.stages = t.stages.filter((s) => s.id !== 'renewal');
    });
    expect(previewPropagation(v1, v2, [almost], () => ctx)).toMatchObject({ cyclesReached: 1, cyclesCompleted: 1, removed: 1 });
    const { cycle, events } = planPropagation(v1, v2, almost, ctx);
    expect(cycle.status).toBe('completed');
    expect(cycle.completedAt).toEqual(instant('2024-03-21T00:00:00Z'));
    expect(events).toEqual([{ type: 'cycle-completed', at: instant('2024-03-21T00:00:00Z') }]);
  });
});

describe('which cycles a propagation job still has to visit (C10)', () => {
  const cycle = onboardingCycle();
  const v2 = { id: cycle.templateId, version: cycle.templateVersion + 1 };

  it('an active cycle of the template on an older version', () => {
    expect(awaitsPropagation(cycle, v2)).toBe(true);
  });

  it('not one already on the version (done before a restart), of another template, or no longer active', () => {
    expect(awaitsPropagation(cycle, { ...v2, version: cycle.templateVersion })).toBe(false);
    expect(awaitsPropagation(cycle, { ...v2, id: 'other' })).toBe(false);
    expect(awaitsPropagation({ ...cycle, status: 'completed' }, v2)).toBe(false);
    expect(awaitsPropagation({ ...cycle, status: 'removed' }, v2)).toBe(false);
  });
});
