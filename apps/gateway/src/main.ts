import { loadGatewayConfig } from '@lifecycle/config';
import { startGateway } from './gateway.bootstrap';

async function main(): Promise<void> {
  const config = loadGatewayConfig(process.env);
  await startGateway(config);
}

main().catch((e: unknown) => {
  process.stderr.write(`gateway failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
