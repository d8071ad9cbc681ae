/**
 * The storage workloads of the services on each embedded Mongo-wire engine that
 * `scripts/infra.sh` can start, in one run on one machine, side by side: point reads and updates
 * by `_id`, version-conditioned `findOneAndUpdate`, `bulkWrite` upserts, `insertMany`, scans and
 * counts over `docs` documents of ~`kb` kB (shaped like segment-evaluation's account
 * projections), the concurrency probe that decides whether an engine keeps MongoDB's
 * single-document atomicity, and what survives a restart.
 *
 * Each engine runs as its own server (its own port and `.local/bench-engines/<engine>` data,
 * started and stopped through `scripts/infra.sh`), so the shared servers of the worktree are
 * not touched. The table goes to docs/benchmarks.md with the command and the machine's load.
 *   npm run bench -- mongo-engines [docs=100000] [kb=3.9] [engines=ferretdb,mongo-java-server,mongo-java-server-memory]
 * `mongo-java-server@background` runs the H2 backend with MVStore's own background commit
 * instead of a commit before each answer (what durability costs).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type AnyBulkWriteOperation, type Collection, type Db } from 'mongodb';
import { freePortRange, ROOT, seededRandom } from '@lifecycle/testing';
import { fmt, mib, table } from './lib/stats';

type EngineName = 'ferretdb' | 'mongo-java-server' | 'mongo-java-server-memory';
/** An engine, optionally with `@<INFRA_MONGO_H2_COMMIT>`. */
type EngineSpec = EngineName | `${EngineName}@${string}`;

interface ProjectionDoc {
  _id: string;
  accountId: string;
  version: number;
  /** 0–99: an unindexed field, 1 % of the documents per value. */
  bucket: number;
  /** The same values, with a secondary index. */
  bucketIndexed: number;
  name: string;
  facts: { segment: string; arr: number; renewalAt: Date; csm: string };
  statuses: { key: string; stage: string; enteredAt: Date; days: Record<string, number> }[];
  changeKeys: string[];
  padding: string;
}

/** One engine's figures: workload label → cell text. */
type Column = Map<string, string>;

/** Operations per `bulkWrite` call the engine answers (FerretDB v1.24 never answers 100 or more). */
const MAX_BULK_OPS: Record<EngineName, number> = { ferretdb: 50, 'mongo-java-server': 1_000, 'mongo-java-server-memory': 1_000 };
const INSERT_CHUNK = 1_000;
const POINT_OPS = 1_000;
const CONCURRENT_CLIENTS = 20;
const INCS_PER_CLIENT = 200;
const RACES = 50;
const RACERS = 8;
/** A workload that has not answered by then is reported as such, and the engine's run goes on. */
const WORKLOAD_LIMIT_MS = 10 * 60_000;

function projection(i: number, kb: number, rnd: () => number): ProjectionDoc {
  const statuses = Array.from({ length: 4 }, (_, s) => ({
    key: `attribute-${s}`,
    stage: `stage-${Math.floor(rnd() * 6)}`,
    enteredAt: new Date(Date.UTC(2026, 0, 1) - Math.floor(rnd() * 400) * 86_400_000),
    days: Object.fromEntries(Array.from({ length: 6 }, (__, d) => [`stage-${d}`, Math.floor(rnd() * 200)])),
  }));
  const doc: ProjectionDoc = {
    _id: `acct-${String(i).padStart(7, '0')}`,
    accountId: `acct-${i}`,
    version: 1,
    bucket: i % 100,
    bucketIndexed: i % 100,
    name: `Account ${i}`,
    facts: {
      segment: ['smb', 'mid', 'ent'][i % 3]!,
      arr: Math.floor(rnd() * 1e6),
      renewalAt: new Date(1.8e12 + i * 1e5),
      csm: `csm-${i % 40}`,
    },
    statuses,
    changeKeys: statuses.flatMap((s) =>
      Array.from({ length: 8 }, (_, d) => `${s.key}|${s.stage}|2025-${String((d % 12) + 1).padStart(2, '0')}-01`),
    ),
    padding: '',
  };
  const size = JSON.stringify(doc).length;
  doc.padding = 'x'.repeat(Math.max(0, Math.round(kb * 1024) - size));
  return doc;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${WORKLOAD_LIMIT_MS / 1000} s`)), WORKLOAD_LIMIT_MS);
  });
  try {
    const result = await Promise.race([work(), limit]);
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one workload into the column; a failure or a hang is the cell's figure, not the end of the run. */
async function measure(column: Column, label: string, work: () => Promise<string>): Promise<void> {
  process.stdout.write(`  ${label} … `);
  try {
    const { result } = await timed(work);
    column.set(label, result);
  } catch (e) {
    column.set(label, `fails: ${(e as Error).message.slice(0, 60)}`);
  }
  console.log(column.get(label));
}

const perOp = (ms: number, n: number) => `${fmt(ms / n, 2)} ms/op`;
const perSecond = (ms: number, n: number) => `${fmt(n / (ms / 1000), 0)}/s`;

// ---------- the engine's server ----------

class EngineServer {
  readonly local: string;
  readonly engine: EngineName;
  private readonly commit: string | undefined;

  constructor(
    readonly spec: EngineSpec,
    readonly port: number,
  ) {
    const [engine, commit] = spec.split('@') as [EngineName, string | undefined];
    this.engine = engine;
    this.commit = commit;
    this.local = join(ROOT, '.local', 'bench-engines', spec);
  }

  get url(): string {
    return `mongodb://127.0.0.1:${this.port}`;
  }

  private infra(...args: string[]): void {
    execFileSync('bash', [join(ROOT, 'scripts', 'infra.sh'), ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        INFRA_MONGO_ENGINE: this.engine,
        INFRA_MONGO_PORT: String(this.port),
        LIFECYCLE_LOCAL_DIR: this.local,
        INFRA_MONGO_JAVA_HEAP: process.env.INFRA_MONGO_JAVA_HEAP ?? '4g',
        ...(this.commit ? { INFRA_MONGO_H2_COMMIT: this.commit } : {}),
      },
    });
  }

  start(): void {
    this.infra('start', 'mongo');
  }

  /** SIGTERM, waits for the exit (`scripts/infra.sh stop`). */
  stop(): void {
    this.infra('stop', 'mongo');
  }

  /** SIGKILL: whatever the server had not made durable is lost. */
  kill(): void {
    const pid = Number(readFileSync(join(this.local, 'run', 'mongo.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 200 && alive(pid); i++) execFileSync('sleep', ['0.05']);
    this.stop(); // forgets the pid file
  }

  rssBytes(): number {
    const pid = Number(readFileSync(join(this.local, 'run', 'mongo.pid'), 'utf8'));
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return line ? Number(line[1]) * 1024 : NaN;
  }

  diskBytes(): number {
    return Number(execFileSync('du', ['-sb', this.local], { encoding: 'utf8' }).split('\t')[0]) || NaN;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function connect(url: string): Promise<MongoClient> {
  return MongoClient.connect(url, { serverSelectionTimeoutMS: 30_000, maxPoolSize: 32 });
}

// ---------- workloads ----------

async function load(column: Column, col: Collection<ProjectionDoc>, docs: number, kb: number): Promise<void> {
  const rnd = seededRandom(7);
  await measure(column, `insertMany ${docs} docs (${INSERT_CHUNK} per call)`, async () => {
    const { ms } = await timed(async () => {
      for (let i = 0; i < docs; i += INSERT_CHUNK) {
        const chunk = Array.from({ length: Math.min(INSERT_CHUNK, docs - i) }, (_, j) => projection(i + j, kb, rnd));
        await col.insertMany(chunk, { ordered: false });
      }
    });
    return perSecond(ms, docs);
  });
}

async function pointOps(column: Column, col: Collection<ProjectionDoc>, docs: number): Promise<void> {
  const rnd = seededRandom(11);
  const id = () => `acct-${String(Math.floor(rnd() * docs)).padStart(7, '0')}`;
  await measure(column, 'findOne by _id', async () => {
    const { ms } = await timed(async () => {
      for (let i = 0; i < POINT_OPS; i++) if (!(await col.findOne({ _id: id() }))) throw new Error('missing document');
    });
    return perOp(ms, POINT_OPS);
  });
  await measure(column, 'updateOne by _id ($set, $inc)', async () => {
    const { ms } = await timed(async () => {
      for (let i = 0; i < POINT_OPS; i++) await col.updateOne({ _id: id() }, { $set: { name: `renamed ${i}` }, $inc: { version: 1 } });
    });
    return perOp(ms, POINT_OPS);
  });
  await measure(column, 'findOneAndUpdate({ _id, version }) after a read', async () => {
    const { ms } = await timed(async () => {
      for (let i = 0; i < POINT_OPS; i++) {
        const current = await col.findOne({ _id: id() }, { projection: { version: 1 } });
        const next = await col.findOneAndUpdate(
          { _id: current!._id, version: current!.version },
          { $set: { name: `cas ${i}` }, $inc: { version: 1 } },
          { returnDocument: 'after' },
        );
        if (!next) throw new Error('a lone writer lost its version race');
      }
    });
    return perOp(ms, POINT_OPS);
  });
  await measure(column, `findOne by _id, ${RACERS} in flight`, async () => {
    const { ms } = await timed(() =>
      Promise.all(
        Array.from({ length: RACERS }, async () => {
          for (let i = 0; i < POINT_OPS / RACERS; i++) await col.findOne({ _id: id() });
        }),
      ),
    );
    return perSecond(ms, POINT_OPS);
  });
  await measure(column, 'find { _id: { $in: 100 ids } }', async () => {
    const ids = Array.from({ length: 100 }, id);
    const { ms, result } = await timed(() => col.find({ _id: { $in: ids } }).toArray());
    if (result.length !== new Set(ids).size) throw new Error(`${result.length} of ${new Set(ids).size} found`);
    return `${fmt(ms, 0)} ms`;
  });
}

async function bulkUpserts(column: Column, db: Db, engine: EngineName, kb: number): Promise<void> {
  const col = db.collection<ProjectionDoc>('upserts');
  const rnd = seededRandom(13);
  for (const [size, calls] of [
    [50, 20],
    [500, 4],
  ] as const) {
    const chunk = Math.min(size, MAX_BULK_OPS[engine]);
    const label = `bulkWrite ${size} upserts by _id`;
    await measure(column, label, async () => {
      // Two passes over the same ids: the first inserts, the second replaces (the steady state).
      const { ms } = await timed(async () => {
        for (let pass = 0; pass < 2; pass++) {
          for (let call = 0; call < calls; call++) {
            const ops: AnyBulkWriteOperation<ProjectionDoc>[] = Array.from({ length: size }, (_, j) => {
              const { _id, ...doc } = projection(call * size + j, kb, rnd);
              return { updateOne: { filter: { _id }, update: { $set: doc }, upsert: true } };
            });
            for (let i = 0; i < ops.length; i += chunk) await col.bulkWrite(ops.slice(i, i + chunk), { ordered: false });
          }
        }
      });
      return `${perSecond(ms, 2 * size * calls)}${chunk < size ? ` (chunks of ${chunk})` : ''}`;
    });
  }
}

async function scans(column: Column, db: Db, col: Collection<ProjectionDoc>, docs: number): Promise<void> {
  await measure(column, `find 1 % by an unindexed field, ${docs} docs`, async () => {
    const { ms, result } = await timed(() => col.find({ bucket: 7 }).toArray());
    return `${fmt(ms, 0)} ms (${result.length})`;
  });
  await db.collection('projections').createIndex({ bucketIndexed: 1 });
  await measure(column, 'same, on a field with a secondary index', async () => {
    const { ms, result } = await timed(() => col.find({ bucketIndexed: 7 }).toArray());
    return `${fmt(ms, 0)} ms (${result.length})`;
  });
  await measure(column, `stream all ${docs} docs (batches of 1000)`, async () => {
    const { ms, result } = await timed(async () => {
      let n = 0;
      for await (const _doc of col.find({}).batchSize(1_000)) n++;
      return n;
    });
    if (result !== docs) throw new Error(`${result} of ${docs} streamed`);
    return `${fmt(ms, 0)} ms (${fmt((ms * 1000) / docs, 0)} µs/doc)`;
  });
  await measure(column, 'countDocuments({})', async () => {
    const { ms, result } = await timed(() => col.countDocuments({}));
    if (result !== docs) throw new Error(`counted ${result} of ${docs}`);
    return `${fmt(ms, 0)} ms`;
  });
  await measure(column, 'countDocuments({ bucket: 7 })', async () => {
    const { ms } = await timed(() => col.countDocuments({ bucket: 7 }));
    return `${fmt(ms, 0)} ms`;
  });
}

/** 20 connections × 200 `$inc` on one document, and 50 rounds of 8 racers on one version. */
async function concurrency(column: Column, url: string, db: Db): Promise<void> {
  const clients = await Promise.all(Array.from({ length: CONCURRENT_CLIENTS }, () => connect(url)));
  try {
    const counters = db.collection<{ _id: string; n: number; version: number }>('counters');
    await counters.insertOne({ _id: 'c', n: 0, version: 0 });
    await measure(column, `${CONCURRENT_CLIENTS} × ${INCS_PER_CLIENT} $inc on one doc: kept`, async () => {
      await Promise.all(
        clients.map(async (client) => {
          const mine = client.db(db.databaseName).collection<{ _id: string; n: number }>('counters');
          for (let i = 0; i < INCS_PER_CLIENT; i++) await mine.updateOne({ _id: 'c' }, { $inc: { n: 1 } });
        }),
      );
      return `${(await counters.findOne({ _id: 'c' }))!.n} of ${CONCURRENT_CLIENTS * INCS_PER_CLIENT}`;
    });
    await measure(column, `${RACES} version races of ${RACERS}: one winner`, async () => {
      let exactlyOne = 0;
      for (let round = 0; round < RACES; round++) {
        const winners = await Promise.all(
          clients.slice(0, RACERS).map((client, i) =>
            client
              .db(db.databaseName)
              .collection<{ _id: string; version: number; winner?: number }>('counters')
              .findOneAndUpdate({ _id: 'c', version: round }, { $inc: { version: 1 }, $set: { winner: i } }),
          ),
        );
        if (winners.filter((w) => w !== null).length === 1) exactlyOne++;
        // Whatever happened, the next round races on `round + 1`.
        await counters.updateOne({ _id: 'c' }, { $set: { version: round + 1 } });
      }
      return `${exactlyOne} of ${RACES}`;
    });
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** Documents written and acknowledged, then the server stopped (SIGTERM, or SIGKILL at once) and started again. */
async function persistence(column: Column, server: EngineServer): Promise<void> {
  for (const how of ['SIGTERM', 'SIGKILL'] as const) {
    await measure(column, `restart (${how} right after 1000 acked writes): kept`, async () => {
      let client = await connect(server.url);
      const col = client.db('bench_restart').collection<{ _id: string; how: string }>(`after_${how.toLowerCase()}`);
      for (let i = 0; i < 1_000; i++) await col.insertOne({ _id: `d${i}`, how });
      await client.close();
      if (how === 'SIGTERM') server.stop();
      else server.kill();
      server.start();
      client = await connect(server.url);
      const kept = await client.db('bench_restart').collection(`after_${how.toLowerCase()}`).countDocuments({});
      await client.close();
      return `${kept} of 1000`;
    });
  }
}

async function runEngine(spec: EngineSpec, docs: number, kb: number): Promise<Column> {
  const column: Column = new Map();
  const server = new EngineServer(spec, await freePortRange(1));
  const engine = server.engine;
  rmSync(server.local, { recursive: true, force: true });
  console.log(`\n${spec} on 127.0.0.1:${server.port}`);
  server.start();
  const client = await connect(server.url);
  try {
    const db = client.db('bench_engines');
    const col = db.collection<ProjectionDoc>('projections');
    // Created one by one, before any concurrent use: FerretDB hangs when connections race to create one.
    for (const name of ['projections', 'upserts', 'counters']) await db.createCollection(name);
    await load(column, col, docs, kb);
    column.set('server RSS after the load', mib(server.rssBytes()));
    await pointOps(column, col, docs);
    await bulkUpserts(column, db, engine, kb);
    await scans(column, db, col, docs);
    await concurrency(column, server.url, db);
    column.set('data on disk', engine === 'mongo-java-server-memory' ? 'none' : mib(server.diskBytes()));
  } finally {
    await client.close();
  }
  await persistence(column, server);
  server.stop();
  rmSync(server.local, { recursive: true, force: true });
  return column;
}

async function main(): Promise<void> {
  const docs = Number(process.argv[2] ?? 100_000);
  const kb = Number(process.argv[3] ?? 3.9);
  const engines = (process.argv[4] ?? 'ferretdb,mongo-java-server,mongo-java-server-memory').split(',') as EngineSpec[];
  const started = new Date();
  const loadBefore = loadavg();
  console.log(
    `mongo engines: ${docs} documents of ~${kb} kB; ${cpus().length} cores, load average ${loadBefore.map((l) => fmt(l, 2)).join(' ')}`,
  );
  const columns = new Map<EngineSpec, Column>();
  for (const engine of engines) columns.set(engine, await runEngine(engine, docs, kb));

  const labels = [...new Set([...columns.values()].flatMap((c) => [...c.keys()]))];
  console.log(`\n${started.toISOString().slice(0, 10)}: npm run bench -- mongo-engines ${docs} ${kb} ${engines.join(',')}`);
  console.log(
    `load average before ${loadBefore.map((l) => fmt(l, 2)).join(' ')}, after ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}; ${fmt((Date.now() - started.getTime()) / 1000, 0)} s\n`,
  );
  console.log(
    table(labels.map((label) => ({ workload: label, ...Object.fromEntries(engines.map((e) => [e, columns.get(e)!.get(label) ?? '-'])) }))),
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
