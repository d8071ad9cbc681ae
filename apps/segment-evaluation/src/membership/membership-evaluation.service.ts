import { Injectable, Logger } from '@nestjs/common';
import { compileCriteria, type MongoFilter } from '../domain/criteria-compiler';
import type { SavedSegment } from '../domain/saved-criteria';
import { PROJECTION_COMPILE_OPTIONS } from '../projection/account-projection.schema';
import { AccountProjectionRepository } from '../projection/account-projection.repository';
import { MembershipSettingsRepository } from '../projection/membership-settings.repository';
import { ProjectionWriter } from '../projection/projection-writer';
import { SavedSegments } from '../segments/saved-segments';
import type {
  EvaluateMembershipJobData,
  EvaluateMembershipJobResult,
  MembershipJobCounts,
  MembershipJobPosition,
} from './membership-jobs';

export const MEMBERSHIP_BATCH_SIZE = 500;

/**
 * S5 in batches: for each segment of a job, the compiled query finds the accounts that match and
 * are not members yet (`enter`), then the members that no longer match (`exit`), by `_id` from
 * a cursor. Each candidate is re-checked in memory against its fresh projection and written like
 * any other projection update (state + memberships + events in one atomic update), so a job and
 * the live event path never disagree for long and never emit twice. The position is saved after
 * every batch: a retried job resumes where it stopped.
 */
@Injectable()
export class MembershipEvaluation {
  private readonly logger = new Logger(MembershipEvaluation.name);

  constructor(
    private readonly projections: AccountProjectionRepository,
    private readonly savedSegments: SavedSegments,
    private readonly writer: ProjectionWriter,
    private readonly settings: MembershipSettingsRepository,
  ) {}

  async run(initial: EvaluateMembershipJobData, save: (data: EvaluateMembershipJobData) => Promise<void>): Promise<EvaluateMembershipJobResult> {
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
    let position: MembershipJobPosition = data.position ?? { index: 0, phase: 'enter', cursor: null };

    while (position.index < segmentIds.length) {
      const segmentId = segmentIds[position.index] ?? '';
      const segment = await this.savedSegments.get(segmentId);
      if (segment === undefined && position.phase === 'enter') {
        position = nextPosition(position); // deleted: nobody enters, every member leaves
        continue;
      }
      if (segment !== undefined && position.phase === 'enter' && position.cursor === null) {
        await this.projections.ensureAttributeIndexes(segment.attributes);
      }
      for (;;) {
        const ids = await this.projections.idsAfter(this.candidates(segmentId, segment, position.phase), position.cursor, MEMBERSHIP_BATCH_SIZE);
        for (const accountId of ids) {
          const outcome = await this.writer.reevaluate(accountId, segmentId, segment?.criteria ?? null);
          counts.examined += 1;
          for (const change of outcome.changes) counts[change.kind] += 1;
        }
        const last = ids[ids.length - 1];
        const done = ids.length < MEMBERSHIP_BATCH_SIZE || last === undefined;
        position = done ? nextPosition(position) : { ...position, cursor: last };
        data = { ...data, position, counts: { ...counts } };
        await save(data);
        if (done) break;
      }
    }
    this.logger.log(`${data.reason}: ${segmentIds.length} segment(s), ${counts.examined} account(s) examined, ${counts.entered} entered, ${counts.exited} exited`);
    return { segments: segmentIds.length, ...counts };
  }

  /** `enter`: matching non-members; `exit`: members that do not match (all of them for a deleted segment). */
  private candidates(segmentId: string, segment: SavedSegment | undefined, phase: MembershipJobPosition['phase']): MongoFilter {
    if (segment === undefined) return { segments: { $eq: segmentId } };
    const matching = compileCriteria(segment.criteria, new Date(), PROJECTION_COMPILE_OPTIONS);
    return phase === 'enter'
      ? { $and: [matching, { segments: { $nin: [segmentId] } }] }
      : { $and: [{ segments: { $eq: segmentId } }, { $nor: [matching] }] };
  }
}

function nextPosition(position: MembershipJobPosition): MembershipJobPosition {
  return position.phase === 'enter' ? { index: position.index, phase: 'exit', cursor: null } : { index: position.index + 1, phase: 'enter', cursor: null };
}
