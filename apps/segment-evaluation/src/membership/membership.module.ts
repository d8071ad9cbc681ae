import { Module, type OnModuleInit } from '@nestjs/common';
import { CalendarReplica } from '@lifecycle/messaging';
import { BullModule } from '@nestjs/bullmq';
import { JobStatusModule } from '@lifecycle/http';
import { AttributeReplicaModule } from '../attribute-replica/attribute-replica.module';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import { ProjectionModule } from '../projection/projection.module';
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
  providers: [MembershipJobs, MembershipEvaluation, MembershipProcessor],
  exports: [MembershipJobs],
})
export class MembershipModule implements OnModuleInit {
  constructor(
    private readonly attributes: AttributeReplicaRepository,
    private readonly calendars: CalendarReplica,
    private readonly jobs: MembershipJobs,
  ) {}

  /**
   * B1/B3 (S5): editing a calendar or an attribute's stages (their SLAs) changes business days and
   * SLA statuses without any account event, so the segments reading them are evaluated again — one
   * job per version (a redelivered change adds nothing).
   */
  onModuleInit(): void {
    this.attributes.onChange(async (key) => {
      const version = await this.attributes.version(key);
      if (version !== undefined) await this.jobs.businessChanged('attribute', key, version);
    });
    this.calendars.onChange(async (key) => {
      const calendar = (await this.calendars.list()).find((c) => c._id === key);
      if (calendar !== undefined) await this.jobs.businessChanged('calendar', key, calendar.version);
    });
  }
}
