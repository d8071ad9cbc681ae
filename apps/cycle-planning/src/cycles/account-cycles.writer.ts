import { Injectable } from '@nestjs/common';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { AccountRepository, type AccountFacts } from '../accounts/account.repository';
import { CycleError, CycleErrorCode, type AccountCycle } from '../domain';
import { AccountCyclesRepository, type AccountCyclesRecord } from './account-cycles.repository';
import { AccountWriteLock } from './account-write-lock';
import { CycleOutbox } from './cycle-outbox';

/** What a change sees: the account's cycles as stored (empty before its first), its facts, the time. */
export interface CycleChangeContext {
  accountId: string;
  record: AccountCyclesRecord | undefined;
  cycles: AccountCycle[];
  account: AccountFacts | undefined;
  now: Date;
}

/** What a change decides: the new cycles (null: unchanged), the events they cause, an answer. */
export interface CycleChange<R> {
  cycles: AccountCycle[] | null;
  events: AnyEnvelope[];
  result: R;
}

/** Reads a caller already made (a job reads a page of accounts at once), to spare the first ones. */
export interface ChangeOptions {
  /** The account facts to use instead of the replica's (read in a batch, or newer ones from a CRM event). */
  facts?: { value: AccountFacts | undefined };
  /** The cycles document as just read (first attempt only; a conflict reads again). */
  record?: { value: AccountCyclesRecord | undefined };
}

export const unchanged = <R>(result: R): CycleChange<R> => ({ cycles: null, events: [], result });

const MAX_ATTEMPTS = 8;

/**
 * The one way to change an account's cycles: read, decide (pure rules), write with the version
 * read, pushing the events to the outbox in the same update; on a concurrent write, read and decide
 * again. Also keeps the account facts the queries need (owner, canceled) in step with the replica.
 */
@Injectable()
export class AccountCyclesWriter {
  constructor(
    private readonly lock: AccountWriteLock,
    private readonly cycles: AccountCyclesRepository,
    private readonly accounts: AccountRepository,
    private readonly outbox: CycleOutbox,
  ) {}

  async change<R>(
    accountId: string,
    decide: (ctx: CycleChangeContext) => Promise<CycleChange<R>> | CycleChange<R>,
    options: ChangeOptions = {},
  ): Promise<R> {
    return this.lock.run(accountId, async () => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const prefetched = attempt === 1 ? options.record : undefined;
        const [record, account] = await Promise.all([
          prefetched ? prefetched.value : this.cycles.get(accountId),
          options.facts ? options.facts.value : this.accounts.get(accountId),
        ]);
        const now = new Date();
        const change = await decide({ accountId, record, cycles: record?.cycles ?? [], account, now });
        const ownerId = account?.ownerId ?? record?.ownerId ?? null;
        const canceled = account?.canceled ?? record?.canceled ?? false;
        const factsChanged = record !== undefined && (record.ownerId !== ownerId || record.canceled !== canceled);
        if (change.cycles === null && !factsChanged) return change.result;
        const next = change.cycles ?? record?.cycles ?? [];
        if (await this.cycles.write(accountId, record, { cycles: next, ownerId, canceled, events: change.events }, now)) {
          if (change.events.length > 0) this.outbox.flushSoon(accountId);
          return change.result;
        }
      }
      throw new CycleError(
        CycleErrorCode.ConcurrentUpdate,
        `The cycles of account "${accountId}" kept changing while this change was applied; retry`,
        { accountId },
      );
    });
  }
}
