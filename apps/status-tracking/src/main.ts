import { loadServiceConfig } from '@lifecycle/config';
import { startService } from '@lifecycle/http';
import { statusTrackingDefinition } from './status-tracking.definition';
import { StatusTrackingModule } from './status-tracking.module';

async function bootstrap(): Promise<void> {
  const config = loadServiceConfig('status-tracking', 3002, process.env);
  await startService(StatusTrackingModule.register(config), config, statusTrackingDefinition);
}

void bootstrap();
