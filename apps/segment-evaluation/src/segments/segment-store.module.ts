import { Module } from '@nestjs/common';
import { SavedSegments } from './saved-segments';
import { SegmentsRepository } from './segments.repository';

/** The saved segments' storage, shared by the API, the projection's live evaluation and the jobs. */
@Module({
  providers: [SegmentsRepository, SavedSegments],
  exports: [SegmentsRepository, SavedSegments],
})
export class SegmentStoreModule {}
