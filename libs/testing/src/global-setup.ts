import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Integration tests run against real servers and drive Python tools (a Kafka client that is not
 * kafkajs). `npm test` sets both up first; this makes a direct `jest --selectProjects integration`
 * work too (idempotent: starts only what does not answer, installs only what is missing).
 */
export default function globalSetup(): void {
  const root = join(__dirname, '..', '..', '..');
  execFileSync('bash', [join(root, 'scripts', 'infra.sh'), 'up'], { stdio: 'inherit' });
  execFileSync('bash', [join(root, 'scripts', 'python-env.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
}
