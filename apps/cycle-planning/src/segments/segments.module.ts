import { Module } from '@nestjs/common';
import { StorageModule } from '../storage/storage.module';
import { SegmentMembershipHandler } from './segment-membership.handler';

@Module({ imports: [StorageModule], controllers: [SegmentMembershipHandler] })
export class SegmentsModule {}
