import { openItems, type AccountCycle } from '../domain';

/** What `account_cycles` keeps beside the encoded cycles for its queries (see the schema). */
export interface CycleQueryFields {
  activeTemplateIds: string[];
  hasOpenItems: boolean;
  nextDueDate: Date | null;
  openOwnerIds: string[];
}

/** Derived from the cycles and the account owner, on every write. */
export function cycleQueryFields(cycles: readonly AccountCycle[], accountOwnerId: string | null): CycleQueryFields {
  const active = cycles.filter((c) => c.status === 'active');
  // `now` only sets the rows' overdue flag, which is not used here.
  const items = openItems(active, { now: new Date(0) });
  let nextDueDate: Date | null = null;
  const owners = new Set<string>();
  for (const item of items) {
    if (item.dueDate !== null && (nextDueDate === null || item.dueDate.getTime() < nextDueDate.getTime())) nextDueDate = item.dueDate;
    if (item.kind !== 'task') continue;
    const owner = item.ownerId ?? accountOwnerId;
    if (owner !== null) owners.add(owner);
  }
  return {
    activeTemplateIds: [...new Set(active.map((c) => c.templateId))].sort(),
    hasOpenItems: items.length > 0,
    nextDueDate,
    openOwnerIds: [...owners].sort(),
  };
}
