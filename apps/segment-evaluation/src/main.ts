import { loadServiceConfig } from '@lifecycle/config';
import { startService } from '@lifecycle/http';
import { loadEvaluationIndexSettings } from './evaluation-index/index-settings';
import { segmentEvaluationDefinition } from './segment-evaluation.definition';
import { SegmentEvaluationModule } from './segment-evaluation.module';

async function bootstrap(): Promise<void> {
  const config = loadServiceConfig('segment-evaluation', 3004, process.env);
  await startService(
    SegmentEvaluationModule.register(config, loadEvaluationIndexSettings(process.env)),
    config,
    segmentEvaluationDefinition,
  );
}

void bootstrap();
