/**
 * Fault injection on the shared servers, through the project's own `scripts/infra.sh` (the same
 * command `restartInfra` of libs/testing runs), but asynchronous so that publishing and consuming
 * go on while a server is down.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '@lifecycle/testing';

export type InfraName = 'kafka' | 'mongo' | 'redis';

const RUN_DIR = join(process.env.LIFECYCLE_LOCAL_DIR ?? join(ROOT, '.local'), 'run');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `infra.sh restart NAME` stops only a server it started (pid file under .local/run) and then
 * finds the port still answering: a restart of a server it does not own is silently nothing.
 * Refuse to run rather than report faults that were never injected.
 */
export function assertOwnedByInfraScript(names: readonly InfraName[]): void {
  const problems = names.flatMap((name) => {
    const file = join(RUN_DIR, `${name}.pid`);
    if (!existsSync(file)) return [`${name}: no pid file ${file}`];
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (!Number.isInteger(pid) || !isAlive(pid)) return [`${name}: pid file ${file} names no running process`];
    return [];
  });
  if (problems.length > 0) {
    throw new Error(
      `Cannot inject faults: scripts/infra.sh does not own these servers, so it cannot restart them (${problems.join('; ')}). ` +
        'Stop the servers started elsewhere and run `bash scripts/infra.sh up` from this checkout.',
    );
  }
}

/** `scripts/infra.sh restart NAME`, without blocking the event loop; resolves once it answers again. */
export function restartInfraAsync(name: InfraName): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('bash', [join(ROOT, 'scripts', 'infra.sh'), 'restart', name], { cwd: ROOT, timeout: 180_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`infra.sh restart ${name} failed: ${error.message}\n${stderr}`));
      else resolve();
    });
  });
}

/** The pid infra.sh recorded for a server (to show that a restart really replaced the process). */
export function infraPid(name: InfraName): number | null {
  const file = join(RUN_DIR, `${name}.pid`);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) ? pid : null;
}

/**
 * `buildApps()` (tsc -p tsconfig.build.json), tolerant of type errors in apps this suite does not
 * run: other services may be mid-change in the same tree, and tsc emits every file regardless.
 * Errors in libs/ or in an app the suite runs fail the build.
 */
export function buildAppsFor(apps: readonly string[]): void {
  const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status === 0) return;
  const errors = `${result.stdout}${result.stderr}`.split('\n').filter((line) => /error TS\d+/.test(line));
  const relevant = errors.filter((line) => !line.startsWith('apps/') || apps.some((app) => line.startsWith(`apps/${app}/`)));
  if (relevant.length > 0 || errors.length === 0) {
    throw new Error(`build failed:\n${relevant.length > 0 ? relevant.join('\n') : `${result.stdout}${result.stderr}`}`);
  }
  process.stdout.write(`[faults] build: ignoring ${errors.length} type error(s) in apps this suite does not run\n`);
}

/**
 * A base port with the 5 ports after it free (ProcessSystem uses basePort..basePort+4), below
 * Linux's ephemeral range (32768–60999): a port in that range, freed by a SIGKILL, can be taken
 * within a second as the source port of some outgoing connection, and the restart then fails
 * with EADDRINUSE.
 */
export async function freeBasePort(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 21_000 + 10 * Math.floor(Math.random() * 1_000);
    const checks = await Promise.all([0, 1, 2, 3, 4].map((i) => free(base + i)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error('no free port range found for the process system');
}

/**
 * Stands in for cycle-planning, which this suite does not run: the gateway's /health (which
 * ProcessSystem waits for) reports every upstream, so it needs something answering there.
 * Everything but /health answers 503, as an unavailable service would.
 */
export async function startHealthStub(port: number): Promise<Server> {
  const server = createHttpServer((req, res) => {
    const ok = req.url === '/health';
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        ok ? { status: 'ok', stub: true } : { statusCode: 503, error: 'Service Unavailable', message: 'not running in this suite' },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}
