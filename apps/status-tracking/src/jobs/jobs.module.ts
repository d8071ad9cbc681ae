import { Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { JobsController } from './jobs.controller';
import { ShutdownSignal } from './shutdown-signal';
import { ImportStatusesJob, MaterializeDayJob } from './tracking-jobs';

@Global()
@Module({
  imports: [BullModule.registerQueue({ name: ImportStatusesJob.queue }, { name: MaterializeDayJob.queue })],
  controllers: [JobsController],
  providers: [ShutdownSignal],
  exports: [ShutdownSignal],
})
export class JobsModule {}
