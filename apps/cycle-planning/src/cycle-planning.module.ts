import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import type { ServiceConfig } from '@lifecycle/config';
import { ServiceKitModule } from '@lifecycle/http';
import { ClientTypesModule } from './client-types/client-types.module';
import { CyclesModule } from './cycles/cycles.module';
import { JobsModule } from './jobs/jobs.module';
import { SegmentsModule } from './segments/segments.module';
import { TasksModule } from './tasks/tasks.module';
import { TemplatesModule } from './templates/templates.module';

/** Wiring only. */
@Module({})
export class CyclePlanningModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: CyclePlanningModule,
      imports: [
        ServiceKitModule.forRoot(config),
        BullModule.forRoot({
          connection: { url: config.redis.url, maxRetriesPerRequest: null },
          prefix: config.redis.prefix,
        }),
        TemplatesModule,
        ClientTypesModule,
        CyclesModule,
        SegmentsModule,
        TasksModule,
        JobsModule,
      ],
    };
  }
}
