import { Module } from '@nestjs/common';
import { RepositoriesModule } from '../storage/repositories.module';
import { SegmentMembershipHandler } from './segment-membership.handler';

@Module({ imports: [RepositoriesModule], controllers: [SegmentMembershipHandler] })
export class SegmentsModule {}
