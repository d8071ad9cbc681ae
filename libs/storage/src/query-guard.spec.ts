import fc from 'fast-check';
import { checkFilter, checkUpdate, UnsafeQueryError } from './query-guard';
import { engineOf, ENGINES } from './engine';

describe('query guard', () => {
  it('lets through the filters and updates the repositories build', () => {
    const filters = [
      { _id: 'acme' },
      { _id: 'a.b', version: 3 },
      { 'outbox.0': { $exists: true } },
      { _id: { $gt: 'acct-1' }, hasOpenItems: true, nextDueDate: { $lt: new Date() } },
      { $or: [{ 'lifecycle.onboarding.stageId': { $exists: false } }, { 'lifecycle.onboarding.stageId': { $nin: ['a', 'b'] } }] },
      { 'lifecycle.onboarding.transitions': { $elemMatch: { at: { $gte: new Date(0) }, from: { $eq: null }, to: { $eq: 'x' } } } },
      { 'lifecycle.onboarding.completions': { $elemMatch: { $gte: new Date(0), $lt: new Date() } } },
      { 'lifecycle.onboarding.changeKeys': { $regex: '^any\\|2024' } },
      { $and: [{ segments: { $eq: 's1' } }, { $nor: [{ canceled: { $eq: true } }] }] },
    ];
    for (const filter of filters) expect(() => checkFilter(filter)).not.toThrow();
    const updates = [
      {
        $set: { name: 'x', 'lifecycle.onboarding': { stageId: 'a', transitions: [{ from: null, to: 'a', at: new Date() }] } },
        $inc: { version: 1 },
      },
      { $push: { outbox: { $each: [{ id: 'e1', data: { accountId: 'acme' } }] } } },
      { $pullAll: { outbox: [{ id: 'e1' }] } },
      { $pull: { outbox: { id: { $in: ['e1', 'e2'] } } } },
      { $pull: { completions: { $lt: new Date() } } },
      { $setOnInsert: { createdAt: new Date() } },
    ];
    for (const update of updates) expect(() => checkUpdate(update)).not.toThrow();
  });

  it.each([
    ['a server-side script', { $where: 'sleep(1000)' }],
    ['$expr', { $expr: { $gt: ['$a', '$b'] } }],
    ['an operator object mixed with fields', { _id: { $gt: '', name: 'x' } }],
    ['an unknown operator at a field', { _id: { $function: {} } }],
    ['a "$" segment in a path', { 'lifecycle.$where.stageId': 'x' }],
    ['an empty path segment', { 'lifecycle..stageId': 'x' }],
    ['a dotted key inside an equality value', { lifecycle: { 'a.b': 1 } }],
    ['a "$" key inside an $in operand', { _id: { $in: [{ $gt: '' }] } }],
  ])('refuses %s in a filter', (_, filter) => {
    expect(() => checkFilter(filter)).toThrow(UnsafeQueryError);
  });

  it.each([
    ['a pipeline update', [{ $set: { a: 1 } }]],
    ['an unknown update operator', { $rename: { a: 'b' } }],
    ['a dotted key inside a stored value', { $set: { lifecycle: { 'on.boarding': { stageId: 'x' } } } }],
    ['a "$" key inside a stored value', { $set: { criteria: { $where: 'x' } } }],
    ['a "$" segment in an updated path', { $set: { 'membershipSeq.$gt': 1 } }],
    ['an unknown array modifier', { $push: { outbox: { $each: [], $where: 'x' } } }],
    ['a server-side script in a $pull filter', { $pull: { outbox: { $where: 'x' } } }],
    ['an unknown operator in a $pull filter', { $pull: { outbox: { id: { $function: {} } } } }],
  ])('refuses %s in an update', (_, update) => {
    expect(() => checkUpdate(update)).toThrow(UnsafeQueryError);
  });

  it('names where the refused key stands (the path is formatted only for a refusal)', () => {
    const refusal = (check: () => void): string => {
      try {
        check();
      } catch (e) {
        if (e instanceof UnsafeQueryError) return e.path;
        throw e;
      }
      throw new Error('not refused');
    };
    expect(refusal(() => checkFilter({ $or: [{ a: 1 }, { b: { $in: [{ ok: 1 }, { nested: [{ 'x.y': 1 }] }] } }] }))).toBe(
      'filter.$or[1].b.$in[1].nested[0]',
    );
    expect(refusal(() => checkUpdate({ $push: { outbox: { $each: [{ id: 'e1' }, { data: { $gt: 1 } }] } } }))).toBe(
      'update.$push.outbox.$each[1].data',
    );
    expect(refusal(() => checkUpdate({ $set: { a: 1, 'b.$c': 2 } }))).toBe('update.$set');
    expect(refusal(() => checkFilter({ t: { $elemMatch: { at: { $gte: 1 }, 'w.x': { k: { $y: 1 } } } } }))).toBe(
      'filter.t.$elemMatch.w.x.k',
    );
    // A check after a refusal starts from its own root.
    expect(() => checkFilter({ a: { b: [{ c: 1 }] } })).not.toThrow();
  });

  it('never lets a key from outside become an operator or a path, whatever its characters', () => {
    const keyArb = fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', '$', '.', 'g', 't', '\0', '-') });
    fc.assert(
      fc.property(keyArb, fc.string(), (key, value) => {
        const unsafe = key.startsWith('$') || key.includes('.') || key.includes('\0');
        // A key taken from input placed as a stored key, or as a path segment.
        const stored = () => checkUpdate({ $set: { membershipSeq: { [key]: 1 } } });
        const segment = () => checkFilter({ [`lifecycle.${key}.stageId`]: value });
        if (unsafe) expect(stored).toThrow(UnsafeQueryError);
        else expect(stored).not.toThrow();
        if (key.split('.').some((s) => s.length === 0 || s.startsWith('$') || s.includes('\0'))) expect(segment).toThrow(UnsafeQueryError);
        else expect(segment).not.toThrow();
        // A string value is a literal wherever it stands.
        expect(() => checkFilter({ _id: value, name: { $in: [value] } })).not.toThrow();
      }),
      { numRuns: 500, seed: 12 },
    );
  });
});

describe('engines', () => {
  it('recognizes the embedded engines by their buildInfo and takes any other server for MongoDB', () => {
    expect(engineOf({ version: '7.0.0', ferretdbVersion: 'v1.24.0' })).toEqual(ENGINES.ferretdb);
    expect(engineOf({ version: '5.0.0', mongoJavaServerVersion: '1.47.0' })).toEqual(ENGINES['mongo-java-server']);
    expect(engineOf({ version: '7.0.14', gitVersion: 'abc' })).toEqual(ENGINES.mongodb);
    expect(ENGINES.ferretdb).toMatchObject({ atomicUpdates: false, elemMatchOnSubdocuments: false, maxBulkOps: 50 });
    expect(ENGINES.mongodb).toMatchObject({ atomicUpdates: true, elemMatchOnSubdocuments: true, usableSecondaryIndexes: true });
    expect(ENGINES['mongo-java-server']).toMatchObject({ atomicUpdates: true, usableSecondaryIndexes: false, maxBulkOps: 1_000 });
  });
});
