import { Injectable } from '@nestjs/common';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { CalendarReplica, type ResolvedCalendar } from '@lifecycle/messaging';
import { AggregateLock, Outbox } from '@lifecycle/storage';
import { AccountRepository, type AccountFacts } from '../accounts/account.repository';
import { StageEntriesRepository } from '../accounts/stage-entries.repository';
import { CycleError, CycleErrorCode, type AccountCycle, type DueDateEnvironment } from '../domain';
import {
  AccountCyclesRepository,
  type AccountCyclesRecord,
  type AccountCyclesWrite,
  type PreparedCyclesWrite,
  type StoredAccountCycles,
} from './account-cycles.repository';

/** What a change sees: the account's cycles as stored (empty before its first), its facts, the time. */
export interface CycleChangeContext {
  accountId: string;
  record: AccountCyclesRecord | undefined;
  cycles: AccountCycle[];
  account: AccountFacts | undefined;
  /** B6: what the account's due dates count from besides its cycles: subscription, calendar, stage entries. */
  dueDates: Required<DueDateEnvironment>;
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

/** What a batch caller already read (a job's pass streams the documents). */
export interface ChangeManyOptions {
  /**
   * The accounts' documents as just read, without their locks. Used where a batch write finds a
   * document changed since (`AccountCyclesRepository.batchWritesCheckVersion`): such an account is
   * then decided again through `change`. Elsewhere the documents are read again under the locks.
   */
  records?: ReadonlyMap<string, StoredAccountCycles>;
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
    private readonly lock: AggregateLock,
    private readonly cycles: AccountCyclesRepository,
    private readonly accounts: AccountRepository,
    private readonly outbox: Outbox,
    private readonly calendars: CalendarReplica,
    private readonly stageEntries: StageEntriesRepository,
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
        const [calendar, entries] = await Promise.all([this.calendars.resolve(account?.calendarKey), this.stageEntries.get(accountId)]);
        const now = new Date();
        const dueDates = environment(account, calendar, entries);
        const change = await decide({ accountId, record, cycles: record?.cycles ?? [], account, dueDates, now });
        const next = writeOf(record, account, change);
        if (next === null) return change.result;
        if (await this.cycles.write(accountId, record, next, now)) {
          if (next.events.length > 0) this.outbox.flushSoon(accountId);
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

  /**
   * The batch form of `change`, for jobs over many accounts (C10 propagation): holding the locks of
   * all the accounts, their documents (or the caller's, see `ChangeManyOptions`) and facts are read
   * (by exact `_id`), every account is decided as `change` would, one after the other (its cycles
   * decoded, decided and encoded again before the next: a batch never holds all its accounts'
   * cycles at once), and the writes go out in bulk (`AccountCyclesRepository.writeMany`). The
   * events are published without reading the documents again when their outboxes held nothing
   * else (`Outbox.flushWrittenSoon`: one producer send), the others from a fresh read
   * (`flushManySoon`); `published` waits for that. An account whose write
   * met a concurrent one, or that has no document yet, goes through `change`. Results are in the
   * order of the (distinct) ids.
   */
  async changeMany<R>(
    accountIds: readonly string[],
    decide: (ctx: CycleChangeContext) => Promise<CycleChange<R>> | CycleChange<R>,
    options: ChangeManyOptions = {},
  ): Promise<R[]> {
    const ids = [...new Set(accountIds)];
    const results = new Map<string, R>();
    const again: string[] = [];
    const known: { id: string; events: readonly AnyEnvelope[]; guard: { version: number } }[] = [];
    const unknown: string[] = [];
    const prefetched = this.cycles.batchWritesCheckVersion ? options.records : undefined;
    await this.lock.runAll(ids, async () => {
      const [records, facts, entries, calendarOf] = await Promise.all([
        prefetched ?? this.cycles.getManyStored(ids),
        this.accounts.getMany(ids),
        this.stageEntries.getMany(ids),
        this.calendars.snapshot(),
      ]);
      const now = new Date();
      const planned: { result: R; pendingEvents?: number; events: readonly AnyEnvelope[]; write: PreparedCyclesWrite }[] = [];
      for (const accountId of ids) {
        const record = records.get(accountId)?.record();
        const account = facts.get(accountId);
        const dueDates = environment(account, calendarOf(account?.calendarKey), entries.get(accountId) ?? new Map());
        const change = await decide({ accountId, record, cycles: record?.cycles ?? [], account, dueDates, now });
        const next = writeOf(record, account, change);
        if (next === null) results.set(accountId, change.result);
        else if (record === undefined) again.push(accountId);
        else {
          const write = this.cycles.prepareWrite(record, next, now);
          planned.push({ result: change.result, pendingEvents: record.pendingEvents, events: next.events, write });
        }
      }
      const conflicts = await this.cycles.writeMany(planned.map((p) => p.write));
      for (const { result, pendingEvents, events, write } of planned) {
        const { accountId } = write;
        if (conflicts.has(accountId)) {
          again.push(accountId);
          continue;
        }
        results.set(accountId, result);
        if (events.length === 0) continue;
        // Written at the version read: the outbox holds what it held then plus these events, and
        // once they are published, emptying it while the document is still as written removes them.
        if (pendingEvents === 0) known.push({ id: accountId, events, guard: { version: write.expectedVersion + 1 } });
        else unknown.push(accountId);
      }
      // Handed over under the locks (the outbox's removals take them): no flush of these
      // documents can come in between.
      this.outbox.flushWrittenSoon(known);
      this.outbox.flushManySoon(unknown);
    });
    for (const accountId of again) results.set(accountId, await this.change(accountId, decide));
    return ids.map((accountId) => results.get(accountId)!);
  }

  /** Settles when the events `changeMany` wrote for these accounts are published (or left to the outbox's retries). */
  published(accountIds: readonly string[]): Promise<void> {
    return this.outbox.whenFlushed(accountIds);
  }
}

function environment(
  account: AccountFacts | undefined,
  calendar: ResolvedCalendar,
  stageEntries: ReadonlyMap<string, Date>,
): Required<DueDateEnvironment> {
  return { subscription: account?.subscription ?? null, calendar: calendar.calendar, stageEntries };
}

/**
 * What a change writes (null: nothing). The account facts the queries use (owner, canceled) follow
 * the replica, so a change of those alone is written too.
 */
function writeOf<R>(
  record: AccountCyclesRecord | undefined,
  account: AccountFacts | undefined,
  change: CycleChange<R>,
): AccountCyclesWrite | null {
  const ownerId = account?.ownerId ?? record?.ownerId ?? null;
  const canceled = account?.canceled ?? record?.canceled ?? false;
  const factsChanged = record !== undefined && (record.ownerId !== ownerId || record.canceled !== canceled);
  if (change.cycles === null && !factsChanged) return null;
  return { cycles: change.cycles ?? record?.cycles ?? [], ownerId, canceled, events: change.events };
}
