import fc from 'fast-check';
import { MS_PER_DAY } from '@lifecycle/rules';
import { ENGINES } from '@lifecycle/storage';
import type { AccountProjection, AttributeProjection, AttributeTransition } from '../domain/account-projection';
import type { ResolvedCriteria } from '../domain/criteria';
import { canonicalCriteria } from '../domain/criteria';
import { dayBounds, isTimeBased, referencedAttributes } from '../domain/criteria-traits';
import { matches } from '../domain/criteria-matcher';
import { validateCriteria } from '../domain/criteria-validation';
import { SegmentError } from '../domain/segment-errors';
import {
  account,
  ago,
  CATALOG,
  catalogOf,
  days,
  frozen,
  NOW,
  noValue,
  ONBOARDING,
  ONBOARDING_STAGES,
  RENEWAL,
  running,
  STAGE,
  transition,
  withAttribute,
} from '../domain/testing/account-projection.builder';
import { criteriaQuery, type ProjectionFilter } from './criteria-query';
import { escapeRegex } from './iso-range-regex';
import { withQueryKeys } from './query-keys';

// ---------------------------------------------------------------------------------------------
// A tiny MongoDB filter interpreter supporting exactly the operators the compiler may emit, with
// MongoDB's semantics for them: `{$eq: null}` matches null and missing fields, `$nin` matches
// missing fields, range operators compare within one BSON type only. Anything else throws, so a
// filter using another operator (or implicit equality, or array traversal) fails the tests; so
// does `$elemMatch` with field conditions on anything but an array of subdocuments.

const ALLOWED_OPERATORS = new Set([
  '$and',
  '$or',
  '$nor',
  '$in',
  '$nin',
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$exists',
  '$elemMatch',
]);
// Without `elemMatchOnSubdocuments` (the embedded engine) windows on arrays are one `$regex` over the stored keys, never an `$elemMatch`.
const REGEX_MODE_OPERATORS = new Set([...ALLOWED_OPERATORS, '$regex']);

interface Found {
  exists: boolean;
  value: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function evaluate(filter: unknown, doc: unknown): boolean {
  if (!isPlainObject(filter)) throw new Error(`a filter must be an object: ${String(filter)}`);
  return Object.entries(filter).every(([key, condition]) => {
    switch (key) {
      case '$and':
        return nonEmptyArray(condition, key).every((f) => evaluate(f, doc));
      case '$or':
        return nonEmptyArray(condition, key).some((f) => evaluate(f, doc));
      case '$nor':
        return !nonEmptyArray(condition, key).some((f) => evaluate(f, doc));
      default:
        if (key.startsWith('$')) throw new Error(`unsupported top-level operator ${key}`);
        return evaluateField(resolvePath(doc, key), condition);
    }
  });
}

function nonEmptyArray(value: unknown, operator: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${operator} needs a non-empty array`);
  return value;
}

function resolvePath(doc: unknown, path: string): Found {
  let current: unknown = doc;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) throw new Error(`array traversal in path ${path} is not supported`);
    if (!isPlainObject(current) || !Object.hasOwn(current, segment)) return { exists: false, value: undefined };
    current = current[segment];
  }
  return { exists: current !== undefined, value: current };
}

function evaluateField(found: Found, condition: unknown): boolean {
  if (!isPlainObject(condition) || Object.keys(condition).length === 0 || !Object.keys(condition).every((k) => k.startsWith('$'))) {
    throw new Error(`implicit equality is not emitted by the compiler: ${JSON.stringify(condition)}`);
  }
  return Object.entries(condition).every(([operator, operand]) => {
    if (!REGEX_MODE_OPERATORS.has(operator)) throw new Error(`unsupported operator ${operator}`);
    switch (operator) {
      case '$eq':
        return equals(found, operand);
      case '$ne':
        return !equals(found, operand);
      case '$in':
        return nonEmptyArray(operand, operator).some((v) => equals(found, v));
      case '$nin':
        return !nonEmptyArray(operand, operator).some((v) => equals(found, v));
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        return compareRange(found.value, operator, operand);
      case '$exists':
        if (typeof operand !== 'boolean') throw new Error('$exists needs a boolean');
        return found.exists === operand;
      case '$regex':
        if (typeof operand !== 'string') throw new Error('$regex needs a string pattern');
        // Per element of an array of strings, as every engine applies it.
        if (!Array.isArray(found.value)) return typeof found.value === 'string' && new RegExp(operand).test(found.value);
        return found.value.some((element) => typeof element === 'string' && new RegExp(operand).test(element));
      case '$elemMatch':
        if (!isPlainObject(operand) || Object.keys(operand).length === 0) throw new Error('$elemMatch needs a non-empty query');
        if (!Array.isArray(found.value)) return false;
        if (Object.keys(operand).every((k) => k.startsWith('$'))) {
          return found.value.some((element) => {
            if (isPlainObject(element) || Array.isArray(element))
              throw new Error('operator $elemMatch is only emitted on arrays of scalars');
            return evaluateField({ exists: true, value: element }, operand);
          });
        }
        // Field conditions: ONE subdocument must meet all of them (MongoDB's semantics).
        return found.value.some((element) => {
          if (!isPlainObject(element)) throw new Error('field $elemMatch is only emitted on arrays of subdocuments');
          return evaluate(operand, element);
        });
      default:
        throw new Error(`unsupported operator ${operator}`);
    }
  });
}

function equals(found: Found, operand: unknown): boolean {
  if (Array.isArray(found.value)) throw new Error('equality on arrays is not emitted by the compiler');
  if (operand === null) return !found.exists || found.value === null;
  if (operand instanceof Date) return found.value instanceof Date && found.value.getTime() === operand.getTime();
  if (!['string', 'number', 'boolean'].includes(typeof operand)) throw new Error(`unsupported operand ${String(operand)}`);
  return found.value === operand;
}

function compareRange(value: unknown, operator: string, operand: unknown): boolean {
  if (Array.isArray(value)) throw new Error('range operators on arrays are not emitted by the compiler');
  let a: number;
  let b: number;
  if (operand instanceof Date) {
    if (!(value instanceof Date)) return false; // type bracketing
    [a, b] = [value.getTime(), operand.getTime()];
  } else if (typeof operand === 'number') {
    if (typeof value !== 'number') return false;
    [a, b] = [value, operand];
  } else if (typeof operand === 'string') {
    if (typeof value !== 'string') return false;
    const order = value < operand ? -1 : value > operand ? 1 : 0; // MongoDB's simple binary collation
    [a, b] = [order, 0];
  } else {
    throw new Error(`unsupported range operand ${String(operand)}`);
  }
  switch (operator) {
    case '$gt':
      return a > b;
    case '$gte':
      return a >= b;
    case '$lt':
      return a < b;
    default:
      return a <= b;
  }
}

function operatorsIn(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => operatorsIn(v, found));
  else if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key.startsWith('$')) found.add(key);
      operatorsIn(v, found);
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------

/** The query as it runs on MongoDB (subdocument `$elemMatch`). */
const mongoQuery = (resolved: ResolvedCriteria, now: Date): ProjectionFilter => criteriaQuery(resolved, now, ENGINES.mongodb);

/** The document as the repository stores it where the engine needs the query keys. */
const storedWithKeys = (doc: AccountProjection): AccountProjection => ({
  ...doc,
  lifecycle: Object.fromEntries(Object.entries(doc.lifecycle).map(([key, state]) => [key, withQueryKeys(state)])),
});

function resolve(input: unknown, catalog = CATALOG): ResolvedCriteria {
  const result = validateCriteria(input, catalog);
  if (!result.ok) throw new Error(`invalid test criteria: ${JSON.stringify(result.errors)}`);
  return result.criteria;
}

/** Evaluates both ways, insists they agree, returns the shared answer. */
function evaluateBoth(input: unknown, doc: AccountProjection, now: Date = NOW): boolean {
  const resolved = resolve(input);
  const filter = mongoQuery(resolved, now);
  const viaFilter = evaluate(filter, doc);
  const viaMatcher = matches(resolved, doc, now);
  if (viaFilter !== viaMatcher) {
    throw new Error(`compiler (${viaFilter}) and matcher (${viaMatcher}) disagree on ${JSON.stringify(input)} for ${JSON.stringify(doc)}`);
  }
  return viaMatcher;
}

const onboarding = (state: AttributeProjection, overrides: Partial<AccountProjection> = {}): AccountProjection =>
  withAttribute('onboarding', state, overrides);

describe('criteriaQuery', () => {
  describe('filter shape', () => {
    it('compiles a days comparison to clock-start and frozen-ms ranges fixed at compile time', () => {
      const filter = mongoQuery(resolve({ attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { gt: 30 } }), NOW);
      expect(filter).toEqual({
        $and: [
          { 'lifecycle.onboarding.stageId': { $in: [STAGE.kickoff] } },
          { canceled: { $eq: false } },
          {
            $or: [
              { 'lifecycle.onboarding.running': { $eq: true }, 'lifecycle.onboarding.stageClockStart': { $lte: ago(days(31)) } },
              { 'lifecycle.onboarding.running': { $eq: false }, 'lifecycle.onboarding.frozenStageMs': { $gte: days(31) } },
            ],
          },
        ],
      });
    });

    it('emits ranges with both bounds for eq, and compares the attribute clock for daysInAttribute', () => {
      const filter = mongoQuery(resolve({ attribute: 'onboarding', isOneOf: ['Kickoff'], daysInAttribute: { eq: 3 } }), NOW);
      expect(filter).toMatchObject({
        $and: [
          {},
          {},
          {
            $or: [
              { 'lifecycle.onboarding.attributeClockStart': { $lte: ago(days(3)), $gt: ago(days(4)) } },
              { 'lifecycle.onboarding.frozenAttributeMs': { $gte: days(3), $lt: days(4) } },
            ],
          },
        ],
      });
    });

    it('compiles the other conditions', () => {
      const compile = (input: unknown): ProjectionFilter => mongoQuery(resolve(input), NOW);
      expect(compile({ attribute: 'onboarding', isOneOf: ['Kickoff'] })).toEqual({
        'lifecycle.onboarding.stageId': { $in: [STAGE.kickoff] },
      });
      expect(compile({ attribute: 'onboarding', isNotOneOf: ['Kickoff'] })).toEqual({
        $or: [
          { 'lifecycle.onboarding.stageId': { $exists: false } },
          { 'lifecycle.onboarding.stageId': { $eq: null } },
          { 'lifecycle.onboarding.stageId': { $nin: [STAGE.kickoff] } },
        ],
      });
      expect(compile({ attribute: 'onboarding', doesNotExist: true })).toEqual({
        $or: [{ 'lifecycle.onboarding.stageId': { $exists: false } }, { 'lifecycle.onboarding.stageId': { $eq: null } }],
      });
      expect(compile({ attribute: 'onboarding', changed: { lastDays: 7, fromStage: null, toStage: 'Kickoff' } })).toEqual({
        'lifecycle.onboarding.transitions': {
          $elemMatch: {
            at: { $gte: new Date('2024-06-08T12:00:00.000Z'), $lte: new Date('2024-06-15T12:00:00.000Z') },
            from: { $eq: null },
            to: { $eq: STAGE.kickoff },
          },
        },
      });
      expect(compile({ attribute: 'onboarding', changed: { toStage: 'Go Live' } })).toEqual({
        'lifecycle.onboarding.transitions': { $elemMatch: { to: { $eq: STAGE.goLive } } },
      });
      expect(compile({ attribute: 'onboarding', changed: { from: '2024-01-01', to: '2024-01-31' } })).toEqual({
        'lifecycle.onboarding.transitions': {
          $elemMatch: { at: { $gte: new Date('2024-01-01T00:00:00.000Z'), $lt: new Date('2024-02-01T00:00:00.000Z') } },
        },
      });
      expect(compile({ attribute: 'onboarding', completed: true })).toEqual({ 'lifecycle.onboarding.completedCycles': { $gt: 0 } });
      expect(compile({ attribute: 'onboarding', completed: { from: '2024-01-01', to: '2024-01-31' } })).toEqual({
        'lifecycle.onboarding.completions': {
          $elemMatch: { $gte: new Date('2024-01-01T00:00:00Z'), $lt: new Date('2024-02-01T00:00:00Z') },
        },
      });
      expect(compile({ field: 'clientType', isOneOf: ['smb'] })).toEqual({ clientType: { $in: ['smb'] } });
      expect(compile({ field: 'ownerId', isOneOf: ['u-1'] })).toEqual({ ownerId: { $in: ['u-1'] } });
      expect(compile({ field: 'canceled', is: true })).toEqual({ canceled: { $eq: true } });
      expect(compile({ field: 'renewalDate', withinDays: 30 })).toEqual({
        subscriptionActive: { $eq: true },
        renewalDate: { $gte: NOW, $lte: new Date(NOW.getTime() + days(30)) },
      });
    });

    it('on an engine without subdocument $elemMatch, compiles windows on arrays to one anchored $regex over the stored keys', () => {
      const compile = (input: unknown): ProjectionFilter => criteriaQuery(resolve(input), NOW, ENGINES.ferretdb);
      expect(compile({ attribute: 'onboarding', changed: { toStage: 'Go Live' } })).toEqual({
        'lifecycle.onboarding.changeKeys': { $regex: `^${escapeRegex(`to:${STAGE.goLive}|`)}` },
      });
      const lastWeek = compile({ attribute: 'onboarding', changed: { lastDays: 7, fromStage: null, toStage: 'Kickoff' } });
      const regex = new RegExp((lastWeek['lifecycle.onboarding.changeKeys'] as { $regex: string }).$regex);
      expect(regex.test(`from-to:>${STAGE.kickoff}|2024-06-08T12:00:00.000Z`)).toBe(true);
      expect(regex.test(`from-to:>${STAGE.kickoff}|2024-06-15T12:00:00.000Z`)).toBe(true);
      expect(regex.test(`from-to:>${STAGE.kickoff}|2024-06-08T11:59:59.999Z`)).toBe(false);
      expect(regex.test(`from-to:>${STAGE.kickoff}|2024-06-15T12:00:00.001Z`)).toBe(false);
      expect(regex.test(`to:${STAGE.kickoff}|2024-06-10T00:00:00.000Z`)).toBe(false);
      const completed = compile({ attribute: 'onboarding', completed: { from: '2024-01-01', to: '2024-01-31' } });
      expect(Object.keys(completed)).toEqual(['lifecycle.onboarding.completionKeys']);
      expect([...operatorsIn(completed)]).toEqual(['$regex']);
    });

    it('flattens nested groups of the same kind and unwraps single children', () => {
      const filter = mongoQuery(
        resolve({
          all: [
            {
              all: [
                { field: 'canceled', is: false },
                { field: 'ownerId', isOneOf: ['u'] },
              ],
            },
            { any: [{ field: 'clientType', isOneOf: ['smb'] }] },
          ],
        }),
        NOW,
      );
      expect(filter).toEqual({ $and: [{ canceled: { $eq: false } }, { ownerId: { $in: ['u'] } }, { clientType: { $in: ['smb'] } }] });
    });

    it('does not alias or mutate `now` and builds a fresh filter every time', () => {
      const now = new Date(NOW.getTime());
      const resolved = resolve({ field: 'renewalDate', withinDays: 1 });
      const first = mongoQuery(resolved, now);
      const renewal = first['renewalDate'] as { $gte: Date };
      renewal.$gte.setTime(0);
      expect(now.getTime()).toBe(NOW.getTime());
      expect(mongoQuery(resolved, now)).toEqual({
        subscriptionActive: { $eq: true },
        renewalDate: { $gte: NOW, $lte: new Date(NOW.getTime() + MS_PER_DAY) },
      });
    });

    it('refuses attribute keys that would change the query path', () => {
      const forged: ResolvedCriteria = { kind: 'doesNotExist', attribute: '$where' };
      expect(() => mongoQuery(forged, NOW)).toThrow(SegmentError);
      expect(() => mongoQuery({ kind: 'doesNotExist', attribute: 'a.b' }, NOW)).toThrow(SegmentError);
    });
  });

  describe('isOneOf / isNotOneOf / doesNotExist', () => {
    const inKickoff = onboarding(running(STAGE.kickoff, days(2)));
    const inImplementation = onboarding(running(STAGE.implementation, days(2)));
    const empty = onboarding(noValue());
    const missing = account();
    const otherAttributeOnly = withAttribute('renewal', running('rnw-open', days(1)));

    it('isOneOf matches the listed stages only, including disabled ones (S2)', () => {
      const criteria = { attribute: 'onboarding', isOneOf: ['Kickoff', 'Implementation'] };
      expect(evaluateBoth(criteria, inKickoff)).toBe(true);
      expect(evaluateBoth(criteria, inImplementation)).toBe(true);
      expect(evaluateBoth(criteria, onboarding(frozen(STAGE.goLive, 0)))).toBe(false);
      expect(evaluateBoth(criteria, empty)).toBe(false);
      expect(evaluateBoth(criteria, missing)).toBe(false);
    });

    it('isNotOneOf matches other stages and accounts with no value, null or missing (S1)', () => {
      const criteria = { attribute: 'onboarding', isNotOneOf: ['Kickoff'] };
      expect(evaluateBoth(criteria, inKickoff)).toBe(false);
      expect(evaluateBoth(criteria, inImplementation)).toBe(true);
      expect(evaluateBoth(criteria, empty)).toBe(true);
      expect(evaluateBoth(criteria, missing)).toBe(true);
      expect(evaluateBoth(criteria, otherAttributeOnly)).toBe(true);
    });

    it('doesNotExist matches a null value and a missing attribute ("None")', () => {
      const criteria = { attribute: 'onboarding', doesNotExist: true };
      expect(evaluateBoth(criteria, empty)).toBe(true);
      expect(evaluateBoth(criteria, missing)).toBe(true);
      expect(evaluateBoth(criteria, otherAttributeOnly)).toBe(true);
      expect(evaluateBoth(criteria, inKickoff)).toBe(false);
      expect(evaluateBoth(criteria, onboarding(frozen(STAGE.goLive, 0)))).toBe(false);
    });

    it('stage ids survive a rename: criteria saved in canonical form still match', () => {
      const saved = canonicalCriteria(resolve({ attribute: 'onboarding', isOneOf: ['Kickoff'] }));
      const renamedCatalog = catalogOf({
        key: 'onboarding',
        stages: ONBOARDING_STAGES.map((s) => (s.id === STAGE.kickoff ? { ...s, name: 'Welcome' } : s)),
      });
      const reloaded = validateCriteria(saved, renamedCatalog);
      expect(reloaded.ok).toBe(true);
      if (reloaded.ok) {
        expect(matches(reloaded.criteria, inKickoff, NOW)).toBe(true);
        expect(evaluate(mongoQuery(reloaded.criteria, NOW), inKickoff)).toBe(true);
      }
    });
  });

  describe('day comparisons at exact day boundaries', () => {
    const N = 5;
    const offsets = [N * MS_PER_DAY - 1, N * MS_PER_DAY, N * MS_PER_DAY + 1, (N + 1) * MS_PER_DAY - 1, (N + 1) * MS_PER_DAY];
    const cases: [string, Record<string, number>, (days: number) => boolean][] = [
      ['gt', { gt: N }, (d) => d > N],
      ['gte', { gte: N }, (d) => d >= N],
      ['lt', { lt: N }, (d) => d < N],
      ['lte', { lte: N }, (d) => d <= N],
      ['eq', { eq: N }, (d) => d === N],
      ['gte+lt', { gte: N, lt: N + 1 }, (d) => d >= N && d < N + 1],
      ['contradiction', { gt: N, lt: N }, () => false],
    ];

    describe.each(['daysInStage', 'daysInAttribute'] as const)('%s', (counter) => {
      it.each(cases)('%s %j, running and frozen clocks', (_name, comparison, expected) => {
        for (const ms of offsets) {
          const criteria = { attribute: 'onboarding', isOneOf: ['Kickoff', 'Go Live'], [counter]: comparison };
          const wholeDays = Math.floor(ms / MS_PER_DAY);
          const runningState = counter === 'daysInStage' ? running(STAGE.kickoff, ms, days(50)) : running(STAGE.kickoff, days(50), ms);
          const frozenState = counter === 'daysInStage' ? frozen(STAGE.goLive, ms, days(50)) : frozen(STAGE.goLive, days(50), ms);
          expect([ms, evaluateBoth(criteria, onboarding(runningState))]).toEqual([ms, expected(wholeDays)]);
          expect([ms, evaluateBoth(criteria, onboarding(frozenState))]).toEqual([ms, expected(wholeDays)]);
        }
      });
    });

    it('day 0 and sub-day clocks', () => {
      const criteria = { attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { eq: 0 } };
      expect(evaluateBoth(criteria, onboarding(running(STAGE.kickoff, 0)))).toBe(true);
      expect(evaluateBoth(criteria, onboarding(running(STAGE.kickoff, MS_PER_DAY - 1)))).toBe(true);
      expect(evaluateBoth(criteria, onboarding(running(STAGE.kickoff, MS_PER_DAY)))).toBe(false);
    });

    it('canceled accounts never match days comparisons, but still match plain isOneOf (L10, S2)', () => {
      const state = running(STAGE.kickoff, days(40));
      const days31 = { attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { gt: 30 } };
      const under31 = { attribute: 'onboarding', isOneOf: ['Kickoff'], daysInAttribute: { lt: 31 } };
      expect(evaluateBoth(days31, onboarding(state))).toBe(true);
      expect(evaluateBoth(days31, onboarding(state, { canceled: true }))).toBe(false);
      expect(evaluateBoth(under31, onboarding(running(STAGE.kickoff, days(1)), { canceled: true }))).toBe(false);
      expect(evaluateBoth({ attribute: 'onboarding', isOneOf: ['Kickoff'] }, onboarding(state, { canceled: true }))).toBe(true);
    });

    it('both comparisons must hold when daysInStage and daysInAttribute are combined', () => {
      const criteria = { attribute: 'onboarding', isOneOf: ['Configuration'], daysInStage: { gte: 3 }, daysInAttribute: { lt: 10 } };
      expect(evaluateBoth(criteria, onboarding(running(STAGE.configuration, days(3), days(9))))).toBe(true);
      expect(evaluateBoth(criteria, onboarding(running(STAGE.configuration, days(3), days(10))))).toBe(false);
      expect(evaluateBoth(criteria, onboarding(running(STAGE.configuration, days(2), days(9))))).toBe(false);
    });

    it('unknown clocks never match: running without a clock start, stopped without frozen values', () => {
      const criteria = { attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { lt: 100 } };
      expect(evaluateBoth(criteria, onboarding({ ...running(STAGE.kickoff, 0), stageClockStart: null }))).toBe(false);
      expect(evaluateBoth(criteria, onboarding({ ...running(STAGE.kickoff, 0), running: false }))).toBe(false);
      expect(evaluateBoth(criteria, onboarding({ ...frozen(STAGE.kickoff, 0), running: true }))).toBe(false);
    });

    it('derives whole-day bounds for every operator', () => {
      expect(dayBounds({ gt: 3 })).toEqual({ minDays: 4, maxDaysExclusive: null });
      expect(dayBounds({ gte: 3 })).toEqual({ minDays: 3, maxDaysExclusive: null });
      expect(dayBounds({ lt: 3 })).toEqual({ minDays: null, maxDaysExclusive: 3 });
      expect(dayBounds({ lte: 3 })).toEqual({ minDays: null, maxDaysExclusive: 4 });
      expect(dayBounds({ eq: 3 })).toEqual({ minDays: 3, maxDaysExclusive: 4 });
      expect(dayBounds({ gt: 1, gte: 5, lt: 9, lte: 6 })).toEqual({ minDays: 5, maxDaysExclusive: 7 });
    });
  });

  describe('changed', () => {
    const history: AttributeTransition[] = [
      transition(null, STAGE.kickoff, ago(days(40))),
      transition(STAGE.kickoff, STAGE.configuration, ago(days(20))),
      transition(STAGE.configuration, STAGE.kickoff, ago(days(3))),
    ];
    const acc = onboarding(running(STAGE.kickoff, days(3), days(40), { transitions: history }));

    it('with only toStage', () => {
      expect(evaluateBoth({ attribute: 'onboarding', changed: { toStage: 'Configuration' } }, acc)).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', changed: { toStage: 'Go Live' } }, acc)).toBe(false);
    });

    it('with only fromStage, null meaning "was empty"', () => {
      expect(evaluateBoth({ attribute: 'onboarding', changed: { fromStage: 'Configuration' } }, acc)).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', changed: { fromStage: null } }, acc)).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', changed: { fromStage: 'Implementation' } }, acc)).toBe(false);
    });

    it('a window excludes older changes', () => {
      expect(evaluateBoth({ attribute: 'onboarding', changed: { lastDays: 7 } }, acc)).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', changed: { lastDays: 7, toStage: 'Configuration' } }, acc)).toBe(false);
      expect(evaluateBoth({ attribute: 'onboarding', changed: { lastDays: 30, toStage: 'Configuration' } }, acc)).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', changed: { lastDays: 2 } }, acc)).toBe(false);
    });

    it('lastDays includes exactly N·24h ago and excludes a millisecond earlier', () => {
      const at = (ms: number): AccountProjection =>
        onboarding(running(STAGE.kickoff, 0, 0, { transitions: [transition(null, STAGE.kickoff, ago(ms))] }));
      expect(evaluateBoth({ attribute: 'onboarding', changed: { lastDays: 3 } }, at(days(3)))).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', changed: { lastDays: 3 } }, at(days(3) + 1))).toBe(false);
      expect(evaluateBoth({ attribute: 'onboarding', changed: { lastDays: 3 } }, at(0))).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', changed: { lastDays: 3 } }, at(-1))).toBe(false);
    });

    it('a from/to window: from inclusive, date-time to exclusive, date-only to through the whole day', () => {
      const at = (iso: string): AccountProjection =>
        onboarding(running(STAGE.kickoff, 0, 0, { transitions: [transition(STAGE.configuration, STAGE.kickoff, new Date(iso))] }));
      const window = { from: '2024-06-01', to: '2024-06-10' };
      expect(evaluateBoth({ attribute: 'onboarding', changed: window }, at('2024-06-01T00:00:00Z'))).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', changed: window }, at('2024-05-31T23:59:59.999Z'))).toBe(false);
      expect(evaluateBoth({ attribute: 'onboarding', changed: window }, at('2024-06-10T23:59:59.999Z'))).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', changed: window }, at('2024-06-11T00:00:00Z'))).toBe(false);
      const exclusive = { from: '2024-06-01T00:00:00Z', to: '2024-06-10T00:00:00Z', toStage: 'Kickoff' };
      expect(evaluateBoth({ attribute: 'onboarding', changed: exclusive }, at('2024-06-10T00:00:00Z'))).toBe(false);
      expect(evaluateBoth({ attribute: 'onboarding', changed: exclusive }, at('2024-06-09T23:59:59.999Z'))).toBe(true);
    });

    it('from and to stage must belong to the same change', () => {
      expect(evaluateBoth({ attribute: 'onboarding', changed: { fromStage: 'Kickoff', toStage: 'Configuration' } }, acc)).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', changed: { fromStage: null, toStage: 'Configuration' } }, acc)).toBe(false);
    });

    it('a clear is a change to null; accounts without history never match', () => {
      const cleared = onboarding(
        noValue({ transitions: [transition(null, STAGE.kickoff, ago(days(5))), transition(STAGE.kickoff, null, ago(days(1)))] }),
      );
      expect(evaluateBoth({ attribute: 'onboarding', changed: { lastDays: 2, toStage: null } }, cleared)).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', changed: { lastDays: 2, toStage: null } }, account())).toBe(false);
    });
  });

  describe('completed', () => {
    const completions = [ago(days(400)), ago(days(100)), ago(days(10))];
    const threeCycles = onboarding(running(STAGE.kickoff, days(1), days(1), { cycle: 4, completedCycles: 3, completions }));

    it('without a window: at least one completed cycle, whatever the current stage', () => {
      expect(evaluateBoth({ attribute: 'onboarding', completed: true }, threeCycles)).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', completed: true }, onboarding(running(STAGE.kickoff, 0)))).toBe(false);
      expect(
        evaluateBoth({ attribute: 'onboarding', completed: true }, onboarding(noValue({ completedCycles: 1, completions: [ago(5)] }))),
      ).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', completed: true }, account())).toBe(false);
    });

    it('with a window: any of the cycles completed in it', () => {
      expect(evaluateBoth({ attribute: 'onboarding', completed: { lastDays: 30 } }, threeCycles)).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', completed: { lastDays: 9 } }, threeCycles)).toBe(false);
      expect(evaluateBoth({ attribute: 'onboarding', completed: { lastDays: 100 } }, threeCycles)).toBe(true);
      const window = { from: ago(days(200)).toISOString(), to: ago(days(50)).toISOString() };
      expect(evaluateBoth({ attribute: 'onboarding', completed: window }, threeCycles)).toBe(true);
      expect(evaluateBoth({ attribute: 'onboarding', completed: { to: ago(days(400)).toISOString() } }, threeCycles)).toBe(false);
      expect(evaluateBoth({ attribute: 'onboarding', completed: { from: ago(days(9)).toISOString() } }, threeCycles)).toBe(false);
    });
  });

  describe('account conditions', () => {
    it('clientType and ownerId: listed values only; null never matches', () => {
      expect(evaluateBoth({ field: 'clientType', isOneOf: ['enterprise', 'smb'] }, account({ clientType: 'smb' }))).toBe(true);
      expect(evaluateBoth({ field: 'clientType', isOneOf: ['enterprise'] }, account({ clientType: 'smb' }))).toBe(false);
      expect(evaluateBoth({ field: 'clientType', isOneOf: ['enterprise'] }, account({ clientType: null }))).toBe(false);
      expect(evaluateBoth({ field: 'ownerId', isOneOf: ['csm-1'] }, account())).toBe(true);
      expect(evaluateBoth({ field: 'ownerId', isOneOf: ['csm-2'] }, account({ ownerId: null }))).toBe(false);
    });

    it('canceled', () => {
      expect(evaluateBoth({ field: 'canceled', is: true }, account({ canceled: true }))).toBe(true);
      expect(evaluateBoth({ field: 'canceled', is: false }, account({ canceled: true }))).toBe(false);
    });

    it('renewal date within N days: [now, now + N days], active subscription only', () => {
      const renewing = (ms: number, active = true): AccountProjection =>
        account({ renewalDate: new Date(NOW.getTime() + ms), subscriptionActive: active });
      const criteria = { field: 'renewalDate', withinDays: 30 };
      expect(evaluateBoth(criteria, renewing(0))).toBe(true);
      expect(evaluateBoth(criteria, renewing(days(30)))).toBe(true);
      expect(evaluateBoth(criteria, renewing(days(30) + 1))).toBe(false);
      expect(evaluateBoth(criteria, renewing(-1))).toBe(false);
      expect(evaluateBoth(criteria, renewing(days(1), false))).toBe(false);
      expect(evaluateBoth(criteria, account({ renewalDate: null }))).toBe(false);
    });
  });

  describe('groups', () => {
    it('all / any combine their children', () => {
      const acc = onboarding(running(STAGE.kickoff, days(35)), { clientType: 'smb' });
      const stuck = { attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { gt: 30 } };
      expect(evaluateBoth({ all: [stuck, { field: 'clientType', isOneOf: ['smb'] }] }, acc)).toBe(true);
      expect(evaluateBoth({ all: [stuck, { field: 'clientType', isOneOf: ['enterprise'] }] }, acc)).toBe(false);
      expect(evaluateBoth({ any: [{ field: 'clientType', isOneOf: ['enterprise'] }, stuck] }, acc)).toBe(true);
      expect(
        evaluateBoth(
          {
            any: [
              { field: 'canceled', is: true },
              { attribute: 'renewal', completed: true },
            ],
          },
          acc,
        ),
      ).toBe(false);
    });
  });

  describe('isTimeBased / referencedAttributes', () => {
    it.each<[unknown, boolean]>([
      [{ attribute: 'onboarding', isOneOf: ['Kickoff'] }, false],
      [{ attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { gt: 1 } }, true],
      [{ attribute: 'onboarding', isOneOf: ['Kickoff'], daysInAttribute: { gt: 1 } }, true],
      [{ attribute: 'onboarding', isNotOneOf: ['Kickoff'] }, false],
      [{ attribute: 'onboarding', doesNotExist: true }, false],
      [{ attribute: 'onboarding', changed: { lastDays: 3 } }, true],
      [{ attribute: 'onboarding', changed: { from: '2024-01-01' } }, false],
      [{ attribute: 'onboarding', changed: { toStage: 'Kickoff' } }, false],
      [{ attribute: 'onboarding', completed: true }, false],
      [{ attribute: 'onboarding', completed: { lastDays: 3 } }, true],
      [{ attribute: 'onboarding', completed: { from: '2024-01-01', to: '2024-02-01' } }, false],
      [{ field: 'renewalDate', withinDays: 3 }, true],
      [{ field: 'clientType', isOneOf: ['smb'] }, false],
      [
        {
          all: [
            { field: 'canceled', is: false },
            {
              any: [
                { field: 'ownerId', isOneOf: ['u'] },
                { field: 'renewalDate', withinDays: 3 },
              ],
            },
          ],
        },
        true,
      ],
      [{ all: [{ field: 'canceled', is: false }, { any: [{ field: 'ownerId', isOneOf: ['u'] }] }] }, false],
    ])('%j → %s', (input, expected) => {
      expect(isTimeBased(resolve(input))).toBe(expected);
    });

    it('lists every attribute once, sorted', () => {
      const resolved = resolve({
        any: [
          { attribute: 'renewal', completed: true },
          {
            all: [
              { attribute: 'onboarding', doesNotExist: true },
              { attribute: 'renewal', isNotOneOf: ['Won'] },
              { field: 'canceled', is: false },
            ],
          },
        ],
      });
      expect(referencedAttributes(resolved)).toEqual(['onboarding', 'renewal']);
      expect(referencedAttributes(resolve({ field: 'canceled', is: false }))).toEqual([]);
    });
  });

  describe('agrees with the matcher (property)', () => {
    const ATTRIBUTES = [ONBOARDING, RENEWAL];
    const ISO_CHOICES = [
      '2024-06-10',
      '2024-06-12',
      '2024-06-13T12:00:00Z',
      '2024-06-14T00:00:00.000Z',
      '2024-06-15',
      '2024-06-15T12:00:00Z',
    ];
    const MAX_DAYS = 6;

    /** ms near whole-day boundaries (where off-by-one errors live), or anywhere, sometimes negative. */
    const msArb = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: MAX_DAYS + 1 }), fc.constantFrom(-1, 0, 1)).map(([d, o]) => d * MS_PER_DAY + o),
      fc.integer({ min: -MS_PER_DAY, max: (MAX_DAYS + 2) * MS_PER_DAY }),
    );
    const instantArb = fc.oneof(
      msArb.map((ms) => ago(ms)),
      fc.constantFrom(...ISO_CHOICES).chain((iso) => fc.constantFrom(-1, 0, 1).map((o) => new Date(new Date(iso).getTime() + o))),
    );

    const stageIdArb = (key: string): fc.Arbitrary<string> => {
      const attribute = ATTRIBUTES.find((a) => a.key === key) ?? ONBOARDING;
      return fc.constantFrom(...attribute.stages.map((s) => s.id));
    };

    const stateArb = (key: string): fc.Arbitrary<AttributeProjection | undefined> => {
      const maybeStage = fc.option(stageIdArb(key), { nil: null });
      const transitionArb = fc.record({ from: maybeStage, to: maybeStage, at: instantArb });
      const common = fc.record({
        stageId: maybeStage,
        cycle: fc.nat(4),
        completedCycles: fc.nat(3),
        completions: fc.array(instantArb, { maxLength: 3 }),
        transitions: fc.array(transitionArb, { maxLength: 4 }),
      });
      const runningArb = fc.tuple(common, msArb, msArb, fc.boolean()).map(([c, stageMs, attributeMs, broken]) => ({
        ...c,
        running: true,
        stageClockStart: broken ? null : ago(stageMs),
        attributeClockStart: ago(attributeMs),
        frozenStageMs: null,
        frozenAttributeMs: null,
      }));
      const frozenArb = fc.tuple(common, msArb, fc.option(msArb, { nil: null })).map(([c, stageMs, attributeMs]) => ({
        ...c,
        running: false,
        stageClockStart: null,
        attributeClockStart: null,
        frozenStageMs: stageMs,
        frozenAttributeMs: attributeMs,
      }));
      return fc.oneof(fc.constant(undefined), runningArb, frozenArb);
    };

    const accountArb: fc.Arbitrary<AccountProjection> = fc
      .record({
        clientType: fc.constantFrom(null, 'enterprise', 'smb'),
        ownerId: fc.constantFrom(null, 'u-1', 'u-2'),
        canceled: fc.boolean(),
        subscriptionActive: fc.boolean(),
        renewalDate: fc.option(
          msArb.map((ms) => new Date(NOW.getTime() + ms - MS_PER_DAY)),
          { nil: null },
        ),
        onboarding: stateArb('onboarding'),
        renewal: stateArb('renewal'),
      })
      .map(({ onboarding: o, renewal: r, ...facts }) => {
        const lifecycle: Record<string, AttributeProjection> = {};
        if (o !== undefined) lifecycle['onboarding'] = o;
        if (r !== undefined) lifecycle['renewal'] = r;
        return { _id: 'acc', name: 'Acc', ...facts, lifecycle };
      });

    /** A stage reference as a client writes it: id, or name in any case. */
    const stageRefArb = (key: string): fc.Arbitrary<string> => {
      const attribute = ATTRIBUTES.find((a) => a.key === key) ?? ONBOARDING;
      return fc
        .tuple(fc.constantFrom(...attribute.stages), fc.constantFrom('id', 'name', 'upper'))
        .map(([s, form]) => (form === 'id' ? s.id : form === 'name' ? s.name : s.name.toUpperCase()));
    };
    const comparisonArb = fc
      .record(
        { gt: fc.nat(MAX_DAYS), gte: fc.nat(MAX_DAYS), lt: fc.nat(MAX_DAYS), lte: fc.nat(MAX_DAYS), eq: fc.nat(MAX_DAYS) },
        { requiredKeys: [] },
      )
      .filter((c) => Object.keys(c).length > 0);
    const windowArb = fc.oneof(
      fc.constant({}),
      fc.integer({ min: 1, max: MAX_DAYS }).map((lastDays) => ({ lastDays })),
      fc.tuple(fc.constantFrom(...ISO_CHOICES), fc.constantFrom(...ISO_CHOICES)).map(([a, b]) => ({ from: a, to: b })),
      fc.constantFrom(...ISO_CHOICES).map((from) => ({ from })),
      fc.constantFrom(...ISO_CHOICES).map((to) => ({ to })),
    );

    const conditionArb: fc.Arbitrary<unknown> = fc.constantFrom('onboarding', 'renewal').chain((attribute) =>
      fc.oneof(
        fc
          .record(
            {
              stages: fc.array(stageRefArb(attribute), { minLength: 1, maxLength: 3 }),
              daysInStage: comparisonArb,
              daysInAttribute: comparisonArb,
            },
            { requiredKeys: ['stages'] },
          )
          .map(({ stages, ...dayComparisons }) => ({ attribute, isOneOf: stages, ...dayComparisons })),
        fc.array(stageRefArb(attribute), { minLength: 1, maxLength: 3 }).map((stages) => ({ attribute, isNotOneOf: stages })),
        fc
          .record(
            {
              window: windowArb,
              fromStage: fc.option(stageRefArb(attribute), { nil: null }),
              toStage: fc.option(stageRefArb(attribute), { nil: null }),
            },
            { requiredKeys: ['window'] },
          )
          .map(({ window, ...stages }) => ({ attribute, changed: { ...window, ...stages } })),
        windowArb.map((window) => ({ attribute, completed: Object.keys(window).length === 0 ? true : window })),
        fc.constant({ attribute, doesNotExist: true }),
        fc
          .array(fc.constantFrom('enterprise', 'smb', 'mid'), { minLength: 1, maxLength: 2 })
          .map((values) => ({ field: 'clientType', isOneOf: values })),
        fc
          .array(fc.constantFrom('u-1', 'u-2', 'u-3'), { minLength: 1, maxLength: 2 })
          .map((values) => ({ field: 'ownerId', isOneOf: values })),
        fc.boolean().map((is) => ({ field: 'canceled', is })),
        fc.integer({ min: 1, max: MAX_DAYS }).map((withinDays) => ({ field: 'renewalDate', withinDays })),
      ),
    );

    const criteriaArb = (depth: number): fc.Arbitrary<unknown> =>
      depth === 0
        ? conditionArb
        : fc.oneof(
            { weight: 2, arbitrary: conditionArb },
            {
              weight: 1,
              arbitrary: fc
                .tuple(fc.constantFrom('all', 'any'), fc.array(criteriaArb(depth - 1), { minLength: 1, maxLength: 3 }))
                .map(([group, children]) => ({ [group]: children })),
            },
          );

    it('the MongoDB query ≡ matches(), for random criteria and projections', () => {
      let validated = 0;
      fc.assert(
        fc.property(criteriaArb(3), fc.array(accountArb, { minLength: 1, maxLength: 12 }), (input, accounts) => {
          const result = validateCriteria(input, CATALOG);
          // Generated criteria may be contradictory in ways validation rightly rejects
          // (empty `changed`, from ≥ to, fromStage = toStage); those say nothing here.
          if (!result.ok) return;
          validated += 1;
          const filter = mongoQuery(result.criteria, NOW);
          for (const op of operatorsIn(filter)) expect(ALLOWED_OPERATORS.has(op)).toBe(true);
          const disagreements = accounts.filter((doc) => evaluate(filter, doc) !== matches(result.criteria, doc, NOW));
          expect(disagreements).toEqual([]);
          // The canonical form (stage ids, ISO date-times) is a fixed point of validation.
          const again = validateCriteria(JSON.parse(JSON.stringify(canonicalCriteria(result.criteria))), CATALOG);
          expect(again).toEqual(result);
        }),
        { numRuns: 250, seed: 20240615 },
      );
      expect(validated).toBeGreaterThan(150);
    });

    it('the query for an engine without subdocument $elemMatch ≡ matches(), over the stored keys, for random criteria and projections', () => {
      let validated = 0;
      fc.assert(
        fc.property(criteriaArb(3), fc.array(accountArb, { minLength: 1, maxLength: 12 }), (input, accounts) => {
          const result = validateCriteria(input, CATALOG);
          if (!result.ok) return;
          validated += 1;
          const filter = criteriaQuery(result.criteria, NOW, ENGINES.ferretdb);
          expect([...operatorsIn(filter)].filter((op) => !REGEX_MODE_OPERATORS.has(op) || op === '$elemMatch')).toEqual([]);
          const disagreements = accounts.filter((doc) => evaluate(filter, storedWithKeys(doc)) !== matches(result.criteria, doc, NOW));
          expect(disagreements).toEqual([]);
        }),
        { numRuns: 250, seed: 20240616 },
      );
      expect(validated).toBeGreaterThan(150);
    });

    it('transitions and change keys keep stages apart whatever characters stage ids contain', () => {
      let checked = 0;
      let valid = 0;
      const idArb = fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', 'b', '|', ':', '>', '~', '%', '7', 'C', 'é', ' ') });
      fc.assert(
        fc.property(
          fc.uniqueArray(idArb, { minLength: 3, maxLength: 3 }),
          fc.array(fc.record({ from: fc.nat(3), to: fc.nat(3), at: instantArb }), { maxLength: 5 }),
          fc.nat(3),
          fc.nat(3),
          windowArb,
          (ids, raw, fromIndex, toIndex, window) => {
            checked += 1;
            const stages = ids.map((id, i) => ({ id, name: `Stage ${i}`, order: i, disabled: false, endStage: i === 2 }));
            const catalog = catalogOf({ key: 'weird', stages });
            const pick = (i: number): string | null => (i === 3 ? null : (ids[i] ?? null));
            const transitions = raw.map((t) => transition(pick(t.from), pick(t.to), t.at));
            const doc = withAttribute('weird', running(ids[0] ?? 'x', 0, 0, { transitions }));
            const result = validateCriteria(
              { attribute: 'weird', changed: { ...window, fromStage: pick(fromIndex), toStage: pick(toIndex) } },
              catalog,
            );
            if (!result.ok) return; // fromStage = toStage, or a blank id
            valid += 1;
            expect(evaluate(mongoQuery(result.criteria, NOW), doc)).toBe(matches(result.criteria, doc, NOW));
            expect(evaluate(criteriaQuery(result.criteria, NOW, ENGINES.ferretdb), storedWithKeys(doc))).toBe(
              matches(result.criteria, doc, NOW),
            );
          },
        ),
        { numRuns: 400, seed: 99 },
      );
      expect(valid).toBeGreaterThan(checked / 2);
    });

    it('day comparisons agree at every offset around the boundaries, running and frozen', () => {
      fc.assert(
        fc.property(comparisonArb, msArb, fc.boolean(), fc.boolean(), (comparison, ms, isRunning, canceled) => {
          const state = isRunning ? running(STAGE.kickoff, ms, ms) : frozen(STAGE.kickoff, ms, ms);
          const input = { attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: comparison, daysInAttribute: comparison };
          const resolved = resolve(input);
          const doc = onboarding(state, { canceled });
          expect(evaluate(mongoQuery(resolved, NOW), doc)).toBe(matches(resolved, doc, NOW));
        }),
        { numRuns: 500, seed: 7 },
      );
    });
  });
});
