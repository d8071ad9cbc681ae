/**
 * The two stored forms of `account_cycles.cycles` on the server behind TEST_MONGO_URL: subdocuments
 * (queryable) and one encoded field (cycle-codec.ts). Seeds N accounts with two cycles each through the repository
 * in each form, then times what the service runs against them: the scans of C10 (count and pass
 * over the accounts running a template) and C9 (a page of accounts with open items), and the
 * point reads and versioned writes of every change.
 *   npm run bench -- cycle-storage [accounts=5000]
 */
import { MongoClient } from 'mongodb';
import { ENGINES, Storage } from '@lifecycle/storage';
import { INFRA, newTestRun } from '@lifecycle/testing';
import { AccountCyclesRepository } from '../apps/cycle-planning/src/cycles/account-cycles.repository';
import { completeTask, instantiateCycle, type AccountCycle } from '../apps/cycle-planning/src/domain';
import { assignInput, onboardingTemplate } from '../apps/cycle-planning/src/domain/cycle.fixture';
import { fmt, summarize, table } from './lib/stats';

const ACCOUNTS = Number(process.argv[2] ?? 5_000);
const SEED_CHUNK = 1_000;
const POINT_RUNS = 300;

function cyclesOf(accountId: string, i: number): AccountCycle[] {
  const onboarding = instantiateCycle(onboardingTemplate(), assignInput({ accountId, cycleId: `${accountId}-1` }));
  const renewal = instantiateCycle(
    onboardingTemplate({ id: 'renewal' }),
    assignInput({ accountId, cycleId: `${accountId}-2`, primary: false }),
  );
  return [i % 3 === 0 ? completeTask(onboarding, 'schedule-call', new Date('2024-03-12T09:00:00Z')).cycle : onboarding, renewal];
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const run = newTestRun('cyclestorage');
  const client = await MongoClient.connect(INFRA.mongo);
  const rows: Record<string, string | number>[] = [];
  try {
    const detected = await Storage.open(client.db(run.databaseFor('probe')));
    const forms = [
      { form: 'encoded', engine: { ...detected.engine, usableSecondaryIndexes: false } },
      { form: 'documents', engine: { ...detected.engine, usableSecondaryIndexes: true } },
    ];
    for (const { form, engine } of forms) {
      const db = client.db(run.databaseFor(`cycles-${form}`));
      const repository = new AccountCyclesRepository((await Storage.open(db)).as(engine));
      await repository.onModuleInit();
      const now = new Date();
      const seedStart = performance.now();
      for (let i = 0; i < ACCOUNTS; i += SEED_CHUNK) {
        const records = Array.from({ length: Math.min(SEED_CHUNK, ACCOUNTS - i) }, (_, j) => {
          const accountId = `acct-${String(i + j).padStart(7, '0')}`;
          return { accountId, cycles: cyclesOf(accountId, i + j), ownerId: `csm-${(i + j) % 40}` };
        });
        await repository.insertMany(records, now);
      }
      const seedMs = performance.now() - seedStart;
      const stats = (await db.command({ collStats: 'account_cycles' }).catch(() => ({}))) as { size?: number };
      const countMs = await timed(() => repository.countAccountsRunningTemplate('renewal'));
      const passMs = await timed(async () => {
        for await (const page of repository.streamRunningTemplate('renewal', 500)) void page;
      });
      const pageMs = await timed(() => repository.pageWithOpenItems({ ownerId: 'csm-7' }, null, 50));
      const ids = Array.from({ length: POINT_RUNS }, (_, k) => `acct-${String((k * 7919) % ACCOUNTS).padStart(7, '0')}`);
      const reads: number[] = [];
      const writes: number[] = [];
      for (const id of ids) {
        let record;
        reads.push(await timed(async () => (record = await repository.get(id))));
        const expected = record!;
        writes.push(
          await timed(() =>
            repository.write(id, expected, { cycles: expected.cycles, ownerId: expected.ownerId, canceled: false, events: [] }, new Date()),
          ),
        );
      }
      const read = summarize(reads);
      const write = summarize(writes);
      rows.push({
        form,
        accounts: ACCOUNTS,
        'seed s': fmt(seedMs / 1000, 1),
        'MiB stored': stats.size === undefined ? '-' : fmt(stats.size / 1024 / 1024, 1),
        'count ms': fmt(countMs, 0),
        'pass ms': fmt(passMs, 0),
        'C9 page ms': fmt(pageMs, 0),
        'get p50 ms': fmt(read.p50, 2),
        'write p50 ms': fmt(write.p50, 2),
      });
      await db.dropDatabase();
    }
    await client.db(run.databaseFor('probe')).dropDatabase();
    console.log(`engine: ${ENGINES[detected.engine.name as keyof typeof ENGINES] === undefined ? 'unknown' : detected.engine.name}`);
    console.log(table(rows));
  } finally {
    await client.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
