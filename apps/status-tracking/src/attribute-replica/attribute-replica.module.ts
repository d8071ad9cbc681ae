import { Module } from '@nestjs/common';
import { AttributeReplicaHandler, AttributeReplicaStore } from '@lifecycle/messaging';
import { AttributeReplicaController } from './attribute-replica.controller';
import { AttributeReplicaRepository } from './attribute-replica.repository';

@Module({
  controllers: [AttributeReplicaHandler, AttributeReplicaController],
  providers: [AttributeReplicaRepository, { provide: AttributeReplicaStore, useExisting: AttributeReplicaRepository }],
  exports: [AttributeReplicaRepository],
})
export class AttributeReplicaModule {}
