import { forEachOpenItem, type AccountCycle } from '../domain';

/** What `account_cycles` keeps beside the encoded cycles for its queries (see the schema). */
export interface CycleQueryFields {
  activeTemplateIds: string[];
  hasOpenItems: boolean;
  nextDueDate: Date | null;
  openOwnerIds: string[];
}

/** Derived from the cycles and the account owner, on every write (one walk, no rows built). */
export function cycleQueryFields(cycles: readonly AccountCycle[], accountOwnerId: string | null): CycleQueryFields {
  let hasOpenItems = false;
  let nextDueDate: Date | null = null;
  const owners = new Set<string>();
  forEachOpenItem(cycles, (_cycle, _stage, activity, task) => {
    hasOpenItems = true;
    const dueDate = task === null ? activity.dueDate : task.dueDate;
    if (dueDate !== null && (nextDueDate === null || dueDate.getTime() < nextDueDate.getTime())) nextDueDate = dueDate;
    if (task === null) return;
    const owner = task.ownerId ?? accountOwnerId;
    if (owner !== null) owners.add(owner);
  });
  return {
    activeTemplateIds: [...new Set(cycles.filter((c) => c.status === 'active').map((c) => c.templateId))].sort(),
    hasOpenItems,
    nextDueDate,
    openOwnerIds: [...owners].sort(),
  };
}
