/**
 * C10: a template edit propagates to every active cycle of the template.
 *
 * The cycle is merged with the new template by item id (ids are stable across versions):
 * - an id only in the new template is added, with its due date computed from the cycle's start date
 *   and the account's subscription (ctx), exactly as at assignment (C4);
 * - an id in both keeps its state (due date, completion, owner) and takes the new name, `daysDue`
 *   rule and position; an id only in the cycle is removed;
 * - siblings follow the new template's order (stored as positions 1..n).
 *
 * Exceptions, and decisions where the spec is silent:
 * - (a) An existing item's `dueDate`/`dueDateReason` never change. Its `daysDue` rule does follow the
 *   template, so a later recalculation (C11/C12) uses the current rule ("recalculation is based on the
 *   days due set up in the templates").
 * - (b) A completed item (stage, activity or task) is a record: it is never renamed, removed or moved,
 *   and nothing beneath it changes (no add, rename, remove, reorder). Only its own position among
 *   its siblings follows the template. The brief protects completed stages and activities; completed
 *   tasks are treated alike so that completed work never silently disappears.
 * - An item that still holds completed work is not removed either: a removed open stage holding a
 *   completed activity stays (name unchanged), keeping only its completed parts (parts the template
 *   moved elsewhere go where the template puts them). Retained items stay right after the sibling
 *   that preceded them.
 * - An item the template moves to another parent moves with its state, unless it is completed or lies
 *   inside completed work; then it stays where it is and is not added at the new place (ids stay unique).
 * - Removing open items can leave a container whose remaining children are all completed: it then
 *   completes (C6 roll-up, at its latest child's completion) and the roll-up events are returned.
 * - The cycle takes the template's name and version.
 * - The merge is between the cycle as it is and the new template, not old vs new template: a cycle
 *   that missed a version converges, and applying the same edit twice changes nothing the second
 *   time (a retried job is harmless). `oldTemplate` is only checked (same template, higher version,
 *   no id changing kind).
 * - Not reached (returned unchanged): cycles that are not active, or already on a newer version.
 * - `changes` lists top-most items only: an added stage is one `added` entry, its activities and tasks
 *   come with it; likewise for removals. Renaming the template renames the cycle (`kind: 'cycle'`).
 */
import { newItemState, newTask } from './account-cycle';
import type { AccountCycle, CycleActivity, CycleItemState, CycleStage, CycleTask, OwnersByRole } from './account-cycle';
import { settleCompletion } from './cycle-progress';
import type { CycleEvent } from './cycle-progress';
import { CycleError, CycleErrorCode } from './cycle-errors';
import { byOrder, copyDaysDue, templateItems, validateTemplateEdit } from './cycle-template';
import type { CycleTemplate, ItemKind, TemplateActivity, TemplateStage, TemplateTask } from './cycle-template';
import type { DueDateContext, SubscriptionFacts } from './due-dates';
import { isDependentDaysDue, settleDueDates } from './dependent-due-dates';
import type { BusinessCalendar } from '@lifecycle/rules';

export interface PropagationContext {
  /** The account's subscription now: due dates of added renewal-relative items come from it. */
  subscription: SubscriptionFacts | null;
  /** Resolves `ownerRole` of added tasks, as at assignment. */
  ownersByRole?: OwnersByRole;
  /** B6: the account's calendar and stage entries, for added items' business-day and stage-entry dates. */
  calendar?: BusinessCalendar;
  stageEntries?: ReadonlyMap<string, Date>;
}

export type ChangedItemKind = ItemKind | 'cycle';

export interface ItemRef {
  kind: ChangedItemKind;
  id: string;
  name: string;
}

export interface RenamedItemRef extends ItemRef {
  previousName: string;
}

export interface PropagationChanges {
  added: ItemRef[];
  renamed: RenamedItemRef[];
  removed: ItemRef[];
}

export interface PropagationResult {
  cycle: AccountCycle;
  changes: PropagationChanges;
  /** Roll-up caused by removals (C6): stage-completed / cycle-completed. */
  events: CycleEvent[];
  /** False when the edit does not apply to this cycle (not active, or already on a newer version). */
  reached: boolean;
}

type AnyTemplateItem = TemplateStage | TemplateActivity | TemplateTask;
type AnyCycleItem = CycleStage | CycleActivity | CycleTask;

const CHILD_KIND: Readonly<Record<ItemKind, ItemKind | null>> = { stage: 'activity', activity: 'task', task: null };

interface IndexedItem {
  kind: ItemKind;
  item: AnyCycleItem;
  parentId: string | null;
  /** Completed, or inside a completed item: frozen where it is. */
  pinned: boolean;
}

/**
 * C10: the cycle has yet to take `template`'s version: an active cycle of that template on an older
 * version (a propagation job skips the others, so a resumed job redoes nothing).
 */
export function awaitsPropagation(cycle: AccountCycle, template: Pick<CycleTemplate, 'id' | 'version'>): boolean {
  return cycle.templateId === template.id && cycle.status === 'active' && cycle.templateVersion < template.version;
}

/**
 * C10: an edit checked once (`validateTemplateEdit`), ready to be applied to any number of cycles
 * (a propagation job applies one edit to every cycle of the template: the checks and the sorting
 * of the template's siblings are done here, not per cycle). Made by `templateEdit` only.
 */
export interface TemplateEdit {
  readonly previous: CycleTemplate;
  /** The new version with every level of siblings in `order` (ties keep their list order). */
  readonly next: CycleTemplate;
  /** The kind of every item of the new version, by id. */
  readonly kinds: ReadonlyMap<string, ItemKind>;
  /** B6: the items of the new version whose due date counts from a stage entry or a task. */
  readonly dependent: ReadonlySet<string>;
}

/** C10: `next` checked as an edit of `previous` (throws as `validateTemplateEdit` does). */
export function templateEdit(previous: CycleTemplate, next: CycleTemplate): TemplateEdit {
  validateTemplateEdit(previous, next);
  const sorted: CycleTemplate = {
    ...next,
    stages: byOrder(next.stages).map((stage) => ({
      ...stage,
      activities: byOrder(stage.activities).map((activity) => ({ ...activity, tasks: byOrder(activity.tasks) })),
    })),
  };
  const dependent = new Set<string>();
  for (const stage of sorted.stages) {
    for (const item of [stage, ...stage.activities, ...stage.activities.flatMap((a) => a.tasks)]) {
      if (isDependentDaysDue(item.daysDue)) dependent.add(item.id);
    }
  }
  return { previous, next: sorted, kinds: new Map(templateItems(sorted).map((item) => [item.id, item.kind])), dependent };
}

/** C10: the cycle after applying the edit `oldTemplate` → `newTemplate`, and what changed. */
export function planPropagation(
  oldTemplate: CycleTemplate,
  newTemplate: CycleTemplate,
  cycle: AccountCycle,
  ctx: PropagationContext,
): PropagationResult {
  return applyTemplateEdit(templateEdit(oldTemplate, newTemplate), cycle, ctx);
}

/** C10: `planPropagation` with an edit checked beforehand (`templateEdit`). */
export function applyTemplateEdit(edit: TemplateEdit, cycle: AccountCycle, ctx: PropagationContext): PropagationResult {
  const newTemplate = edit.next;
  assertEditApplies(newTemplate, cycle);
  if (cycle.status !== 'active' || cycle.templateVersion > newTemplate.version) {
    return { cycle, changes: { added: [], renamed: [], removed: [] }, events: [], reached: false };
  }
  const index = indexCycle(cycle);
  assertKindsKept(index, edit, cycle);
  const placement = placeTemplateItems(newTemplate, index);
  const dueDateContext: DueDateContext = {
    cycleStart: cycle.startDate,
    subscription: ctx.subscription,
    ...(ctx.calendar === undefined ? {} : { calendar: ctx.calendar }),
  };
  const merge = new CycleMerge(index, placement, dueDateContext, ctx.ownersByRole);
  const rebuilt: AccountCycle = {
    ...cycle,
    name: newTemplate.name,
    templateVersion: newTemplate.version,
    stages: merge.siblings('stage', newTemplate.stages, cycle.stages, null) as CycleStage[],
  };
  // B6: added items counting from a stage entry or a task get their dates; existing ones keep theirs (a).
  const added = merge.added;
  const dated = [...added].some((id) => edit.dependent.has(id)) ? settleDueDates(rebuilt, ctx, added).cycle : rebuilt;
  const changes = diff(index, cycle, dated, newTemplate.id);
  const { cycle: settled, events } = settleCompletion(cycle, dated);
  return { cycle: settled, changes, events, reached: true };
}

/** The edit applies to this cycle: it runs the edited template. */
function assertEditApplies(newTemplate: CycleTemplate, cycle: AccountCycle): void {
  if (cycle.templateId !== newTemplate.id) {
    throw new CycleError(
      CycleErrorCode.TemplateMismatch,
      `Cycle "${cycle.cycleId}" runs template "${cycle.templateId}"; an edit of template "${newTemplate.id}" does not apply to it`,
      { cycleId: cycle.cycleId, cycleTemplateId: cycle.templateId, templateId: newTemplate.id },
    );
  }
}

/** An id names the same kind of item in the cycle and in the template (a task never becomes a stage). */
function assertKindsKept(index: ReadonlyMap<string, IndexedItem>, edit: TemplateEdit, cycle: AccountCycle): void {
  for (const [id, existing] of index) {
    const kind = edit.kinds.get(id);
    if (kind !== undefined && existing.kind !== kind) {
      throw new CycleError(
        CycleErrorCode.InvalidTemplateEdit,
        `Item "${id}" is a ${existing.kind} in cycle "${cycle.cycleId}" but a ${kind} in template "${edit.next.id}" v${edit.next.version}`,
        { cycleId: cycle.cycleId, itemId: id, from: existing.kind, to: kind },
      );
    }
  }
}

/**
 * Where each template item lands (id → parent id): where the template puts it (its siblings in
 * order: `TemplateEdit.next`), except what
 * completed work pins (b) — a pinned item moved elsewhere by the template stays where it is and is
 * not placed, and nothing beneath a completed item is placed.
 */
function placeTemplateItems(newTemplate: CycleTemplate, index: ReadonlyMap<string, IndexedItem>): Map<string, string | null> {
  const placement = new Map<string, string | null>();
  const place = (kind: ItemKind, items: readonly AnyTemplateItem[], parentId: string | null): void => {
    for (const t of items) {
      const existing = index.get(t.id);
      if (existing !== undefined && existing.pinned && existing.parentId !== parentId) continue;
      placement.set(t.id, parentId);
      if (existing !== undefined && existing.item.completedAt !== null) continue; // (b) frozen below
      const childKind = CHILD_KIND[kind];
      if (childKind !== null) place(childKind, templateChildren(kind, t), t.id);
    }
  };
  place('stage', newTemplate.stages, null);
  return placement;
}

/** The merge of one cycle with the new template, level by level (see the rules at the top). */
class CycleMerge {
  /** Ids of the items the merge created (in the template, not in the cycle). */
  readonly added = new Set<string>();

  constructor(
    private readonly index: ReadonlyMap<string, IndexedItem>,
    private readonly placement: ReadonlyMap<string, string | null>,
    private readonly dueCtx: DueDateContext,
    private readonly ownersByRole: OwnersByRole | undefined,
  ) {}

  /**
   * The new children of `parentId`: the template's items placed there (`templateSiblings` in
   * order, as `TemplateEdit.next` has them), then the work the template dropped.
   */
  siblings(
    kind: ItemKind,
    templateSiblings: readonly AnyTemplateItem[],
    originalSiblings: readonly AnyCycleItem[],
    parentId: string | null,
  ): AnyCycleItem[] {
    const result: AnyCycleItem[] = [];
    for (const t of templateSiblings) {
      if (!this.isPlacedAt(t.id, parentId)) continue;
      const existing = this.index.get(t.id);
      if (existing === undefined) {
        this.added.add(t.id);
        result.push(createItem(kind, t, this.dueCtx, this.ownersByRole, this.children(kind, t, null, t.id)));
      } else if (existing.item.completedAt !== null) {
        result.push(existing.item); // (b) a completed item is kept as it is
      } else {
        result.push(updateItem(kind, existing.item, t, this.children(kind, t, existing.item, t.id)));
      }
    }
    this.keepDroppedWork(kind, originalSiblings, result);
    return result.map((item, i) => (item.order === i + 1 ? item : { ...item, order: i + 1 }));
  }

  private children(kind: ItemKind, t: AnyTemplateItem | null, original: AnyCycleItem | null, id: string): AnyCycleItem[] {
    const childKind = CHILD_KIND[kind];
    if (childKind === null) return [];
    return this.siblings(
      childKind,
      t === null ? [] : templateChildren(kind, t),
      original === null ? [] : cycleChildren(kind, original),
      id,
    );
  }

  /**
   * Completed work the template dropped stays where it was, after its old predecessor, and so do
   * the open items still holding some of it (work moved elsewhere by the template does not count).
   */
  private keepDroppedWork(kind: ItemKind, originalSiblings: readonly AnyCycleItem[], result: AnyCycleItem[]): void {
    originalSiblings.forEach((original, i) => {
      if (this.placement.has(original.id)) return;
      let retained: AnyCycleItem;
      if (original.completedAt !== null) {
        retained = original;
      } else {
        const keptChildren = this.children(kind, null, original, original.id);
        if (keptChildren.length === 0) return; // removed
        retained = withChildren(kind, original, keptChildren);
      }
      result.splice(positionAfterPredecessor(originalSiblings, i, result), 0, retained);
    });
  }

  private isPlacedAt(id: string, parentId: string | null): boolean {
    return this.placement.has(id) && this.placement.get(id) === parentId;
  }
}

/** Right after the nearest sibling that preceded `originalSiblings[i]` and is still in `result`; else first. */
function positionAfterPredecessor(originalSiblings: readonly AnyCycleItem[], i: number, result: readonly AnyCycleItem[]): number {
  for (let j = i - 1; j >= 0; j--) {
    const k = result.findIndex((item) => item.id === originalSiblings[j].id);
    if (k >= 0) return k + 1;
  }
  return 0;
}

export interface PropagationPreview {
  /** Active cycles of the template the edit applies to. */
  cyclesReached: number;
  /** Of those, cycles in which something would be added, renamed or removed. */
  cyclesChanged: number;
  /** Of those, cycles the edit would complete (removing their last open items). */
  cyclesCompleted: number;
  added: number;
  renamed: number;
  removed: number;
  /** B6: items the edit adds (children included) that would get a due date in those cycles. */
  addedDated: number;
  /** B6: items the edit adds that would wait for their base (a stage entry, a task without a date, no renewal date …). */
  addedWaiting: number;
}

/** C10: what an edit would do to the given cycles (others' cycles are ignored), without doing it. */
export function previewPropagation(
  oldTemplate: CycleTemplate,
  newTemplate: CycleTemplate,
  cycles: readonly AccountCycle[],
  ctxFor: (cycle: AccountCycle) => PropagationContext,
): PropagationPreview {
  const edit = templateEdit(oldTemplate, newTemplate);
  const preview: PropagationPreview = {
    cyclesReached: 0,
    cyclesChanged: 0,
    cyclesCompleted: 0,
    added: 0,
    renamed: 0,
    removed: 0,
    addedDated: 0,
    addedWaiting: 0,
  };
  for (const cycle of cycles) {
    if (cycle.templateId !== newTemplate.id) continue;
    const { cycle: planned, changes, events, reached } = applyTemplateEdit(edit, cycle, ctxFor(cycle));
    if (!reached) continue;
    preview.cyclesReached += 1;
    const count = changes.added.length + changes.renamed.length + changes.removed.length;
    if (count > 0) preview.cyclesChanged += 1;
    if (events.some((e) => e.type === 'cycle-completed')) preview.cyclesCompleted += 1;
    preview.added += changes.added.length;
    preview.renamed += changes.renamed.length;
    preview.removed += changes.removed.length;
    const existing = indexCycle(cycle);
    for (const [id, { item }] of indexCycle(planned)) {
      if (existing.has(id) || item.daysDue === undefined) continue;
      if (item.dueDate === null) preview.addedWaiting += 1;
      else preview.addedDated += 1;
    }
  }
  return preview;
}

function indexCycle(cycle: AccountCycle): Map<string, IndexedItem> {
  const index = new Map<string, IndexedItem>();
  const visit = (kind: ItemKind, item: AnyCycleItem, parentId: string | null, insideCompleted: boolean): void => {
    const pinned = insideCompleted || item.completedAt !== null;
    index.set(item.id, { kind, item, parentId, pinned });
    const childKind = CHILD_KIND[kind];
    if (childKind !== null) {
      for (const child of cycleChildren(kind, item)) visit(childKind, child, item.id, pinned);
    }
  };
  for (const stage of cycle.stages) visit('stage', stage, null, false);
  return index;
}

function templateChildren(kind: ItemKind, item: AnyTemplateItem): readonly AnyTemplateItem[] {
  switch (kind) {
    case 'stage':
      return (item as TemplateStage).activities;
    case 'activity':
      return (item as TemplateActivity).tasks;
    case 'task':
      return [];
  }
}

function cycleChildren(kind: ItemKind, item: AnyCycleItem): readonly AnyCycleItem[] {
  switch (kind) {
    case 'stage':
      return (item as CycleStage).activities;
    case 'activity':
      return (item as CycleActivity).tasks;
    case 'task':
      return [];
  }
}

function withChildren(kind: ItemKind, item: AnyCycleItem, children: AnyCycleItem[]): AnyCycleItem {
  switch (kind) {
    case 'stage':
      return { ...(item as CycleStage), activities: children as CycleActivity[] };
    case 'activity':
      return { ...(item as CycleActivity), tasks: children as CycleTask[] };
    case 'task':
      return item;
  }
}

function createItem(
  kind: ItemKind,
  t: AnyTemplateItem,
  ctx: DueDateContext,
  ownersByRole: OwnersByRole | undefined,
  children: AnyCycleItem[],
): AnyCycleItem {
  switch (kind) {
    case 'stage':
      return { ...newItemState(t, 0, ctx), activities: children as CycleActivity[] };
    case 'activity':
      return { ...newItemState(t, 0, ctx), tasks: children as CycleTask[] };
    case 'task':
      return newTask(t as TemplateTask, 0, ctx, ownersByRole);
  }
}

/**
 * An open item takes the template's name, `daysDue` rule (not its date: (a)) and owner role.
 * Built field by field in the domain's order (a propagation job does this for every open item of
 * every cycle).
 */
function updateItem(kind: ItemKind, existing: AnyCycleItem, t: AnyTemplateItem, children: AnyCycleItem[]): AnyCycleItem {
  const item = { id: existing.id, name: t.name, order: existing.order } as CycleItemState;
  if (t.daysDue !== undefined) item.daysDue = copyDaysDue(t.daysDue);
  item.dueDate = existing.dueDate;
  item.dueDateReason = existing.dueDateReason;
  item.completedAt = existing.completedAt;
  switch (kind) {
    case 'stage':
      (item as CycleStage).activities = children as CycleActivity[];
      return item as CycleStage;
    case 'activity':
      (item as CycleActivity).tasks = children as CycleTask[];
      return item as CycleActivity;
    case 'task': {
      const task = item as CycleTask;
      const ownerRole = (t as TemplateTask).ownerRole;
      if (ownerRole !== undefined) task.ownerRole = ownerRole;
      const ownerId = (existing as CycleTask).ownerId;
      if (ownerId !== undefined) task.ownerId = ownerId;
      return task;
    }
  }
}

/**
 * What the merge changed, top-most items only (see the file comment), from the cycle's index (the
 * items before, in order) and one walk over the cycle after.
 */
function diff(index: ReadonlyMap<string, IndexedItem>, before: AccountCycle, after: AccountCycle, templateId: string): PropagationChanges {
  const added: ItemRef[] = [];
  const renamed: RenamedItemRef[] = [];
  if (before.name !== after.name) renamed.push({ kind: 'cycle', id: templateId, name: after.name, previousName: before.name });
  const present = new Set<string>();
  const visit = (kind: ItemKind, item: AnyCycleItem, parentId: string | null): void => {
    present.add(item.id);
    const old = index.get(item.id);
    if (old === undefined) {
      if (parentId === null || index.has(parentId)) added.push({ kind, id: item.id, name: item.name });
    } else if (old.item.name !== item.name) {
      renamed.push({ kind, id: item.id, name: item.name, previousName: old.item.name });
    }
    const childKind = CHILD_KIND[kind];
    if (childKind !== null) for (const child of cycleChildren(kind, item)) visit(childKind, child, item.id);
  };
  for (const stage of after.stages) visit('stage', stage, null);
  const removed: ItemRef[] = [];
  for (const [id, old] of index) {
    if (!present.has(id) && (old.parentId === null || present.has(old.parentId))) removed.push({ kind: old.kind, id, name: old.item.name });
  }
  return { added, renamed, removed };
}
