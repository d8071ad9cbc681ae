import { forEachOpenItem, type AccountCycle } from '../domain';

/** What `account_cycles` keeps beside the encoded cycles for its queries (see the schema). */
export interface CycleQueryFields {
  activeTemplateIds: string[];
  /** The template and version of each active cycle (`templateVersionKey`): C10 finds the cycles an edit has yet to reach. */
  activeTemplateVersions: string[];
  hasOpenItems: boolean;
  nextDueDate: Date | null;
  openOwnerIds: string[];
}

/** One entry of `activeTemplateVersions`: `<templateId>@<version>` (the version is a number, so the last `@` splits it). */
export const templateVersionKey = (templateId: string, version: number): string => `${templateId}@${version}`;

/**
 * C10: whether `activeTemplateVersions` holds a cycle of `templateId` on a version below `version`
 * (an active cycle an edit to that version has yet to reach), without decoding the cycles.
 */
export function awaitsVersion(activeTemplateVersions: readonly string[], templateId: string, version: number): boolean {
  const prefix = `${templateId}@`;
  return activeTemplateVersions.some((key) => {
    if (!key.startsWith(prefix)) return false;
    const stored = key.slice(prefix.length);
    return /^\d+$/.test(stored) && Number(stored) < version;
  });
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
  const active = cycles.filter((c) => c.status === 'active');
  return {
    activeTemplateIds: [...new Set(active.map((c) => c.templateId))].sort(),
    activeTemplateVersions: [...new Set(active.map((c) => templateVersionKey(c.templateId, c.templateVersion)))].sort(),
    hasOpenItems,
    nextDueDate,
    openOwnerIds: [...owners].sort(),
  };
}
