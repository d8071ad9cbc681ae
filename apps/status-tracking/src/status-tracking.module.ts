import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import type { ServiceConfig } from '@lifecycle/config';
import { ServiceKitModule } from '@lifecycle/http';
import { AccountsModule } from './accounts/accounts.module';
import { AttributeReplicaModule } from './attribute-replica/attribute-replica.module';
import { DailyCountersModule } from './daily-counters/daily-counters.module';
import { ImportsModule } from './imports/imports.module';
import { JobsModule } from './jobs/jobs.module';
import { SlaModule } from './sla/sla.module';
import { StatusesModule } from './statuses/statuses.module';

/** Wiring only. */
@Module({})
export class StatusTrackingModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: StatusTrackingModule,
      imports: [
        ServiceKitModule.forRoot(config),
        BullModule.forRoot({
          connection: { url: config.redis.url, maxRetriesPerRequest: null },
          prefix: config.redis.prefix,
        }),
        AttributeReplicaModule,
        AccountsModule,
        StatusesModule,
        ImportsModule,
        DailyCountersModule,
        JobsModule,
        SlaModule,
      ],
    };
  }
}
