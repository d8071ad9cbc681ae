import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { CYCLES_QUEUE } from './cycle-jobs';
import { CycleJobsQueue } from './cycle-jobs.queue';

/** The queue alone (producers and the job view); the worker lives in `JobsModule`. */
@Module({
  imports: [BullModule.registerQueue({ name: CYCLES_QUEUE })],
  providers: [CycleJobsQueue],
  exports: [CycleJobsQueue],
})
export class JobsQueueModule {}
