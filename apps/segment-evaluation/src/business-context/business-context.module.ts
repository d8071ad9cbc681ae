import { Global, Module } from '@nestjs/common';
import { CalendarReplica, CalendarReplicaHandler } from '@lifecycle/messaging';
import { AttributeReplicaModule } from '../attribute-replica/attribute-replica.module';
import { BusinessContexts } from './business-contexts.service';

/**
 * B1–B5: the calendars (kept from `lifecycle.calendars`, highest version wins) and, with the
 * attribute replica's SLAs, the business context of every evaluation. Global: the projection
 * writer, the membership jobs and the reads all evaluate criteria.
 */
@Global()
@Module({
  imports: [AttributeReplicaModule],
  controllers: [CalendarReplicaHandler],
  providers: [CalendarReplica, BusinessContexts],
  exports: [BusinessContexts, CalendarReplica],
})
export class BusinessContextModule {}
