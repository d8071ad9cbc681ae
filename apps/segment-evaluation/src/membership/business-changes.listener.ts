import { Injectable, type OnModuleInit } from '@nestjs/common';
import { CalendarReplica } from '@lifecycle/messaging';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import { MembershipJobs } from './membership-jobs.service';

/**
 * B1/B3 (S5): editing a calendar or an attribute's stages (their SLAs) changes business days and
 * SLA statuses without any account event, so the segments reading them are evaluated again — one
 * job per version (a redelivered change adds nothing).
 */
@Injectable()
export class BusinessChangesListener implements OnModuleInit {
  constructor(
    private readonly attributes: AttributeReplicaRepository,
    private readonly calendars: CalendarReplica,
    private readonly jobs: MembershipJobs,
  ) {}

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
