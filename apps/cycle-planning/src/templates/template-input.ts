/**
 * A template as an admin sends it (C1 quick entry: the whole tree in one request) → the domain's
 * `CycleTemplate`. Items are ordered as listed; an item without an id is new and gets one; an
 * item that keeps its id keeps its identity across versions (C10: rename vs remove + add).
 */
import { randomUUID } from 'node:crypto';
import {
  copyDaysDue,
  type CycleTemplate,
  type DaysDue,
  type ItemKind,
  type TemplateActivity,
  type TemplateStage,
  type TemplateTask,
} from '../domain';

export interface TemplateItemInput {
  id?: string;
  name: string;
  /** Sort key among siblings; default: the position in the list. Stored as positions 1..n. */
  order?: number;
  daysDue?: DaysDue | null;
}

export interface TemplateTaskInput extends TemplateItemInput {
  ownerRole?: string | null;
}

export interface TemplateActivityInput extends TemplateItemInput {
  tasks?: TemplateTaskInput[];
}

export interface TemplateStageInput extends TemplateItemInput {
  activities?: TemplateActivityInput[];
}

export interface TemplateInput {
  name: string;
  description?: string | null;
  nextTemplateId?: string | null;
  stages?: TemplateStageInput[];
}

/** Siblings by their `order` (default: list position), stable; they get positions 1..n. */
function ordered<T extends TemplateItemInput>(items: readonly T[] | undefined): T[] {
  return (items ?? [])
    .map((item, index) => ({ item, key: item.order ?? index + 1, index }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map(({ item }) => item);
}

export function buildTemplate(input: TemplateInput, templateId: string, version: number): CycleTemplate {
  const given = new Set<string>();
  const collect = (item: TemplateItemInput) => {
    if (item.id !== undefined) given.add(item.id);
  };
  for (const stage of input.stages ?? []) {
    collect(stage);
    for (const activity of stage.activities ?? []) {
      collect(activity);
      (activity.tasks ?? []).forEach(collect);
    }
  }
  const idFor = (item: TemplateItemInput, kind: ItemKind): string => {
    if (item.id !== undefined) return item.id;
    let id: string;
    do id = `${kind}-${randomUUID().slice(0, 8)}`;
    while (given.has(id));
    given.add(id);
    return id;
  };
  const base = (item: TemplateItemInput, kind: ItemKind, index: number) => ({
    id: idFor(item, kind),
    name: item.name.trim(),
    order: index + 1,
    ...(item.daysDue === undefined || item.daysDue === null ? {} : { daysDue: copyDaysDue(item.daysDue) }),
  });
  const description = input.description?.trim();
  return {
    id: templateId,
    name: input.name.trim(),
    ...(description ? { description } : {}),
    version,
    nextTemplateId: input.nextTemplateId ?? null,
    stages: ordered(input.stages).map((stage, s): TemplateStage => ({
      ...base(stage, 'stage', s),
      activities: ordered(stage.activities).map((activity, a): TemplateActivity => ({
        ...base(activity, 'activity', a),
        tasks: ordered(activity.tasks).map((task, t): TemplateTask => ({
          ...base(task, 'task', t),
          ...(task.ownerRole ? { ownerRole: task.ownerRole } : {}),
        })),
      })),
    })),
  };
}
