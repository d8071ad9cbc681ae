import { Logger } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import { buildEnvelope, type AnyEnvelope } from '@lifecycle/messaging';
import { Storage } from '@lifecycle/storage';
import { INFRA, newTestRun } from '@lifecycle/testing';
import { toPayload, updateDetails, type Attribute } from '../domain/attribute';
import { contextAt, onboardingDraft } from '../domain/attribute.fixture';
import { ATTRIBUTE_REVISIONS_COLLECTION, revisionId, type AttributeRevisionRecord } from './attribute.schema';
import { AttributesRepository, STALE_REVISION_MS } from './attributes.repository';

describe('attributes repository against the real database', () => {
  const run = newTestRun('catalogrepo');
  let connection: Connection;
  let repository: AttributesRepository;

  beforeAll(async () => {
    Logger.overrideLogger(['error']); // the roll-forward warnings below are expected
    connection = await mongoose.createConnection(`${INFRA.mongo}/${run.databaseFor('attribute-catalog')}`).asPromise();
    repository = new AttributesRepository(await Storage.open(connection.db!));
    await repository.onModuleInit();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  const eventOf = (attribute: Attribute): AnyEnvelope => buildEnvelope('test', 'attribute.updated', toPayload(attribute));
  const withKey = (key: string): Attribute => ({ ...onboardingDraft(), key });

  it('lets exactly one of many concurrent changes of one version through (updates alone would not, on an engine without atomic updates)', async () => {
    for (let round = 0; round < 10; round++) {
      const base = withKey(`race-${round}`);
      await repository.create(base, eventOf(base));
      const changes = Array.from({ length: 6 }, (_, i) => updateDetails(base, { name: `Writer ${i}` }, contextAt()).attribute);
      const results = await Promise.all(changes.map((c) => repository.update(base.version, c, eventOf(c))));
      const winners = results.flatMap((r, i) => (r ? [i] : []));
      expect(winners).toHaveLength(1);
      const stored = await repository.findByKey(base.key);
      expect(stored).toEqual(changes[winners[0]!]);
    }
  });

  it('refuses a second creation of a key', async () => {
    const a = withKey('taken');
    await repository.create(a, eventOf(a));
    await expect(repository.create(a, eventOf(a))).rejects.toMatchObject({ code: 'ATTRIBUTE_ALREADY_EXISTS' });
  });

  it('rolls the current state forward when a writer died between its two writes', async () => {
    const a = withKey('crashed');
    await repository.create(a, eventOf(a));
    const next = updateDetails(a, { name: 'Survived' }, contextAt()).attribute;
    // What a writer leaves when it dies after the revision and before `attributes`:
    const old = new Date(Date.now() - STALE_REVISION_MS - 1_000).toISOString();
    await connection.collection<AttributeRevisionRecord>(ATTRIBUTE_REVISIONS_COLLECTION).insertOne({
      _id: revisionId(next.key, next.version),
      key: next.key,
      version: next.version,
      attribute: next,
      recordedAt: old,
      outbox: [],
    });
    // The next writer based on version 1 loses (version 2 exists) and repairs on its way out.
    const late = updateDetails(a, { name: 'Late' }, contextAt()).attribute;
    expect(await repository.update(1, late, eventOf(late))).toBeNull();
    expect(await repository.findByKey('crashed')).toEqual(next);
    // A change based on the repaired state goes through.
    const after = updateDetails(next, { name: 'After' }, contextAt()).attribute;
    expect(await repository.update(2, after, eventOf(after))).toEqual({ revisionId: 'crashed@3' });
  });

  it('finds an attribute whose creator died before writing its current state', async () => {
    const a = withKey('half-created');
    await connection.collection<AttributeRevisionRecord>(ATTRIBUTE_REVISIONS_COLLECTION).insertOne({
      _id: revisionId(a.key, 1),
      key: a.key,
      version: 1,
      attribute: a,
      recordedAt: new Date(Date.now() - STALE_REVISION_MS - 1_000).toISOString(),
      outbox: [],
    });
    expect(await repository.findByKey('half-created')).toEqual(a);
    expect((await repository.list({})).map((x) => x.key)).toContain('half-created');
  });

  it('filters by state and by flow ignoring case', async () => {
    const renewal = { ...withKey('renewal-flow'), flow: 'Renewal' };
    await repository.create(renewal, eventOf(renewal));
    expect((await repository.list({ flow: ' RENEWAL ' })).map((x) => x.key)).toEqual(['renewal-flow']);
    expect(await repository.list({ state: 'active' })).toEqual([]);
  });
});
