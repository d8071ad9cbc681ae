/**
 * The attribute and calendar replicas answer reads from memory (`ReplicaMemo`), against the real
 * database: a change this process stores is read back at once (its `onChange` listeners see it
 * too), and one stored by another instance of the service shows within `REPLICA_MEMO_MAX_AGE_MS`.
 */
import { MongoClient } from 'mongodb';
import type { AttributePayload, CalendarPayload } from '@lifecycle/contracts';
import { INFRA, newTestRun, waitFor } from '@lifecycle/testing';
import { Storage } from '@lifecycle/storage';
import { ATTRIBUTE_REPLICA_COLLECTION, AttributeReplicaStore, type AttributeReplicaDocument } from './attribute-replica';
import { CalendarReplica } from './calendar-replica';
import { REPLICA_MEMO_MAX_AGE_MS } from './replica-memo';

/** A service's replica as its repositories read it. */
class Replica extends AttributeReplicaStore {
  constructor(storage: Storage) {
    super(storage.collection<AttributeReplicaDocument>(ATTRIBUTE_REPLICA_COLLECTION));
  }

  async nameOf(key: string): Promise<string | undefined> {
    return (await this.findDocument(key))?.name;
  }

  async keys(): Promise<string[]> {
    return (await this.findAllDocuments()).map((d) => d.key);
  }
}

const attribute = (key: string, version: number, name: string): AttributePayload => ({
  key,
  name,
  state: 'active',
  version,
  stages: [{ id: 's1', name: 'Kickoff', color: '#112233', order: 0, endStage: false, disabled: false }],
  updatedAt: '2026-01-01T00:00:00.000Z',
});

const calendar = (key: string, version: number, holidays: string[], deleted = false): CalendarPayload => ({
  key,
  name: key,
  workingWeekdays: [1, 2, 3, 4, 5],
  holidays,
  timeZone: 'UTC',
  version,
  deleted,
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('replicas answered from memory stay current', () => {
  const run = newTestRun('replica-memo');
  let client: MongoClient;
  let storage: Storage;

  beforeAll(async () => {
    client = await MongoClient.connect(INFRA.mongo);
    storage = await Storage.open(client.db(run.databaseFor('replica')));
  });

  afterAll(async () => {
    await client.db(run.databaseFor('replica')).dropDatabase();
    await client.close();
  });

  it('reads an attribute back at once after this process stores it, listeners included', async () => {
    const replica = new Replica(storage);
    expect(await replica.nameOf('memo-a')).toBeUndefined(); // held in memory from here
    const seenByListener: (string | undefined)[] = [];
    replica.onChange(async (key) => void seenByListener.push(await replica.nameOf(key)));

    await replica.upsertIfNewer(attribute('memo-a', 1, 'First'));
    await replica.notifyChanged('memo-a');
    expect(await replica.nameOf('memo-a')).toBe('First');
    expect(await replica.keys()).toContain('memo-a');

    await replica.upsertIfNewer(attribute('memo-a', 2, 'Second'));
    await replica.notifyChanged('memo-a');
    expect(await replica.nameOf('memo-a')).toBe('Second');
    expect(seenByListener).toEqual(['First', 'Second']);

    // An older version changes nothing, in memory either.
    await replica.upsertIfNewer(attribute('memo-a', 1, 'First'));
    expect(await replica.nameOf('memo-a')).toBe('Second');
  });

  it("shows an attribute stored by another instance within the memo's max age", async () => {
    const here = new Replica(storage);
    const other = new Replica(storage);
    await other.upsertIfNewer(attribute('memo-b', 1, 'Before'));
    expect(await here.nameOf('memo-b')).toBe('Before');
    await other.upsertIfNewer(attribute('memo-b', 2, 'After'));
    const stored = Date.now();
    await waitFor('the other instance’s change', async () => (await here.nameOf('memo-b')) === 'After', 10 * REPLICA_MEMO_MAX_AGE_MS, 50);
    // Read once per max age at most, so it shows no later than one max age after the store (plus a read).
    expect(Date.now() - stored).toBeLessThan(REPLICA_MEMO_MAX_AGE_MS + 1_000);
  });

  it('resolves a calendar as stored at once: named, changed, deleted (then the default), and another instance’s within the max age', async () => {
    const replica = new CalendarReplica(storage);
    expect((await replica.resolve('memo-cal')).key).toBe('default'); // held in memory from here
    await replica.upsertIfNewer(calendar('memo-cal', 1, ['2026-12-24']));
    expect(await replica.resolve('memo-cal')).toMatchObject({ key: 'memo-cal', version: 1, calendar: { holidays: ['2026-12-24'] } });

    await replica.upsertIfNewer(calendar('memo-cal', 2, ['2026-12-25']));
    expect((await replica.snapshot())('memo-cal')).toMatchObject({ version: 2, calendar: { holidays: ['2026-12-25'] } });

    await replica.upsertIfNewer(calendar('memo-cal', 3, [], true));
    expect((await replica.resolve('memo-cal')).key).toBe('default');

    const other = new CalendarReplica(storage);
    await other.upsertIfNewer(calendar('default', 1, ['2026-01-01']));
    await waitFor(
      'the other instance’s default calendar',
      async () => (await replica.resolve('memo-cal')).version === 1,
      10 * REPLICA_MEMO_MAX_AGE_MS,
      50,
    );
    expect(await replica.resolve(null)).toMatchObject({ key: 'default', calendar: { holidays: ['2026-01-01'] } });
  });
});
