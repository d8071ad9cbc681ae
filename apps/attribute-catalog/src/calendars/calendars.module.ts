import { Module } from '@nestjs/common';
import { OutboxModule } from '@lifecycle/storage';
import { CALENDAR_REVISIONS_COLLECTION } from './calendar.schema';
import { CalendarsController } from './calendars.controller';
import { CalendarsRepository } from './calendars.repository';
import { CalendarsService } from './calendars.service';

@Module({
  imports: [
    // The calendar aggregate's own outbox (its revisions, like the attributes'): few documents, swept every second.
    OutboxModule.forCollection({ collection: CALENDAR_REVISIONS_COLLECTION, sweepEveryMs: 1_000 }),
  ],
  controllers: [CalendarsController],
  providers: [CalendarsRepository, CalendarsService],
})
export class CalendarsModule {}
