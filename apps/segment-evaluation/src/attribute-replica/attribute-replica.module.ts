import { Module } from '@nestjs/common';
import { AttributeReplicaHandler, AttributeReplicaStore } from '@lifecycle/messaging';
import { AttributeReplicaRepository } from './attribute-replica.repository';

@Module({
  controllers: [AttributeReplicaHandler],
  providers: [AttributeReplicaRepository, { provide: AttributeReplicaStore, useExisting: AttributeReplicaRepository }],
  exports: [AttributeReplicaRepository],
})
export class AttributeReplicaModule {}
