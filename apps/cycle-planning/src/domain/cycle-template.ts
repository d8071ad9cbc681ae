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

/** C1 and B6: what a due date counts from. */
export type DaysDueBase = 'cycleStart' | 'renewal' | 'stageEntry' | 'taskCompletion';

export const DAYS_DUE_BASES: readonly DaysDueBase[] = ['cycleStart', 'renewal', 'stageEntry', 'taskCompletion'];

/** B6: calendar days (C1's unit), or business days on the account's calendar. */
export type DaysDueUnit = 'calendar-days' | 'business-days';

export const DAYS_DUE_UNITS: readonly DaysDueUnit[] = ['calendar-days', 'business-days'];

export interface DaysDue {
  /** Whole days after (positive) or before (negative) the base date. */
  days: number;
  relativeTo: DaysDueBase;
  /** Absent = calendar days. */
  unit?: DaysDueUnit;
  /** `stageEntry`: the lifecycle attribute and stage (its id) whose entry the date counts from. */
  attributeKey?: string;
  stageId?: string;
  /** `taskCompletion`: the task of the same cycle whose completion the date counts from. */
  taskId?: string;
}

/** A copy holding exactly the fields that are set (stored forms never carry `undefined`), in this order. */
export function copyDaysDue(d: DaysDue): DaysDue {
  const copy: DaysDue = { days: d.days, relativeTo: d.relativeTo };
  if (d.unit !== undefined) copy.unit = d.unit;
  if (d.attributeKey !== undefined) copy.attributeKey = d.attributeKey;
  if (d.stageId !== undefined) copy.stageId = d.stageId;
  if (d.taskId !== undefined) copy.taskId = d.taskId;
  return copy;
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
  if (daysDue.unit !== undefined && !DAYS_DUE_UNITS.includes(daysDue.unit)) {
    return `${where}.unit must be one of ${DAYS_DUE_UNITS.join(', ')}, got ${String(daysDue.unit)}`;
  }
  if (daysDue.relativeTo === 'stageEntry' && (!daysDue.attributeKey || !daysDue.stageId)) {
    return `${where}: relativeTo stageEntry needs attributeKey and stageId (the lifecycle stage whose entry the date counts from)`;
  }
  if (daysDue.relativeTo === 'taskCompletion' && !daysDue.taskId) {
    return `${where}: relativeTo taskCompletion needs taskId (the task of the same cycle whose completion the date counts from)`;
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
  const kinds = new Map(templateItems(template).map((item) => [item.id, item]));
  for (const { path, item } of itemsWithPaths(template)) {
    const taskId = item.daysDue?.relativeTo === 'taskCompletion' ? item.daysDue.taskId : undefined;
    if (taskId === undefined) continue;
    const target = kinds.get(taskId);
    if (target === undefined) problems.push(`${path}.daysDue.taskId "${taskId}" is not an item of this template`);
    else if (target.kind !== 'task')
      problems.push(`${path}.daysDue.taskId "${taskId}" is a ${target.kind}; due dates count from a task's completion`);
    else if (taskId === item.id) problems.push(`${path}.daysDue.taskId: a task cannot count from its own completion`);
  }
  if (problems.length > 0) {
    throw new CycleError(
      CycleErrorCode.InvalidTemplate,
      `Template "${template.name}" is invalid: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
      { templateId: template.id, problems },
    );
  }
  assertNoDependencyLoop(template);
}

/** Every item with its path in the request (`stages[0].activities[1]`), in template order. */
function itemsWithPaths(template: CycleTemplate): { path: string; item: { id: string; name: string; daysDue?: DaysDue } }[] {
  const result: { path: string; item: { id: string; name: string; daysDue?: DaysDue } }[] = [];
  template.stages.forEach((stage, s) => {
    result.push({ path: `stages[${s}]`, item: stage });
    stage.activities.forEach((activity, a) => {
      result.push({ path: `stages[${s}].activities[${a}]`, item: activity });
      activity.tasks.forEach((task, t) => result.push({ path: `stages[${s}].activities[${a}].tasks[${t}]`, item: task }));
    });
  });
  return result;
}

/**
 * B6: an item whose due date counts from a task's completion depends on that task. The
 * dependencies must not loop (no date could ever be computed): a loop is refused, naming it.
 */
export function assertNoDependencyLoop(template: CycleTemplate): void {
  const items = new Map(itemsWithPaths(template).map(({ item }) => [item.id, item]));
  const dependsOn = (id: string): string | undefined => {
    const daysDue = items.get(id)?.daysDue;
    return daysDue?.relativeTo === 'taskCompletion' ? daysDue.taskId : undefined;
  };
  const done = new Set<string>();
  for (const start of items.keys()) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let current: string | undefined = start;
    while (current !== undefined && !done.has(current) && items.has(current)) {
      if (onPath.has(current)) {
        const loop = [...path.slice(path.indexOf(current)), current];
        const names = loop.map((id) => `"${items.get(id)!.name}"`).join(' → ');
        throw new CycleError(
          CycleErrorCode.DueDateDependencyLoop,
          `Template "${template.name}": due dates depend on each other in a loop: ${names}; every due date must count from something that does not wait for it`,
          { templateId: template.id, loop },
        );
      }
      onPath.add(current);
      path.push(current);
      current = dependsOn(current);
    }
    path.forEach((id) => done.add(id));
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
