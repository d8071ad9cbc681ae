import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { AccountsModule } from '../accounts/accounts.module';
import { AttributeReplicaModule } from '../attribute-replica/attribute-replica.module';
import { MaterializeDayJob } from '../jobs/tracking-jobs';
import { StatusesModule } from '../statuses/statuses.module';
import { DailyCountersController } from './daily-counters.controller';
import { DailyCountersProcessor } from './daily-counters.processor';
import { DailyCountersScheduler } from './daily-counters.scheduler';
import { DailyCountersService } from './daily-counters.service';
import { LifecycleDaysRepository } from './lifecycle-days.repository';

@Module({
  imports: [StatusesModule, AttributeReplicaModule, AccountsModule, BullModule.registerQueue({ name: MaterializeDayJob.queue })],
  controllers: [DailyCountersController],
  providers: [LifecycleDaysRepository, DailyCountersService, DailyCountersProcessor, DailyCountersScheduler],
  exports: [LifecycleDaysRepository],
})
export class DailyCountersModule {}
