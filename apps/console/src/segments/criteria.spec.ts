import fc from 'fast-check';
import {
  fromCriteria,
  messagesByNode,
  newAccountCondition,
  newGroup,
  newLifecycleCondition,
  nodePaths,
  removeNode,
  toCriteria,
  UnreadableCriteria,
  type Comparator,
  type CriteriaNode,
  type LifecycleCondition,
  type SlaStatus,
} from './criteria';

const lifecycle = (patch: Partial<LifecycleCondition>): LifecycleCondition => ({ ...newLifecycleCondition('onboarding-status'), ...patch });

describe('segment criteria builder (S1): the JSON of every operator', () => {
  it('isOneOf with days in the stage and in the attribute (a range is one object)', () => {
    const node = lifecycle({
      stages: ['stg-kickoff'],
      daysInStage: [{ op: 'gt', days: 30 }],
      daysInAttribute: [
        { op: 'gte', days: 5 },
        { op: 'lt', days: 90 },
      ],
    });
    expect(toCriteria(node)).toEqual({
      attribute: 'onboarding-status',
      isOneOf: ['stg-kickoff'],
      daysInStage: { gt: 30 },
      daysInAttribute: { gte: 5, lt: 90 },
    });
  });

  it('B5: the stage SLA statuses, and business days in the stage and the attribute beside the calendar days', () => {
    expect(toCriteria(lifecycle({ operator: 'sla', slaStatuses: ['overdue', 'at-risk'] }))).toEqual({
      attribute: 'onboarding-status',
      sla: ['overdue', 'at-risk'],
    });
    const node = lifecycle({
      stages: ['stg-kickoff'],
      businessDaysInStage: [{ op: 'gt', days: 5 }],
      businessDaysInAttribute: [{ op: 'lte', days: 20 }],
    });
    expect(toCriteria(node)).toEqual({
      attribute: 'onboarding-status',
      isOneOf: ['stg-kickoff'],
      businessDaysInStage: { gt: 5 },
      businessDaysInAttribute: { lte: 20 },
    });
    const read = fromCriteria({ attribute: 'onboarding-status', sla: ['overdue', 'no-such-status'] }).children[0] as LifecycleCondition;
    expect([read.operator, read.slaStatuses]).toEqual(['sla', ['overdue']]);
  });

  it('isNotOneOf, doesNotExist', () => {
    expect(toCriteria(lifecycle({ operator: 'isNotOneOf', stages: ['a', 'b'] }))).toEqual({
      attribute: 'onboarding-status',
      isNotOneOf: ['a', 'b'],
    });
    expect(toCriteria(lifecycle({ operator: 'doesNotExist' }))).toEqual({ attribute: 'onboarding-status', doesNotExist: true });
  });

  it('changed: a window of the last N days or between dates, from / to a stage or "None"', () => {
    const base = lifecycle({ operator: 'changed' });
    expect(
      toCriteria({ ...base, window: { ...base.window, mode: 'lastDays', lastDays: 7 }, toStage: { kind: 'stage', id: 'stg-live' } }),
    ).toEqual({
      attribute: 'onboarding-status',
      changed: { lastDays: 7, toStage: 'stg-live' },
    });
    expect(
      toCriteria({
        ...base,
        window: { ...base.window, mode: 'between', from: '2025-01-01', to: ' 2025-02-01 ' },
        fromStage: { kind: 'none' },
      }),
    ).toEqual({ attribute: 'onboarding-status', changed: { from: '2025-01-01', to: '2025-02-01', fromStage: null } });
  });

  it('completed: any time is `true`, a window is an object', () => {
    const base = lifecycle({ operator: 'completed' });
    expect(toCriteria(base)).toEqual({ attribute: 'onboarding-status', completed: true });
    expect(toCriteria({ ...base, window: { ...base.window, mode: 'lastDays', lastDays: 30 } })).toEqual({
      attribute: 'onboarding-status',
      completed: { lastDays: 30 },
    });
  });

  it('account fields: client type, owner, canceled, renewal within N days', () => {
    expect(toCriteria({ ...newAccountCondition('clientType'), values: ['enterprise'] })).toEqual({
      field: 'clientType',
      isOneOf: ['enterprise'],
    });
    expect(toCriteria({ ...newAccountCondition('ownerId'), values: ['csm-1', 'csm-2'] })).toEqual({
      field: 'ownerId',
      isOneOf: ['csm-1', 'csm-2'],
    });
    expect(toCriteria({ ...newAccountCondition('canceled'), is: false })).toEqual({ field: 'canceled', is: false });
    expect(toCriteria({ ...newAccountCondition('renewalDate'), withinDays: 60 })).toEqual({ field: 'renewalDate', withinDays: 60 });
  });

  it('an empty figure is sent as null, for the service to say what is missing', () => {
    expect(toCriteria(lifecycle({ stages: ['a'], daysInStage: [{ op: 'gt', days: '' }] }))).toEqual({
      attribute: 'onboarding-status',
      isOneOf: ['a'],
      daysInStage: { gt: null },
    });
  });

  it('AND / OR groups nest', () => {
    const tree = newGroup('all', [
      lifecycle({ stages: ['a'] }),
      newGroup('any', [
        { ...newAccountCondition('clientType'), values: ['smb'] },
        { ...newAccountCondition('canceled'), is: true },
      ]),
    ]);
    expect(toCriteria(tree)).toEqual({
      all: [
        { attribute: 'onboarding-status', isOneOf: ['a'] },
        {
          any: [
            { field: 'clientType', isOneOf: ['smb'] },
            { field: 'canceled', is: true },
          ],
        },
      ],
    });
  });
});

describe('segment criteria builder: reading saved criteria back', () => {
  it('reads the canonical form the service stores (stage ids, ISO windows, null for None)', () => {
    const saved = {
      any: [
        { attribute: 'onboarding-status', isOneOf: ['stg-1'], daysInStage: { gt: 30 } },
        { attribute: 'onboarding-status', changed: { from: '2025-01-01T00:00:00.000Z', toStage: null } },
        { attribute: 'onboarding-status', completed: { lastDays: 10 } },
        { field: 'renewalDate', withinDays: 30 },
      ],
    };
    expect(toCriteria(fromCriteria(saved))).toEqual(saved);
  });

  it('a single condition becomes a group of one', () => {
    const root = fromCriteria({ attribute: 'onboarding-status', doesNotExist: true });
    expect(root.kind).toBe('group');
    expect(toCriteria(root)).toEqual({ all: [{ attribute: 'onboarding-status', doesNotExist: true }] });
  });

  it('refuses what it cannot show, naming where', () => {
    expect(() => fromCriteria({ all: [{ attribute: 'x', somethingElse: 1 }] })).toThrow(
      new UnreadableCriteria('criteria.all[0] has no operator the builder knows'),
    );
    expect(() => fromCriteria({ all: [{ field: 'mood', isOneOf: ['happy'] }] })).toThrow(UnreadableCriteria);
  });

  it('property: any builder tree survives JSON → builder → JSON unchanged', () => {
    const stageIds = fc.array(fc.constantFrom('s1', 's2', 's3'), { minLength: 1, maxLength: 3 });
    const days = fc.integer({ min: 0, max: 400 });
    const comparisons = fc.uniqueArray(fc.record({ op: fc.constantFrom<Comparator>('gt', 'gte', 'lt', 'lte', 'eq'), days }), {
      selector: (c) => c.op,
      maxLength: 2,
    });
    const window = fc.oneof(
      fc.constant({ mode: 'anyTime' as const, lastDays: '' as const, from: '', to: '' }),
      fc.record({
        mode: fc.constant('lastDays' as const),
        lastDays: fc.integer({ min: 1, max: 365 }),
        from: fc.constant(''),
        to: fc.constant(''),
      }),
      fc.record({
        mode: fc.constant('between' as const),
        lastDays: fc.constant('' as const),
        from: fc.constantFrom('2025-01-01', ''),
        to: fc.constantFrom('2025-06-01', ''),
      }),
    );
    const stageChoice = fc.oneof(
      fc.constant({ kind: 'any' as const }),
      fc.constant({ kind: 'none' as const }),
      fc.constantFrom('s1', 's2').map((id) => ({ kind: 'stage' as const, id })),
    );
    const condition: fc.Arbitrary<CriteriaNode> = fc.oneof(
      fc
        .record({
          operator: fc.constantFrom('isOneOf' as const),
          stages: stageIds,
          daysInStage: comparisons,
          daysInAttribute: comparisons,
          businessDaysInStage: comparisons,
          businessDaysInAttribute: comparisons,
        })
        .map((p) => lifecycle(p)),
      fc
        .record({
          operator: fc.constant('sla' as const),
          slaStatuses: fc.uniqueArray(fc.constantFrom<SlaStatus>('on-track', 'at-risk', 'overdue', 'none'), { minLength: 1 }),
        })
        .map((p) => lifecycle(p)),
      fc.record({ operator: fc.constant('isNotOneOf' as const), stages: stageIds }).map((p) => lifecycle(p)),
      fc
        .record({ operator: fc.constant('changed' as const), window, fromStage: stageChoice, toStage: stageChoice })
        .map((p) => lifecycle(p)),
      fc.record({ operator: fc.constant('completed' as const), window }).map((p) => lifecycle(p)),
      fc.constant(lifecycle({ operator: 'doesNotExist' })),
      fc.array(fc.constantFrom('enterprise', 'smb'), { minLength: 1 }).map((values) => ({ ...newAccountCondition('clientType'), values })),
      fc.boolean().map((is) => ({ ...newAccountCondition('canceled'), is })),
      fc.integer({ min: 1, max: 365 }).map((withinDays) => ({ ...newAccountCondition('renewalDate'), withinDays })),
    );
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, condition, tie('group')),
      group: fc
        .record({ match: fc.constantFrom('all' as const, 'any' as const), children: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) })
        .map((g) => newGroup(g.match, g.children as CriteriaNode[])),
    })).group;
    fc.assert(
      fc.property(tree, (root) => {
        const json = toCriteria(root);
        expect(toCriteria(fromCriteria(json))).toEqual(json);
      }),
    );
  });
});

describe("segment criteria builder: the service's error paths find their condition", () => {
  const first = lifecycle({ stages: [] });
  const inner = { ...newAccountCondition('renewalDate'), withinDays: 0 as const };
  const group = newGroup('any', [inner]);
  const root = newGroup('all', [first, group]);

  it('paths are those the service writes', () => {
    const paths = nodePaths(root);
    expect(paths.get(root.id)).toBe('criteria');
    expect(paths.get(first.id)).toBe('criteria.all[0]');
    expect(paths.get(group.id)).toBe('criteria.all[1]');
    expect(paths.get(inner.id)).toBe('criteria.all[1].any[0]');
  });

  it('each message goes to the deepest node, with the part of the path inside it', () => {
    const placed = messagesByNode(root, {
      'criteria.all[0].isOneOf': ['must not be empty'],
      'criteria.all[1].any[0].withinDays': ['must be at least 1; got 0'],
      criteria: ['too many conditions'],
      name: ['name must not be empty'],
    });
    expect(placed.get(first.id)).toEqual(['isOneOf: must not be empty']);
    expect(placed.get(inner.id)).toEqual(['withinDays: must be at least 1; got 0']);
    expect(placed.get(root.id)).toEqual(['too many conditions']);
    expect(placed.size).toBe(3);
  });

  it('removing a node keeps the rest', () => {
    expect(toCriteria(removeNode(root, inner.id))).toEqual({ all: [{ attribute: 'onboarding-status', isOneOf: [] }, { any: [] }] });
  });
});
