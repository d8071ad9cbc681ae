import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { INFRA, TEST_KAFKA_COMPRESSION, type TestRun } from './test-config';
import { waitFor } from './wait-for';

export const ROOT = join(__dirname, '..', '..', '..');

export type AppName = 'attribute-catalog' | 'status-tracking' | 'cycle-planning' | 'segment-evaluation' | 'gateway';

const APP_PORT_OFFSET: Record<AppName, number> = {
  gateway: 0,
  'attribute-catalog': 1,
  'status-tracking': 2,
  'cycle-planning': 3,
  'segment-evaluation': 4,
};

export const SYSTEM_ADMIN_KEY = 'system-admin-key-000000000001';

/** Compiles the apps once (`tsc -p tsconfig.build.json` → dist/). */
export function buildApps(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * The platform as real processes (compiled apps, as `npm start` runs them) on ports
 * `basePort..basePort+4`, isolated by the test run's topic prefix, databases and BullMQ prefix —
 * for tests that kill and restart processes, and for load tests.
 */
export class ProcessSystem {
  private readonly processes = new Map<AppName, ChildProcess>();
  readonly logDir: string;

  /**
   * Extra environment per app, applied over the defaults at each `start` (e.g. a gateway restarted
   * with another `RATE_LIMIT_PER_MINUTE` or `API_KEYS`). `PORT` is not overridable here.
   */
  readonly envOverrides: Partial<Record<AppName, NodeJS.ProcessEnv>>;

  /** Node options given to every app at `start`, ahead of the script (e.g. `--cpu-prof` for a bench). */
  nodeArgs: string[] = [];

  /**
   * `instance` names a second system of the same run (same databases, topics and consumer
   * groups: more instances of the same services) and keeps its logs apart.
   */
  constructor(
    readonly run: TestRun,
    readonly basePort: number,
    envOverrides: Partial<Record<AppName, NodeJS.ProcessEnv>> = {},
    instance?: string,
  ) {
    this.envOverrides = { ...envOverrides };
    this.logDir = join(ROOT, '.local', 'logs', `system-${run.id}${instance ? `-${instance}` : ''}`);
    mkdirSync(this.logDir, { recursive: true });
  }

  url(app: AppName): string {
    return `http://127.0.0.1:${this.basePort + APP_PORT_OFFSET[app]}`;
  }

  private env(app: AppName): NodeJS.ProcessEnv {
    const port = String(this.basePort + APP_PORT_OFFSET[app]);
    return { ...this.defaultEnv(app), ...this.envOverrides[app], PORT: port };
  }

  private defaultEnv(app: AppName): NodeJS.ProcessEnv {
    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(this.basePort + APP_PORT_OFFSET[app]),
      KAFKA_BROKERS: INFRA.kafka,
      REDIS_URL: INFRA.redis,
      LOG_LEVEL: process.env.SYSTEM_LOG_LEVEL ?? 'warn',
      KAFKA_TOPIC_PREFIX: this.run.topicPrefix,
      KAFKA_GROUP_SUFFIX: this.run.id,
      BULLMQ_PREFIX: `t-${this.run.id}`,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      KAFKA_COMPRESSION: TEST_KAFKA_COMPRESSION,
      TS_NODE_PROJECT: join(ROOT, 'tsconfig.dist.json'),
    };
    if (app === 'gateway') {
      return {
        ...base,
        MONGO_URL: `${INFRA.mongo}/${this.run.databaseFor('gateway')}`,
        API_KEYS: `${SYSTEM_ADMIN_KEY}:admin`,
        RATE_LIMIT_PER_MINUTE: '10000000',
        CATALOG_URL: this.url('attribute-catalog'),
        TRACKING_URL: this.url('status-tracking'),
        CYCLES_URL: this.url('cycle-planning'),
        SEGMENTS_URL: this.url('segment-evaluation'),
      };
    }
    return { ...base, MONGO_URL: `${INFRA.mongo}/${this.run.databaseFor(app)}` };
  }

  async start(app: AppName): Promise<void> {
    const main = join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: call buildApps() first`);
    const log = createWriteStream(join(this.logDir, `${app}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [...this.nodeArgs, '-r', 'tsconfig-paths/register', main], {
      cwd: ROOT,
      env: this.env(app),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.processes.set(app, child);
    await waitFor(
      `${app} healthy`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}; see ${this.logDir}/${app}.log`);
        const res = await fetch(`${this.url(app)}/health`).catch(() => null);
        return res?.ok === true;
      },
      60_000,
      250,
    );
  }

  async startAll(
    apps: AppName[] = ['attribute-catalog', 'status-tracking', 'cycle-planning', 'segment-evaluation', 'gateway'],
  ): Promise<void> {
    for (const app of apps) await this.start(app);
  }

  /** SIGKILL: no graceful shutdown, no offsets committed for work in progress. */
  kill(app: AppName): void {
    this.processes.get(app)?.kill('SIGKILL');
    this.processes.delete(app);
  }

  async stop(app: AppName): Promise<void> {
    const child = this.processes.get(app);
    if (!child) return;
    this.processes.delete(app);
    if (child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((app) => this.stop(app)));
  }

  pid(app: AppName): number | undefined {
    return this.processes.get(app)?.pid;
  }
}

/**
 * A base port with `size` free ports from it, in 21000–31000: below Linux's ephemeral range
 * (32768–60999), where a port freed by a stopped process can be taken within a second as the
 * source port of some outgoing connection (EADDRINUSE at the next start).
 */
export async function freePortRange(size: number, from = 21_000, to = 31_000): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  const slots = Math.floor((to - from - size) / 10);
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = from + 10 * Math.floor(Math.random() * slots);
    const checks = await Promise.all(Array.from({ length: size }, (_, i) => free(base + i)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error(`no ${size} free ports found in ${from}–${to}`);
}

/** Restarts one of the shared servers through the project's infra script (fault injection). */
export function restartInfra(name: 'kafka' | 'mongo' | 'redis'): void {
  execFileSync('bash', [join(ROOT, 'scripts', 'infra.sh'), 'restart', name], { stdio: 'inherit' });
}
