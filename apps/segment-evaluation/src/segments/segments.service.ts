import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { buildEnvelope } from '@lifecycle/messaging';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import { canonicalCriteria, type ResolvedCriteria } from '../domain/criteria';
import { isTimeBased, referencedAttributes } from '../domain/criteria-traits';
import { resolveCriteria } from '../domain/criteria-validation';
import { ProgressBoardBuilder, type ProgressBoard } from '../domain/progress';
import { resolveSavedCriteria } from '../domain/saved-criteria';
import { SegmentError, SegmentErrorCode } from '../domain/segment-errors';
import { MembershipJobs } from '../membership/membership-jobs.service';
import { EvaluationIndexService } from '../evaluation-index/evaluation-index.service';
import type { IndexedMember } from '../evaluation-index/core/account-index';
import { AccountProjectionRepository } from '../projection/account-projection.repository';
import type {
  AccountSegmentsResponse,
  MembersPageResponse,
  PreviewResponse,
  SegmentListResponse,
  SegmentResponse,
} from './dto/segment.response';
import { SavedSegments } from './saved-segments';
import { SegmentOutbox } from './segment-outbox';
import type { SegmentDocument } from './segment.schema';
import type { SegmentChanges } from './segments.repository';
import { SegmentsRepository } from './segments.repository';
import { BusinessContexts } from '../business-context/business-contexts.service';

export const DEFAULT_PAGE_SIZE = 50;
export const DEFAULT_PREVIEW_SIZE = 20;
export const DEFAULT_ACCOUNTS_PER_STAGE = 50;

export interface CreateSegmentCommand {
  name: string;
  description?: string | null;
  criteria: unknown;
}

export type UpdateSegmentCommand = Partial<CreateSegmentCommand>;

export interface ProgressCommand {
  attribute: string;
  asOf?: Date;
  limitPerStage?: number;
}

export interface ProgressView extends Omit<ProgressBoard, 'groups'> {
  segmentId: string;
  attribute: string;
  groups: (ProgressBoard['groups'][number] & { accountIdsTruncated: boolean })[];
}

/**
 * Segments (S1–S4): criteria are validated against the catalog replica and stored canonical;
 * every read evaluates them for `now` on this instance's evaluation index (the projection in
 * columns, evaluation-index/), so counts and members never depend on a job having run.
 */
@Injectable()
export class SegmentsService {
  constructor(
    private readonly segments: SegmentsRepository,
    private readonly savedSegments: SavedSegments,
    private readonly replica: AttributeReplicaRepository,
    private readonly index: EvaluationIndexService,
    private readonly projections: AccountProjectionRepository,
    private readonly jobs: MembershipJobs,
    private readonly business: BusinessContexts,
    private readonly outbox: SegmentOutbox,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async create(command: CreateSegmentCommand): Promise<SegmentResponse> {
    const resolved = await this.resolve(command.criteria);
    const now = new Date();
    const doc: SegmentDocument = {
      _id: randomUUID(),
      name: command.name.trim(),
      description: command.description ?? null,
      ...criteriaFields(resolved),
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.segments.insert(doc, this.savedEvent(doc._id, doc.name, doc.version, now));
    this.outbox.flushSoon(doc._id);
    this.savedSegments.invalidate();
    // S5: accounts that already match enter the new segment.
    const membershipJobId = await this.jobs.segmentSaved(doc._id, doc.version);
    return { ...toView(doc), membershipJobId };
  }

  async list(page: number, pageSize: number): Promise<SegmentListResponse> {
    const { items, total } = await this.segments.page((page - 1) * pageSize, pageSize);
    return { items: items.map(toView), total, page, pageSize };
  }

  async get(id: string): Promise<SegmentResponse> {
    return toView(await this.document(id));
  }

  async update(id: string, command: UpdateSegmentCommand): Promise<SegmentResponse> {
    const changes: SegmentChanges = {};
    if (command.name !== undefined) changes.name = command.name.trim();
    if (command.description !== undefined) changes.description = command.description;
    if (command.criteria !== undefined) Object.assign(changes, criteriaFields(await this.resolve(command.criteria)));
    let updated: SegmentDocument | undefined;
    // The change applies to the version read (its event names the next one); another change first: read again.
    for (let attempt = 1; updated === undefined; attempt++) {
      const current = await this.document(id);
      const now = new Date();
      const event = this.savedEvent(id, changes.name ?? current.name, current.version + 1, now);
      updated = await this.segments.update(id, current.version, changes, now, event);
      if (updated === undefined && attempt === MAX_UPDATE_ATTEMPTS) {
        throw new SegmentError(SegmentErrorCode.ConcurrentUpdate, `Segment "${id}" kept changing while this change was applied; retry`);
      }
    }
    this.outbox.flushSoon(id);
    this.savedSegments.invalidate();
    if (command.criteria === undefined) return toView(updated);
    const membershipJobId = await this.jobs.segmentSaved(updated._id, updated.version);
    return { ...toView(updated), membershipJobId };
  }

  async delete(id: string): Promise<{ id: string; deleted: true; membershipJobId: string }> {
    if (!(await this.segments.delete(id))) throw segmentNotFound(id);
    this.savedSegments.invalidate();
    return { id, deleted: true, membershipJobId: await this.jobs.segmentDeleted(id) };
  }

  /** `segment.saved`: what other services name the segment by (a play's trigger, P1). */
  private savedEvent(segmentId: string, name: string, version: number, at: Date): AnyEnvelope {
    return buildEnvelope(this.config.serviceName, 'segment.saved', { segmentId, name, version }, { occurredAt: at }) as AnyEnvelope;
  }

  /** S3: count and first page of a criteria tree, nothing saved. */
  async preview(criteria: unknown, pageSize = DEFAULT_PREVIEW_SIZE): Promise<PreviewResponse> {
    const resolved = await this.resolve(criteria);
    const index = this.index.require();
    const now = new Date();
    const members = index.evaluate(resolved, now, await this.business.current());
    return {
      count: index.count(members),
      members: index.page(members, 0, pageSize).map(memberView),
      criteria: canonicalCriteria(resolved),
      evaluatedAt: now.toISOString(),
    };
  }

  /** S3: the members now, by account id, paged, with the total. */
  async members(id: string, page: number, pageSize: number): Promise<MembersPageResponse> {
    const resolved = await this.savedCriteria(id);
    const index = this.index.require();
    const now = new Date();
    const members = index.evaluate(resolved, now, await this.business.current());
    const items = index.page(members, (page - 1) * pageSize, pageSize);
    return { items: items.map(memberView), total: index.count(members), page, pageSize, evaluatedAt: now.toISOString() };
  }

  /**
   * S5: the saved segments the account is a member of, as live membership last decided (the
   * membership its entered / exited events announce); none for an account the projection does not know.
   */
  async ofAccount(accountId: string): Promise<AccountSegmentsResponse> {
    const projection = await this.projections.get(accountId);
    const segments = await this.segments.getMany(projection?.account.segments ?? []);
    return { accountId, segments: segments.map((s) => ({ id: s._id, name: s.name })) };
  }

  /** S4: today's members on the stages of one attribute, now or as of a past date. */
  async progress(id: string, command: ProgressCommand): Promise<ProgressView> {
    const resolved = await this.savedCriteria(id);
    const attribute = await this.replica.get(command.attribute);
    if (attribute === undefined) {
      throw new SegmentError(SegmentErrorCode.UnknownAttribute, `Unknown attribute "${command.attribute}"`, [
        { path: 'attribute', message: `no attribute "${command.attribute}" in the catalog` },
      ]);
    }
    const now = new Date();
    if (command.asOf !== undefined && command.asOf.getTime() > now.getTime()) {
      throw new SegmentError(SegmentErrorCode.InvalidAsOf, `asOf must not be after now (${now.toISOString()})`, [
        { path: 'asOf', message: 'must not be in the future' },
      ]);
    }
    const context = await this.business.current();
    const index = this.index.require();
    const limit = command.limitPerStage ?? DEFAULT_ACCOUNTS_PER_STAGE;
    const builder = new ProgressBoardBuilder(attribute.stages, now, command.asOf, limit, { attributeKey: attribute.key, context });
    const members = index.evaluate(resolved, now, context);
    // B3: an attribute with SLA stages needs each member's business fold (one by one, in id order);
    // without, the index counts the members per stage (ids, day histograms) and the builder lays
    // out the board.
    const withSla = (context.stagesOf(attribute.key) ?? []).some((s) => s.sla && !s.endStage);
    if (withSla && command.asOf === undefined) {
      for (const p of index.boardPositions(members, attribute.key, now, context))
        builder.addPosition(p.accountId, p.canceled, p.stageId, p.msInStage, p.sla);
    } else if (withSla) {
      for (const h of index.memberHistories(members, attribute.key))
        builder.addTransitions(h.accountId, h.canceled, h.transitions, h.calendarKey);
    } else {
      const tallies =
        command.asOf === undefined
          ? index.boardNow(members, attribute.key, now, limit)
          : index.boardAsOf(members, attribute.key, attribute.stages, command.asOf, limit);
      for (const group of tallies) builder.addGroup(group.stageId, group.count, group.accountIds, group.days);
    }
    const board = builder.build();
    return {
      segmentId: id,
      attribute: attribute.key,
      ...board,
      groups: board.groups.map((g) => ({ ...g, accountIdsTruncated: g.count > g.accountIds.length })),
    };
  }

  private async resolve(criteria: unknown): Promise<ResolvedCriteria> {
    return resolveCriteria(criteria, await this.replica.catalog());
  }

  private async savedCriteria(id: string): Promise<ResolvedCriteria> {
    return resolveSavedCriteria((await this.document(id)).criteria);
  }

  private async document(id: string): Promise<SegmentDocument> {
    const doc = await this.segments.get(id);
    if (doc === undefined) throw segmentNotFound(id);
    return doc;
  }
}

function criteriaFields(resolved: ResolvedCriteria): Pick<SegmentDocument, 'criteria' | 'attributes' | 'timeBased'> {
  return { criteria: canonicalCriteria(resolved), attributes: referencedAttributes(resolved), timeBased: isTimeBased(resolved) };
}

function segmentNotFound(id: string): SegmentError {
  return new SegmentError(SegmentErrorCode.SegmentNotFound, `No segment ${id}`);
}

/** How often a change is tried again when another change of the same segment got there first. */
const MAX_UPDATE_ATTEMPTS = 5;

function toView(doc: SegmentDocument): SegmentResponse {
  return {
    id: doc._id,
    name: doc.name,
    description: doc.description,
    criteria: doc.criteria,
    attributes: doc.attributes,
    timeBased: doc.timeBased,
    version: doc.version,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

function memberView(member: IndexedMember): IndexedMember {
  return {
    accountId: member.accountId,
    name: member.name,
    clientType: member.clientType,
    ownerId: member.ownerId,
    canceled: member.canceled,
  };
}
