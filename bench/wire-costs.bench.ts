/**
 * What one status change costs the Mongo-wire server, operation by operation: the server's own
 * CPU time (from /proc, so other processes on the machine do not count) per document for each
 * operation the status path sends, with documents shaped as the status path stores them, beside
 * the bare pipeline's one upsert by `_id`. The sum over one change's operations, divided by the
 * upsert, bounds what share of the bare pipeline's rate the status path can reach on this server
 * (bench/status-pipeline.bench.ts measures the rates themselves).
 *   npm run bench -- wire-costs [documents=10000] [perCommand=500]
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { type Binary, MongoClient, type AnyBulkWriteOperation, type Document } from 'mongodb';

/** Documents keyed by a string `_id`, as every collection of the services is. */
interface Doc extends Document {
  _id: string;
}
import { replay } from '@lifecycle/rules';
import { INFRA, newTestRun } from '@lifecycle/testing';
import { packPair } from '../apps/status-tracking/src/statuses/lifecycle-state.codec';
import type { StatusHistoryEntry } from '../apps/status-tracking/src/statuses/lifecycle-state.schema';
import { infraPids, processCpuMicros } from './lib/process-cpu';
import { fmt, table } from './lib/stats';

interface Cost {
  operation: string;
  serverUs: number;
  ms: number;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 10_000);
  const perCommand = Number(process.argv[3] ?? 500);
  const serverPid = infraPids(process.cwd()).get('mongo-wire');
  if (serverPid === undefined) throw new Error('no Mongo-wire server started by scripts/infra.sh (.local/run/mongo.pid)');
  const client = await MongoClient.connect(INFRA.mongo);
  const db = client.db(newTestRun('wirecost').databaseFor('costs'));
  const costs: Cost[] = [];
  const measure = async (operation: string, work: () => Promise<unknown>): Promise<void> => {
    const before = processCpuMicros(serverPid)!;
    const started = Date.now();
    await work();
    costs.push({ operation, serverUs: (processCpuMicros(serverPid)! - before) / n, ms: Date.now() - started });
  };
  const inCommands = async <T>(items: readonly T[], send: (chunk: T[]) => Promise<unknown>): Promise<void> => {
    for (let i = 0; i < items.length; i += perCommand) await send(items.slice(i, i + perCommand));
  };

  const pairs = Array.from({ length: n }, () => `acct-${randomUUID().slice(0, 12)}|onboarding-status`);
  const shuffled = [...pairs].sort(() => Math.random() - 0.5);
  const keys = pairs.map(() => `crm:${randomUUID()}`);

  // The bare pipeline's write: one upsert by `_id` of a small document.
  const bare = db.collection<Doc>('bare');
  await measure('bare pipeline: upsert by _id (new document)', () =>
    inCommands(pairs, (chunk) =>
      bare.bulkWrite(chunk.map((id) => ({ updateOne: { filter: { _id: id }, update: { $set: { n: 1, at: new Date() } }, upsert: true } }))),
    ),
  );
  await measure('bare pipeline: upsert by _id (existing document)', () =>
    inCommands(shuffled, (chunk) =>
      bare.bulkWrite(chunk.map((id) => ({ updateOne: { filter: { _id: id }, update: { $set: { n: 2, at: new Date() } }, upsert: true } }))),
    ),
  );

  // The status path's operations, in the order one change sends them.
  const noopKeys = db.collection<Doc>('status_noop_keys');
  const states = db.collection<Doc>('lifecycle_states');
  await measure('seed: states (10 changes in the history each)', () =>
    inCommands(pairs, (chunk) =>
      states.insertMany(
        chunk.map((id) => stateDocument(id, 10)),
        { ordered: false },
      ),
    ),
  );
  await measure('read: no-op keys by _id ($in)', () => inCommands(keys, (chunk) => noopKeys.find({ _id: { $in: chunk } }).toArray()));
  await measure('read: states by _id ($in)', () => inCommands(shuffled, (chunk) => states.find({ _id: { $in: chunk } }).toArray()));
  const events = new Map(shuffled.map((id) => [id, statusChanged(id)]));
  await measure('update: state + history by _id + version, with its events', () =>
    inCommands(shuffled, (chunk) =>
      states.bulkWrite(
        chunk.map((id): AnyBulkWriteOperation<Doc> => ({
          updateOne: {
            filter: { _id: id, version: 1 },
            update: {
              $set: { stageId: 'stg-2', packed: packed(id, 11), updatedAt: new Date() },
              $inc: { version: 1 },
              $push: { outbox: { $each: [events.get(id)!] } },
            } as never,
          },
        })),
        { ordered: false },
      ),
    ),
  );
  await measure('update: published events out of the outbox ($pull by id)', () =>
    inCommands(shuffled, (chunk) =>
      states.bulkWrite(
        chunk.map((id) => ({
          updateOne: { filter: { _id: id }, update: { $pull: { outbox: { id: { $in: [events.get(id)!.id] } } } } as never },
        })),
        { ordered: false },
      ),
    ),
  );

  const bareUs = costs[1]!.serverUs;
  const change = costs.filter((c) => !c.operation.startsWith('bare') && !c.operation.startsWith('seed'));
  const changeUs = change.reduce((sum, c) => sum + c.serverUs, 0);
  console.log(`Mongo-wire server CPU per document, ${n} documents, ${perCommand} per command (load ${loadAverage()})`);
  console.log(
    table(
      costs.map((c) => ({
        operation: c.operation,
        'server µs/doc': fmt(c.serverUs, 0),
        'x bare upsert': fmt(c.serverUs / bareUs, 1),
        'wall ms': c.ms,
      })),
    ),
  );
  console.log(
    `one status change (the ${change.length} operations above, each once): ${fmt(changeUs, 0)} µs of server CPU, ` +
      `${fmt(changeUs / bareUs, 1)}x the bare upsert: at most ${fmt((100 * bareUs) / changeUs, 0)} % of the bare pipeline's rate where the server bounds both ` +
      `(a batch with several changes of one account reads and writes its state once)`,
  );
  await db.dropDatabase();
  await client.close();
}

/** A state document as status-tracking stores it: the history and the fold packed in one field. */
function stateDocument(id: string, changes: number): Doc {
  const [accountId, attributeKey] = id.split('|');
  return { _id: id, accountId, attributeKey, version: 1, stageId: 'stg-1', packed: packed(id, changes), outbox: [], updatedAt: new Date() };
}

function packed(pair: string, changes: number): Binary {
  const [accountId] = pair.split('|');
  const at = Date.now();
  const history: StatusHistoryEntry[] = Array.from({ length: changes }, (_, i) => ({
    changeId: randomUUID(),
    seq: i + 1,
    to: `stg-${i % 4}`,
    at: new Date(at - (changes - i) * 86_400_000),
    source: 'crm',
    actor: 'crm',
    requestId: randomUUID(),
    idempotencyKey: `crm:${randomUUID()}`,
    recordedAt: new Date(at),
  }));
  const stages = [0, 1, 2, 3].map((i) => ({ id: `stg-${i}`, name: `Stage ${i}`, order: i + 1, endStage: i === 3, disabled: false }));
  return packPair({
    state: replay(stages, history).state,
    history: history.map((e) => ({ ...e, requestId: `${accountId}:${e.requestId}` })),
  });
}

function statusChanged(pair: string): Document & { id: string } {
  const [accountId, attributeKey] = pair.split('|');
  return {
    id: randomUUID(),
    type: 'status.changed',
    source: 'status-tracking',
    occurredAt: new Date().toISOString(),
    data: {
      accountId,
      attributeKey,
      changeId: randomUUID(),
      from: { id: 'stg-1', name: 'Configuration' },
      to: { id: 'stg-2', name: 'Implementation' },
      at: new Date().toISOString(),
      cause: 'set',
      cycle: 1,
      daysInPreviousStage: 3,
    },
  };
}

function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
