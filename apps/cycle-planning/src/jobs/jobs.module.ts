import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { JobStatusModule } from '@lifecycle/http';
import { CyclesModule } from '../cycles/cycles.module';
import { RepositoriesModule } from '../storage/repositories.module';
import { BulkPrimaryController } from './bulk-primary.controller';
import { BulkPrimaryRunner } from './bulk-primary.runner';
import { BulkPrimaryService } from './bulk-primary.service';
import { CYCLES_QUEUE } from './cycle-jobs';
import { CyclesRecalculationProcessor } from './cycles-recalculation.processor';
import { JobsQueueModule } from './jobs-queue.module';
import { TemplatePropagationRunner } from './template-propagation.runner';

/** The worker of `cycles-recalculation` and the job endpoints (bulk primary, `GET /v1/jobs/{jobId}`). */
@Module({
  imports: [
    RepositoriesModule,
    CyclesModule,
    JobsQueueModule,
    BullModule.registerQueue({ name: CYCLES_QUEUE }),
    JobStatusModule.forQueues([CYCLES_QUEUE]),
  ],
  controllers: [BulkPrimaryController],
  providers: [TemplatePropagationRunner, BulkPrimaryRunner, BulkPrimaryService, CyclesRecalculationProcessor],
})
export class JobsModule {}
