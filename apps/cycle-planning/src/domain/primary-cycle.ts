/**
 * C5, C7: an account runs several cycles at once; exactly one active cycle is primary.
 *
 * Decisions (where the rules are silent):
 * - `primary` only means something for active cycles. A completed cycle keeps the flag it had when
 *   it completed, which chaining needs ("primary if the completed one was primary", C8); a removed
 *   cycle loses it. Only active cycles can be removed.
 * - "Oldest" is by start date, then assignment time, then id, so ties are deterministic.
 */
import { assertActive } from './account-cycle';
import type { AccountCycle } from './account-cycle';
import { CycleError, CycleErrorCode } from './cycle-errors';

/** Oldest first: start date, then assignment time, then id (so ties are still deterministic). */
export function compareByAge(a: AccountCycle, b: AccountCycle): number {
  return (
    a.startDate.getTime() - b.startDate.getTime() ||
    a.assignedAt.getTime() - b.assignedAt.getTime() ||
    (a.cycleId < b.cycleId ? -1 : a.cycleId > b.cycleId ? 1 : 0)
  );
}

/**
 * C5: which active cycle should be primary now: the active primary if there still is one (so
 * removing a non-primary cycle changes nothing), else the oldest active cycle, else none.
 */
export function choosePrimaryAfterRemoval(cycles: readonly AccountCycle[]): string | null {
  const active = cycles.filter((c) => c.status === 'active').sort(compareByAge);
  return (active.find((c) => c.primary) ?? active[0] ?? null)?.cycleId ?? null;
}

export interface PrimaryChange {
  cycles: AccountCycle[];
  primaryCycleId: string | null;
  previousPrimaryCycleId: string | null;
  changed: boolean;
}

/** C5/C13: makes `cycleId` the one primary among the account's active cycles. */
export function setPrimary(cycles: readonly AccountCycle[], cycleId: string): PrimaryChange {
  assertSameAccount(cycles);
  const target = cycles.find((c) => c.cycleId === cycleId);
  if (target === undefined) {
    throw new CycleError(CycleErrorCode.CycleNotFound, `Cycle "${cycleId}" does not belong to this account`, {
      cycleId,
    });
  }
  if (target.status !== 'active') {
    throw new CycleError(CycleErrorCode.CycleNotActive, `Cycle "${target.name}" is ${target.status}; only an active cycle can be primary`, {
      cycleId,
      status: target.status,
    });
  }
  return withPrimary(cycles, cycleId);
}

/**
 * C5: removes an active cycle. If it was the primary, the oldest remaining active cycle becomes
 * primary (or none is left).
 */
export function removeCycle(cycles: readonly AccountCycle[], cycleId: string): PrimaryChange {
  assertSameAccount(cycles);
  const target = cycles.find((c) => c.cycleId === cycleId);
  if (target === undefined) {
    throw new CycleError(CycleErrorCode.CycleNotFound, `Cycle "${cycleId}" does not belong to this account`, {
      cycleId,
    });
  }
  assertActive(target);
  const remaining = cycles.map((c): AccountCycle => (c.cycleId === cycleId ? { ...c, status: 'removed', primary: false } : c));
  return withPrimary(remaining, choosePrimaryAfterRemoval(remaining), activePrimaryId(cycles));
}

function withPrimary(
  cycles: readonly AccountCycle[],
  primaryCycleId: string | null,
  previousPrimaryCycleId: string | null = activePrimaryId(cycles),
): PrimaryChange {
  const updated = cycles.map((c) => {
    if (c.status !== 'active') return c;
    const primary = c.cycleId === primaryCycleId;
    return c.primary === primary ? c : { ...c, primary };
  });
  return {
    cycles: updated,
    primaryCycleId,
    previousPrimaryCycleId,
    changed: previousPrimaryCycleId !== primaryCycleId,
  };
}

function activePrimaryId(cycles: readonly AccountCycle[]): string | null {
  return [...cycles].sort(compareByAge).find((c) => c.status === 'active' && c.primary)?.cycleId ?? null;
}

/** C7: templates available to the client type, minus those the account completed or is running. */
export function availableTemplates(clientTypeTemplates: readonly string[], accountCycles: readonly AccountCycle[]): string[] {
  const taken = new Set(accountCycles.filter((c) => c.status !== 'removed').map((c) => c.templateId));
  return [...new Set(clientTypeTemplates)].filter((templateId) => !taken.has(templateId));
}

function assertSameAccount(cycles: readonly AccountCycle[]): void {
  const accounts = new Set(cycles.map((c) => c.accountId));
  if (accounts.size > 1) {
    throw new CycleError(CycleErrorCode.MixedAccounts, 'Primary cycles are chosen per account; got cycles of several accounts', {
      accountIds: [...accounts],
    });
  }
}
