import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Integration tests run against real servers. `npm test` starts them first; this makes a direct
 * `jest --selectProjects integration` work too (idempotent: starts only what does not answer).
 */
export default function globalSetup(): void {
  const root = join(__dirname, '..', '..', '..');
  execFileSync('bash', [join(root, 'scripts', 'infra.sh'), 'up'], { stdio: 'inherit' });
}
