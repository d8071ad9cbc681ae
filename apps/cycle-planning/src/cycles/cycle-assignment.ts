import { randomUUID } from 'node:crypto';
import { instantiateCycle, type AccountCycle, type CycleTemplate, type DueDateEnvironment, type OwnersByRole } from '../domain';
import type { AccountFacts } from '../accounts/account.repository';

/**
 * Task owners of a new cycle: a template task's `ownerRole: "csm"` goes to the account's owner
 * (the CRM's `ownerId` is the account's CSM). Tasks without a role have no owner of their own; the
 * tasks view counts them as the account owner's (C9).
 */
export function ownersByRoleOf(account: AccountFacts | undefined): OwnersByRole | undefined {
  return account?.ownerId ? { csm: account.ownerId } : undefined;
}

/** C4: a new cycle of `template` for the account, due dates computed now (primary set later). */
export function newCycle(
  template: CycleTemplate,
  accountId: string,
  account: AccountFacts | undefined,
  startDate: Date,
  now: Date,
  dueDates: DueDateEnvironment = { subscription: account?.subscription ?? null },
  cycleId: string = randomUUID(),
): AccountCycle {
  return instantiateCycle(template, {
    cycleId,
    accountId,
    startDate,
    assignedAt: now,
    subscription: account?.subscription ?? null,
    primary: false,
    ownersByRole: ownersByRoleOf(account),
    ...(dueDates.calendar === undefined ? {} : { calendar: dueDates.calendar }),
    ...(dueDates.stageEntries === undefined ? {} : { stageEntries: dueDates.stageEntries }),
  });
}
