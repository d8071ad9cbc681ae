import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AttributeRevisionSchema, AttributeSchema } from './attribute.schema';
import { AttributeEventsRelay } from './attribute-events.relay';
import { AttributesController } from './attributes.controller';
import { ATTRIBUTE_MODEL, ATTRIBUTE_REVISION_MODEL, AttributesRepository } from './attributes.repository';
import { AttributesService } from './attributes.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ATTRIBUTE_MODEL, schema: AttributeSchema },
      { name: ATTRIBUTE_REVISION_MODEL, schema: AttributeRevisionSchema },
    ]),
  ],
  controllers: [AttributesController],
  providers: [AttributesRepository, AttributeEventsRelay, AttributesService],
})
export class AttributesModule {}
