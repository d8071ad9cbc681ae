import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { JobStatusModule } from '@lifecycle/http';
import { AttributeReplicaModule } from '../attribute-replica/attribute-replica.module';
import { ProjectionModule } from '../projection/projection.module';
import { BusinessChangesListener } from './business-changes.listener';
import { SegmentStoreModule } from '../segments/segment-store.module';
import { DayRolledHandler } from './day-rolled.handler';
import { MembershipController } from './membership.controller';
import { MembershipEvaluation } from './membership-evaluation.service';
import { EvaluateMembershipJob } from './membership-jobs';
import { MembershipJobs } from './membership-jobs.service';
import { MembershipProcessor } from './membership.processor';

@Module({
  imports: [
    ProjectionModule,
    AttributeReplicaModule,
    SegmentStoreModule,
    BullModule.registerQueue({ name: EvaluateMembershipJob.queue }),
    JobStatusModule.forQueues([EvaluateMembershipJob.queue]),
  ],
  controllers: [DayRolledHandler, MembershipController],
  providers: [MembershipJobs, MembershipEvaluation, MembershipProcessor, BusinessChangesListener],
  exports: [MembershipJobs],
})
export class MembershipModule {}
