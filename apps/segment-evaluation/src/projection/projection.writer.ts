import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { buildEnvelope, type EventOutcome } from '@lifecycle/messaging';
import { metrics } from '@lifecycle/observability';
import { AggregateLock, Outbox } from '@lifecycle/storage';
import type { ResolvedCriteria } from '../domain/criteria';
import { matches } from '../domain/criteria-matcher';
import type { MembershipChunk } from '../evaluation-index/core/account-index';
import { indexedAccountOf, type IndexedAccount } from '../evaluation-index/core/indexed-account';
import { EvaluationIndexService } from '../evaluation-index/evaluation-index.service';
import { applyVerdicts, type MembershipChange, type MembershipUpdate, type SegmentVerdict } from '../domain/membership';
import { emptyAccount, type ProjectedAccount } from '../domain/projection-updates';
import { affectedSegments } from '../domain/saved-criteria';
import { SavedSegments } from '../segments/saved-segments';
import { BusinessContexts } from '../business-context/business-contexts.service';
import { needsBusinessContext } from '../domain/criteria-traits';
import { EMPTY_BUSINESS_CONTEXT, type BusinessContext } from '../domain/business-context';
import { AccountProjectionRepository, type StoredProjection } from './account-projection.repository';
import { MembershipSettingsRepository } from './membership-settings.repository';

/** Optimistic-concurrency retries of one account's write (Kafka partitions and jobs race on it). */
const MAX_ATTEMPTS = 20;

/** Another writer kept winning the race on one account; not a rule: the consumer retries it. */
export class ProjectionContentionError extends Error {
  override readonly name = 'ProjectionContentionError';
}

export interface WriteOutcome {
  written: boolean;
  changes: MembershipChange[];
}

type Decision = { next: ProjectedAccount; verdicts: SegmentVerdict[] } | null;

/** One event's change of one account: `update` returns null when the event changes nothing. */
export interface ProjectionUpdate {
  accountId: string;
  changed: { attributeKey: string } | 'facts';
  update: (account: ProjectedAccount) => ProjectedAccount | null;
}

/** A saved segment as a job re-evaluates it; `criteria` null = the segment was deleted (its members leave). */
export interface SegmentToEvaluate {
  id: string;
  criteria: ResolvedCriteria | null;
}

/**
 * The one way an account's projection changes (S6) together with its live segment membership
 * (S5): read the document, compute the next state (pure), evaluate the affected saved segments
 * in memory (`matches`) against it, and write state, memberships and the membership events in
 * one atomic update guarded by the document's `rev`; a lost race is retried from a fresh read.
 * Every write then goes to the evaluation index (this instance's at once, the others' through
 * the index feed) before the call returns; a write the index missed (a crash between the write
 * and the feed) is sent again the next time the account is read here, even when nothing changes.
 */
@Injectable()
export class ProjectionWriter {
  private readonly membershipChanges = metrics().segmentMembershipChanges;

  constructor(
    private readonly projections: AccountProjectionRepository,
    private readonly savedSegments: SavedSegments,
    private readonly settings: MembershipSettingsRepository,
    private readonly outbox: Outbox,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly lock: AggregateLock,
    private readonly index: EvaluationIndexService,
    private readonly business: BusinessContexts,
  ) {}

  /**
   * Applies an event to the account (creating its projection on first sight). `update` returns
   * null when the event changes nothing (older facts, a change already applied).
   */
  async applyEvent(
    accountId: string,
    changed: { attributeKey: string } | 'facts',
    update: (account: ProjectedAccount) => ProjectedAccount | null,
  ): Promise<WriteOutcome> {
    const [saved, live] = await Promise.all([this.savedSegments.all(), this.settings.isLive()]);
    const context = live ? await this.contextFor(saved.map((s) => s.criteria)) : EMPTY_BUSINESS_CONTEXT;
    return this.write(accountId, true, 'soon', this.decideFor({ accountId, changed, update }, saved, live, context));
  }

  /** The next state of an account and the verdicts of the saved segments the change affects. */
  private decideFor(
    { changed, update }: ProjectionUpdate,
    saved: Awaited<ReturnType<SavedSegments['all']>>,
    live: boolean,
    context: BusinessContext,
  ): (current: ProjectedAccount, isNew: boolean, now: Date) => Decision {
    return (current, isNew, now) => {
      const next = update(current);
      if (next === null) return null;
      const segments = live ? affectedSegments(saved, isNew ? 'new-account' : changed) : [];
      return { next, verdicts: segments.map((s) => ({ segmentId: s.id, member: matches(s.criteria, next, now, context) })) };
    };
  }

  /**
   * Many events at once (a partition batch), with the rules of `applyEvent` event by event in
   * the given order per account — the same states, memberships and membership events — and the
   * I/O in bulk: one read of the accounts, one bulk write of their states with their events, one
   * outbox flush. An account whose bulk write lost a race is redone by `applyEvent`'s path from a
   * fresh read. An update that throws fails its event; the account's later events are blocked.
   */
  async applyMany(updates: readonly ProjectionUpdate[]): Promise<EventOutcome[]> {
    const outcomes: EventOutcome[] = new Array(updates.length);
    const byAccount = new Map<string, number[]>();
    updates.forEach((u, i) => {
      const indexes = byAccount.get(u.accountId);
      if (indexes === undefined) byAccount.set(u.accountId, [i]);
      else indexes.push(i);
    });
    const [saved, live] = await Promise.all([this.savedSegments.all(), this.settings.isLive()]);
    const context = live ? await this.contextFor(saved.map((s) => s.criteria)) : EMPTY_BUSINESS_CONTEXT;
    const ids = [...byAccount.keys()];
    await this.lock.runAll(ids, async () => {
      // With their outboxes: what each holds after the write is known, and is published without a read.
      const stored = new Map((await this.projections.getManyWithOutbox(ids)).map((s) => [s.account._id, s]));
      const now = new Date();
      const folds = ids.map((accountId) => {
        const before = stored.get(accountId);
        let current = before?.account ?? emptyAccount(accountId);
        let isNew = before === undefined;
        let dirty = false;
        const events: AnyEnvelope[] = [];
        let failed = false;
        for (const i of byAccount.get(accountId)!) {
          if (failed) {
            outcomes[i] = { kind: 'blocked' };
            continue;
          }
          try {
            const next = updates[i]!.update(current);
            outcomes[i] = { kind: 'applied' };
            if (next === null) continue;
            const segments = live ? affectedSegments(saved, isNew ? 'new-account' : updates[i]!.changed) : [];
            const membership = applyVerdicts(
              accountId,
              current,
              segments.map((seg) => ({ segmentId: seg.id, member: matches(seg.criteria, next, now, context) })),
            );
            if (!isNew && next === current && membership.changes.length === 0) continue;
            current = { ...next, segments: membership.segments, membershipSeq: membership.membershipSeq };
            events.push(...membership.changes.map((change) => this.envelope(accountId, change, now)));
            isNew = false;
            dirty = true;
          } catch (error) {
            outcomes[i] = { kind: 'failed', error };
            failed = true;
          }
        }
        return { accountId, before, account: current, events, dirty };
      });

      const dirty = folds.filter((f) => f.dirty);
      const written = await this.projections.writeMany(
        dirty.map((f) => ({ account: f.account, rev: f.before?.rev, outbox: f.events })),
        now,
      );
      this.outbox.flushWrittenSoon(
        dirty
          .filter((f) => f.events.length > 0 && written.has(f.accountId))
          .map((f) => ({ id: f.accountId, events: [...(f.before?.outbox ?? []), ...f.events] })),
      );
      for (const f of dirty) {
        if (!written.has(f.accountId)) continue;
        for (const e of f.events) this.membershipChanges.inc({ change: e.type === 'segment.entered' ? 'entered' : 'exited' });
      }
      await Promise.all(
        folds.map(async (f) => {
          if (!f.dirty) return this.unchanged(f.before);
          if (written.has(f.accountId)) return this.index.recordWritten(indexedAccountOf(f.account, (f.before?.rev ?? 0) + 1));
          // Lost a race: the account's events again, one by one from fresh reads.
          let failed = false;
          for (const i of byAccount.get(f.accountId)!) {
            if (outcomes[i]!.kind !== 'applied') continue;
            if (failed) {
              outcomes[i] = { kind: 'blocked' };
              continue;
            }
            try {
              await this.writeUnlocked(f.accountId, true, 'soon', this.decideFor(updates[i]!, saved, live, context));
            } catch (error) {
              outcomes[i] = { kind: 'failed', error };
              failed = true;
            }
          }
        }),
      );
    });
    return outcomes;
  }

  /**
   * Re-evaluates saved segments for one projected account (jobs). The membership events are not
   * flushed here: the job publishes them (`Outbox.flush`) batch by batch, so a large job
   * never has more publishes in flight than one batch.
   */
  async reevaluate(accountId: string, segments: readonly SegmentToEvaluate[]): Promise<WriteOutcome> {
    const context = await this.contextFor(segments.map((s) => s.criteria));
    return this.write(accountId, false, 'by-caller', (current, _isNew, now) => ({
      next: current,
      verdicts: segments.map((s) => ({ segmentId: s.id, member: s.criteria !== null && matches(s.criteria, current, now, context) })),
    }));
  }

  /** B5: the replicas' snapshot, read only when a segment has business-day or SLA conditions. */
  private contextFor(criteria: readonly (ResolvedCriteria | null)[]): Promise<BusinessContext> {
    return criteria.some((c) => c !== null && needsBusinessContext(c)) ? this.business.current() : Promise.resolve(EMPTY_BUSINESS_CONTEXT);
  }

  /**
   * A chunk of a membership job's decisions (taken from the evaluation index, S5): under the
   * locks of its accounts, one read of their membership records only (`rev`, memberships, their
   * counters, pending events: never the lifecycle state), the verdicts applied to them, and the
   * membership changes with their events in bulk updates guarded by each `rev` — the revision
   * the verdicts were evaluated on, so a decision lands only on the state it was taken for. The
   * index gets each written account's record (its state as the index holds it, the new
   * memberships). An account whose revision moved on (written since the evaluation, or a lost
   * race) is re-decided one by one from its fresh document (`reevaluate`). Returns the outcome
   * per account, what the caller publishes (the written documents with every event their
   * outboxes hold, and the revision written) and `redone` = ids re-decided one by one (their
   * events are in their outboxes).
   */
  async applyMembershipDecisions(
    chunk: MembershipChunk,
    segments: readonly SegmentToEvaluate[],
  ): Promise<{ outcomes: WriteOutcome[]; outboxes: { id: string; events: AnyEnvelope[]; rev: number }[]; redone: string[] }> {
    const ids = chunk.decisions.map((d) => d.accountId);
    const batch = await this.lock.runAll(ids, async () => {
      const stored = new Map((await this.projections.membershipsOf(ids)).map((m) => [m.accountId, m]));
      const now = new Date();
      const writes: { accountId: string; rev: number; membership: MembershipUpdate; outbox: AnyEnvelope[]; pending: AnyEnvelope[] }[] = [];
      const moved: string[] = [];
      let unchanged = 0;
      for (const { accountId, rev, verdicts } of chunk.decisions) {
        const record = stored.get(accountId);
        if (record === undefined) {
          unchanged += 1;
          continue;
        }
        if (record.rev !== rev) {
          moved.push(accountId);
          continue;
        }
        const membership = applyVerdicts(accountId, record, verdicts);
        if (membership.changes.length === 0) {
          unchanged += 1;
          continue;
        }
        writes.push({
          accountId,
          rev,
          membership,
          outbox: membership.changes.map((change) => this.envelope(accountId, change, now)),
          pending: record.outbox,
        });
      }
      const written = await this.projections.replaceMemberships(writes, now);
      const done = writes.filter((w) => written.has(w.accountId));
      const index = this.index.current();
      const records: IndexedAccount[] = [];
      for (const w of done) {
        // The index holds the state at `rev` (the decision was taken on it); a newer one it already has stays.
        const held = index.read(w.accountId);
        if (held?.rev === w.rev) records.push({ ...held, rev: w.rev + 1, segments: w.membership.segments });
      }
      await this.index.recordWrittenMany(records);
      return { done, moved: [...moved, ...writes.filter((w) => !written.has(w.accountId)).map((w) => w.accountId)], unchanged };
    });
    const outcomes: WriteOutcome[] = Array.from({ length: batch.unchanged }, () => ({ written: false, changes: [] }));
    for (const w of batch.done) {
      for (const change of w.membership.changes) this.membershipChanges.inc({ change: change.kind });
      outcomes.push({ written: true, changes: w.membership.changes });
    }
    const redone = [...batch.moved, ...chunk.moved];
    for (const id of redone) outcomes.push(await this.reevaluate(id, segments));
    const outboxes = batch.done.map((w) => ({ id: w.accountId, events: [...w.pending, ...w.outbox], rev: w.rev + 1 }));
    return { outcomes, outboxes, redone };
  }

  /**
   * Under the account's lock: the embedded engine does not apply the `rev` condition atomically, and one
   * account's events arrive on several topics (partitions) at once, beside jobs and the relay.
   */
  private write(
    accountId: string,
    create: boolean,
    flush: 'soon' | 'by-caller',
    decide: (current: ProjectedAccount, isNew: boolean, now: Date) => Decision,
  ): Promise<WriteOutcome> {
    return this.lock.run(accountId, () => this.writeUnlocked(accountId, create, flush, decide));
  }

  private async writeUnlocked(
    accountId: string,
    create: boolean,
    flush: 'soon' | 'by-caller',
    decide: (current: ProjectedAccount, isNew: boolean, now: Date) => Decision,
  ): Promise<WriteOutcome> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const stored = await this.projections.get(accountId);
      if (stored === undefined && !create) return { written: false, changes: [] };
      const current = stored?.account ?? emptyAccount(accountId);
      const now = new Date();
      const decision = decide(current, stored === undefined, now);
      if (decision === null) return this.unchanged(stored);

      const membership = applyVerdicts(accountId, current, decision.verdicts);
      if (stored !== undefined && decision.next === current && membership.changes.length === 0) return this.unchanged(stored);
      const next: ProjectedAccount = { ...decision.next, segments: membership.segments, membershipSeq: membership.membershipSeq };
      const events = membership.changes.map((change) => this.envelope(accountId, change, now));

      const written =
        stored === undefined
          ? await this.projections.insert(next, events, now)
          : await this.projections.replace(next, stored.rev, events, now);
      if (!written) continue;
      for (const change of membership.changes) this.membershipChanges.inc({ change: change.kind });
      if (events.length > 0 && flush === 'soon') this.outbox.flushSoon(accountId);
      await this.index.recordWritten(indexedAccountOf(next, stored === undefined ? 1 : stored.rev + 1));
      return { written: true, changes: membership.changes };
    }
    throw new ProjectionContentionError(`projection of ${accountId}: lost the write race ${MAX_ATTEMPTS} times`);
  }

  /** Nothing to write; the index gets the stored state if it missed it. */
  private async unchanged(stored: StoredProjection | undefined): Promise<WriteOutcome> {
    if (stored !== undefined && stored.rev > this.index.current().revOf(stored.account._id)) {
      await this.index.recordWritten(indexedAccountOf(stored.account, stored.rev));
    }
    return { written: false, changes: [] };
  }

  private envelope(accountId: string, change: MembershipChange, now: Date): AnyEnvelope {
    const type = change.kind === 'entered' ? 'segment.entered' : 'segment.exited';
    return buildEnvelope(
      this.config.serviceName,
      type,
      { segmentId: change.segmentId, accountId },
      { id: change.eventId, occurredAt: now },
    ) as AnyEnvelope;
  }
}
