import { Binary, MongoClient } from 'mongodb';
import { buildEnvelope } from '@lifecycle/messaging';
import { ENGINES, Storage, type StorageEngine } from '@lifecycle/storage';
import { INFRA, newTestRun } from '@lifecycle/testing';
import { completeTask, instantiateCycle, type AccountCycle } from '../domain';
import { assignInput, onboardingTemplate } from '../domain/cycle.fixture';
import {
  AccountCyclesRepository,
  type AccountCyclesRecord,
  type AccountCyclesWrite,
  type StoredAccountCycles,
} from './account-cycles.repository';
import { ACCOUNT_CYCLES_COLLECTION, type AccountCyclesDocument } from './account-cycles.schema';
import { formatOne, formatTwo } from './cycle-codec.fixture';
import { cycleQueryFields } from './cycle-query-fields';

const NOW = new Date('2024-06-15T12:00:00Z');

function cyclesOf(accountId: string): AccountCycle[] {
  const onboarding = instantiateCycle(onboardingTemplate(), assignInput({ accountId, cycleId: `${accountId}-1` }));
  const renewal = instantiateCycle(
    onboardingTemplate({ id: 'renewal' }),
    assignInput({ accountId, cycleId: `${accountId}-2`, primary: false }),
  );
  return [completeTask(onboarding, 'schedule-call', new Date('2024-03-12T09:00:00Z')).cycle, renewal];
}

const writeOf = (cycles: AccountCycle[], events: AccountCyclesWrite['events'] = []): AccountCyclesWrite => ({
  cycles,
  ownerId: 'csm-1',
  canceled: false,
  events,
});

/** MongoDB's capabilities with the bulk size the server under test answers (it never answers 100 operations or more). */
const AS_ON_MONGODB: StorageEngine = { ...ENGINES.mongodb, maxBulkOps: ENGINES.ferretdb.maxBulkOps };

/**
 * The repository's two ways of storing and batch-writing an account's cycles, each run against the
 * real server: as on MongoDB (queryable subdocuments, version-conditioned bulk writes) and as on
 * the embedded engine (one encoded field, bulk writes by `_id` under the writers' lock). The
 * domain sees the same records either way, and each form reads what the other wrote.
 */
describe.each([
  ['MongoDB (queryable documents, versioned batches)', AS_ON_MONGODB, 'documents'],
  ['the embedded engine (encoded cycles, batches by _id)', ENGINES.ferretdb, 'encoded'],
] as const)('account cycles repository as on %s', (_, engine: StorageEngine, form) => {
  const run = newTestRun('cyclesrepo');
  let client: MongoClient;
  let storage: Storage;
  let repository: AccountCyclesRepository;

  beforeAll(async () => {
    client = await MongoClient.connect(INFRA.mongo);
    storage = (await Storage.open(client.db(run.databaseFor(`cycles-${form}`)))).as(engine);
    repository = new AccountCyclesRepository(storage);
    await repository.onModuleInit();
  });

  afterAll(async () => {
    await client.db(run.databaseFor(`cycles-${form}`)).dropDatabase();
    await client.close();
  });

  const raw = () => client.db(run.databaseFor(`cycles-${form}`)).collection<AccountCyclesDocument>(ACCOUNT_CYCLES_COLLECTION);

  it(`stores the cycles ${form === 'documents' ? 'as subdocuments a query can reach' : 'as one encoded field'} and reads back the domain's cycles`, async () => {
    const cycles = cyclesOf('acme');
    const event = buildEnvelope('test', 'cycle.assigned', {
      accountId: 'acme',
      cycleId: 'acme-1',
      templateId: 'onboarding',
      primary: true,
    } as never);
    expect(await repository.write('acme', undefined, writeOf(cycles, [event]), NOW)).toBe(true);
    const record = await repository.get('acme');
    expect(record).toEqual({ accountId: 'acme', version: 1, cycles, ownerId: 'csm-1', canceled: false });
    const stored = await raw().findOne({ _id: 'acme' });
    expect(Array.isArray(stored?.cycles)).toBe(form === 'documents');
    expect(stored?.outbox).toHaveLength(1);
    if (form === 'documents') {
      // Queryable inside the database: the completed task's time is a date on its path.
      const found = await raw().countDocuments({
        'cycles.stages.activities.tasks.completedAt': { $gte: new Date('2024-03-12T00:00:00Z') },
      });
      expect(found).toBe(1);
    }
    expect(await repository.countAccountsRunningTemplate('renewal')).toBe(1);
    expect((await repository.pageWithOpenItems({ ownerId: 'csm-1' }, null, 10)).map((r) => r.accountId)).toEqual(['acme']);
  });

  if (form === 'encoded') {
    it('reads documents stored in the older formats and rewrites them in format 3 on their next write', async () => {
      const older = [
        ['format1', formatOne],
        ['format2', formatTwo],
      ] as const;
      for (const [accountId, format] of older) {
        const cycles = cyclesOf(accountId);
        await raw().insertOne({
          _id: accountId,
          version: 4,
          cycles: new Binary(format(cycles)),
          ...cycleQueryFields(cycles, 'csm-1'),
          ownerId: 'csm-1',
          canceled: false,
          outbox: [],
          updatedAt: NOW,
        });
        const record = (await repository.get(accountId))!;
        expect(record.cycles).toEqual(cycles);
        expect(await repository.write(accountId, record, writeOf(record.cycles), NOW)).toBe(true);
        const rewritten = await raw().findOne({ _id: accountId });
        expect((rewritten?.cycles as Binary).buffer[0]).toBe(3);
        expect((await repository.get(accountId))?.cycles).toEqual(cycles);
      }
    });
  }

  it('refuses a write at a version that moved on, and a second first write', async () => {
    const first = await repository.get('acme');
    expect(await repository.write('acme', undefined, writeOf(cyclesOf('acme')), NOW)).toBe(false);
    expect(await repository.write('acme', first, writeOf(first!.cycles.slice(0, 1)), NOW)).toBe(true);
    expect(await repository.write('acme', first, writeOf(first!.cycles), NOW)).toBe(false);
    expect((await repository.get('acme'))?.cycles).toHaveLength(1);
  });

  it('writes a batch in chunks of the engine and reads many accounts by id', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `batch-${String(i).padStart(3, '0')}`);
    await repository.insertMany(
      ids.map((accountId) => ({ accountId, cycles: cyclesOf(accountId), ownerId: 'csm-2' })),
      NOW,
    );
    const read = await repository.getMany([...ids, 'missing']);
    expect(read.size).toBe(ids.length);
    const writes = ids.map((accountId) => {
      const expected = read.get(accountId)!;
      return repository.prepareWrite(expected, writeOf(expected.cycles.slice(0, 1)), NOW);
    });
    expect(await repository.writeMany(writes)).toEqual(new Set());
    const after = await repository.getMany(ids);
    expect([...after.values()].every((r: AccountCyclesRecord) => r.version === 2 && r.cycles.length === 1)).toBe(true);
    let streamed = 0;
    for await (const page of repository.streamRunningTemplate('onboarding', 50))
      streamed += page.filter((r) => r.accountId.startsWith('batch-')).length;
    expect(streamed).toBe(ids.length);
  });

  it(
    engine.atomicUpdates
      ? 'reports a batch write whose version moved on as a conflict, writing nothing for it'
      : 'writes a batch by _id alone (the writers hold the accounts locks)',
    async () => {
      const stale = (await repository.get('batch-000'))!;
      expect(await repository.write('batch-000', stale, writeOf(stale.cycles), NOW)).toBe(true);
      const conflicts = await repository.writeMany([repository.prepareWrite(stale, writeOf([]), NOW)]);
      if (engine.atomicUpdates) {
        expect(conflicts).toEqual(new Set(['batch-000']));
        expect((await repository.get('batch-000'))?.cycles).toHaveLength(1);
      } else {
        expect(conflicts).toEqual(new Set());
        expect((await repository.get('batch-000'))?.cycles).toEqual([]);
      }
    },
  );

  it('finds the accounts a template edit has yet to reach, without those it reached (C10)', async () => {
    const journey = (accountId: string, version: number) => [
      {
        ...instantiateCycle(onboardingTemplate({ id: 'journey' }), assignInput({ accountId, cycleId: `${accountId}-j` })),
        templateVersion: version,
      },
    ];
    await repository.insertMany(
      [
        { accountId: 'edit-v1', cycles: journey('edit-v1', 1), ownerId: null },
        { accountId: 'edit-v2', cycles: journey('edit-v2', 2), ownerId: null },
        { accountId: 'edit-unknown', cycles: journey('edit-unknown', 2), ownerId: null },
      ],
      NOW,
    );
    // A document without the derived field may be on any version: it is returned, to be checked.
    await raw().updateOne({ _id: 'edit-unknown' }, { $unset: { activeTemplateVersions: '' } });
    const awaiting = async () => {
      const records: AccountCyclesRecord[] = [];
      for await (const page of repository.streamAwaitingVersion('journey', 2, 2)) records.push(...page.map((stored) => stored.record()));
      return records;
    };
    expect((await awaiting()).map((r) => [r.accountId, r.cycles[0]!.templateVersion, r.pendingEvents]).sort()).toEqual([
      ['edit-unknown', 2, 0],
      ['edit-v1', 1, 0],
    ]);
    // The derived field comes with each document, its cycles decoded only when asked for.
    const pages: StoredAccountCycles[] = [];
    for await (const page of repository.streamAwaitingVersion('journey', 2, 10)) pages.push(...page);
    expect(pages.map((p) => [p.accountId, p.activeTemplateVersions]).sort()).toEqual([
      ['edit-unknown', undefined],
      ['edit-v1', ['journey@1']],
    ]);
    expect((await repository.getManyStored(['edit-v1', 'missing'])).get('edit-v1')?.record()).toEqual(
      await repository.getMany(['edit-v1']).then((m) => m.get('edit-v1')),
    );
    expect(await repository.countAwaitingVersion('journey', 2)).toBe(2);
    const v1 = (await repository.get('edit-v1'))!;
    expect(await repository.write('edit-v1', v1, writeOf(journey('edit-v1', 2)), NOW)).toBe(true);
    expect((await awaiting()).map((r) => r.accountId)).toEqual(['edit-unknown']);
    expect(await repository.countAwaitingVersion('journey', 3)).toBe(3);
  });

  it('reads what the other form wrote (documents move between engines)', async () => {
    const other = new AccountCyclesRepository(storage.as(form === 'documents' ? ENGINES.ferretdb : AS_ON_MONGODB));
    const cycles = cyclesOf('moved');
    expect(await other.write('moved', undefined, writeOf(cycles), NOW)).toBe(true);
    const record = await repository.get('moved');
    expect(record?.cycles).toEqual(cycles);
    expect(await repository.write('moved', record, writeOf(cycles.slice(1)), NOW)).toBe(true);
    expect((await other.get('moved'))?.cycles).toEqual(cycles.slice(1));
  });
});
