import { Module } from '@nestjs/common';
import { AttributeReplicaModule } from '../attribute-replica/attribute-replica.module';
import { MembershipModule } from '../membership/membership.module';
import { ProjectionModule } from '../projection/projection.module';
import { AccountSegmentsController } from './account-segments.controller';
import { SegmentStoreModule } from './segment-store.module';
import { SegmentsController } from './segments.controller';
import { SegmentsService } from './segments.service';

@Module({
  imports: [SegmentStoreModule, AttributeReplicaModule, ProjectionModule, MembershipModule],
  controllers: [SegmentsController, AccountSegmentsController],
  providers: [SegmentsService],
})
export class SegmentsModule {}
