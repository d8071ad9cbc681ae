import fc from 'fast-check';
import { MongoClient, type Collection } from 'mongodb';
import { Storage } from '@lifecycle/storage';
import { INFRA, newTestRun } from '@lifecycle/testing';
import { matches } from '../domain/criteria-matcher';
import { validateCriteria } from '../domain/criteria-validation';
import type { ProjectedAccount } from '../domain/projection-updates';
import { ACCOUNT_PROJECTION_COLLECTION, type AccountProjectionDocument } from '../projection/account-projection.schema';
import { criteriaQuery } from '../projection/criteria-query';
import { withQueryKeys } from '../projection/query-keys';
import { AccountIndex } from './core/account-index';
import { indexedAccountOf } from './core/indexed-account';
import { BUSINESS_CONTEXT, NOW, businessCriteriaArb, projectionsArb, writtenCriteriaArb } from './testing/equivalence.arbitraries';

/**
 * Random criteria over random projections give the
 * same members from the evaluation index (built from the documents as the server returns them),
 * from `matches()`, and from the compiled query run by the Mongo-wire server (FerretDB here).
 * Business-day comparisons and `sla` conditions (B5) count working days of each account's
 * calendar, which no query can: for them the index built from the server's documents ≡ `matches()`.
 */
describe('evaluation index ≡ matches() ≡ compiled query on the server', () => {
  const run = newTestRun('segidx');
  let client: MongoClient;
  let collection: Collection<AccountProjectionDocument>;
  let storage: Storage;

  beforeAll(async () => {
    client = await MongoClient.connect(INFRA.mongo);
    storage = await Storage.open(client.db(run.databaseFor('segment-evaluation')));
    collection = storage.collection(ACCOUNT_PROJECTION_COLLECTION);
  });

  afterAll(async () => {
    await collection.db.dropDatabase().catch(() => undefined);
    await client.close();
  });

  const stored = (account: ProjectedAccount): AccountProjectionDocument => {
    // As the repository stores it: the query keys beside the transitions on every engine here.
    const lifecycle = Object.fromEntries(
      Object.entries(account.lifecycle).map(([key, state]) => [key, withQueryKeys(state)]),
    ) as AccountProjectionDocument['lifecycle'];
    return { ...account, lifecycle, rev: 1, outbox: [], updatedAt: NOW };
  };

  it('gives identical members for random criteria and projections (every operator, canceled, disabled and removed stages, renames, AND/OR)', async () => {
    let validated = 0;
    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(writtenCriteriaArb, { minLength: 4, maxLength: 4 }), projectionsArb(20, 40), async (inputs, accounts) => {
        await collection.deleteMany({});
        await collection.insertMany(accounts.map(stored));
        // The index as it is built at start without a snapshot: from the documents the server returns.
        const index = new AccountIndex();
        for await (const doc of collection.find({})) index.apply(indexedAccountOf(doc, doc.rev));
        for (const { input, catalog } of inputs) {
          const result = validateCriteria(input, catalog);
          if (!result.ok) continue;
          validated += 1;
          const expected = accounts
            .filter((a) => matches(result.criteria, a, NOW))
            .map((a) => a._id)
            .sort();
          const filter = criteriaQuery(result.criteria, NOW, storage.engine);
          const fromServer = (await collection.find(filter, { projection: { _id: 1 } }).toArray()).map((d) => d._id).sort();
          const members = index.evaluate(result.criteria, NOW);
          const fromIndex = index.page(members, 0, 1_000).map((m) => m.accountId);
          expect({ criteria: input, ids: fromIndex }).toEqual({ criteria: input, ids: expected });
          expect({ criteria: input, ids: fromServer }).toEqual({ criteria: input, ids: expected });
          expect(index.count(members)).toBe(expected.length);
          if (expected.length > 0) nonEmpty += 1;
        }
      }),
      { numRuns: 40, seed: 2026 },
    );
    expect(validated).toBeGreaterThan(100);
    expect(nonEmpty).toBeGreaterThan(30);
  }, 600_000);

  it('gives identical members for business-day and sla criteria: index from the stored documents ≡ matches() (B5)', async () => {
    let validated = 0;
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(businessCriteriaArb, { minLength: 4, maxLength: 4 }), projectionsArb(20, 40), async (inputs, accounts) => {
        await collection.deleteMany({});
        await collection.insertMany(accounts.map(stored));
        const index = new AccountIndex();
        for await (const doc of collection.find({})) index.apply(indexedAccountOf(doc, doc.rev));
        for (const { input, catalog } of inputs) {
          const result = validateCriteria(input, catalog);
          if (!result.ok) continue;
          validated += 1;
          const expected = accounts
            .filter((a) => matches(result.criteria, a, NOW, BUSINESS_CONTEXT))
            .map((a) => a._id)
            .sort();
          const fromIndex = index.page(index.evaluate(result.criteria, NOW, BUSINESS_CONTEXT), 0, 1_000).map((m) => m.accountId);
          expect({ criteria: input, ids: fromIndex }).toEqual({ criteria: input, ids: expected });
          if (expected.length > 0 && expected.length < accounts.length) partial += 1;
        }
      }),
      { numRuns: 25, seed: 2027 },
    );
    expect(validated).toBeGreaterThan(60);
    expect(partial).toBeGreaterThan(10);
  }, 600_000);
});
