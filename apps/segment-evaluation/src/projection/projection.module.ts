import { Module } from '@nestjs/common';
import { SegmentStoreModule } from '../segments/segment-store.module';
import { AccountProjectionRepository } from './account-projection.repository';
import { MembershipOutbox } from './membership-outbox';
import { MembershipSettingsRepository } from './membership-settings.repository';
import { ProjectionHandler } from './projection.handler';
import { ProjectionWriter } from './projection.writer';

@Module({
  imports: [SegmentStoreModule],
  controllers: [ProjectionHandler],
  providers: [AccountProjectionRepository, MembershipOutbox, MembershipSettingsRepository, ProjectionWriter],
  exports: [AccountProjectionRepository, MembershipOutbox, MembershipSettingsRepository, ProjectionWriter],
})
export class ProjectionModule {}
