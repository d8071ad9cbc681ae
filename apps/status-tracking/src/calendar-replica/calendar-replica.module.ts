import { Module } from '@nestjs/common';
import { CalendarReplica, CalendarReplicaHandler } from '@lifecycle/messaging';

/** B1: the catalog's business calendars, kept from `lifecycle.calendars` (highest version wins). */
@Module({
  controllers: [CalendarReplicaHandler],
  providers: [CalendarReplica],
  exports: [CalendarReplica],
})
export class CalendarReplicaModule {}
