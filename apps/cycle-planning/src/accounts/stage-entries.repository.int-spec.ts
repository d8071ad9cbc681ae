/**
 * Stage entries on the real server: entries kept in bulk hold the latest entry of each stage per
 * account, whatever the order within and across runs, and concurrent runs lose nothing.
 */
import { MongoClient } from 'mongodb';
import { AggregateLock, Storage } from '@lifecycle/storage';
import { INFRA, newTestRun } from '@lifecycle/testing';
import { stageEntryKey } from '../domain';
import { StageEntriesRepository } from './stage-entries.repository';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const entry = (accountId: string, stageId: string, minute: number) => ({
  accountId,
  attributeKey: 'onboarding-status',
  stageId,
  at: at(minute),
});
const key = (stageId: string) => stageEntryKey('onboarding-status', stageId);

describe('stage entries on the real server', () => {
  const run = newTestRun('stage-entries');
  let client: MongoClient;
  let storage: Storage;
  let entries: StageEntriesRepository;

  beforeAll(async () => {
    client = await MongoClient.connect(INFRA.mongo);
    storage = await Storage.open(client.db(run.databaseFor('cycle-planning')));
    entries = new StageEntriesRepository(storage, new AggregateLock());
  });

  afterAll(async () => {
    await client.db(run.databaseFor('cycle-planning')).dropDatabase();
    await client.close();
  });

  it('keeps the latest entry of each stage per account, within a run and across runs', async () => {
    // Within a run: a's later entry of "live" comes first, its earlier one after it.
    await entries.recordMany([entry('a', 'live', 5), entry('b', 'kickoff', 1), entry('a', 'live', 3), entry('a', 'kickoff', 1)]);
    // A later run: a late entry of a's "live", a redelivery of b's, a newer one of b's "kickoff".
    await entries.recordMany([entry('a', 'live', 4), entry('b', 'kickoff', 1), entry('b', 'kickoff', 7)]);
    const stored = await entries.getMany(['a', 'b', 'c']);
    expect(stored.get('a')).toEqual(
      new Map([
        [key('live'), at(5)],
        [key('kickoff'), at(1)],
      ]),
    );
    expect(stored.get('b')).toEqual(new Map([[key('kickoff'), at(7)]]));
    expect(stored.has('c')).toBe(false);
  });

  it('leaves a document as it is when a run brings nothing newer', async () => {
    await entries.recordMany([entry('same', 'live', 2)]);
    const read = () =>
      client
        .db(run.databaseFor('cycle-planning'))
        .collection('stage_entries')
        .findOne({ _id: 'same' as never });
    const before = await read();
    await entries.recordMany([entry('same', 'live', 2), entry('same', 'live', 1)]);
    expect(await read()).toEqual(before);
  });

  it('loses no entry when runs of two processes write the same accounts at once', async () => {
    // Two repositories with their own locks: the versioned writes are what keep both runs' entries.
    const other = new StageEntriesRepository(storage, new AggregateLock());
    const accounts = Array.from({ length: 20 }, (_, i) => `race-${i}`);
    await Promise.all([
      entries.recordMany(accounts.map((id) => entry(id, 'kickoff', 1))),
      other.recordMany(accounts.map((id) => entry(id, 'live', 2))),
      entries.recordMany(accounts.map((id) => entry(id, 'renewal', 3))),
    ]);
    const stored = await entries.getMany(accounts);
    for (const id of accounts) expect([...stored.get(id)!.keys()].sort()).toEqual([key('kickoff'), key('live'), key('renewal')].sort());
  });
});
