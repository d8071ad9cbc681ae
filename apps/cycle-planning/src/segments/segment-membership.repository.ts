import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { ensureIndexes, isDuplicateKeyError, Storage } from '@lifecycle/storage';

/**
 * `segment_members`: a replica of saved-segment membership from `segment.membership` (C13 bulk
 * primary by segment), never read from the segment service's database (S6). One document per
 * (segment, account) that was ever a member, `member` = its latest state, `at` = the event time of
 * that state (an older event never overwrites a newer one). `_id` = `<segmentId>/<accountId>`:
 * account ids hold no "/", so the id is unambiguous.
 */
export const SEGMENT_MEMBER_COLLECTION = 'segment_members';

interface SegmentMemberDocument {
  _id: string;
  segmentId: string;
  accountId: string;
  member: boolean;
  at: Date;
}

@Injectable()
export class SegmentMembershipRepository implements OnModuleInit {
  private readonly collection: Collection<SegmentMemberDocument>;

  constructor(private readonly storage: Storage) {
    this.collection = storage.collection<SegmentMemberDocument>(SEGMENT_MEMBER_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(this.collection, [{ key: { segmentId: 1, member: 1, accountId: 1 }, name: 'segment_member_account' }]);
  }

  /** Records entering (`member: true`) or leaving; false when a newer change was already recorded. */
  async record(segmentId: string, accountId: string, member: boolean, at: Date): Promise<boolean> {
    try {
      const result = await this.collection.updateOne(
        { _id: `${segmentId}/${accountId}`, at: { $lte: at } },
        { $set: { member, at }, $setOnInsert: { segmentId, accountId } },
        { upsert: true },
      );
      return result.matchedCount + result.upsertedCount > 0;
    } catch (e) {
      if (isDuplicateKeyError(e)) return false;
      throw e;
    }
  }

  /**
   * Many changes at once (a partition batch), each as `record` writes it, in one unordered bulk
   * write per chunk. A chunk the server refuses in part (an older event meeting a newer one:
   * duplicate `_id`) is written again change by change, which every engine reports exactly.
   */
  async recordMany(changes: readonly { segmentId: string; accountId: string; member: boolean; at: Date }[]): Promise<void> {
    for (const chunk of this.storage.chunks(changes)) {
      try {
        await this.collection.bulkWrite(
          chunk.map(({ segmentId, accountId, member, at }) => ({
            updateOne: {
              filter: { _id: `${segmentId}/${accountId}`, at: { $lte: at } },
              update: { $set: { member, at }, $setOnInsert: { segmentId, accountId } },
              upsert: true,
            },
          })),
          { ordered: false },
        );
      } catch (e) {
        if (!isDuplicateKeyError(e) && !(e as { writeErrors?: unknown }).writeErrors) throw e;
        for (const c of chunk) await this.record(c.segmentId, c.accountId, c.member, c.at);
      }
    }
  }

  /** Members after `afterAccountId`, by account id (bounded pages for the bulk job). */
  async membersAfter(segmentId: string, afterAccountId: string | null, limit: number): Promise<string[]> {
    const filter = afterAccountId === null ? { segmentId, member: true } : { segmentId, member: true, accountId: { $gt: afterAccountId } };
    const docs = await this.collection
      .find(filter, { projection: { accountId: 1 } })
      .sort({ accountId: 1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => doc.accountId);
  }

  async countMembers(segmentId: string): Promise<number> {
    return this.collection.countDocuments({ segmentId, member: true });
  }
}
