import { Injectable } from '@nestjs/common';
import type { Collection } from 'mongodb';
import { Storage, upsertIfNewerVersion } from '@lifecycle/storage';

/**
 * `saved_segments`: the saved segments as segment evaluation publishes them (`segment.saved` on
 * `segment.definitions`, event-carried): id, name and the highest version seen, so replays and
 * late deliveries never roll a name back. What a play's `segment.entered` trigger may name (P1).
 * Rebuilt from the topic alone (the consumer reads it from the beginning for a new group).
 */
export const SAVED_SEGMENT_COLLECTION = 'saved_segments';

interface SavedSegmentDocument {
  _id: string;
  name: string;
  version: number;
}

@Injectable()
export class SavedSegmentRepository {
  private readonly collection: Collection<SavedSegmentDocument>;

  constructor(storage: Storage) {
    this.collection = storage.collection<SavedSegmentDocument>(SAVED_SEGMENT_COLLECTION);
  }

  /** Keeps the segment only if `version` is higher than the stored one; whether it was stored. */
  async upsertIfNewer(segment: { segmentId: string; name: string; version: number }): Promise<boolean> {
    return upsertIfNewerVersion(this.collection, segment.segmentId, { name: segment.name, version: segment.version });
  }

  /** Every known segment: id → name. */
  async names(): Promise<Map<string, string>> {
    const docs = await this.collection.find({}).sort({ _id: 1 }).toArray();
    return new Map(docs.map((doc) => [doc._id, doc.name]));
  }
}
