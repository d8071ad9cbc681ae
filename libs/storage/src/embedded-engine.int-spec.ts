/**
 * The embedded engine's unique indexes (scripts/infra/mongo-java-server/Launcher.java,
 * IndexKeyType): the launcher orders index keys as H2 stored them, and the server it runs finds,
 * lists and refuses duplicates of `_id`s of every kind.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import { INFRA, newTestRun } from '@lifecycle/testing';

const ROOT = join(__dirname, '..', '..', '..');

describe('the embedded engine orders unique index keys as stored', () => {
  it('orders 20 000 random keys alike with and without serializing them', () => {
    const result = spawnSync('bash', ['scripts/infra.sh', 'check-key-order', '20000'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stdout).toContain('key order: 20000 random pairs ordered alike');
    expect(result.status).toBe(0);
  });
});

describe('`_id` look-ups on the running server', () => {
  const run = newTestRun('embedded-engine');
  let client: MongoClient;
  let collection: Collection<{ _id: string | number; n: number }>;
  // ASCII ids of every length around each other, ids with other characters, numbers.
  const ids: (string | number)[] = [];
  for (let i = 0; i < 600; i++) ids.push(`acc-${i}`, `${i}`, `é-${i}`, `a\u0000${i}`, i * 7, `x${'y'.repeat(i % 40)}`);

  beforeAll(async () => {
    client = await MongoClient.connect(INFRA.mongo);
    collection = client.db(run.databaseFor('keys')).collection('docs');
    await collection
      .insertMany(
        ids.map((_id, n) => ({ _id, n })),
        { ordered: false },
      )
      .catch((error: unknown) => {
        // `x` + 'y' * k repeats every 40: the repeats are refused as duplicates, the rest stored.
        if (!(error instanceof MongoServerError) || error.code !== 11000) throw error;
      });
  });

  afterAll(async () => {
    await client.db(run.databaseFor('keys')).dropDatabase();
    await client.close();
  });

  it('finds each distinct id, by itself and in one `$in`, and refuses an id already stored', async () => {
    const distinct = [...new Set(ids)];
    expect(await collection.countDocuments()).toBe(distinct.length);
    for (const id of distinct.filter((_, i) => i % 17 === 0)) {
      expect(await collection.findOne({ _id: id, n: { $gte: 0 } })).toMatchObject({ _id: id });
    }
    const found = await collection.find({ _id: { $in: distinct } }).toArray();
    const keyOf = (id: string | number) => `${typeof id}:${id}`;
    expect(found.map((doc) => keyOf(doc._id)).sort()).toEqual(distinct.map(keyOf).sort());
    await expect(collection.insertOne({ _id: 'acc-5', n: -1 })).rejects.toMatchObject({ code: 11000 });
    await expect(collection.insertOne({ _id: 35, n: -1 })).rejects.toMatchObject({ code: 11000 });
  });
});
