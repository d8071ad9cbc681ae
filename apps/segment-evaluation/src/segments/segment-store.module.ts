import { Module } from '@nestjs/common';
import { AggregateLock, OUTBOX_SINK, Storage, type EnvelopeSink } from '@lifecycle/storage';
import { SavedSegments } from './saved-segments';
import { SEGMENT_COLLECTION } from './segment.schema';
import { SegmentOutbox } from './segment-outbox';
import { SegmentsRepository } from './segments.repository';

/** The saved segments' storage, shared by the API, the projection's live evaluation and the jobs; their outbox. */
@Module({
  providers: [
    SegmentsRepository,
    SavedSegments,
    {
      // What a crash left in `segments.outbox` is swept every 10 minutes.
      provide: SegmentOutbox,
      inject: [Storage, OUTBOX_SINK, AggregateLock],
      useFactory: (storage: Storage, sink: EnvelopeSink, lock: AggregateLock) =>
        new SegmentOutbox(storage.collection(SEGMENT_COLLECTION), sink, lock, { sweepEveryMs: 10 * 60_000 }),
    },
  ],
  exports: [SegmentsRepository, SavedSegments, SegmentOutbox],
})
export class SegmentStoreModule {}
