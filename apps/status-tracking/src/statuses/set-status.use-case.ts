import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import type { AnyEnvelope } from '@lifecycle/contracts';
import {
  applyChange,
  diffTransitions,
  droppedTransitions,
  initialLifecycleState,
  replay,
  replayWithStates,
  type HistoryEntry,
  type LifecycleState,
} from '@lifecycle/rules';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import type { LifecycleDefinition } from '../domain/lifecycle-definition';
import { attributeUnknown } from '../domain/lifecycle-errors';
import { decideChange } from '../domain/status-command';
import { concurrentUpdate, isRefusal } from '../domain/tracking-errors';
import { recomputedEvent, transitionEvents, type EventSubject } from './lifecycle-events';
import { LifecycleStateRepository, type LifecycleStateRecord, type LifecycleStateWrite } from './lifecycle-state.repository';
import { lifecycleStateId, type FoldedChange } from './lifecycle-state.schema';
import type { SetStatusCommand } from './set-status.command';
import { StatusHistoryRepository, toStatusChange } from './status-history.repository';
import { historySlotId, type StatusHistoryDocument } from './status-history.schema';
import { AggregateLock, Outbox } from '@lifecycle/storage';

/** `applied`: written to the history; `noop`: same value (L8); `duplicate`: idempotency key seen (L12). */
export type SetStatusOutcome = 'applied' | 'noop' | 'duplicate';

export interface SetStatusResult {
  outcome: SetStatusOutcome;
  /** The history entry written, or the one the duplicate key points at. */
  changeId: string | null;
  /** The change landed before the latest one and the fold was replayed (L11). */
  recomputed: boolean;
  definition: LifecycleDefinition;
  state: LifecycleState;
}

/**
 * What became of one command of `executeMany`: its result, the error it failed with, or
 * `blocked`: an earlier command of the same (account, attribute) failed for a reason other than
 * a refusal, so this one was not attempted (commands of a pair apply in order).
 */
export type SetStatusManyOutcome = { ok: true; result: SetStatusResult } | { ok: false; error: unknown } | { ok: false; blocked: true };

/** The commands of one (account, attribute) in a batch, and where they stand in it. */
interface PairWork {
  id: string;
  accountId: string;
  attributeKey: string;
  /** Positions in the batch, in batch order. */
  indexes: number[];
  definition?: LifecycleDefinition;
  record?: LifecycleStateRecord;
  entries: StatusHistoryDocument[];
  /** What each command became, by position; `apply` ones point at their entry. */
  plans: Map<number, { kind: 'apply'; entry: StatusHistoryDocument } | { kind: 'noop' } | { kind: 'refused'; error: unknown }>;
  write?: LifecycleStateWrite;
  late: boolean;
  /** Not done in bulk: redone one command at a time by the proven path (duplicates, races, leftovers). */
  oneByOne: boolean;
}

/** Optimistic writes retried this often before the caller is told to retry (409 / Kafka retry). */
const MAX_ATTEMPTS = 8;

interface FoldedIn {
  state: LifecycleState;
  recomputed: boolean;
}

/**
 * The one command path (L12): REST, CSV rows and CRM events all end here.
 *
 * 1. L1/L8 (`decideChange`) against the replica's definition and the current state;
 * 2. append the history entry at the next slot (unique slot, unique idempotency key);
 * 3. fold it in: `applyChange` when it lands last, else replay the folded changes plus the new
 *    one and re-emit only what changed (L11); write the state with its version and push the
 *    events to the outbox in the same update.
 *
 * Multi-document transactions are not used (not every engine has them), so step 3 can be lost to a crash after step 2.
 * The entry then holds the slot the state would give the next writer, who finds it taken and
 * folds it in first (`reconcile`); a redelivered event, retried request or re-uploaded row finds
 * its own entry by key and does the same; a no-op decision first checks that slot is free.
 */
@Injectable()
export class SetStatusUseCase {
  private readonly source: string;

  constructor(
    private readonly replica: AttributeReplicaRepository,
    private readonly history: StatusHistoryRepository,
    private readonly states: LifecycleStateRepository,
    private readonly locks: AggregateLock,
    private readonly outbox: Outbox,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.source = config.serviceName;
  }

  /**
   * `known.definition` lets batch callers (CSV chunks) pass the definition they read once for many
   * rows; it is what this method would read itself.
   */
  async execute(command: SetStatusCommand, known: { definition?: LifecycleDefinition } = {}): Promise<SetStatusResult> {
    const definition = known.definition ?? (await this.definitionOf(command.attributeKey));
    // One writer per state document in this process (see AggregateLock).
    return this.locks.run(lifecycleStateId(command.accountId, command.attributeKey), () => this.executeLocked(command, definition));
  }

  /** `execute` for a caller that holds the pair's lock. */
  private async executeLocked(command: SetStatusCommand, definition: LifecycleDefinition): Promise<SetStatusResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await this.attempt(command, definition, attempt);
      if (result) return result;
    }
    throw concurrentUpdate(command.accountId, command.attributeKey, MAX_ATTEMPTS);
  }

  /**
   * Many commands at once — a CSV chunk, a partition batch of CRM events, concurrent requests —
   * with the same rules as `execute`, command by command in the given order per (account,
   * attribute), and the I/O in bulk: one read of the idempotency keys, one of the states, the
   * history entries and their keys inserted together, the states written together, their events
   * published in one producer call. A pair whose bulk write meets anything unusual (a key seen
   * before, a lost race, an entry a crash left) is redone by `execute`'s path, which handles
   * each case; a refused command (L1) fails alone.
   */
  async executeMany(commands: readonly SetStatusCommand[]): Promise<SetStatusManyOutcome[]> {
    const outcomes: SetStatusManyOutcome[] = new Array(commands.length);
    const pairs = new Map<string, PairWork>();
    commands.forEach((command, i) => {
      const id = lifecycleStateId(command.accountId, command.attributeKey);
      const pair: PairWork = pairs.get(id) ?? {
        id,
        accountId: command.accountId,
        attributeKey: command.attributeKey,
        indexes: [],
        entries: [],
        plans: new Map(),
        late: false,
        oneByOne: false,
      };
      pair.indexes.push(i);
      pairs.set(id, pair);
    });
    const definitions = new Map<string, Promise<LifecycleDefinition>>();
    for (const pair of pairs.values()) {
      if (!definitions.has(pair.attributeKey)) {
        const read = this.definitionOf(pair.attributeKey);
        read.catch(() => undefined); // awaited below, per pair
        definitions.set(pair.attributeKey, read);
      }
      try {
        pair.definition = await definitions.get(pair.attributeKey)!;
      } catch (error) {
        for (const i of pair.indexes) outcomes[i] = { ok: false, error };
      }
    }
    const work = [...pairs.values()].filter((p) => p.definition !== undefined);

    await this.locks.runAll(
      work.map((p) => p.id),
      async () => {
        const [seenKeys, records] = await Promise.all([
          this.history.keysOf(work.flatMap((p) => p.indexes.map((i) => commands[i]!.idempotencyKey))),
          this.states.getManyForWrite(work.map((p) => p.id)),
        ]);
        const now = new Date();
        for (const pair of work) {
          pair.record = records.get(pair.id);
          if (pair.indexes.some((i) => seenKeys.has(commands[i]!.idempotencyKey))) pair.oneByOne = true;
          else this.plan(pair, commands, now);
        }
        // A no-op decided on a state a crash left behind its history would be wrong: such a
        // pair has an entry in the slot after the folded ones.
        const withNoop = work.filter((p) => !p.oneByOne && [...p.plans.values()].some((plan) => plan.kind === 'noop'));
        const leftovers = await this.history.takenSlots(
          withNoop.map((p) => historySlotId(p.accountId, p.attributeKey, (p.record?.historyCount ?? 0) + 1)),
        );
        for (const pair of withNoop) {
          if (leftovers.has(historySlotId(pair.accountId, pair.attributeKey, (pair.record?.historyCount ?? 0) + 1))) pair.oneByOne = true;
          // Where several instances write, a no-op may be another instance's applied twin of the
          // same request; `execute`'s path tells the two apart (`appliedUnder`).
          if (this.history.severalWriters) pair.oneByOne = true;
        }

        const bulk = work.filter((p) => !p.oneByOne);
        const inserted = await this.history.insertMany(bulk.flatMap((p) => p.entries));
        await this.history.rememberNoops(
          bulk.flatMap((p) => p.indexes.filter((i) => p.plans.get(i)?.kind === 'noop').map((i) => commands[i]!)),
        );
        for (const pair of bulk) if (pair.entries.some((e) => !inserted.has(e._id))) pair.oneByOne = true;
        const writable = bulk.filter((p) => !p.oneByOne && p.write !== undefined);
        const written = await this.states.writeMany(
          writable.map((p) => ({ accountId: p.accountId, attributeKey: p.attributeKey, expected: p.record, next: p.write! })),
        );
        for (const pair of writable) if (!written.has(pair.id)) pair.oneByOne = true;
        // A state whose outbox was empty when read holds just this write's events: they are
        // published as known, without reading the documents again. Others (a publish under way or
        // failed) are flushed from a fresh read, after any flush under way.
        const published = writable.filter((p) => written.has(p.id) && p.write!.events.length > 0);
        const known = new Set(published.filter((p) => records.get(p.id)?.outboxEmpty ?? true));
        this.outbox.flushWrittenSoon([...known].map((p) => ({ id: p.id, events: p.write!.events })));
        this.outbox.flushManySoon(published.filter((p) => !known.has(p)).map((p) => p.id));

        for (const pair of work) {
          if (pair.oneByOne) {
            // In batch order, under the pair's lock already held; a failure that is not a refusal
            // holds back the pair's later commands.
            let blocked = false;
            for (const i of pair.indexes) {
              if (blocked) {
                outcomes[i] = { ok: false, blocked: true };
                continue;
              }
              const outcome = await this.settle(() => this.executeLocked(commands[i]!, pair.definition!));
              outcomes[i] = this.ownedChange(outcome, inserted, pair);
              if (!outcome.ok && 'error' in outcome && !isRefusal(outcome.error)) blocked = true;
            }
            continue;
          }
          const state = pair.write?.state ?? pair.record?.state ?? initialLifecycleState();
          for (const i of pair.indexes) {
            const plan = pair.plans.get(i)!;
            if (plan.kind === 'refused') outcomes[i] = { ok: false, error: plan.error };
            else if (plan.kind === 'noop')
              outcomes[i] = {
                ok: true,
                result: { outcome: 'noop', changeId: null, recomputed: false, definition: pair.definition!, state },
              };
            else
              outcomes[i] = {
                ok: true,
                result: { outcome: 'applied', changeId: plan.entry.changeId, recomputed: pair.late, definition: pair.definition!, state },
              };
          }
        }
      },
    );
    return outcomes;
  }

  /**
   * The decisions (L1/L8) of one pair's commands in order, each against the state the ones before
   * it leave, their history entries at the next slots, and the fold of them all (L11 when one
   * lands before an entry already there).
   */
  private plan(pair: PairWork, commands: readonly SetStatusCommand[], now: Date): void {
    const def = pair.definition!;
    let state = pair.record?.state ?? initialLifecycleState();
    let seq = pair.record?.historyCount ?? 0;
    let lastAt = pair.record?.lastEntryAt?.getTime() ?? Number.NEGATIVE_INFINITY;
    const folded: HistoryEntry[] = [...(pair.record?.changes ?? [])];
    for (const i of pair.indexes) {
      const command = commands[i]!;
      let decision: ReturnType<typeof decideChange>;
      try {
        decision = decideChange(def, state, { attributeKey: command.attributeKey, stage: command.stage, at: command.at }, now);
      } catch (error) {
        pair.plans.set(i, { kind: 'refused', error });
        continue;
      }
      if (decision.kind === 'noop') {
        pair.plans.set(i, { kind: 'noop' });
        continue;
      }
      seq++;
      const entry = this.entryOf(command, decision.to, seq);
      pair.entries.push(entry);
      pair.plans.set(i, { kind: 'apply', entry });
      const change = toStatusChange(entry);
      folded.push(change);
      if (entry.at.getTime() >= lastAt) state = applyChange(def.stages, state, change).state;
      else state = replay(def.stages, folded).state;
      lastAt = Math.max(lastAt, entry.at.getTime());
    }
    if (pair.entries.length === 0) return;
    const rebuilt = this.rebuild(def, pair.accountId, pair.attributeKey, pair.record, pair.entries);
    pair.write = rebuilt.write;
    pair.late = rebuilt.late;
  }

  private entryOf(command: SetStatusCommand, to: string | null, seq: number): StatusHistoryDocument {
    return {
      _id: historySlotId(command.accountId, command.attributeKey, seq),
      changeId: randomUUID(),
      accountId: command.accountId,
      attributeKey: command.attributeKey,
      seq,
      to,
      at: command.at,
      source: command.source,
      actor: command.actor,
      requestId: command.requestId,
      idempotencyKey: command.idempotencyKey,
      recordedAt: new Date(),
    };
  }

  private async settle(run: () => Promise<SetStatusResult>): Promise<SetStatusManyOutcome> {
    try {
      return { ok: true, result: await run() };
    } catch (error) {
      return { ok: false, error };
    }
  }

  /**
   * A pair redone one by one may find its own bulk-inserted entry folded in by another instance
   * (which took it for a crash's leftover): the key then points at this run's change, which this
   * run applied, so the answer is `applied`, not `duplicate`.
   */
  private ownedChange(outcome: SetStatusManyOutcome, inserted: ReadonlySet<string>, pair: PairWork): SetStatusManyOutcome {
    if (!outcome.ok || outcome.result.outcome !== 'duplicate' || outcome.result.changeId === null) return outcome;
    const own = pair.entries.some((e) => inserted.has(e._id) && e.changeId === outcome.result.changeId);
    return own ? { ok: true, result: { ...outcome.result, outcome: 'applied' } } : outcome;
  }

  /** The replica's definition; an unknown key is refused naming the keys that accept values (L1). */
  async definitionOf(attributeKey: string): Promise<LifecycleDefinition> {
    const definition = await this.replica.get(attributeKey);
    if (!definition) throw attributeUnknown(attributeKey, await this.replica.activeKeys());
    return definition;
  }

  /** Folds in history entries a crash left behind, if any; idempotent. The caller holds the pair's lock. */
  private async reconcile(accountId: string, attributeKey: string, def: LifecycleDefinition): Promise<LifecycleState> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const record = await this.states.get(accountId, attributeKey);
      const fresh = await this.history.slotsFrom(accountId, attributeKey, (record?.historyCount ?? 0) + 1);
      if (fresh.length === 0) return record?.state ?? initialLifecycleState();
      const rebuilt = this.rebuild(def, accountId, attributeKey, record, fresh);
      if (await this.write(accountId, attributeKey, record, rebuilt.write)) return rebuilt.write.state;
    }
    throw concurrentUpdate(accountId, attributeKey, MAX_ATTEMPTS);
  }

  /** One try; null = lost a race or repaired a leftover: try again with fresh reads. */
  private async attempt(command: SetStatusCommand, def: LifecycleDefinition, attempt: number): Promise<SetStatusResult | null> {
    const { accountId, attributeKey } = command;
    const original = await this.history.findByIdempotencyKey(command.idempotencyKey);
    if (original === 'noop') {
      const record = await this.states.get(accountId, attributeKey);
      return { outcome: 'duplicate', changeId: null, recomputed: false, definition: def, state: record?.state ?? initialLifecycleState() };
    }
    if (original) return this.acknowledgeDuplicate(def, original);

    const record = await this.states.get(accountId, attributeKey);
    const decision = decideChange(def, record?.state, { attributeKey, stage: command.stage, at: command.at }, new Date());
    const seq = (record?.historyCount ?? 0) + 1;

    if (decision.kind === 'noop') {
      // The state may lag behind an entry a crash left unfolded, and then the decision was made
      // on the wrong state: fold it in and decide again.
      if (await this.history.slot(accountId, attributeKey, seq)) {
        await this.reconcile(accountId, attributeKey, def);
        return null;
      }
      // Another instance may have applied this very request after the key lookup above (the lock
      // serializes one process only), and the state read may already show it: a duplicate, not
      // a no-op.
      const applied = await this.history.appliedUnder(command.idempotencyKey);
      if (applied === 'noop')
        return {
          outcome: 'duplicate',
          changeId: null,
          recomputed: false,
          definition: def,
          state: record?.state ?? initialLifecycleState(),
        };
      if (applied) return this.acknowledgeDuplicate(def, applied);
      await this.history.rememberNoops([command]);
      return { outcome: 'noop', changeId: null, recomputed: false, definition: def, state: record?.state ?? initialLifecycleState() };
    }

    const entry = this.entryOf(command, decision.to, seq);
    const inserted = await this.history.insert(entry);
    if (inserted === 'slot-taken') {
      await this.reconcile(accountId, attributeKey, def);
      return null;
    }
    if (inserted === 'duplicate') {
      // A twin with the same key got in first; its key record may lag a moment behind its entry.
      if (attempt >= MAX_ATTEMPTS / 2) {
        const twin = await this.history.recoverKey(command.idempotencyKey);
        if (twin) return this.acknowledgeDuplicate(def, twin);
      }
      return null;
    }
    const folded = await this.foldIn(def, entry, record);
    return { outcome: 'applied', changeId: entry.changeId, recomputed: folded.recomputed, definition: def, state: folded.state };
  }

  private async acknowledgeDuplicate(def: LifecycleDefinition, original: StatusHistoryDocument): Promise<SetStatusResult> {
    const record = await this.states.get(original.accountId, original.attributeKey);
    // The first delivery may have crashed between its history entry and its state write.
    const state =
      (record?.historyCount ?? 0) < original.seq
        ? await this.reconcile(original.accountId, original.attributeKey, def)
        : (record?.state ?? initialLifecycleState());
    return { outcome: 'duplicate', changeId: original.changeId, recomputed: false, definition: def, state };
  }

  /** Step 3: folds the entry just appended into the state (retrying lost version races). */
  private async foldIn(def: LifecycleDefinition, entry: StatusHistoryDocument, known: LifecycleStateRecord | undefined): Promise<FoldedIn> {
    const { accountId, attributeKey } = entry;
    let record = known;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (attempt > 1) record = await this.states.get(accountId, attributeKey);
      const folded = record?.historyCount ?? 0;
      // Someone's reconcile already folded it in (and emitted its events).
      if (record && folded >= entry.seq) return { state: record.state, recomputed: false };

      const landsLast = folded === entry.seq - 1 && (record?.lastEntryAt == null || entry.at.getTime() >= record.lastEntryAt.getTime());
      if (landsLast) {
        const change = toStatusChange(entry);
        const { state, transition } = applyChange(def.stages, record?.state ?? initialLifecycleState(), change);
        const write: LifecycleStateWrite = {
          state,
          historyCount: entry.seq,
          lastEntryAt: entry.at,
          changes: [...(record?.changes ?? []), toFolded(change)],
          events: transition ? transitionEvents(this.subject(def, accountId, attributeKey), transition, state) : [],
        };
        if (await this.write(accountId, attributeKey, record, write)) return { state, recomputed: false };
        continue;
      }

      // L11: a late or backdated change (or leftovers of a crash): replay.
      const fresh = await this.history.slotsFrom(accountId, attributeKey, folded + 1);
      const rebuilt = this.rebuild(def, accountId, attributeKey, record, fresh);
      if (await this.write(accountId, attributeKey, record, rebuilt.write)) return { state: rebuilt.write.state, recomputed: rebuilt.late };
    }
    throw concurrentUpdate(accountId, attributeKey, MAX_ATTEMPTS);
  }

  /**
   * L11: replays the folded changes plus the `fresh` ones and compares with the fold before:
   * transitions of fresh entries go out with their own cause, transitions of older entries that
   * changed go out again as `recomputed`, then `status.recomputed` carries the new clock when a
   * fresh entry landed before an older one.
   */
  private rebuild(
    def: LifecycleDefinition,
    accountId: string,
    attributeKey: string,
    record: LifecycleStateRecord | undefined,
    fresh: readonly StatusHistoryDocument[],
  ): { write: LifecycleStateWrite; late: boolean } {
    const old = record?.changes ?? [];
    const all: HistoryEntry[] = [...old, ...fresh.map(toStatusChange)];
    const before = replay(def.stages, old);
    const after = replayWithStates(def.stages, all);
    const freshIds = new Set(fresh.map((e) => e.changeId));
    const subject = this.subject(def, accountId, attributeKey);
    const events: AnyEnvelope[] = diffTransitions(before.transitions, after.transitions).flatMap((t) =>
      transitionEvents(subject, t, after.stateAfter.get(t.changeId)!, freshIds.has(t.changeId) ? t.cause : 'recomputed'),
    );

    const lastOldAt = record?.lastEntryAt?.getTime() ?? Number.NEGATIVE_INFINITY;
    const late = fresh.some((e) => e.at.getTime() < lastOldAt);
    const rewritten = late || droppedTransitions(before.transitions, after.transitions).length > 0;
    if (rewritten && JSON.stringify(before.state) !== JSON.stringify(after.state)) {
      events.push(recomputedEvent(subject, fresh[fresh.length - 1]!.changeId, after.state, new Date()));
    }

    return {
      late,
      write: {
        state: after.state,
        historyCount: Math.max(...all.map((c) => c.seq)),
        lastEntryAt: new Date(Math.max(...all.map((c) => c.at.getTime()))),
        changes: all.map(toFolded),
        events,
      },
    };
  }

  private async write(
    accountId: string,
    attributeKey: string,
    record: LifecycleStateRecord | undefined,
    write: LifecycleStateWrite,
  ): Promise<boolean> {
    const written = await this.states.write(accountId, attributeKey, record, write);
    if (written && write.events.length > 0) this.outbox.flushSoon(lifecycleStateId(accountId, attributeKey));
    return written;
  }

  private subject(definition: LifecycleDefinition, accountId: string, attributeKey: string): EventSubject {
    return { source: this.source, accountId, attributeKey, definition };
  }
}

function toFolded(change: HistoryEntry): FoldedChange {
  return { changeId: change.changeId, seq: change.seq, to: change.to, at: change.at };
}
