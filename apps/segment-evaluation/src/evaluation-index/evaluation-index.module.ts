import { Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { EvaluationIndexService } from './evaluation-index.service';
import { IndexReadinessController, IndexReadinessMiddleware } from './index-readiness';
import { EVALUATION_INDEX_SETTINGS, type EvaluationIndexSettings } from './index-settings';
import { IndexSourceRepository } from './index-source.repository';

/** The reads answered from the index: 503 with Retry-After until it is ready. */
const INDEX_READS = [
  { path: 'v1/segments/preview', method: RequestMethod.POST },
  { path: 'v1/segments/:id/members', method: RequestMethod.GET },
  { path: 'v1/segments/:id/progress', method: RequestMethod.GET },
  { path: 'v1/reports/lifecycle', method: RequestMethod.GET },
];

/** The evaluation index of this instance, global: the writer, the reads and the jobs use it. */
@Module({})
export class EvaluationIndexModule implements NestModule {
  static register(settings: EvaluationIndexSettings): DynamicModule {
    return {
      module: EvaluationIndexModule,
      global: true,
      controllers: [IndexReadinessController],
      providers: [
        { provide: EVALUATION_INDEX_SETTINGS, useValue: settings },
        IndexSourceRepository,
        EvaluationIndexService,
        IndexReadinessMiddleware,
      ],
      exports: [EvaluationIndexService],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(IndexReadinessMiddleware).forRoutes(...INDEX_READS);
  }
}
