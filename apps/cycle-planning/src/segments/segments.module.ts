import { Module } from '@nestjs/common';
import { PlaysModule } from '../plays/plays.module';
import { RepositoriesModule } from '../storage/repositories.module';
import { SavedSegmentsHandler } from './saved-segments.handler';
import { SegmentMembershipHandler } from './segment-membership.handler';

@Module({ imports: [RepositoriesModule, PlaysModule], controllers: [SegmentMembershipHandler, SavedSegmentsHandler] })
export class SegmentsModule {}
