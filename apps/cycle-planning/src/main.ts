import { loadServiceConfig } from '@lifecycle/config';
import { startService } from '@lifecycle/http';
import { cyclePlanningDefinition } from './cycle-planning.definition';
import { CyclePlanningModule } from './cycle-planning.module';

async function bootstrap(): Promise<void> {
  const config = loadServiceConfig('cycle-planning', 3003, process.env);
  await startService(CyclePlanningModule.register(config), config, cyclePlanningDefinition);
}

void bootstrap();
