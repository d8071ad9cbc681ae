import { Module } from '@nestjs/common';
import { PlaysModule } from '../plays/plays.module';
import { RepositoriesModule } from '../storage/repositories.module';
import { SegmentMembershipHandler } from './segment-membership.handler';

@Module({ imports: [RepositoriesModule, PlaysModule], controllers: [SegmentMembershipHandler] })
export class SegmentsModule {}
