import { Logger } from '@nestjs/common';
import { loadServiceConfig } from '@lifecycle/config';
import { startService } from '@lifecycle/http';
import { attributeCatalogDefinition } from './attribute-catalog.definition';
import { AttributeCatalogModule } from './attribute-catalog.module';

async function main(): Promise<void> {
  const config = loadServiceConfig('attribute-catalog', 3001, process.env);
  await startService(AttributeCatalogModule.register(config), config, attributeCatalogDefinition);
}

main().catch((error: unknown) => {
  new Logger('attribute-catalog').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
