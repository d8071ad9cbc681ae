import { Module } from '@nestjs/common';
import { OutboxModule } from '@lifecycle/storage';
import { SegmentStoreModule } from '../segments/segment-store.module';
import { AccountProjectionRepository } from './account-projection.repository';
import { ACCOUNT_PROJECTION_COLLECTION } from './account-projection.schema';
import { MembershipSettingsRepository } from './membership-settings.repository';
import { ProjectionHandler } from './projection.handler';
import { ProjectionWriter } from './projection.writer';

@Module({
  imports: [
    SegmentStoreModule,
    // The `segment.entered` / `segment.exited` events projection writes leave in `account_projections.outbox`.
    // The safety sweep for what a crash left passes over the whole collection where indexes are not
    // usable (~0.1 ms per account: 100 s at 1M), so every 30 minutes; failed publishes of this
    // process are retried by id every 2 s without a scan.
    OutboxModule.forCollection({ collection: ACCOUNT_PROJECTION_COLLECTION, sweepEveryMs: 30 * 60_000 }),
  ],
  controllers: [ProjectionHandler],
  providers: [AccountProjectionRepository, MembershipSettingsRepository, ProjectionWriter],
  exports: [AccountProjectionRepository, MembershipSettingsRepository, ProjectionWriter, OutboxModule],
})
export class ProjectionModule {}
