/**
 * SuccessCycle templates (C1): stages → activities → tasks, each optionally carrying `daysDue`.
 *
 * Decisions:
 * - Item ids are unique across the whole template (stages, activities and tasks share one id space)
 *   and stable across versions: an edit keeps the id of every item that remains, a new item gets a
 *   new id. That is how propagation (C10) tells a rename from a remove + add, and a move from both.
 * - An id never changes kind between versions (a stage id stays a stage id): `validateTemplateEdit`.
 * - `order` is a sort key among siblings; any finite numbers, ties keep the list order. Cycles store
 *   positions 1..n instead (see account-cycle.ts).
 * - `daysDue.days` is an integer and may be negative ("30 days before renewal" = -30).
 * - Empty templates, stages and activities are valid (an admin builds a cycle step by step).
 */
import { CycleError, CycleErrorCode } from './cycle-errors';

export type DaysDueBase = 'cycleStart' | 'renewal';

export const DAYS_DUE_BASES: readonly DaysDueBase[] = ['cycleStart', 'renewal'];

export interface DaysDue {
  /** Whole calendar days after (positive) or before (negative) the base date. */
  days: number;
  relativeTo: DaysDueBase;
}

export interface TemplateTask {
  id: string;
  name: string;
  order: number;
  daysDue?: DaysDue;
  /** Team role expected to own the task (e.g. "csm"); resolved to a user when the cycle is assigned. */
  ownerRole?: string;
}

export interface TemplateActivity {
  id: string;
  name: string;
  order: number;
  daysDue?: DaysDue;
  tasks: TemplateTask[];
}

export interface TemplateStage {
  id: string;
  name: string;
  order: number;
  daysDue?: DaysDue;
  activities: TemplateActivity[];
}

export interface CycleTemplate {
  id: string;
  name: string;
  description?: string;
  /** Incremented on every saved edit (C1: templates are versioned). */
  version: number;
  stages: TemplateStage[];
  /** C8: the template started when a cycle of this one completes. */
  nextTemplateId?: string | null;
}

export type ItemKind = 'stage' | 'activity' | 'task';

/** Siblings sorted by `order`; stable, so equal orders keep their list order. Never mutates. */
export function byOrder<T extends { order: number }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.order - b.order);
}

/** Every item of a template with its kind, in template order (stage, its activities, their tasks …). */
export function templateItems(template: CycleTemplate): Array<{ kind: ItemKind; id: string; name: string; parentId: string | null }> {
  const items: Array<{ kind: ItemKind; id: string; name: string; parentId: string | null }> = [];
  for (const stage of byOrder(template.stages)) {
    items.push({ kind: 'stage', id: stage.id, name: stage.name, parentId: null });
    for (const activity of byOrder(stage.activities)) {
      items.push({ kind: 'activity', id: activity.id, name: activity.name, parentId: stage.id });
      for (const task of byOrder(activity.tasks)) {
        items.push({ kind: 'task', id: task.id, name: task.name, parentId: activity.id });
      }
    }
  }
  return items;
}

/** Throws `InvalidDaysDue` unless `days` is an integer and `relativeTo` a known base. */
export function validateDaysDue(daysDue: DaysDue, where = 'daysDue'): void {
  const problem = daysDueProblem(daysDue, where);
  if (problem !== null) {
    throw new CycleError(CycleErrorCode.InvalidDaysDue, problem, { daysDue });
  }
}

function daysDueProblem(daysDue: DaysDue, where: string): string | null {
  if (!Number.isInteger(daysDue.days)) {
    return `${where}.days must be an integer number of days (may be negative), got ${String(daysDue.days)}`;
  }
  if (!DAYS_DUE_BASES.includes(daysDue.relativeTo)) {
    return `${where}.relativeTo must be one of ${DAYS_DUE_BASES.join(', ')}, got ${String(daysDue.relativeTo)}`;
  }
  return null;
}

/**
 * C1: a template is well formed. Collects every problem and throws one `InvalidTemplate` error
 * whose message names the first and whose `details.problems` lists them all.
 */
export function validateTemplate(template: CycleTemplate): void {
  const problems: string[] = [];
  if (template.id.trim() === '') problems.push('template id must not be empty');
  if (template.name.trim() === '') problems.push('template name must not be empty');
  if (!Number.isInteger(template.version) || template.version < 1) {
    problems.push(`template version must be a positive integer, got ${String(template.version)}`);
  }
  const seen = new Map<string, string>();
  const check = (kind: ItemKind, item: { id: string; name: string; order: number; daysDue?: DaysDue }, path: string): void => {
    if (item.id.trim() === '') problems.push(`${path}: ${kind} id must not be empty`);
    const previous = seen.get(item.id);
    if (previous !== undefined) problems.push(`${path}: id "${item.id}" is already used by ${previous}`);
    seen.set(item.id, path);
    if (item.name.trim() === '') problems.push(`${path}: ${kind} name must not be empty`);
    if (!Number.isFinite(item.order)) problems.push(`${path}: order must be a finite number`);
    if (item.daysDue !== undefined) {
      const problem = daysDueProblem(item.daysDue, `${path}.daysDue`);
      if (problem !== null) problems.push(problem);
    }
  };
  template.stages.forEach((stage, s) => {
    const stagePath = `stages[${s}]`;
    check('stage', stage, stagePath);
    stage.activities.forEach((activity, a) => {
      const activityPath = `${stagePath}.activities[${a}]`;
      check('activity', activity, activityPath);
      activity.tasks.forEach((task, t) => check('task', task, `${activityPath}.tasks[${t}]`));
    });
  });
  if (problems.length > 0) {
    throw new CycleError(
      CycleErrorCode.InvalidTemplate,
      `Template "${template.name}" is invalid: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
      { templateId: template.id, problems },
    );
  }
}

/**
 * C10: `next` is a valid edit of `previous`: both valid, same template, a higher version, and no
 * item id changes kind (ids are identities; a stage id cannot come back as a task).
 */
export function validateTemplateEdit(previous: CycleTemplate, next: CycleTemplate): void {
  validateTemplate(previous);
  validateTemplate(next);
  if (previous.id !== next.id) {
    throw new CycleError(CycleErrorCode.InvalidTemplateEdit, `An edit must keep the template id: "${previous.id}" became "${next.id}"`, {
      previousTemplateId: previous.id,
      templateId: next.id,
    });
  }
  if (next.version <= previous.version) {
    throw new CycleError(
      CycleErrorCode.InvalidTemplateEdit,
      `An edit of template "${next.id}" must raise its version: ${previous.version} → ${next.version}`,
      { templateId: next.id, previousVersion: previous.version, version: next.version },
    );
  }
  const previousKinds = new Map(templateItems(previous).map((item) => [item.id, item.kind]));
  for (const item of templateItems(next)) {
    const kind = previousKinds.get(item.id);
    if (kind !== undefined && kind !== item.kind) {
      throw new CycleError(
        CycleErrorCode.InvalidTemplateEdit,
        `Item "${item.id}" of template "${next.id}" cannot change from ${kind} to ${item.kind}; give the new ${item.kind} a new id`,
        { templateId: next.id, itemId: item.id, from: kind, to: item.kind },
      );
    }
  }
}
