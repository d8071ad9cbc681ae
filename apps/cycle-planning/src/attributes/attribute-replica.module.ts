import { Module } from '@nestjs/common';
import { AttributeReplicaHandler, AttributeReplicaStore } from '@lifecycle/messaging';
import { AttributeReplicaRepository } from './attribute-replica.repository';

/** The replica of the catalog's attributes (`lifecycle.attributes`), which plays' SLA triggers are checked against (P1). */
@Module({
  controllers: [AttributeReplicaHandler],
  providers: [AttributeReplicaRepository, { provide: AttributeReplicaStore, useExisting: AttributeReplicaRepository }],
  exports: [AttributeReplicaRepository],
})
export class AttributeReplicaModule {}
