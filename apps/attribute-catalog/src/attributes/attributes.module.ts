import { Module } from '@nestjs/common';
import { OutboxModule } from '@lifecycle/storage';
import { ATTRIBUTE_REVISIONS_COLLECTION } from './attribute.schema';
import { AttributesController } from './attributes.controller';
import { AttributesRepository } from './attributes.repository';
import { AttributesService } from './attributes.service';

@Module({
  imports: [
    // The events of changes wait in their revision's `outbox`; the revisions are few, so a sweep
    // (a scan where indexes are not usable) is cheap and runs every second beside the retries.
    OutboxModule.forCollection({ collection: ATTRIBUTE_REVISIONS_COLLECTION, sweepEveryMs: 1_000 }),
  ],
  controllers: [AttributesController],
  providers: [AttributesRepository, AttributesService],
})
export class AttributesModule {}
