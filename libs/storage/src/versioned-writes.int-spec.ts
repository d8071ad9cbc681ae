/**
 * `writeVersioned` on the real server: the ids it answers are exactly the documents that now
 * hold its writes, when rivals moved versions on or created documents first in the same batch.
 */
import { MongoClient, type Collection } from 'mongodb';
import { INFRA, newTestRun } from '@lifecycle/testing';
import { Storage } from './storage';
import { writeVersioned } from './versioned-writes';

interface Doc {
  _id: string;
  rev: number;
  value: string;
  log?: string[];
}

describe('versioned bulk writes against the real database', () => {
  const run = newTestRun('versioned-writes');
  let client: MongoClient;
  let storage: Storage;
  let collection: Collection<Doc>;

  beforeAll(async () => {
    client = await MongoClient.connect(INFRA.mongo);
    storage = await Storage.open(client.db(run.databaseFor('versioned')));
    collection = storage.collection<Doc>('docs');
  });

  afterAll(async () => {
    await client.db(run.databaseFor('versioned')).dropDatabase();
    await client.close();
  });

  it('answers every id when all writes apply, and applies updates and inserts alike', async () => {
    await collection.insertOne({ _id: 'a1', rev: 3, value: 'old', log: ['x'] });
    const written = await writeVersioned(storage, collection, 'rev', [
      { id: 'a1', expected: 3, update: { $set: { value: 'new' }, $push: { log: 'y' } } },
      { id: 'a2', expected: undefined, insert: { value: 'first' } },
    ]);
    expect([...written].sort()).toEqual(['a1', 'a2']);
    expect(await collection.findOne({ _id: 'a1' })).toMatchObject({ rev: 4, value: 'new', log: ['x', 'y'] });
    expect(await collection.findOne({ _id: 'a2' })).toMatchObject({ rev: 1, value: 'first' });
  });

  it('leaves out the writes that met a moved version or a document created first, and writes the rest', async () => {
    await collection.insertMany([
      { _id: 'b1', rev: 5, value: 'rival moved me on' },
      { _id: 'b2', rev: 1, value: 'kept' },
      { _id: 'b3', rev: 1, value: 'rival created me' },
    ]);
    const written = await writeVersioned(storage, collection, 'rev', [
      { id: 'b1', expected: 4, update: { $set: { value: 'stale' } } },
      { id: 'b2', expected: 1, update: { $set: { value: 'mine' } } },
      { id: 'b3', expected: undefined, insert: { value: 'mine too' } },
      { id: 'b4', expected: undefined, insert: { value: 'new' } },
    ]);
    expect([...written].sort()).toEqual(['b2', 'b4']);
    expect(await collection.findOne({ _id: 'b1' })).toMatchObject({ rev: 5, value: 'rival moved me on' });
    expect(await collection.findOne({ _id: 'b2' })).toMatchObject({ rev: 2, value: 'mine' });
    expect(await collection.findOne({ _id: 'b3' })).toMatchObject({ rev: 1, value: 'rival created me' });
    expect(await collection.findOne({ _id: 'b4' })).toMatchObject({ rev: 1, value: 'new' });
  });

  it('tells its own write from a rival that reached the same version (the token)', async () => {
    await collection.insertMany([
      { _id: 'c1', rev: 1, value: 'start' },
      { _id: 'c2', rev: 1, value: 'start' },
    ]);
    // A rival's write from the same version lands first: the document holds the version this
    // write would set, so only the token shows it is not ours.
    await writeVersioned(storage, collection, 'rev', [{ id: 'c1', expected: 1, update: { $set: { value: 'rival' } } }]);
    const written = await writeVersioned(storage, collection, 'rev', [
      { id: 'c1', expected: 1, update: { $set: { value: 'mine' } } },
      { id: 'c2', expected: 1, update: { $set: { value: 'mine' } } },
    ]);
    expect([...written]).toEqual(['c2']);
    expect(await collection.findOne({ _id: 'c1' })).toMatchObject({ rev: 2, value: 'rival' });
  });
});
