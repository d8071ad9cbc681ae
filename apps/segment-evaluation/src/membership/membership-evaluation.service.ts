import { Injectable, Logger } from '@nestjs/common';
import { Outbox } from '@lifecycle/storage';
import type { MembershipPlan } from '../evaluation-index/core/account-index';
import { EvaluationIndexService } from '../evaluation-index/evaluation-index.service';
import { AccountProjectionRepository } from '../projection/account-projection.repository';
import { MembershipSettingsRepository } from '../projection/membership-settings.repository';
import { ProjectionWriter, type SegmentToEvaluate } from '../projection/projection.writer';
import { SavedSegments } from '../segments/saved-segments';
import type { EvaluateMembershipJobData, EvaluateMembershipJobResult, MembershipJobCounts } from './membership-jobs';
import { BusinessContexts } from '../business-context/business-contexts.service';
import { needsBusinessContext } from '../domain/criteria-traits';

/**
 * Accounts decided, written and published per chunk (the job's progress is saved after each):
 * one read of their membership records, bulk updates, one publish, one bulk removal from the outbox.
 */
export const MEMBERSHIP_BATCH_SIZE = 500;
/** How long a job waits for this instance's index to be ready before it is retried. */
const INDEX_WAIT_MS = 120_000;

/**
 * S5: a job decides from this instance's evaluation index: each of its segments evaluated once
 * over the columns, the candidates are the accounts whose stored membership differs from what
 * the criteria say now — matching non-members (enter) and members that no longer match (exit;
 * every member of a deleted segment). Chunk by chunk, only the membership records of the
 * candidates are read and written (memberships, counters, events in one update guarded by the
 * `rev` the decision was taken on), so a job and the live event path never disagree for long
 * and never emit twice; an account written since the evaluation is decided again from its
 * document. Events are published chunk by chunk. Resumable without a position: a retried run
 * finds only what is still to do (the index has the writes of the last one).
 */
@Injectable()
export class MembershipEvaluation {
  private readonly logger = new Logger(MembershipEvaluation.name);

  constructor(
    private readonly projections: AccountProjectionRepository,
    private readonly index: EvaluationIndexService,
    private readonly savedSegments: SavedSegments,
    private readonly writer: ProjectionWriter,
    private readonly outbox: Outbox,
    private readonly settings: MembershipSettingsRepository,
    private readonly business: BusinessContexts,
  ) {}

  async run(
    initial: EvaluateMembershipJobData,
    save: (data: EvaluateMembershipJobData) => Promise<void>,
  ): Promise<EvaluateMembershipJobResult> {
    if (initial.reason !== 'membership-resumed' && !(await this.settings.isLive())) {
      return { segments: 0, examined: 0, entered: 0, exited: 0, skipped: 'live membership is paused (projection rebuild)' };
    }
    let data = initial;
    if (data.segmentIds === null) {
      const saved = await this.savedSegments.all();
      const inScope = (s: (typeof saved)[number]): boolean =>
        data.scope === 'all' || (data.scope === 'business' ? needsBusinessContext(s.criteria) : s.timeBased);
      const segmentIds = saved.filter(inScope).map((s) => s.id);
      data = { ...data, segmentIds };
      await save(data);
    }
    const segmentIds = data.segmentIds ?? [];
    const counts: MembershipJobCounts = { examined: 0, entered: 0, exited: 0, ...data.counts };
    const segments: SegmentToEvaluate[] = [];
    for (const id of segmentIds) {
      const segment = await this.savedSegments.get(id);
      if (segment !== undefined) await this.projections.ensureAttributeIndexes(segment.attributes);
      segments.push({ id, criteria: segment?.criteria ?? null }); // deleted: nobody enters, every member leaves
    }

    if (segments.length > 0) {
      await this.index.whenReady(INDEX_WAIT_MS);
      const plan = this.index.current().membershipPlan(segments, new Date(), await this.business.current());
      await this.apply(plan, segments, counts, async () => {
        data = { ...data, counts: { ...counts } };
        await save(data);
      });
    }
    this.logger.log(
      `${data.reason}: ${segmentIds.length} segment(s), ${counts.examined} account(s) examined, ${counts.entered} entered, ${counts.exited} exited`,
    );
    return { segments: segmentIds.length, ...counts };
  }

  /**
   * Writes a plan's decisions chunk by chunk, each chunk's events published before the next
   * (one producer call: never more than one chunk of publishes in flight); `counts` grows as it
   * goes and `afterChunk` saves them.
   */
  async apply(
    plan: MembershipPlan,
    segments: readonly SegmentToEvaluate[],
    counts: MembershipJobCounts,
    afterChunk: () => Promise<void>,
  ): Promise<void> {
    for (const chunk of plan.chunks(MEMBERSHIP_BATCH_SIZE)) {
      const { outcomes, outboxes, redone } = await this.writer.applyMembershipDecisions(chunk, segments);
      for (const outcome of outcomes) {
        counts.examined += 1;
        for (const change of outcome.changes) counts[change.kind] += 1;
      }
      // A failure is left to the relay (retried by id once the broker is back).
      await Promise.all([
        this.outbox.flushWritten(outboxes.map((o) => ({ id: o.id, events: o.events, filter: { rev: o.rev } }))),
        this.outbox.flushMany(redone),
      ]).catch((e: unknown) => this.logger.warn(`publish of a chunk failed, the outbox retries: ${String(e)}`));
      await afterChunk();
    }
  }
}
