import { Module } from '@nestjs/common';
import { AttributeReplicaHandler } from './attribute-replica.handler';
import { AttributeReplicaRepository } from './attribute-replica.repository';

@Module({
  controllers: [AttributeReplicaHandler],
  providers: [AttributeReplicaRepository],
  exports: [AttributeReplicaRepository],
})
export class AttributeReplicaModule {}
