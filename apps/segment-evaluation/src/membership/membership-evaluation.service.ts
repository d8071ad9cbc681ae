import { Injectable, Logger } from '@nestjs/common';
import { Outbox } from '@lifecycle/storage';
import { EvaluationIndexService } from '../evaluation-index/evaluation-index.service';
import { AccountProjectionRepository } from '../projection/account-projection.repository';
import { MembershipSettingsRepository } from '../projection/membership-settings.repository';
import { ProjectionWriter, type SegmentToEvaluate } from '../projection/projection.writer';
import { SavedSegments } from '../segments/saved-segments';
import type { EvaluateMembershipJobData, EvaluateMembershipJobResult, MembershipJobCounts } from './membership-jobs';

/** Accounts re-evaluated, written and published per batch (the job's progress is saved after each). */
export const MEMBERSHIP_BATCH_SIZE = 50;
/** Accounts of a batch written at once (each under its own lock): the server's round trips overlap. */
const WRITES_IN_FLIGHT = 8;
/** How long a job waits for this instance's index to be ready before it is retried. */
const INDEX_WAIT_MS = 120_000;

/**
 * S5: the accounts whose membership may change are the ones whose stored membership differs
 * from what the job's segments say now — matching non-members (enter) and members that no
 * longer match (exit; every member of a deleted segment) — read from this instance's evaluation
 * index in one evaluation per segment. Each candidate is re-checked in memory against its fresh
 * projection under its lock and written like any other projection update (state + memberships +
 * events in one atomic update), so a job and the live event path never disagree for long and
 * never emit twice; its events are published batch by batch. Resumable without a position: a
 * retried run finds only what is still to do (the index has the writes of the last one).
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
      const segmentIds = saved.filter((s) => data.scope === 'all' || s.timeBased).map((s) => s.id);
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
      const candidates = this.index.current().membershipCandidates(segments, new Date());
      for (let start = 0; start < candidates.length; start += MEMBERSHIP_BATCH_SIZE) {
        const ids = candidates.slice(start, start + MEMBERSHIP_BATCH_SIZE);
        const changed: string[] = [];
        await inParallel(ids, WRITES_IN_FLIGHT, async (accountId) => {
          const outcome = await this.writer.reevaluate(accountId, segments);
          counts.examined += 1;
          for (const change of outcome.changes) counts[change.kind] += 1;
          if (outcome.changes.length > 0) changed.push(accountId);
        });
        // Published before the next batch: never more than one batch of publishes in flight. After
        // a failure the rest is handed to the relay (its publishes fail fast and are retried by id
        // once the broker is back) rather than waited for one by one.
        let failed = false;
        await inParallel(changed, WRITES_IN_FLIGHT, async (accountId) => {
          if (failed) this.outbox.flushSoon(accountId);
          else
            await this.outbox.flush(accountId).catch(() => {
              failed = true;
            });
        });
        data = { ...data, counts: { ...counts } };
        await save(data);
      }
    }
    this.logger.log(
      `${data.reason}: ${segmentIds.length} segment(s), ${counts.examined} account(s) examined, ${counts.entered} entered, ${counts.exited} exited`,
    );
    return { segments: segmentIds.length, ...counts };
  }
}

/** Runs `work` for every item, at most `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
