/**
 * C10 preview: what an edit changes in the template itself (old version → new version), as the
 * admin sees it before applying: items added, renamed and removed, listed top-most only (an added
 * stage is one entry, its activities and tasks come with it), like `planPropagation`'s `changes`.
 * What it does to each running cycle (completed work is exempt) is `previewPropagation`'s job.
 */
import { templateItems } from './cycle-template';
import type { CycleTemplate } from './cycle-template';
import type { ItemRef, PropagationChanges, RenamedItemRef } from './template-propagation';

export function diffTemplates(previous: CycleTemplate, next: CycleTemplate): PropagationChanges {
  const before = new Map(templateItems(previous).map((item) => [item.id, item]));
  const after = templateItems(next);
  const afterIds = new Set(after.map((item) => item.id));
  const ref = (item: { kind: ItemRef['kind']; id: string; name: string }): ItemRef => ({ kind: item.kind, id: item.id, name: item.name });

  const added = after.filter((item) => !before.has(item.id) && (item.parentId === null || before.has(item.parentId))).map(ref);
  const removed = [...before.values()]
    .filter((item) => !afterIds.has(item.id) && (item.parentId === null || afterIds.has(item.parentId)))
    .map(ref);
  const renamed: RenamedItemRef[] = [];
  if (previous.name !== next.name) renamed.push({ kind: 'cycle', id: next.id, name: next.name, previousName: previous.name });
  for (const item of after) {
    const old = before.get(item.id);
    if (old !== undefined && old.name !== item.name) renamed.push({ ...ref(item), previousName: old.name });
  }
  return { added, renamed, removed };
}
