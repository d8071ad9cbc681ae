import type { ResolvedCriteria } from './criteria';
import { canonicalCriteria } from './criteria';
import type { CriteriaValidationResult } from './criteria-validation';
import { CRITERIA_LIMITS } from './criteria-input';
import { resolveCriteria, validateCriteria } from './criteria-validation';
import { SegmentError, SegmentErrorCode } from './segment-errors';
import { CATALOG, catalogOf, ONBOARDING, ONBOARDING_STAGES, RENEWAL, STAGE } from './testing/account-projection.builder';

function ok(input: unknown): ResolvedCriteria {
  const result = validateCriteria(input, CATALOG);
  if (!result.ok) throw new Error(`expected valid criteria, got ${JSON.stringify(result.errors)}`);
  return result.criteria;
}

function errors(input: unknown): { path: string; message: string }[] {
  const result: CriteriaValidationResult = validateCriteria(input, CATALOG);
  if (result.ok) throw new Error('expected invalid criteria');
  return result.errors;
}

function paths(input: unknown): string[] {
  return errors(input).map((e) => e.path);
}

function nest(depth: number): unknown {
  let node: unknown = { attribute: 'onboarding', doesNotExist: true };
  for (let level = 1; level < depth; level += 1) node = { all: [node] };
  return node;
}

describe('validateCriteria', () => {
  describe('stage resolution (A5, S2)', () => {
    it('resolves stage names case-insensitively and stage ids to ids, without duplicates', () => {
      expect(ok({ attribute: 'onboarding', isOneOf: ['kickoff', ' CONFIGURATION ', STAGE.kickoff] })).toEqual({
        kind: 'stageIn',
        attribute: 'onboarding',
        stageIds: [STAGE.kickoff, STAGE.configuration],
        daysInStage: null,
        daysInAttribute: null,
      });
    });

    it('accepts disabled stages by name and by id', () => {
      expect(ok({ attribute: 'onboarding', isNotOneOf: ['Implementation', STAGE.implementation] })).toEqual({
        kind: 'stageNotIn',
        attribute: 'onboarding',
        stageIds: [STAGE.implementation],
      });
    });

    it('after a rename, resolves the new name and the id, and rejects the old name', () => {
      const renamed = catalogOf({
        key: 'onboarding',
        stages: ONBOARDING_STAGES.map((s) => (s.id === STAGE.kickoff ? { ...s, name: 'Welcome Call' } : s)),
      });
      const byNewName = validateCriteria({ attribute: 'onboarding', isOneOf: ['welcome call'] }, renamed);
      const byId = validateCriteria({ attribute: 'onboarding', isOneOf: [STAGE.kickoff] }, renamed);
      const byOldName = validateCriteria({ attribute: 'onboarding', isOneOf: ['Kickoff'] }, renamed);
      expect(byNewName.ok && byNewName.criteria).toMatchObject({ stageIds: [STAGE.kickoff] });
      expect(byId.ok && byId.criteria).toMatchObject({ stageIds: [STAGE.kickoff] });
      expect(byOldName).toEqual({ ok: false, errors: [expect.objectContaining({ path: 'isOneOf[0]' })] });
    });

    it('prefers an exact id over a stage whose name equals that id', () => {
      const tricky = catalogOf({
        key: 'onboarding',
        stages: [
          { id: 'a', name: 'b', order: 1, disabled: false, endStage: false },
          { id: 'b', name: 'c', order: 2, disabled: false, endStage: true },
        ],
      });
      const result = validateCriteria({ attribute: 'onboarding', isOneOf: ['b'] }, tricky);
      expect(result.ok && result.criteria).toMatchObject({ stageIds: ['b'] });
    });

    it('reports an unknown stage with its path and the attribute stages', () => {
      const [error] = errors({
        all: [
          { field: 'canceled', is: false },
          { attribute: 'onboarding', isOneOf: ['Nope'] },
        ],
      });
      expect(error?.path).toBe('all[1].isOneOf[0]');
      expect(error?.message).toBe(
        'unknown stage "Nope" of attribute "onboarding"; its stages are: "Kickoff" (id stg-kickoff), "Configuration" (id stg-config), ' +
          '"Implementation" (id stg-impl, disabled), "Go Live" (id stg-golive, end stage)',
      );
    });

    it('reports an unknown attribute and lists the known ones', () => {
      expect(errors({ any: [{ attribute: 'adoption', doesNotExist: true }] })).toEqual([
        { path: 'any[0].attribute', message: 'unknown attribute "adoption"; known attributes: onboarding, renewal' },
      ]);
      expect(validateCriteria({ attribute: 'x', doesNotExist: true }, catalogOf())).toEqual({
        ok: false,
        errors: [{ path: 'attribute', message: 'unknown attribute "x"; no attributes are defined' }],
      });
    });

    it('rejects catalog keys that cannot be part of a query path', () => {
      const bad = catalogOf({ ...ONBOARDING, key: 'on.boarding' });
      expect(validateCriteria({ attribute: 'on.boarding', doesNotExist: true }, bad)).toMatchObject({
        ok: false,
        errors: [{ path: 'attribute' }],
      });
    });
  });

  describe('every condition', () => {
    it('resolves isOneOf with day comparisons', () => {
      expect(
        ok({ attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { gt: 30 }, daysInAttribute: { gte: 0, lte: 90, eq: 5, lt: 7 } }),
      ).toEqual({
        kind: 'stageIn',
        attribute: 'onboarding',
        stageIds: [STAGE.kickoff],
        daysInStage: { gt: 30 },
        daysInAttribute: { gte: 0, lte: 90, eq: 5, lt: 7 },
      });
    });

    it('resolves business-day comparisons beside isOneOf and the sla statuses in their fixed order (B5)', () => {
      expect(
        ok({ attribute: 'onboarding', isOneOf: ['Kickoff'], businessDaysInStage: { gt: 5 }, businessDaysInAttribute: { lte: 20 } }),
      ).toEqual({
        kind: 'stageIn',
        attribute: 'onboarding',
        stageIds: [STAGE.kickoff],
        daysInStage: null,
        daysInAttribute: null,
        businessDaysInStage: { gt: 5 },
        businessDaysInAttribute: { lte: 20 },
      });
      expect(ok({ attribute: 'onboarding', sla: ['overdue', 'at-risk', 'overdue'] })).toEqual({
        kind: 'slaIn',
        attribute: 'onboarding',
        statuses: ['at-risk', 'overdue'],
      });
      const resolved = ok({ attribute: 'onboarding', sla: ['none'] });
      expect(validateCriteria(canonicalCriteria(resolved), CATALOG)).toEqual({ ok: true, criteria: resolved });
    });

    it('refuses unknown SLA statuses, an empty list, and business days without isOneOf, naming what is allowed (B5)', () => {
      expect(errors({ attribute: 'onboarding', sla: ['late', 'overdue'] })).toEqual([
        { path: 'sla[0]', message: 'unknown SLA status "late"; allowed: "on-track", "at-risk", "overdue", "none"' },
      ]);
      expect(paths({ attribute: 'onboarding', sla: [] })).toEqual(['sla']);
      expect(paths({ attribute: 'onboarding', sla: 'overdue' })).toEqual(['sla']);
      expect(errors({ attribute: 'onboarding', doesNotExist: true, businessDaysInStage: { gt: 1 } })).toEqual([
        { path: 'businessDaysInStage', message: '"businessDaysInStage" is only allowed with "isOneOf"' },
      ]);
      expect(paths({ attribute: 'onboarding', isOneOf: ['Kickoff'], businessDaysInStage: { gt: -1 } })).toEqual(['businessDaysInStage.gt']);
      expect(paths({ attribute: 'onboarding', sla: ['overdue'], isOneOf: ['Kickoff'] })).toEqual(['']);
    });

    it('resolves changed windows and stages, null meaning "None"', () => {
      expect(ok({ attribute: 'onboarding', changed: { lastDays: 7, toStage: 'go live' } })).toEqual({
        kind: 'changed',
        attribute: 'onboarding',
        window: { kind: 'lastDays', days: 7 },
        fromStageId: undefined,
        toStageId: STAGE.goLive,
      });
      expect(ok({ attribute: 'onboarding', changed: { fromStage: null } })).toEqual({
        kind: 'changed',
        attribute: 'onboarding',
        window: { kind: 'anyTime' },
        fromStageId: null,
        toStageId: undefined,
      });
    });

    it('reads a date-only "to" as the whole day and a date-time "to" as exclusive', () => {
      expect(ok({ attribute: 'onboarding', changed: { from: '2024-01-01', to: '2024-01-31' } })).toMatchObject({
        window: { kind: 'between', from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-02-01T00:00:00Z') },
      });
      expect(ok({ attribute: 'onboarding', completed: { from: '2024-01-01T10:00:00+02:00', to: '2024-01-31T00:00:00.5Z' } })).toEqual({
        kind: 'completed',
        attribute: 'onboarding',
        window: { kind: 'between', from: new Date('2024-01-01T08:00:00Z'), to: new Date('2024-01-31T00:00:00.500Z') },
      });
      expect(ok({ attribute: 'onboarding', completed: { to: '2024-02-29' } })).toMatchObject({
        window: { kind: 'between', from: null, to: new Date('2024-03-01T00:00:00Z') },
      });
    });

    it('resolves completed, doesNotExist and the account conditions', () => {
      expect(ok({ attribute: 'renewal', completed: true })).toEqual({
        kind: 'completed',
        attribute: 'renewal',
        window: { kind: 'anyTime' },
      });
      expect(ok({ attribute: 'renewal', completed: {} })).toEqual({ kind: 'completed', attribute: 'renewal', window: { kind: 'anyTime' } });
      expect(ok({ attribute: 'renewal', completed: { lastDays: 90 } })).toMatchObject({ window: { kind: 'lastDays', days: 90 } });
      expect(ok({ attribute: 'renewal', doesNotExist: true })).toEqual({ kind: 'doesNotExist', attribute: 'renewal' });
      expect(ok({ field: 'clientType', isOneOf: ['smb', 'smb', 'enterprise'] })).toEqual({
        kind: 'clientTypeIn',
        values: ['smb', 'enterprise'],
      });
      expect(ok({ field: 'ownerId', isOneOf: ['u-1'] })).toEqual({ kind: 'ownerIn', values: ['u-1'] });
      expect(ok({ field: 'canceled', is: true })).toEqual({ kind: 'canceled', value: true });
      expect(ok({ field: 'renewalDate', withinDays: 90 })).toEqual({ kind: 'renewalWithin', days: 90 });
    });

    it('resolves nested groups', () => {
      expect(ok({ any: [{ all: [{ field: 'canceled', is: false }] }, { attribute: 'renewal', doesNotExist: true }] })).toEqual({
        kind: 'any',
        children: [
          { kind: 'all', children: [{ kind: 'canceled', value: false }] },
          { kind: 'doesNotExist', attribute: 'renewal' },
        ],
      });
    });
  });

  describe('operator injection', () => {
    it.each([
      [{ $where: 'sleep(1000)' }, '$where'],
      [{ attribute: 'onboarding', doesNotExist: true, $or: [] }, '$or'],
      [{ all: [{ field: 'canceled', is: false, $expr: {} }] }, 'all[0].$expr'],
      [{ attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { $gt: 3 } }, 'daysInStage.$gt'],
      [{ attribute: 'onboarding', changed: { lastDays: 3, $ne: null } }, 'changed.$ne'],
      [{ attribute: 'onboarding', completed: { $exists: true } }, 'completed.$exists'],
    ])('rejects $-keys: %j', (input, path) => {
      expect(errors(input)).toContainEqual({ path, message: expect.stringContaining('"$" keys (query operators) are not allowed') });
    });

    it('rejects operator objects where a value is expected', () => {
      expect(paths({ attribute: 'onboarding', isOneOf: [{ $ne: 'x' }] })).toEqual(['isOneOf[0]']);
      expect(paths({ field: 'clientType', isOneOf: { $in: ['a'] } })).toEqual(['isOneOf']);
      expect(paths({ attribute: { $gt: '' }, doesNotExist: true })).toEqual(['attribute']);
      expect(paths({ field: 'canceled', is: { $ne: true } })).toEqual(['is']);
    });

    it('rejects __proto__ and other unknown keys of parsed JSON', () => {
      expect(errors(JSON.parse('{"attribute":"onboarding","doesNotExist":true,"__proto__":{"x":1}}'))).toEqual([
        { path: '__proto__', message: expect.stringContaining('unknown key "__proto__"') },
      ]);
    });
  });

  describe('shape errors', () => {
    it.each<[string, unknown, string[]]>([
      ['root not an object', 'onboarding', ['']],
      ['root an array', [], ['']],
      ['root null', null, ['']],
      ['a Date instead of a node', new Date(0), ['']],
      ['empty object', {}, ['']],
      ['group and condition mixed', { all: [], attribute: 'onboarding' }, ['']],
      ['all and any together', { all: [], any: [] }, ['']],
      ['empty all', { all: [] }, ['all']],
      ['any not an array', { any: { attribute: 'onboarding' } }, ['any']],
      ['unknown key next to a group', { all: [{ field: 'canceled', is: true }], not: true }, ['not']],
      ['no operator', { attribute: 'onboarding' }, ['']],
      ['two operators', { attribute: 'onboarding', isOneOf: ['Kickoff'], doesNotExist: true }, ['']],
      ['unknown key on a condition', { attribute: 'onboarding', doesNotExist: true, negate: true }, ['negate']],
      ['isOneOf a string', { attribute: 'onboarding', isOneOf: 'Kickoff' }, ['isOneOf']],
      ['isOneOf empty', { attribute: 'onboarding', isOneOf: [] }, ['isOneOf']],
      ['isOneOf with a number', { attribute: 'onboarding', isOneOf: ['Kickoff', 3] }, ['isOneOf[1]']],
      ['isNotOneOf with an empty name', { attribute: 'onboarding', isNotOneOf: [' '] }, ['isNotOneOf[0]']],
      ['days with isNotOneOf', { attribute: 'onboarding', isNotOneOf: ['Kickoff'], daysInStage: { gt: 1 } }, ['daysInStage']],
      ['negative days', { attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { gt: -1 } }, ['daysInStage.gt']],
      ['fractional days', { attribute: 'onboarding', isOneOf: ['Kickoff'], daysInAttribute: { lt: 1.5 } }, ['daysInAttribute.lt']],
      ['days as a string', { attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { eq: '3' } }, ['daysInStage.eq']],
      [
        'too many days',
        { attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { lte: CRITERIA_LIMITS.maxDays + 1 } },
        ['daysInStage.lte'],
      ],
      ['empty comparison', { attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: {} }, ['daysInStage']],
      ['unknown comparison', { attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { ge: 3 } }, ['daysInStage.ge', 'daysInStage']],
      ['changed without window or stage', { attribute: 'onboarding', changed: {} }, ['changed']],
      ['changed true', { attribute: 'onboarding', changed: true }, ['changed']],
      ['lastDays zero', { attribute: 'onboarding', changed: { lastDays: 0 } }, ['changed.lastDays']],
      ['lastDays with from', { attribute: 'onboarding', changed: { lastDays: 3, from: '2024-01-01' } }, ['changed']],
      ['from after to', { attribute: 'onboarding', changed: { from: '2024-02-01', to: '2024-01-01' } }, ['changed.to']],
      ['impossible date', { attribute: 'onboarding', changed: { from: '2024-02-30' } }, ['changed.from']],
      ['date-time without zone', { attribute: 'onboarding', changed: { from: '2024-02-01T10:00:00' } }, ['changed.from']],
      ['date before 1900', { attribute: 'onboarding', changed: { from: '1899-12-31T23:59:59Z' } }, ['changed.from']],
      ['date from 9000 on', { attribute: 'onboarding', completed: { to: '9000-01-01' } }, ['completed.to']],
      ['date as a number', { attribute: 'onboarding', completed: { to: 1706745600000 } }, ['completed.to']],
      ['same from and to stage', { attribute: 'onboarding', changed: { fromStage: 'Kickoff', toStage: STAGE.kickoff } }, ['changed']],
      ['unknown toStage', { attribute: 'onboarding', changed: { toStage: 'Done' } }, ['changed.toStage']],
      ['completed false', { attribute: 'onboarding', completed: false }, ['completed']],
      ['completed with a stage', { attribute: 'onboarding', completed: { toStage: 'Go Live' } }, ['completed.toStage']],
      ['doesNotExist false', { attribute: 'onboarding', doesNotExist: false }, ['doesNotExist']],
      ['unknown field', { field: 'name', isOneOf: ['Acme'] }, ['field']],
      ['field operator missing', { field: 'clientType', is: 'smb' }, ['is', '']],
      ['canceled not boolean', { field: 'canceled', is: 'false' }, ['is']],
      ['withinDays negative', { field: 'renewalDate', withinDays: -3 }, ['withinDays']],
      ['attribute not a string', { attribute: 3, doesNotExist: true }, ['attribute']],
    ])('%s', (_name, input, expectedPaths) => {
      expect(paths(input)).toEqual(expectedPaths);
    });

    it('collects every problem with its own path', () => {
      expect(
        paths({
          all: [
            { attribute: 'onboarding', isOneOf: ['Nope', 'Kickoff', 'Nada'], daysInStage: { gt: -1 } },
            {
              any: [
                { field: 'ownerId', isOneOf: [] },
                { attribute: 'adoption', doesNotExist: true },
              ],
            },
          ],
        }),
      ).toEqual(['all[0].isOneOf[0]', 'all[0].isOneOf[2]', 'all[0].daysInStage.gt', 'all[1].any[0].isOneOf', 'all[1].any[1].attribute']);
    });

    it('explains type errors in words', () => {
      expect(errors({ attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { gt: -1 } })).toEqual([
        { path: 'daysInStage.gt', message: 'must not be negative; got -1' },
      ]);
      expect(errors({ all: [] })).toEqual([{ path: 'all', message: 'must not be empty' }]);
    });
  });

  describe('limits', () => {
    it(`accepts ${CRITERIA_LIMITS.maxDepth} levels and rejects one more`, () => {
      expect(validateCriteria(nest(CRITERIA_LIMITS.maxDepth), CATALOG).ok).toBe(true);
      const tooDeep = errors(nest(CRITERIA_LIMITS.maxDepth + 1));
      expect(tooDeep).toEqual([
        { path: `${'all[0].'.repeat(CRITERIA_LIMITS.maxDepth).slice(0, -1)}`, message: expect.stringContaining('too deeply') },
      ]);
    });

    it('survives absurd nesting without recursing into it', () => {
      expect(errors(nest(100_000))).toHaveLength(1);
    });

    it(`accepts ${CRITERIA_LIMITS.maxNodes} nodes and rejects more`, () => {
      const condition = { field: 'canceled', is: false };
      const atLimit = { any: Array.from({ length: CRITERIA_LIMITS.maxNodes - 1 }, () => condition) };
      const overLimit = { any: [{ all: Array.from({ length: CRITERIA_LIMITS.maxNodes - 1 }, () => condition) }] };
      expect(validateCriteria(atLimit, CATALOG).ok).toBe(true);
      expect(errors(overLimit)).toEqual([
        { path: `any[0].all[${CRITERIA_LIMITS.maxNodes - 2}]`, message: expect.stringContaining('too many') },
      ]);
      expect(paths({ any: Array.from({ length: 100_000 }, () => condition) })).toEqual(['any']);
    });

    it('caps the number of reported issues and list sizes', () => {
      const manyBad = { attribute: 'onboarding', isOneOf: Array.from({ length: 150 }, (_, i) => `nope-${i}`) };
      expect(errors(manyBad)).toHaveLength(CRITERIA_LIMITS.maxIssues);
      expect(paths({ field: 'ownerId', isOneOf: Array.from({ length: CRITERIA_LIMITS.maxListValues + 1 }, (_, i) => `u${i}`) })).toEqual([
        'isOneOf',
      ]);
      expect(paths({ field: 'ownerId', isOneOf: ['x'.repeat(CRITERIA_LIMITS.maxStringLength + 1)] })).toEqual(['isOneOf[0]']);
    });
  });

  describe('canonical form', () => {
    it('renders stages as ids and windows as ISO date-times, and validates back to the same tree', () => {
      const resolved = ok({
        all: [
          { attribute: 'onboarding', isOneOf: ['kickoff', 'Implementation'], daysInStage: { gt: 30 } },
          { attribute: 'onboarding', changed: { from: '2024-01-01', to: '2024-01-31', fromStage: null, toStage: 'Kickoff' } },
          { attribute: 'renewal', completed: { lastDays: 30 } },
          { attribute: 'renewal', completed: true },
          {
            any: [
              { field: 'renewalDate', withinDays: 60 },
              { field: 'clientType', isOneOf: ['smb'] },
            ],
          },
        ],
      });
      const canonical = canonicalCriteria(resolved);
      expect(canonical).toEqual({
        all: [
          { attribute: 'onboarding', isOneOf: [STAGE.kickoff, STAGE.implementation], daysInStage: { gt: 30 } },
          {
            attribute: 'onboarding',
            changed: { from: '2024-01-01T00:00:00.000Z', to: '2024-02-01T00:00:00.000Z', fromStage: null, toStage: STAGE.kickoff },
          },
          { attribute: 'renewal', completed: { lastDays: 30 } },
          { attribute: 'renewal', completed: true },
          {
            any: [
              { field: 'renewalDate', withinDays: 60 },
              { field: 'clientType', isOneOf: ['smb'] },
            ],
          },
        ],
      });
      expect(ok(JSON.parse(JSON.stringify(canonical)))).toEqual(resolved);
    });
  });

  describe('resolveCriteria', () => {
    it('returns the resolved tree or throws a SegmentError carrying the issues', () => {
      expect(resolveCriteria({ attribute: 'renewal', isOneOf: ['won'] }, CATALOG)).toMatchObject({ stageIds: [RENEWAL.stages[1]?.id] });
      const thrown = captureError(() =>
        resolveCriteria({ all: [{ attribute: 'renewal', isOneOf: ['Pending'] }, { field: 'x' }] }, CATALOG),
      );
      expect(thrown).toBeInstanceOf(SegmentError);
      expect(thrown).toMatchObject({
        code: SegmentErrorCode.InvalidCriteria,
        message: expect.stringMatching(/^Invalid segment criteria — all\[0\]\.isOneOf\[0\]: unknown stage "Pending".* \(and 1 more\)$/),
        issues: [{ path: 'all[0].isOneOf[0]' }, { path: 'all[1].field' }],
      });
    });
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
