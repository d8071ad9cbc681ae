import { Module } from '@nestjs/common';
import { AttributeReplicaController } from './attribute-replica.controller';
import { AttributeReplicaHandler } from './attribute-replica.handler';
import { AttributeReplicaRepository } from './attribute-replica.repository';

@Module({
  controllers: [AttributeReplicaHandler, AttributeReplicaController],
  providers: [AttributeReplicaRepository],
  exports: [AttributeReplicaRepository],
})
export class AttributeReplicaModule {}
