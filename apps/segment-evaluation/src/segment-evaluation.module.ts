import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import type { ServiceConfig } from '@lifecycle/config';
import { ServiceKitModule } from '@lifecycle/http';
import { AttributeReplicaModule } from './attribute-replica/attribute-replica.module';
import { BusinessContextModule } from './business-context/business-context.module';
import { EvaluationIndexModule } from './evaluation-index/evaluation-index.module';
import { evaluationIndexSettings, type EvaluationIndexSettings } from './evaluation-index/index-settings';
import { MembershipModule } from './membership/membership.module';
import { ProjectionModule } from './projection/projection.module';
import { ReportsModule } from './reports/reports.module';
import { SegmentsModule } from './segments/segments.module';

/** Wiring only. */
@Module({})
export class SegmentEvaluationModule {
  static register(config: ServiceConfig, index: EvaluationIndexSettings = evaluationIndexSettings()): DynamicModule {
    return {
      module: SegmentEvaluationModule,
      imports: [
        ServiceKitModule.forRoot(config),
        BullModule.forRoot({
          connection: { url: config.redis.url, maxRetriesPerRequest: null },
          prefix: config.redis.prefix,
        }),
        EvaluationIndexModule.register(index),
        AttributeReplicaModule,
        BusinessContextModule,
        ProjectionModule,
        MembershipModule,
        SegmentsModule,
        ReportsModule,
      ],
    };
  }
}
