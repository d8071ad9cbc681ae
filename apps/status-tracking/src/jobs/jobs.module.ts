import { Global, Module } from '@nestjs/common';
import { Queues } from '@lifecycle/contracts';
import { JobStatusModule } from '@lifecycle/http';
import { ShutdownSignal } from './shutdown-signal';

@Global()
@Module({
  imports: [JobStatusModule.forQueues([Queues.TrackingImports, Queues.TrackingDailyCounters, Queues.TrackingSla])],
  providers: [ShutdownSignal],
  exports: [ShutdownSignal],
})
export class JobsModule {}
