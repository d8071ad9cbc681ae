/**
 * Property tests over random templates, progress and edits (fast-check): propagation is idempotent
 * and never touches completed work or existing due dates (C10); completion does not depend on the
 * order tasks are completed in (C6); recalculation never moves a completed item's due date (C11, C12).
 */
import fc from 'fast-check';
import { instantiateCycle } from './account-cycle';
import { completeActivity, completeStage, completeTask } from './cycle-progress';
import type { AccountCycle, CycleActivity, CycleItemState, CycleStage, CycleTask } from './account-cycle';
import type { CycleTemplate, DaysDue, TemplateActivity, TemplateStage, TemplateTask } from './cycle-template';
import { assignInput } from './cycle.fixture';
import type { SubscriptionFacts } from './due-dates';
import { recalculateForRenewal, recalculateForStartDate } from './recalculation';
import { planPropagation } from './template-propagation';

type Gen = fc.GeneratorValue;

/** Bounded runs, and a time limit so a failing case cannot shrink for minutes. */
const PROPERTY_RUNS = (numRuns: number): fc.Parameters<[Gen]> => ({
  numRuns,
  interruptAfterTimeLimit: 15_000,
  markInterruptAsFailure: true,
});

const BASE = Date.UTC(2024, 0, 1);
const NAMES = ['Kickoff', 'Adoption', 'Training', 'QBR', 'Renewal', 'Review', 'Call', 'Survey'] as const;

const daysDueArb: fc.Arbitrary<DaysDue | undefined> = fc.option(
  fc.record({ days: fc.integer({ min: -120, max: 120 }), relativeTo: fc.constantFrom('cycleStart' as const, 'renewal' as const) }),
  { nil: undefined },
);
const instantArb = fc.integer({ min: 0, max: 730 * 86_400_000 }).map((ms) => new Date(BASE + ms));
const subscriptionArb: fc.Arbitrary<SubscriptionFacts | null> = fc.option(
  fc.record({ active: fc.boolean(), renewalDate: fc.option(instantArb, { nil: null }) }),
  { nil: null },
);

function withDaysDue<T extends object>(item: T, daysDue: DaysDue | undefined): T & { daysDue?: DaysDue } {
  return daysDue === undefined ? item : { ...item, daysDue };
}

class Ids {
  private next = 0;
  constructor(private readonly prefix: string) {}
  take(kind: string): string {
    this.next += 1;
    return `${this.prefix}${kind}${this.next}`;
  }
}

function genTask(g: Gen, ids: Ids): TemplateTask {
  const task: TemplateTask = withDaysDue(
    { id: ids.take('t'), name: g(fc.constantFrom, ...NAMES), order: g(fc.integer, { min: 0, max: 9 }) },
    g(() => daysDueArb),
  );
  return g(fc.boolean) ? { ...task, ownerRole: 'csm' } : task;
}

function genActivity(g: Gen, ids: Ids): TemplateActivity {
  const tasks = Array.from({ length: g(fc.integer, { min: 0, max: 3 }) }, () => genTask(g, ids));
  return withDaysDue(
    { id: ids.take('a'), name: g(fc.constantFrom, ...NAMES), order: g(fc.integer, { min: 0, max: 9 }), tasks },
    g(() => daysDueArb),
  );
}

function genStage(g: Gen, ids: Ids): TemplateStage {
  const activities = Array.from({ length: g(fc.integer, { min: 0, max: 3 }) }, () => genActivity(g, ids));
  return withDaysDue(
    { id: ids.take('s'), name: g(fc.constantFrom, ...NAMES), order: g(fc.integer, { min: 0, max: 9 }), activities },
    g(() => daysDueArb),
  );
}

function genTemplate(g: Gen): CycleTemplate {
  const ids = new Ids('v1-');
  return {
    id: 'tpl',
    name: 'Template',
    version: 1,
    stages: Array.from({ length: g(fc.integer, { min: 0, max: 4 }) }, () => genStage(g, ids)),
  };
}

/** A random edit: removes, renames, re-rules, reorders, moves and adds items at every level. */
function genEdit(g: Gen, previous: CycleTemplate): CycleTemplate {
  const ids = new Ids('v2-');
  const touch = <T extends { name: string; order: number; daysDue?: DaysDue }>(item: T): T => {
    let next = { ...item, order: g(fc.integer, { min: 0, max: 9 }) };
    if (g(fc.integer, { min: 0, max: 3 }) === 0) next = { ...next, name: `${item.name}!` };
    if (g(fc.integer, { min: 0, max: 3 }) === 0) {
      const { daysDue: _rule, ...rest } = next;
      next = withDaysDue(
        rest,
        g(() => daysDueArb),
      ) as typeof next;
    }
    return next;
  };
  const keep = (): boolean => g(fc.integer, { min: 0, max: 5 }) !== 0;

  const stages = previous.stages.filter(keep).map((s) => touch({ ...s, activities: [] as TemplateActivity[] }));
  stages.push(...Array.from({ length: g(fc.integer, { min: 0, max: 1 }) }, () => genStage(g, ids)));
  const activities: TemplateActivity[] = [];
  for (const s of previous.stages) {
    for (const a of s.activities.filter(keep)) {
      const home = stages.find((x) => x.id === s.id);
      const stays = g(fc.integer, { min: 0, max: 4 }) !== 0;
      const target = home !== undefined && stays ? home : stages.length > 0 ? stages[g(fc.nat, { max: stages.length - 1 })] : undefined;
      if (target === undefined) continue;
      const moved = touch({ ...a, tasks: [] as TemplateTask[] });
      target.activities.push(moved);
      activities.push(moved);
    }
  }
  for (const s of stages) {
    if (stages.length > 0 && g(fc.boolean)) {
      const added = genActivity(g, ids);
      s.activities.push(added);
      activities.push(added);
    }
  }
  for (const s of previous.stages) {
    for (const a of s.activities) {
      for (const t of a.tasks.filter(keep)) {
        const home = activities.find((x) => x.id === a.id);
        const stays = g(fc.integer, { min: 0, max: 4 }) !== 0;
        const target =
          home !== undefined && stays ? home : activities.length > 0 ? activities[g(fc.nat, { max: activities.length - 1 })] : undefined;
        if (target !== undefined) target.tasks.push(touch(t));
      }
    }
  }
  for (const a of activities) {
    if (g(fc.integer, { min: 0, max: 2 }) === 0) a.tasks.push(genTask(g, ids));
  }
  return { ...previous, version: previous.version + 1, name: g(fc.boolean) ? previous.name : `${previous.name} v2`, stages };
}

type Step = { kind: 'task' | 'activity' | 'stage'; id: string; at: Date };

/** Everything that can be completed directly: every task, every activity without tasks, every stage without activities. */
function completableWork(cycle: AccountCycle): Array<Omit<Step, 'at'>> {
  const work = cycle.stages.flatMap((s): Array<{ kind: Step['kind']; item: CycleItemState }> =>
    s.activities.length === 0
      ? [{ kind: 'stage', item: s }]
      : s.activities.flatMap((a): Array<{ kind: Step['kind']; item: CycleItemState }> =>
          a.tasks.length === 0 ? [{ kind: 'activity', item: a }] : a.tasks.map((t) => ({ kind: 'task', item: t })),
        ),
  );
  return work.filter(({ item }) => item.completedAt === null).map(({ kind, item }) => ({ kind, id: item.id }));
}

function apply(cycle: AccountCycle, step: Step): AccountCycle {
  const complete = step.kind === 'task' ? completeTask : step.kind === 'activity' ? completeActivity : completeStage;
  return complete(cycle, step.id, step.at).cycle;
}

/** Completes a random part of the work, at random times. */
function genProgress(g: Gen, cycle: AccountCycle): AccountCycle {
  const steps = g(() => fc.subarray(completableWork(cycle)));
  return steps.reduce((c, step) => (c.status === 'active' ? apply(c, { ...step, at: g(() => instantArb) }) : c), cycle);
}

function allItems(cycle: AccountCycle): Array<{ item: CycleItemState; path: string[] }> {
  const items: Array<{ item: CycleItemState; path: string[] }> = [];
  for (const s of cycle.stages) {
    items.push({ item: s, path: [] });
    for (const a of s.activities) {
      items.push({ item: a, path: [s.id] });
      for (const t of a.tasks) items.push({ item: t, path: [s.id, a.id] });
    }
  }
  return items;
}

/** Structural invariants every cycle keeps: unique ids, positions 1..n, roll-up at its fixpoint. */
function expectWellFormed(cycle: AccountCycle): void {
  const ids = allItems(cycle).map(({ item }) => item.id);
  expect(new Set(ids).size).toBe(ids.length);
  const positions = (list: ReadonlyArray<{ order: number }>): void => expect(list.map((x) => x.order)).toEqual(list.map((_x, i) => i + 1));
  const settled = (container: CycleItemState, children: readonly CycleItemState[]): void => {
    if (container.completedAt !== null) expect(children.every((c) => c.completedAt !== null)).toBe(true);
    else if (children.length > 0) expect(children.every((c) => c.completedAt !== null)).toBe(false);
  };
  positions(cycle.stages);
  for (const s of cycle.stages) {
    positions(s.activities);
    settled(s, s.activities);
    for (const a of s.activities) {
      positions(a.tasks);
      settled(a, a.tasks);
    }
  }
  expect(cycle.status === 'completed').toBe(cycle.stages.length > 0 && cycle.stages.every((s) => s.completedAt !== null));
}

const withoutOrder = (item: CycleStage | CycleActivity | CycleTask | CycleItemState): object => ({ ...item, order: 0 });

describe('properties', () => {
  it('C10: propagation keeps completed work and existing due dates, and applying it twice equals once', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const v1 = genTemplate(g);
        const subscription = g(() => subscriptionArb);
        const before = genProgress(g, instantiateCycle(v1, assignInput({ subscription })));
        const v2 = genEdit(g, v1);
        const ctx = { subscription: g(() => subscriptionArb), ownersByRole: { csm: 'u1' } };

        const once = planPropagation(v1, v2, before, ctx);
        const twice = planPropagation(v1, v2, once.cycle, ctx);
        expect(twice.cycle).toEqual(once.cycle);
        expect(twice.changes).toEqual({ added: [], renamed: [], removed: [] });
        expect(twice.events).toEqual([]);
        expectWellFormed(once.cycle);

        const after = new Map(allItems(once.cycle).map((x) => [x.item.id, x]));
        for (const { item, path } of allItems(before)) {
          const now = after.get(item.id);
          if (item.completedAt !== null) {
            // (b) a completed item is still there, in the same parent, unchanged but for its position
            expect(after.has(item.id)).toBe(true);
            expect(now?.path.at(-1)).toEqual(path.at(-1));
            expect(withoutOrder(now?.item ?? item)).toEqual(withoutOrder(item));
          }
          if (now !== undefined) {
            // (a) existing due dates never change
            expect(now.item.dueDate).toEqual(item.dueDate);
            expect(now.item.dueDateReason).toEqual(item.dueDateReason);
            if (item.completedAt !== null) expect(now.item.completedAt).toEqual(item.completedAt);
          }
        }
        // every open item placed where the template puts it carries the template's name
        if (once.reached) {
          const inTemplate = new Map<string, { name: string; parentId: string | null }>();
          for (const s of v2.stages) {
            inTemplate.set(s.id, { name: s.name, parentId: null });
            for (const a of s.activities) {
              inTemplate.set(a.id, { name: a.name, parentId: s.id });
              for (const t of a.tasks) inTemplate.set(t.id, { name: t.name, parentId: a.id });
            }
          }
          const completedBefore = new Set(
            allItems(before)
              .filter((x) => x.item.completedAt !== null)
              .map((x) => x.item.id),
          );
          for (const { item, path } of allItems(once.cycle)) {
            const expected = inTemplate.get(item.id);
            const frozen = completedBefore.has(item.id) || path.some((id) => completedBefore.has(id));
            if (expected !== undefined && !frozen && expected.parentId === (path.at(-1) ?? null)) {
              expect(item.name).toBe(expected.name);
            }
          }
        }
      }),
      PROPERTY_RUNS(150),
    );
  });

  it('C6: completing the work in any order gives the same final cycle', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const cycle = instantiateCycle(genTemplate(g), assignInput());
        const steps: Step[] = completableWork(cycle).map((w) => ({ ...w, at: g(() => instantArb) }));
        const shuffled = g(() => fc.shuffledSubarray(steps, { minLength: steps.length, maxLength: steps.length }));
        const inOrder = steps.reduce(apply, cycle);
        const inOtherOrder = shuffled.reduce(apply, cycle);
        expect(inOtherOrder).toEqual(inOrder);
        expect(inOrder.status).toBe(cycle.stages.length > 0 ? 'completed' : 'active');
        expectWellFormed(inOrder);
        if (inOrder.completedAt !== null) {
          expect(inOrder.completedAt.getTime()).toBe(Math.max(...steps.map((s) => s.at.getTime())));
        }
      }),
      PROPERTY_RUNS(150),
    );
  });

  it('C11/C12: recalculations never move the due date of a completed item', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        let cycle = genProgress(g, instantiateCycle(genTemplate(g), assignInput({ subscription: g(() => subscriptionArb) })));
        const frozen = new Map<string, Date | null>();
        const record = (c: AccountCycle): void => {
          for (const { item } of allItems(c)) if (item.completedAt !== null && !frozen.has(item.id)) frozen.set(item.id, item.dueDate);
        };
        record(cycle);
        const operations = g(fc.integer, { min: 1, max: 6 });
        for (let i = 0; i < operations && cycle.status === 'active'; i++) {
          const previous = cycle;
          switch (g(fc.constantFrom, 'start', 'renewal', 'complete')) {
            case 'start': {
              const recalculate = g(fc.boolean);
              cycle = recalculateForStartDate(
                cycle,
                g(() => instantArb),
                { recalculate },
                g(() => subscriptionArb),
              ).cycle;
              for (const [x, y] of zipItems(previous, cycle)) {
                if (!recalculate || x.daysDue?.relativeTo !== 'cycleStart') expect(y.dueDate).toEqual(x.dueDate);
              }
              break;
            }
            case 'renewal':
              cycle = recalculateForRenewal(
                cycle,
                g(() => subscriptionArb),
              ).cycle;
              expect(cycle.startDate).toBe(previous.startDate);
              for (const [x, y] of zipItems(previous, cycle)) {
                if (x.daysDue?.relativeTo !== 'renewal') expect(y.dueDate).toEqual(x.dueDate);
              }
              break;
            case 'complete':
              cycle = genProgress(g, cycle);
              break;
          }
          for (const { item } of allItems(cycle)) {
            if (frozen.has(item.id)) expect(item.dueDate).toEqual(frozen.get(item.id));
          }
          record(cycle);
        }
      }),
      PROPERTY_RUNS(150),
    );
  });
});

function zipItems(a: AccountCycle, b: AccountCycle): Array<[CycleItemState, CycleItemState]> {
  const right = allItems(b);
  return allItems(a).map(({ item }, i) => [item, right[i].item]);
}
