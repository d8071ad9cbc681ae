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
import { concurrentUpdate } from '../domain/tracking-errors';
import { recomputedEvent, transitionEvents, type EventSubject } from './lifecycle-events';
import {
  lastEntryAt,
  LifecycleStateRepository,
  type LifecycleStateRecordForWrite,
  type LifecycleStateWrite,
} from './lifecycle-state.repository';
import { lifecycleStateId, noopKeyId, type StatusHistoryEntry } from './lifecycle-state.schema';
import { groupsByAccount } from './account-groups';
import { NoopKeysRepository } from './noop-keys.repository';
import type { SetStatusCommand } from './set-status.command';
import { AggregateLock, Outbox, type StoredOutboxEvent } from '@lifecycle/storage';

/** `applied`: written to the history; `noop`: same value (L8); `duplicate`: idempotency key seen (L12). */
export type SetStatusOutcome = 'applied' | 'noop' | 'duplicate';

export interface SetStatusResult {
  outcome: SetStatusOutcome;
  /** The history entry written, or the one the duplicate key points at. */
  changeId: string | null;
  /** The change landed before the latest one and the fold was replayed (L11). */
  recomputed: boolean;
  definition: LifecycleDefinition;
  /** The pair's fold and whole history after the command (and the others of its call). */
  state: LifecycleState;
  history: readonly StatusHistoryEntry[];
}

/** What became of one command of `executeMany`: its result, or the error it failed with. */
export type SetStatusManyOutcome = { ok: true; result: SetStatusResult } | { ok: false; error: unknown };

/** The commands of one (account, attribute) in a call, by position in the call, in call order. */
interface PairWork {
  id: string;
  accountId: string;
  attributeKey: string;
  indexes: number[];
  definition: LifecycleDefinition;
}

/** What one command became in a pair's plan. */
type CommandPlan =
  | { kind: 'apply'; entry: StatusHistoryEntry }
  | { kind: 'noop' }
  | { kind: 'duplicate'; changeId: string | null }
  | { kind: 'refused'; error: unknown };

/** A pair's commands decided against one read of its document, and the write they make. */
interface PairPlan {
  pair: PairWork;
  record: LifecycleStateRecordForWrite | undefined;
  plans: Map<number, CommandPlan>;
  /** None when no command changes anything (no-ops, duplicates, refusals). */
  write?: LifecycleStateWrite;
  late: boolean;
  /** Published events the write drops from the outbox, and the events it keeps there. */
  dropped: string[];
  kept: StoredOutboxEvent[];
}

/** Optimistic writes are planned again this often before the caller is told to retry (409 / Kafka retry). */
const MAX_ATTEMPTS = 8;
/**
 * The pairs of one call are applied as up to this many groups side by side, each with its own
 * reads and write: while one group waits for the database, the other is planned and packed. As one
 * group the service and the server work by turns (read, then plan, then write), and at paced CRM
 * rates that sequence, more than either side's CPU, sets how long a round takes: two groups lowered
 * the paced p99 in six of seven paired runs at 3 200–4 000 events/s, for a few points of a core
 * more (docs/benchmarks.md, status pipeline, 2026-12-05).
 */
const GROUPS_AT_ONCE = 2;
/** Pairs a group needs at least: a smaller one has too little planning to overlap with the other's round trips. */
const MIN_PAIRS_PER_GROUP = 8;

/**
 * The one command path (L12): REST, CSV rows and CRM events all end here, one command or many.
 *
 * Per (account, attribute), in the given order: a key already in the pair's history or among its
 * no-op keys is a duplicate (L12); otherwise L1/L8 (`decideChange`) against the state the commands
 * before it leave; an accepted change becomes a history entry, folded in (`applyChange` when it
 * lands last, else a replay that re-emits only what changed, L11). The pair's document then takes
 * the new history, the new fold and the events in ONE write conditional on the version read, so a
 * change is stored whole or not at all; a pair whose write lost a race is planned again from a
 * fresh read. Keys of no-ops are recorded after the writes.
 *
 * Many commands share the I/O: one read of the documents and of the no-op keys, one bulk write,
 * one producer call for the events — per group of accounts, two groups side by side when there
 * are enough pairs (`GROUPS_AT_ONCE`).
 */
@Injectable()
export class SetStatusUseCase {
  private readonly source: string;

  constructor(
    private readonly replica: AttributeReplicaRepository,
    private readonly noopKeys: NoopKeysRepository,
    private readonly states: LifecycleStateRepository,
    private readonly locks: AggregateLock,
    private readonly outbox: Outbox,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.source = config.serviceName;
  }

  /**
   * One command; a refusal or a lost race throws. `known.definition` lets callers pass the
   * definition they already read; it is what this method would read itself.
   */
  async execute(command: SetStatusCommand, known: { definition?: LifecycleDefinition } = {}): Promise<SetStatusResult> {
    const [outcome] = await this.executeMany([command], known.definition ? [known.definition] : []);
    if (!outcome!.ok) throw outcome!.error;
    return outcome!.result;
  }

  /**
   * Many commands at once — a CSV chunk, a partition batch of CRM events, concurrent requests —
   * each with the same rules as alone (see the class comment). A refused command (L1) fails
   * alone; the commands of a pair whose write lost every race fail with a retryable conflict.
   */
  async executeMany(commands: readonly SetStatusCommand[], known: readonly LifecycleDefinition[] = []): Promise<SetStatusManyOutcome[]> {
    const outcomes: SetStatusManyOutcome[] = new Array(commands.length);
    const definitions = new Map<string, Promise<LifecycleDefinition>>(known.map((d) => [d.key, Promise.resolve(d)]));
    const grouped = new Map<string, Omit<PairWork, 'definition'>>();
    commands.forEach((command, i) => {
      const id = lifecycleStateId(command.accountId, command.attributeKey);
      const pair = grouped.get(id) ?? { id, accountId: command.accountId, attributeKey: command.attributeKey, indexes: [] };
      pair.indexes.push(i);
      grouped.set(id, pair);
    });
    const work: PairWork[] = [];
    for (const pair of grouped.values()) {
      if (!definitions.has(pair.attributeKey)) {
        const read = this.definitionOf(pair.attributeKey);
        read.catch(() => undefined); // awaited below, per pair
        definitions.set(pair.attributeKey, read);
      }
      try {
        work.push({ ...pair, definition: await definitions.get(pair.attributeKey)! });
      } catch (error) {
        for (const i of pair.indexes) outcomes[i] = { ok: false, error };
      }
    }

    const settled = await Promise.allSettled(
      groupsByAccount(work, GROUPS_AT_ONCE, MIN_PAIRS_PER_GROUP).map((group) => this.applyPairs(group, commands, outcomes)),
    );
    // A failed group fails the call only once every group has ended: nothing of it runs on behind the caller's retry.
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    return outcomes;
  }

  /** The read → plan → write rounds of some of a call's pairs, under their locks (see `executeMany`). */
  private async applyPairs(
    work: readonly PairWork[],
    commands: readonly SetStatusCommand[],
    outcomes: SetStatusManyOutcome[],
  ): Promise<void> {
    await this.locks.runAll(
      work.map((p) => p.id),
      async () => {
        let pending = work;
        for (let attempt = 1; attempt <= MAX_ATTEMPTS && pending.length > 0; attempt++) {
          const [seenNoops, records] = await Promise.all([
            this.noopKeys.seen(pending.flatMap((p) => p.indexes.map((i) => commands[i]!))),
            this.states.getManyForWrite(pending.map((p) => p.id)),
          ]);
          const now = new Date();
          const planned = pending.map((pair) => this.plan(pair, records.get(pair.id), commands, seenNoops, now));
          const writing = planned.filter((p) => p.write !== undefined);
          const written = await this.states.writeMany(
            writing.map((p) => ({
              accountId: p.pair.accountId,
              attributeKey: p.pair.attributeKey,
              expected: p.record,
              next: p.write!,
              keep: p.dropped.length > 0 ? p.kept : undefined,
            })),
          );
          const done = planned.filter((p) => p.write === undefined || written.has(p.pair.id));
          for (const p of done) if (p.write && p.dropped.length > 0) this.outbox.removedInWrite(p.pair.id, p.dropped);
          this.publish(done);
          await this.noopKeys.remember(
            done.flatMap((p) => p.pair.indexes.filter((i) => p.plans.get(i)!.kind === 'noop').map((i) => commands[i]!)),
          );
          for (const p of done) this.settle(p, outcomes);
          pending = planned.filter((p) => !done.includes(p)).map((p) => p.pair);
        }
        for (const pair of pending) {
          const error = concurrentUpdate(pair.accountId, pair.attributeKey, MAX_ATTEMPTS);
          for (const i of pair.indexes) outcomes[i] = { ok: false, error };
        }
      },
    );
  }

  /**
   * Each write's events are published as known, without reading the documents again: at once, or
   * after the publish under way of the events the outbox kept (`Outbox.flushWrittenSoon`, which
   * reads the document instead when those are not under way here). Where the outbox keeps nothing
   * else, the removal may empty it while the document is still at the version written.
   */
  private publish(done: readonly PairPlan[]): void {
    this.outbox.flushWrittenSoon(
      done
        .filter((p) => (p.write?.events.length ?? 0) > 0)
        .map((p) => ({
          id: p.pair.id,
          events: p.write!.events,
          held: p.kept.map((e) => e.id),
          guard: p.kept.length === 0 ? { version: (p.record?.version ?? 0) + 1 } : undefined,
        })),
    );
  }

  private settle(planned: PairPlan, outcomes: SetStatusManyOutcome[]): void {
    const { pair, record, write } = planned;
    const state = write?.state ?? record?.state ?? initialLifecycleState();
    const history = write?.history ?? record?.history ?? [];
    const result = (outcome: SetStatusOutcome, changeId: string | null, recomputed = false): SetStatusManyOutcome => ({
      ok: true,
      result: { outcome, changeId, recomputed, definition: pair.definition, state, history },
    });
    for (const i of pair.indexes) {
      const plan = planned.plans.get(i)!;
      if (plan.kind === 'refused') outcomes[i] = { ok: false, error: plan.error };
      else if (plan.kind === 'noop') outcomes[i] = result('noop', null);
      else if (plan.kind === 'duplicate') outcomes[i] = result('duplicate', plan.changeId);
      else outcomes[i] = result('applied', plan.entry.changeId, planned.late);
    }
  }

  /**
   * The decisions of one pair's commands in order (L12 duplicates, L1/L8), each against the state
   * the ones before it leave, their history entries at the next positions, and the fold of them
   * all with its events (L11 when one lands before an entry already there).
   */
  private plan(
    pair: PairWork,
    record: LifecycleStateRecordForWrite | undefined,
    commands: readonly SetStatusCommand[],
    seenNoops: ReadonlySet<string>,
    now: Date,
  ): PairPlan {
    const def = pair.definition;
    const history = [...(record?.history ?? [])];
    const byKey = new Map(history.map((e) => [e.idempotencyKey, e]));
    const noops = new Set<string>();
    const plans = new Map<number, CommandPlan>();
    const fresh: StatusHistoryEntry[] = [];
    let state = record?.state ?? initialLifecycleState();
    let lastAt = lastEntryAt(history)?.getTime() ?? Number.NEGATIVE_INFINITY;
    let inOrder = true;
    const events: AnyEnvelope[] = [];
    for (const i of pair.indexes) {
      const command = commands[i]!;
      const original = byKey.get(command.idempotencyKey);
      if (original) {
        plans.set(i, { kind: 'duplicate', changeId: original.changeId });
        continue;
      }
      if (noops.has(command.idempotencyKey) || seenNoops.has(noopKeyId(pair.accountId, pair.attributeKey, command.idempotencyKey))) {
        plans.set(i, { kind: 'duplicate', changeId: null });
        continue;
      }
      let decision: ReturnType<typeof decideChange>;
      try {
        decision = decideChange(def, state, { attributeKey: command.attributeKey, stage: command.stage, at: command.at }, now);
      } catch (error) {
        plans.set(i, { kind: 'refused', error });
        continue;
      }
      if (decision.kind === 'noop') {
        noops.add(command.idempotencyKey);
        plans.set(i, { kind: 'noop' });
        continue;
      }
      const entry = this.entryOf(command, decision.to, history.length + 1);
      history.push(entry);
      fresh.push(entry);
      byKey.set(entry.idempotencyKey, entry);
      plans.set(i, { kind: 'apply', entry });
      if (inOrder && entry.at.getTime() >= lastAt) {
        // Lands last: the fold goes one step further, and its transition is the only news.
        const applied = applyChange(def.stages, state, entry);
        state = applied.state;
        if (applied.transition) events.push(...transitionEvents(this.subject(pair), applied.transition, state));
      } else {
        inOrder = false;
        state = replay(def.stages, history).state;
      }
      lastAt = Math.max(lastAt, entry.at.getTime());
    }
    // Events this process has published and not yet removed leave the outbox with this write.
    const published = this.outbox.publishedIn(pair.id);
    const outbox = record?.outbox ?? [];
    const dropped = published === undefined ? [] : outbox.filter((e) => published.has(e.id)).map((e) => e.id);
    const kept = dropped.length === 0 ? outbox : outbox.filter((e) => !published!.has(e.id));
    const base = { pair, record, plans, dropped, kept };
    if (fresh.length === 0) return { ...base, late: false };
    if (inOrder) return { ...base, late: false, write: { state, history, events } };
    const rebuilt = this.rebuild(pair, record?.history ?? [], fresh);
    return { ...base, late: rebuilt.late, write: { ...rebuilt, history } };
  }

  private entryOf(command: SetStatusCommand, to: string | null, seq: number): StatusHistoryEntry {
    return {
      changeId: randomUUID(),
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

  /** The replica's definition; an unknown key is refused naming the keys that accept values (L1). */
  async definitionOf(attributeKey: string): Promise<LifecycleDefinition> {
    const definition = await this.replica.get(attributeKey);
    if (!definition) throw attributeUnknown(attributeKey, await this.replica.activeKeys());
    return definition;
  }

  /**
   * L11: replays the old history plus the `fresh` entries and compares with the fold before:
   * transitions of fresh entries go out with their own cause, transitions of older entries that
   * changed go out again as `recomputed`, then `status.recomputed` carries the new clock when a
   * fresh entry landed before an older one.
   */
  private rebuild(
    pair: PairWork,
    old: readonly HistoryEntry[],
    fresh: readonly StatusHistoryEntry[],
  ): { state: LifecycleState; events: AnyEnvelope[]; late: boolean } {
    const def = pair.definition;
    const before = replay(def.stages, old);
    const after = replayWithStates(def.stages, [...old, ...fresh]);
    const freshIds = new Set(fresh.map((e) => e.changeId));
    const subject = this.subject(pair);
    const events: AnyEnvelope[] = diffTransitions(before.transitions, after.transitions).flatMap((t) =>
      transitionEvents(subject, t, after.stateAfter.get(t.changeId)!, freshIds.has(t.changeId) ? t.cause : 'recomputed'),
    );
    const lastOldAt = lastEntryAt(old)?.getTime() ?? Number.NEGATIVE_INFINITY;
    const late = fresh.some((e) => e.at.getTime() < lastOldAt);
    const rewritten = late || droppedTransitions(before.transitions, after.transitions).length > 0;
    if (rewritten && JSON.stringify(before.state) !== JSON.stringify(after.state)) {
      events.push(recomputedEvent(subject, fresh[fresh.length - 1]!.changeId, after.state, new Date()));
    }
    return { state: after.state, events, late };
  }

  private subject(pair: PairWork): EventSubject {
    return { source: this.source, accountId: pair.accountId, attributeKey: pair.attributeKey, definition: pair.definition };
  }
}
