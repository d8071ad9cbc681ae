/**
 * Test data builders (fixtures) for the cycle-planning domain specs (no test framework imports, so it is
 * plain TypeScript). Sibling `order`s are 10, 20, 30 … in the order given, to show that cycles
 * store positions rather than template sort keys.
 */
import { instantiateCycle } from './account-cycle';
import { CycleError } from './cycle-errors';
import { completeActivity, completeStage, completeTask } from './cycle-progress';
import type { AccountCycle, AssignCycleInput, CycleItemState } from './account-cycle';
import type { CycleTemplate, DaysDue, TemplateActivity, TemplateStage, TemplateTask } from './cycle-template';
import type { SubscriptionFacts } from './due-dates';

/** A calendar day, 00:00:00Z. */
export function day(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00.000Z`);
}

export function instant(iso: string): Date {
  return new Date(iso);
}

export function afterStart(days: number): DaysDue {
  return { days, relativeTo: 'cycleStart' };
}

/** Relative to the renewal date: negative = before it. */
export function renewal(days: number): DaysDue {
  return { days, relativeTo: 'renewal' };
}

export function subscription(renewalDate: string | null, active = true): SubscriptionFacts {
  return { active, renewalDate: renewalDate === null ? null : day(renewalDate) };
}

interface ItemOptions {
  daysDue?: DaysDue;
}

export function task(id: string, name: string, options: ItemOptions & { ownerRole?: string } = {}): TemplateTask {
  return { id, name, order: 0, ...options };
}

export function activity(id: string, name: string, tasks: TemplateTask[] = [], options: ItemOptions = {}): TemplateActivity {
  return { id, name, order: 0, ...options, tasks: positioned(tasks) };
}

export function stage(id: string, name: string, activities: TemplateActivity[] = [], options: ItemOptions = {}): TemplateStage {
  return { id, name, order: 0, ...options, activities: positioned(activities) };
}

export function template(
  id: string,
  stages: TemplateStage[],
  options: { name?: string; version?: number; nextTemplateId?: string | null; description?: string } = {},
): CycleTemplate {
  return { id, name: options.name ?? id, version: options.version ?? 1, ...options, stages: positioned(stages) };
}

function positioned<T extends { order: number }>(items: T[]): T[] {
  return items.map((item, i) => ({ ...item, order: (i + 1) * 10 }));
}

/**
 * Onboarding, the running example:
 * - Kickoff (start+14): Kickoff call (start+7: Schedule call start+2 [csm], Send agenda start+5),
 *   Welcome pack (start+10, no tasks)
 * - Adoption (start+60): Training (start+30: Admin training start+21, User training start+28)
 * - Renewal (renewal+0): Renewal prep (renewal-30: QBR renewal-60, Send quote renewal-14 [csm])
 */
export function onboardingTemplate(overrides: Partial<CycleTemplate> = {}): CycleTemplate {
  return {
    ...template(
      'onboarding',
      [
        stage(
          'kickoff',
          'Kickoff',
          [
            activity(
              'kickoff-call',
              'Kickoff call',
              [
                task('schedule-call', 'Schedule call', { daysDue: afterStart(2), ownerRole: 'csm' }),
                task('send-agenda', 'Send agenda', { daysDue: afterStart(5) }),
              ],
              { daysDue: afterStart(7) },
            ),
            activity('welcome-pack', 'Welcome pack', [], { daysDue: afterStart(10) }),
          ],
          { daysDue: afterStart(14) },
        ),
        stage(
          'adoption',
          'Adoption',
          [
            activity(
              'training',
              'Training',
              [
                task('admin-training', 'Admin training', { daysDue: afterStart(21) }),
                task('user-training', 'User training', { daysDue: afterStart(28) }),
              ],
              { daysDue: afterStart(30) },
            ),
          ],
          { daysDue: afterStart(60) },
        ),
        stage(
          'renewal',
          'Renewal',
          [
            activity(
              'renewal-prep',
              'Renewal prep',
              [
                task('qbr', 'QBR', { daysDue: renewal(-60) }),
                task('send-quote', 'Send quote', { daysDue: renewal(-14), ownerRole: 'csm' }),
              ],
              { daysDue: renewal(-30) },
            ),
          ],
          { daysDue: renewal(0) },
        ),
      ],
      { name: 'Onboarding' },
    ),
    ...overrides,
  };
}

export const ACME_START = instant('2024-03-10T15:30:00Z');
export const ACME_SUBSCRIPTION = subscription('2025-01-15');

export function assignInput(overrides: Partial<AssignCycleInput> = {}): AssignCycleInput {
  return {
    cycleId: 'cycle-1',
    accountId: 'acme',
    startDate: ACME_START,
    assignedAt: instant('2024-03-10T16:00:00Z'),
    subscription: ACME_SUBSCRIPTION,
    primary: true,
    ownersByRole: { csm: 'user-csm' },
    ...overrides,
  };
}

export function onboardingCycle(overrides: Partial<AssignCycleInput> = {}): AccountCycle {
  return instantiateCycle(onboardingTemplate(), assignInput(overrides));
}

/** Freezes an object graph (Dates included) so a test fails if a function mutates its input. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Every due date of a cycle by item id, as YYYY-MM-DD (or null), for readable assertions. */
export function dueDays(cycle: AccountCycle): Record<string, string | null> {
  const result: Record<string, string | null> = {};
  const put = (item: { id: string; dueDate: Date | null }): void => {
    result[item.id] = item.dueDate === null ? null : item.dueDate.toISOString().slice(0, 10);
  };
  for (const s of cycle.stages) {
    put(s);
    for (const a of s.activities) {
      put(a);
      a.tasks.forEach(put);
    }
  }
  return result;
}

/** The CycleError `fn` throws (fails the test if it throws nothing or something else). */
export function errorOf(fn: () => unknown): CycleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CycleError) return error;
    throw error;
  }
  throw new TypeError('expected a CycleError, nothing was thrown');
}

/** The next version of a template: a deep copy, changed by `mutate`, with the version raised. */
export function editTemplate(previous: CycleTemplate, mutate: (draft: CycleTemplate) => void): CycleTemplate {
  const draft = structuredClone(previous);
  draft.version = previous.version + 1;
  mutate(draft);
  return draft;
}

export function stageOf(t: CycleTemplate, id: string): TemplateStage {
  const found = t.stages.find((s) => s.id === id);
  if (found === undefined) throw new TypeError(`no stage ${id}`);
  return found;
}

export function activityOf(t: CycleTemplate, id: string): TemplateActivity {
  const found = t.stages.flatMap((s) => s.activities).find((a) => a.id === id);
  if (found === undefined) throw new TypeError(`no activity ${id}`);
  return found;
}

/** Any stage, activity or task of a cycle by id (undefined if absent). */
export function cycleItem(cycle: AccountCycle, id: string): CycleItemState | undefined {
  for (const s of cycle.stages) {
    if (s.id === id) return s;
    for (const a of s.activities) {
      if (a.id === id) return a;
      const t = a.tasks.find((x) => x.id === id);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

/** The cycle's tree as ids in order: `[[stageId, [[activityId, [taskId, …]], …]], …]`. */
export function outline(cycle: AccountCycle): Array<[string, Array<[string, string[]]>]> {
  return cycle.stages.map((s) => [s.id, s.activities.map((a): [string, string[]] => [a.id, a.tasks.map((t) => t.id)])]);
}

/** Completes the given tasks/activities/stages in order, at the given instants. */
export function progress(cycle: AccountCycle, steps: Array<[kind: 'task' | 'activity' | 'stage', id: string, at: string]>): AccountCycle {
  return steps.reduce((current, [kind, id, at]) => {
    const complete = kind === 'task' ? completeTask : kind === 'activity' ? completeActivity : completeStage;
    return complete(current, id, instant(at)).cycle;
  }, cycle);
}

/** The Kickoff stage of `onboardingCycle()` done, step by step (C6). */
export const KICKOFF_DONE: Array<['task' | 'activity' | 'stage', string, string]> = [
  ['task', 'schedule-call', '2024-03-11T09:00:00Z'],
  ['task', 'send-agenda', '2024-03-14T09:00:00Z'],
  ['activity', 'welcome-pack', '2024-03-18T10:00:00Z'],
];

/** A cycle of its own template (`tpl-<cycleId>`), not primary, started and assigned at `start`. */
export function cycleOf(cycleId: string, start: string, overrides: Partial<AccountCycle> = {}): AccountCycle {
  return {
    ...onboardingCycle({ cycleId, startDate: instant(start), assignedAt: instant(start), primary: false }),
    templateId: `tpl-${cycleId}`,
    ...overrides,
  };
}
