import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Collection } from 'mongodb';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { SEGMENT_COLLECTION, SEGMENT_INDEXES, type SegmentDocument } from './segment.schema';
import { ensureIndexes, Storage } from '@lifecycle/storage';

export type SegmentChanges = Partial<Pick<SegmentDocument, 'name' | 'description' | 'criteria' | 'attributes' | 'timeBased'>>;

const WITHOUT_OUTBOX = { projection: { outbox: 0 } } as const;

@Injectable()
export class SegmentsRepository implements OnModuleInit {
  private readonly collection: Collection<SegmentDocument>;

  constructor(private readonly storage: Storage) {
    this.collection = storage.collection<SegmentDocument>(SEGMENT_COLLECTION);
  }

  async onModuleInit(): Promise<void> {
    await ensureIndexes(
      this.collection,
      SEGMENT_INDEXES.map((index) => ({ ...index, key: { ...index.key } })),
    );
  }

  /** Inserts the segment with its `segment.saved` event in its `outbox` (one write). */
  async insert(segment: SegmentDocument, event: AnyEnvelope): Promise<void> {
    await this.collection.insertOne({ ...segment, outbox: [event] });
  }

  async get(id: string): Promise<SegmentDocument | undefined> {
    return (await this.collection.findOne({ _id: String(id) }, WITHOUT_OUTBOX)) ?? undefined;
  }

  /** The segments of these ids that exist, by name. */
  async getMany(ids: readonly string[]): Promise<SegmentDocument[]> {
    const found = await this.storage.findByIds(this.collection, ids);
    return found.sort((a, b) => a.name.localeCompare(b.name) || a._id.localeCompare(b._id));
  }

  async page(skip: number, limit: number): Promise<{ items: SegmentDocument[]; total: number }> {
    const [items, total] = await Promise.all([
      this.collection.find({}, WITHOUT_OUTBOX).sort({ name: 1, _id: 1 }).skip(skip).limit(limit).toArray(),
      this.collection.countDocuments({}),
    ]);
    return { items, total };
  }

  /** Every saved segment (a small collection: the membership evaluation holds them in memory). */
  async all(): Promise<SegmentDocument[]> {
    return this.collection.find({}, WITHOUT_OUTBOX).sort({ _id: 1 }).toArray();
  }

  /**
   * Applies the changes to `version` only (the next version's `segment.saved` pushed to the outbox
   * in the same update); undefined when the segment is gone or another change got there first.
   */
  async update(id: string, version: number, changes: SegmentChanges, now: Date, event: AnyEnvelope): Promise<SegmentDocument | undefined> {
    const updated = await this.collection.findOneAndUpdate(
      { _id: String(id), version: { $eq: version } },
      { $set: { ...changes, updatedAt: now }, $inc: { version: 1 }, $push: { outbox: event } },
      { returnDocument: 'after', projection: { outbox: 0 } },
    );
    return updated ?? undefined;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: String(id) })).deletedCount > 0;
  }
}
