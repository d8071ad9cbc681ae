import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AttributeReplicaModule } from '../attribute-replica/attribute-replica.module';
import { ImportStatusesJob } from '../jobs/tracking-jobs';
import { StatusesModule } from '../statuses/statuses.module';
import { ImportStatusesProcessor } from './import-statuses.processor';
import { ImportRepository } from './import.repository';
import { StatusImportController } from './status-import.controller';
import { StatusImportService } from './status-import.service';

@Module({
  imports: [StatusesModule, AttributeReplicaModule, BullModule.registerQueue({ name: ImportStatusesJob.queue })],
  controllers: [StatusImportController],
  providers: [ImportRepository, StatusImportService, ImportStatusesProcessor],
})
export class ImportsModule {}
