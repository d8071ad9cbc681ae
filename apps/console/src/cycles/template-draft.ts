/**
 * A SuccessCycle template being edited (C1): stages → activities → tasks, each with an optional
 * due-day rule. Existing items keep their id, so an edit renames and keeps them in running cycles
 * (C10); new items have none and get one from the service. Pure: no React, no I/O.
 */
import type { CycleTemplate, DaysDue, DaysDueBase, TemplateBody } from '../api/schemas';

export interface DraftItem {
  /** Tells rows apart in the editor; never sent. */
  key: string;
  /** The item's id in the template; absent for an item added in this edit. */
  id?: string;
  name: string;
  daysDue: DaysDue | null;
}

export interface DraftTask extends DraftItem {
  ownerRole: string;
}

export interface DraftActivity extends DraftItem {
  tasks: DraftTask[];
}

export interface DraftStage extends DraftItem {
  activities: DraftActivity[];
}

export interface TemplateDraft {
  name: string;
  description: string;
  nextTemplateId: string | null;
  stages: DraftStage[];
}

let counter = 0;
export function draftKey(): string {
  counter += 1;
  return `d${counter}`;
}

export function draftOf(template: CycleTemplate): TemplateDraft {
  const item = (i: { id: string; name: string; daysDue: DaysDue | null }): DraftItem => ({
    key: draftKey(),
    id: i.id,
    name: i.name,
    daysDue: i.daysDue,
  });
  return {
    name: template.name,
    description: template.description ?? '',
    nextTemplateId: template.nextTemplateId,
    stages: template.stages.map((s) => ({
      ...item(s),
      activities: s.activities.map((a) => ({ ...item(a), tasks: a.tasks.map((t) => ({ ...item(t), ownerRole: t.ownerRole ?? '' })) })),
    })),
  };
}

export function newStage(name = ''): DraftStage {
  return { key: draftKey(), name, daysDue: null, activities: [] };
}

export function newActivity(name = ''): DraftActivity {
  return { key: draftKey(), name, daysDue: null, tasks: [] };
}

export function newTask(name = ''): DraftTask {
  return { key: draftKey(), name, daysDue: null, ownerRole: '' };
}

/** The body of `PUT` / `POST …/preview`: the whole tree in order (order = position). */
export function templateBody(draft: TemplateDraft): TemplateBody {
  const item = (i: DraftItem, order: number) => ({ ...(i.id ? { id: i.id } : {}), name: i.name, order, daysDue: i.daysDue });
  return {
    name: draft.name,
    description: draft.description.trim() === '' ? null : draft.description,
    nextTemplateId: draft.nextTemplateId,
    stages: draft.stages.map((s, si) => ({
      ...item(s, si),
      activities: s.activities.map((a, ai) => ({
        ...item(a, ai),
        tasks: a.tasks.map((t, ti) => ({ ...item(t, ti), ownerRole: t.ownerRole.trim() === '' ? null : t.ownerRole.trim() })),
      })),
    })),
  };
}

/** A list with one element moved by one place (no-op at the ends). */
export function moved<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(index, 1);
  next.splice(target, 0, item!);
  return next;
}

export const DAYS_DUE_BASES: readonly { value: DaysDueBase; label: string }[] = [
  { value: 'cycleStart', label: 'after the cycle start' },
  { value: 'renewal', label: 'relative to the renewal' },
];

/** "14 days after the cycle start", "30 days before the renewal". */
export function describeDaysDue(daysDue: DaysDue | null): string {
  if (daysDue === null) return 'no due date';
  const base = daysDue.relativeTo === 'cycleStart' ? 'the cycle start' : 'the renewal';
  const n = Math.abs(daysDue.days);
  return `${n} day${n === 1 ? '' : 's'} ${daysDue.days < 0 ? 'before' : 'after'} ${base}`;
}
