import fc from 'fast-check';
import { matches } from '../../domain/criteria-matcher';
import { resolveCriteria, validateCriteria } from '../../domain/criteria-validation';
import { MS_PER_DAY } from '@lifecycle/rules';
import { attributeOf } from '../../domain/account-projection';
import type { ResolvedCriteria } from '../../domain/criteria';
import { LifecycleReportBuilder, type ReportCodes } from '../../domain/lifecycle-report';
import { TracedReportBuilder } from '../../domain/testing/lifecycle-report.reference';
import { ProgressBoardBuilder, progressItemOf, type ProgressBoard } from '../../domain/progress';
import type { ProjectedAccount } from '../../domain/projection-updates';
import { ago, catalogOf, days, frozen, NOW, ONBOARDING, running, STAGE, transition } from '../../domain/testing/account-projection.builder';
import { businessReadingAt } from '../../domain/business-context';
import { calendarKeyOf } from '../../domain/criteria-matcher';
import {
  BUSINESS_CONTEXT,
  NOW as ARB_NOW,
  businessCriteriaArb,
  projectionsArb,
  withStoredMembershipsArb,
  writtenCriteriaArb,
} from '../testing/equivalence.arbitraries';
import { applyVerdicts } from '../../domain/membership';
import { AccountIndex } from './account-index';
import { decodeSnapshot, encodeSnapshot } from './index-snapshot';
import { indexedAccountOf } from './indexed-account';

function indexOf(accounts: readonly ProjectedAccount[], revs: (i: number) => number = () => 1): AccountIndex {
  const index = new AccountIndex(4);
  accounts.forEach((a, i) => index.apply(indexedAccountOf(a, revs(i))));
  return index;
}

function idsOf(index: AccountIndex, criteria: Parameters<AccountIndex['evaluate']>[0], now = NOW): string[] {
  const members = index.evaluate(criteria, now);
  return index.page(members, 0, 1_000_000).map((m) => m.accountId);
}

function projected(id: string, overrides: Partial<ProjectedAccount> = {}): ProjectedAccount {
  return {
    _id: id,
    name: id,
    clientType: 'enterprise',
    ownerId: 'csm-1',
    canceled: false,
    subscriptionActive: true,
    renewalDate: null,
    lifecycle: {},
    factsAt: null,
    segments: [],
    membershipSeq: {},
    ...overrides,
  } as ProjectedAccount;
}

const catalog = catalogOf(ONBOARDING);

describe('AccountIndex', () => {
  it('index ≡ matches() for random criteria over random projections (every operator, canceled, disabled and removed stages, renames, nesting)', () => {
    let validated = 0;
    fc.assert(
      fc.property(writtenCriteriaArb, projectionsArb(1, 40), ({ input, catalog: written }, accounts) => {
        const result = validateCriteria(input, written);
        if (!result.ok) return;
        validated += 1;
        const index = indexOf(accounts);
        const expected = accounts.filter((a) => matches(result.criteria, a, ARB_NOW)).map((a) => a._id);
        const members = index.evaluate(result.criteria, ARB_NOW);
        expect(index.page(members, 0, 1_000).map((m) => m.accountId)).toEqual(expected);
        expect(index.count(members)).toBe(expected.length);
      }),
      { numRuns: 400, seed: 1414 },
    );
    expect(validated).toBeGreaterThan(250);
  });

  it('index ≡ matches() with business-day comparisons and sla conditions (B5: calendars by account, SLAs by stage, canceled, nesting)', () => {
    let validated = 0;
    let business = 0;
    let nonEmpty = 0;
    fc.assert(
      fc.property(businessCriteriaArb, projectionsArb(1, 40), ({ input, catalog: written }, accounts) => {
        const result = validateCriteria(input, written);
        if (!result.ok) return;
        validated += 1;
        const index = indexOf(accounts);
        const expected = accounts.filter((a) => matches(result.criteria, a, ARB_NOW, BUSINESS_CONTEXT)).map((a) => a._id);
        if (JSON.stringify(input).includes('usiness') || JSON.stringify(input).includes('"sla"')) {
          business += 1;
          if (expected.length > 0 && expected.length < accounts.length) nonEmpty += 1;
        }
        const members = index.evaluate(result.criteria, ARB_NOW, BUSINESS_CONTEXT);
        expect(index.page(members, 0, 1_000).map((m) => m.accountId)).toEqual(expected);
      }),
      { numRuns: 400, seed: 1717 },
    );
    expect(validated).toBeGreaterThan(250);
    expect(business).toBeGreaterThan(150);
    expect(nonEmpty).toBeGreaterThan(20);
  });

  it('reads business days and SLA statuses later from the fold it keeps, as the rules would fold them then (B2 additivity, B3)', () => {
    // Accounts moving forward through Kickoff, Configuration and Implementation in the last days.
    const accountsArb = fc
      .array(
        fc.record({
          moves: fc.array(
            fc.tuple(fc.constantFrom(STAGE.kickoff, STAGE.configuration, STAGE.implementation), fc.integer({ min: 1, max: 200 })),
            {
              minLength: 1,
              maxLength: 3,
            },
          ),
          calendarKey: fc.constantFrom(null, 'berlin', 'weekend-workers'),
          canceled: fc.boolean().map((b) => b && Math.random() < 0.2),
        }),
        { minLength: 1, maxLength: 30 },
      )
      .map((list) =>
        list.map(({ moves, calendarKey, canceled }, i) => {
          let at = ARB_NOW.getTime() - 9 * 86_400_000;
          let from: string | null = null;
          const transitions = moves.map(([to, hours]) => {
            at += hours * 3_600_000;
            const t = transition(from, to, new Date(Math.min(at, ARB_NOW.getTime())));
            from = to;
            return t;
          });
          const last = transitions[transitions.length - 1]!;
          return projected(`acc-${String(i).padStart(3, '0')}`, {
            canceled,
            calendarKey,
            lifecycle: {
              onboarding: running(
                last.to!,
                ARB_NOW.getTime() - last.at.getTime(),
                ARB_NOW.getTime() - transitions[0]!.at.getTime(),
                {
                  transitions,
                },
                ARB_NOW,
              ),
            } as unknown as ProjectedAccount['lifecycle'],
          });
        }),
      );
    const comparison = fc.record({ gt: fc.nat(8), lt: fc.nat(12) }, { requiredKeys: [] }).filter((c) => Object.keys(c).length > 0);
    const criteriaArb = fc.oneof(
      comparison.map((c) => ({ attribute: 'onboarding', isOneOf: ['Kickoff', 'Configuration', 'Implementation'], businessDaysInStage: c })),
      comparison.map((c) => ({
        attribute: 'onboarding',
        isOneOf: ['Kickoff', 'Configuration', 'Implementation'],
        businessDaysInAttribute: c,
      })),
      fc
        .subarray(['on-track', 'at-risk', 'overdue', 'none'], { minLength: 1 })
        .map((statuses) => ({ attribute: 'onboarding', sla: statuses })),
    );
    let moved = 0;
    fc.assert(
      fc.property(
        criteriaArb,
        accountsArb,
        fc.integer({ min: 0, max: 12 * 24 }).map((hours) => new Date(ARB_NOW.getTime() + hours * 3_600_000 + 17)),
        (input, accounts, later) => {
          const criteria = resolveCriteria(input, catalog);
          const index = indexOf(accounts);
          const atFirst = index.page(index.evaluate(criteria, ARB_NOW, BUSINESS_CONTEXT), 0, 1_000).map((m) => m.accountId);
          const expected = accounts.filter((a) => matches(criteria, a, later, BUSINESS_CONTEXT)).map((a) => a._id);
          if (JSON.stringify(atFirst) !== JSON.stringify(expected)) moved += 1;
          expect(index.page(index.evaluate(criteria, later, BUSINESS_CONTEXT), 0, 1_000).map((m) => m.accountId)).toEqual(expected);
        },
      ),
      { numRuns: 300, seed: 4242 },
    );
    // Time alone changed the members of this many trees: the kept folds were read later, not just reused.
    expect(moved).toBeGreaterThan(60);
  });

  it('places every member on the board with the SLA status the rules give its history (B3, S4)', () => {
    fc.assert(
      fc.property(projectionsArb(1, 40), (accounts) => {
        const index = indexOf(accounts);
        const everyone = index.evaluate(resolveCriteria({ attribute: 'onboarding', isNotOneOf: ['Kickoff'] }, catalog), ARB_NOW);
        const all = index.evaluate(
          resolveCriteria(
            {
              any: [
                { attribute: 'onboarding', isOneOf: ['Kickoff'] },
                { attribute: 'onboarding', isNotOneOf: ['Kickoff'] },
              ],
            },
            catalog,
          ),
          ARB_NOW,
        );
        expect(index.count(all)).toBeGreaterThanOrEqual(index.count(everyone));
        const byId = new Map(accounts.map((a) => [a._id, a]));
        for (const position of index.boardPositions(all, 'onboarding', ARB_NOW, BUSINESS_CONTEXT)) {
          const account = byId.get(position.accountId)!;
          const reading = businessReadingAt(
            BUSINESS_CONTEXT,
            'onboarding',
            account.lifecycle['onboarding']?.transitions,
            calendarKeyOf(account),
            account.canceled,
            ARB_NOW,
          );
          // The board reads the SLA only where the stage column names a stage with one; elsewhere it is `none`.
          const slaStage = position.stageId === 'stg-kickoff' || position.stageId === 'stg-config';
          expect(position.sla).toBe(slaStage ? reading.sla : 'none');
        }
      }),
      { numRuns: 200, seed: 99 },
    );
  });

  it('keeps the newest record per account: older or repeated revs are ignored', () => {
    const index = new AccountIndex();
    const inKickoff = projected('a', {
      lifecycle: { onboarding: running(STAGE.kickoff, days(3)) } as unknown as ProjectedAccount['lifecycle'],
    });
    const inConfig = projected('a', {
      lifecycle: { onboarding: running(STAGE.configuration, days(1)) } as unknown as ProjectedAccount['lifecycle'],
    });
    expect(index.apply(indexedAccountOf(inConfig, 2))).toBe(true);
    expect(index.apply(indexedAccountOf(inKickoff, 1))).toBe(false);
    expect(index.apply(indexedAccountOf(inKickoff, 2))).toBe(false);
    expect(index.read('a')?.lifecycle['onboarding']?.stageId).toBe(STAGE.configuration);
    expect(index.revOf('a')).toBe(2);
    expect(index.revOf('unknown')).toBe(0);
    // A newer record without the attribute clears it (records are whole accounts).
    expect(index.apply(indexedAccountOf(projected('a'), 3))).toBe(true);
    expect(index.read('a')?.lifecycle['onboarding']).toBeUndefined();
  });

  it('pages by account id, new accounts included before they are merged into the order', () => {
    const index = new AccountIndex();
    for (const id of ['m', 'c', 'x', 'a', 'k']) index.apply(indexedAccountOf(projected(id, { name: `Name ${id}` }), 1));
    const all = resolveCriteria({ field: 'canceled', is: false }, catalog);
    const members = index.evaluate(all, NOW);
    expect(index.page(members, 0, 10).map((m) => m.accountId)).toEqual(['a', 'c', 'k', 'm', 'x']);
    expect(index.page(members, 1, 2)).toEqual([
      { accountId: 'c', name: 'Name c', clientType: 'enterprise', ownerId: 'csm-1', canceled: false },
      { accountId: 'k', name: 'Name k', clientType: 'enterprise', ownerId: 'csm-1', canceled: false },
    ]);
    expect(index.page(members, 5, 2)).toEqual([]);
    expect(index.page(members, 0, 0)).toEqual([]);
  });

  it('pages in account id order through merges of many new accounts, after a snapshot and after more accounts', () => {
    const index = new AccountIndex();
    const ids = Array.from({ length: 9_000 }, (_, i) => `acc-${String((i * 7_919) % 9_000).padStart(5, '0')}${i % 3 === 0 ? '-x' : ''}`);
    const all = resolveCriteria({ field: 'canceled', is: false }, catalog);
    const check = (held: AccountIndex, upTo: number) => {
      const expected = ids.slice(0, upTo).sort();
      expect(held.page(held.evaluate(all, NOW), 0, 1_000_000).map((m) => m.accountId)).toEqual(expected);
      expect(held.page(held.evaluate(all, NOW), 4_000, 3).map((m) => m.accountId)).toEqual(expected.slice(4_000, 4_003));
    };
    ids.slice(0, 100).forEach((id) => index.apply(indexedAccountOf(projected(id), 1)));
    check(index, 100);
    ids.slice(100, 5_000).forEach((id) => index.apply(indexedAccountOf(projected(id), 1)));
    check(index, 5_000);
    const restored = decodeSnapshot(Buffer.concat(encodeSnapshot(index, {}, NOW))).index;
    for (const held of [index, restored]) {
      ids.slice(5_000).forEach((id) => held.apply(indexedAccountOf(projected(id), 1)));
      check(held, ids.length);
    }
  });

  it('plans a membership job: the accounts whose stored membership differs from the criteria (S5), every member of a deleted segment', () => {
    const stuck = resolveCriteria({ attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { gt: 30 } }, catalog);
    const index = indexOf([
      projected('enters', { lifecycle: { onboarding: running(STAGE.kickoff, days(31)) } as unknown as ProjectedAccount['lifecycle'] }),
      projected('stays', {
        segments: ['s1'],
        lifecycle: { onboarding: running(STAGE.kickoff, days(40)) } as unknown as ProjectedAccount['lifecycle'],
      }),
      projected('leaves', {
        segments: ['s1', 's2'],
        lifecycle: { onboarding: running(STAGE.kickoff, days(2)) } as unknown as ProjectedAccount['lifecycle'],
      }),
      projected('outside', { lifecycle: { onboarding: running(STAGE.kickoff, days(2)) } as unknown as ProjectedAccount['lifecycle'] }),
    ]);
    const plan = index.membershipPlan(
      [
        { id: 's1', criteria: stuck },
        { id: 's2', criteria: null },
      ],
      NOW,
    );
    expect(plan.size).toBe(2);
    expect([...plan.chunks(1)]).toEqual([
      { decisions: [{ accountId: 'enters', rev: 1, verdicts: [{ segmentId: 's1', member: true }] }], moved: [] },
      {
        decisions: [
          {
            accountId: 'leaves',
            rev: 1,
            verdicts: [
              { segmentId: 's1', member: false },
              { segmentId: 's2', member: false },
            ],
          },
        ],
        moved: [],
      },
    ]);
  });

  it('hands out an account written after the evaluation as moved (its verdicts may no longer hold), the others as decided', () => {
    const stuck = resolveCriteria({ attribute: 'onboarding', isOneOf: ['Kickoff'], daysInStage: { gt: 30 } }, catalog);
    const kickoff = (d: number) => ({ onboarding: running(STAGE.kickoff, days(d)) }) as unknown as ProjectedAccount['lifecycle'];
    const index = indexOf([projected('a', { lifecycle: kickoff(31) }), projected('b', { lifecycle: kickoff(32) })]);
    const chunks = index.membershipPlan([{ id: 's1', criteria: stuck }], NOW).chunks(1);
    expect(chunks.next().value).toEqual({
      decisions: [{ accountId: 'a', rev: 1, verdicts: [{ segmentId: 's1', member: true }] }],
      moved: [],
    });
    // `b` moves on to Configuration (a live event) between two chunks of the job.
    index.apply(indexedAccountOf(projected('b', { lifecycle: kickoff(1) }), 2));
    expect(chunks.next().value).toEqual({ decisions: [], moved: ['b'] });
    expect(chunks.next().done).toBe(true);
  });

  it('a membership job decided from the index gives the entered and exited events of matches(), event ids included (S5: random criteria, stored memberships, deleted segments, chunks)', () => {
    const segmentIds = ['s-0', 's-1', 's-2', 's-deleted'];
    let changes = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(writtenCriteriaArb, businessCriteriaArb), { minLength: 3, maxLength: 3 }),
        withStoredMembershipsArb(projectionsArb(1, 40), segmentIds),
        fc.integer({ min: 1, max: 8 }),
        (inputs, accounts, chunkSize) => {
          const segments = segmentIds.map((id, k) => {
            const input = inputs[k];
            const result = input === undefined ? null : validateCriteria(input.input, input.catalog);
            // An invalid draw stands for a deleted segment too (its members leave).
            return { id, criteria: result?.ok === true ? result.criteria : null };
          });
          const byId = new Map(accounts.map((a) => [a._id, a]));
          const index = indexOf(accounts);
          const plan = index.membershipPlan(segments, ARB_NOW, BUSINESS_CONTEXT);
          const fromIndex = [...plan.chunks(chunkSize)].flatMap(({ decisions, moved }) => {
            expect(moved).toEqual([]);
            return decisions.flatMap((d) => {
              expect(d.rev).toBe(1);
              return applyVerdicts(d.accountId, byId.get(d.accountId)!, d.verdicts).changes.map((c) => ({ accountId: d.accountId, ...c }));
            });
          });
          const fromMatcher = accounts.flatMap((a) =>
            applyVerdicts(
              a._id,
              a,
              segments.map((s) => ({ segmentId: s.id, member: s.criteria !== null && matches(s.criteria, a, ARB_NOW, BUSINESS_CONTEXT) })),
            ).changes.map((c) => ({ accountId: a._id, ...c })),
          );
          expect(fromIndex).toEqual(fromMatcher);
          // Every account the plan examines changes (no read or write for the others).
          expect(plan.size).toBe(new Set(fromMatcher.map((c) => c.accountId)).size);
          changes += fromMatcher.length;
        },
      ),
      { numRuns: 300, seed: 1416 },
    );
    expect(changes).toBeGreaterThan(1_000);
  });

  /** The board the builder makes from the index's tallies, and the one it makes account by account from the projections. */
  function boards(
    accounts: readonly ProjectedAccount[],
    criteria: ResolvedCriteria,
    limit: number,
    asOf?: Date,
  ): [ProgressBoard, ProgressBoard] {
    const index = indexOf(accounts);
    const members = index.evaluate(criteria, ARB_NOW);
    const tallies =
      asOf === undefined
        ? index.boardNow(members, 'onboarding', ARB_NOW, limit)
        : index.boardAsOf(members, 'onboarding', ONBOARDING.stages, asOf, limit);
    const fromIndex = new ProgressBoardBuilder(ONBOARDING.stages, ARB_NOW, asOf, limit);
    for (const group of tallies) fromIndex.addGroup(group.stageId, group.count, group.accountIds, group.days);
    const fromProjections = new ProgressBoardBuilder(ONBOARDING.stages, ARB_NOW, asOf, limit);
    for (const a of accounts) if (matches(criteria, a, ARB_NOW)) fromProjections.add(progressItemOf(a, 'onboarding'));
    return [fromIndex.build(), fromProjections.build()];
  }

  it('board now from the index ≡ the board of the projections (S4, L9, L10: groups, counts, first ids, day statistics)', () => {
    fc.assert(
      fc.property(
        writtenCriteriaArb,
        projectionsArb(0, 40),
        fc.integer({ min: 0, max: 6 }),
        ({ input, catalog: written }, accounts, limit) => {
          const result = validateCriteria(input, written);
          if (!result.ok) return;
          const [fromIndex, fromProjections] = boards(accounts, result.criteria, limit);
          expect(fromIndex).toEqual(fromProjections);
        },
      ),
      { numRuns: 300, seed: 1415 },
    );
  });

  it('board asOf from the index (coded fold over the columns) ≡ the board replayed from the projections (L2–L11)', () => {
    const asOfArb = fc.integer({ min: 0, max: 9 * MS_PER_DAY }).map((ms) => ago(ms, ARB_NOW));
    fc.assert(
      fc.property(projectionsArb(0, 40), fc.integer({ min: 0, max: 6 }), asOfArb, (accounts, limit, asOf) => {
        const everyone = resolveCriteria(
          {
            any: [
              { field: 'canceled', is: false },
              { field: 'canceled', is: true },
            ],
          },
          catalog,
        );
        const [fromIndex, fromProjections] = boards(accounts, everyone, limit, asOf);
        expect(fromIndex).toEqual(fromProjections);
      }),
      { numRuns: 300, seed: 1416 },
    );
  });

  it('board: a canceled account counts in its stage without days; an unknown clock is not measured (L10)', () => {
    const accounts = [
      projected('a', { lifecycle: { onboarding: running(STAGE.kickoff, days(3) + 5) } as unknown as ProjectedAccount['lifecycle'] }),
      projected('b', {
        canceled: true,
        lifecycle: { onboarding: running(STAGE.kickoff, days(9)) } as unknown as ProjectedAccount['lifecycle'],
      }),
      projected('c', { lifecycle: { onboarding: frozen(STAGE.goLive, 0, days(20)) } as unknown as ProjectedAccount['lifecycle'] }),
      projected('d'),
    ];
    const index = indexOf(accounts);
    const everyone = index.evaluate(resolveCriteria({ attribute: 'onboarding', isNotOneOf: ['Configuration'] }, catalog), NOW);
    expect(index.boardNow(everyone, 'onboarding', NOW, 10)).toEqual([
      { stageId: null, count: 1, accountIds: ['d'], days: new Map() },
      { stageId: STAGE.kickoff, count: 2, accountIds: ['a', 'b'], days: new Map([[3, 1]]) },
      { stageId: STAGE.goLive, count: 1, accountIds: ['c'], days: new Map([[0, 1]]) },
    ]);
    const positions = [...index.boardPositions(everyone, 'onboarding', NOW)];
    expect(positions).toEqual([
      { accountId: 'a', canceled: false, stageId: STAGE.kickoff, msInStage: days(3) + 5, sla: 'none' },
      { accountId: 'b', canceled: true, stageId: STAGE.kickoff, msInStage: days(9), sla: 'none' },
      { accountId: 'c', canceled: false, stageId: STAGE.goLive, msInStage: 0, sla: 'none' },
      { accountId: 'd', canceled: false, stageId: null, msInStage: null, sla: 'none' },
    ]);
  });

  it('report from the index columns ≡ the report of the transitions ≡ the traced reference (every account with history)', () => {
    const windowArb = fc
      .tuple(fc.integer({ min: 0, max: 10 * MS_PER_DAY }), fc.integer({ min: 1, max: 10 * MS_PER_DAY }))
      .map(([back, length]) => ({ from: ago(back + length, ARB_NOW), to: ago(back, ARB_NOW) }));
    fc.assert(
      fc.property(projectionsArb(0, 30), windowArb, (accounts, { from, to }) => {
        const query = { attribute: 'onboarding', stages: ONBOARDING.stages, from, to, interval: 'day' as const };
        const fromIndex = new LifecycleReportBuilder(query);
        let codes: ReportCodes | null = null;
        indexOf(accounts).forEachHistory(
          'onboarding',
          (idOfCode) => (codes = fromIndex.codesOf(idOfCode)),
          (at, stages, start, count) => fromIndex.addRun(codes!, at, stages, start, count),
        );
        const fromTransitions = new LifecycleReportBuilder(query);
        const reference = new TracedReportBuilder(query);
        for (const a of accounts) {
          const transitions = attributeOf(a, 'onboarding')?.transitions ?? [];
          fromTransitions.add(transitions);
          reference.add(transitions);
        }
        const expected = reference.build();
        expect(fromTransitions.build()).toEqual(expected);
        expect(fromIndex.build()).toEqual(expected);
      }),
      { numRuns: 200, seed: 1417 },
    );
  });

  it('stage codes take one byte up to 256 codes and widen to two beyond, every record and answer unchanged', () => {
    const stageIds = Array.from({ length: 300 }, (_, i) => `stg-${i}`);
    const accounts = stageIds.map((id, i) =>
      projected(`acc-${String(i).padStart(3, '0')}`, {
        lifecycle: {
          onboarding: running(id, days(1), days(2), {
            transitions: [transition(null, stageIds[(i + 7) % 300]!, ago(days(3))), transition(stageIds[(i + 7) % 300]!, id, ago(days(1)))],
          }),
        } as unknown as ProjectedAccount['lifecycle'],
      }),
    );
    const index = indexOf(accounts);
    for (const a of accounts) expect(index.read(a._id)).toEqual(indexedAccountOf(a, 1));
    const restored = decodeSnapshot(Buffer.concat(encodeSnapshot(index, {}, NOW))).index;
    for (const a of accounts) expect(restored.read(a._id)).toEqual(indexedAccountOf(a, 1));
  });

  it('codes and counts take one byte and widen to two or four bytes for larger values, every record and answer unchanged', () => {
    // 300 client types, owners and calendars (codes past 255), 300 transitions, 70 000 completed cycles.
    const accounts = Array.from({ length: 300 }, (_, i) =>
      projected(`acc-${String(i).padStart(3, '0')}`, {
        clientType: `type-${i}`,
        ownerId: `csm-${i}`,
        calendarKey: `cal-${i}`,
        lifecycle: {
          onboarding:
            i === 299
              ? frozen(STAGE.goLive, days(1), days(9), {
                  completedCycles: 70_000,
                  transitions: Array.from({ length: 300 }, (_, k) => transition(null, STAGE.kickoff, ago(days(300 - k)))),
                })
              : running(STAGE.kickoff, days(1), days(2)),
        } as unknown as ProjectedAccount['lifecycle'],
      } as Partial<ProjectedAccount>),
    );
    const index = indexOf(accounts);
    const restored = decodeSnapshot(Buffer.concat(encodeSnapshot(index, {}, NOW))).index;
    for (const held of [index, restored]) {
      for (const a of accounts) expect(held.read(a._id)).toEqual(indexedAccountOf(a, 1));
      const criteria = {
        kind: 'any',
        children: [
          { kind: 'clientTypeIn', values: ['type-3', 'type-280'] },
          { kind: 'ownerIn', values: ['csm-290'] },
        ],
      } as ResolvedCriteria;
      expect(idsOf(held, criteria)).toEqual(['acc-003', 'acc-280', 'acc-290']);
      expect(idsOf(held, { kind: 'completed', attribute: 'onboarding', window: { kind: 'anyTime' } } as ResolvedCriteria)).toEqual([
        'acc-299',
      ]);
    }
  });

  it('rewrites transitions in place or at the end of the pool, and compacts the pool', () => {
    const index = new AccountIndex();
    const history = (n: number) => Array.from({ length: n }, (_, i) => transition(null, STAGE.kickoff, ago(days(n - i))));
    const state = (n: number) => ({ onboarding: running(STAGE.kickoff, days(1), days(1), { transitions: history(n) }) });
    let rev = 0;
    for (let round = 1; round <= 400; round++) {
      for (const id of ['a', 'b', 'c']) {
        rev += 1;
        index.apply(indexedAccountOf(projected(id, { lifecycle: state(round % 7) as unknown as ProjectedAccount['lifecycle'] }), rev));
      }
    }
    for (const id of ['a', 'b', 'c']) expect(index.read(id)?.lifecycle['onboarding']?.transitions).toHaveLength(400 % 7);
  });

  it('a snapshot restores the same index: same answers, same records, and it keeps following records', () => {
    fc.assert(
      fc.property(writtenCriteriaArb, projectionsArb(1, 30), ({ input, catalog: written }, accounts) => {
        const result = validateCriteria(input, written);
        if (!result.ok) return;
        const index = indexOf(
          accounts.map((a, i) => ({ ...a, segments: i % 3 === 0 ? ['s1'] : [] })),
          (i) => i + 1,
        );
        const restored = decodeSnapshot<{ offsets: string[] }>(Buffer.concat(encodeSnapshot(index, { offsets: ['7'] }, NOW)));
        expect(restored.position).toEqual({ offsets: ['7'] });
        expect(restored.takenAt).toEqual(NOW);
        const again = restored.index;
        expect(idsOf(again, result.criteria, ARB_NOW)).toEqual(idsOf(index, result.criteria, ARB_NOW));
        for (const a of accounts) expect(again.read(a._id)).toEqual(index.read(a._id));
        const late = projected('zz-late', { segments: ['s1'] });
        expect(again.apply(indexedAccountOf(late, 1))).toBe(true);
        expect(again.read('zz-late')?.segments).toEqual(['s1']);
      }),
      { numRuns: 60, seed: 77 },
    );
  });

  it('reads a snapshot of format 1 (ids and names in the header) to the same index', () => {
    const accounts = [projected('a', { name: 'Ünïcode Ltd' }), projected('b', { name: 'Beta' }), projected('c', { name: '' })];
    const index = indexOf(accounts);
    const bytes = Buffer.concat(encodeSnapshot(index, { offsets: [] }, NOW));
    // Format 1: the same columns without the name pool, the names as a JSON array in the header.
    const headerLength = bytes.readUInt32LE(8);
    const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as {
      version: number;
      names?: string[];
      columns: { name: string; type: string; length: number }[];
    };
    const size: Record<string, number> = { f64: 8, u32: 4, i32: 4, u16: 2, u8: 1 };
    const pad = (n: number) => (n + 7) & ~7;
    let offset = pad(12 + headerLength);
    const kept: Buffer[] = [];
    const columns = header.columns.filter((c) => {
      const data = bytes.subarray(offset, offset + c.length * size[c.type]!);
      offset = pad(offset + data.length);
      if (c.name.startsWith('name') || c.name.startsWith('id')) return false;
      kept.push(data, Buffer.alloc(pad(data.length) - data.length));
      return true;
    });
    const v1 = Buffer.from(
      JSON.stringify({ ...header, version: 1, ids: accounts.map((a) => a._id), names: accounts.map((a) => a.name), columns }),
      'utf8',
    );
    const prefix = Buffer.alloc(12);
    prefix.write('SEGIDX01', 0, 'latin1');
    prefix.writeUInt32LE(v1.length, 8);
    const file = Buffer.concat([prefix, v1, Buffer.alloc(pad(12 + v1.length) - 12 - v1.length), ...kept]);
    const restored = decodeSnapshot(file).index;
    for (const a of accounts) expect(restored.read(a._id)).toEqual(index.read(a._id));
  });

  it('reads a snapshot of format 4 (instants as f64 columns) to the same index, and writes it split again', () => {
    fc.assert(
      fc.property(projectionsArb(1, 30), (accounts) => {
        const index = indexOf(accounts);
        const bytes = Buffer.concat(encodeSnapshot(index, {}, NOW));
        const headerLength = bytes.readUInt32LE(8);
        const header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength)) as {
          columns: { name: string; type: string; length: number }[];
        };
        const size: Record<string, number> = { f64: 8, u32: 4, i32: 4, u16: 2, i16: 2, u8: 1 };
        const pad = (n: number) => (n + 7) & ~7;
        let offset = pad(12 + headerLength);
        const data = new Map<string, Buffer>();
        for (const c of header.columns) {
          data.set(c.name, bytes.subarray(offset, offset + c.length * size[c.type]!));
          offset = pad(offset + c.length * size[c.type]!);
        }
        // Format 4: each split pair as one f64 column of the same name.
        const columns: { name: string; type: string; length: number }[] = [];
        const kept: Buffer[] = [];
        for (const c of header.columns) {
          if (c.name.endsWith('.high')) continue;
          let body = data.get(c.name)!;
          let column = c;
          if (c.name.endsWith('.low')) {
            const low = new Uint32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length));
            const high = data.get(c.name.replace(/\.low$/, '.high'))!;
            const highs = new Int16Array(high.buffer.slice(high.byteOffset, high.byteOffset + high.length));
            const floats = Float64Array.from(low, (l, i) => (highs[i] === -0x8000 ? NaN : highs[i]! * 2 ** 32 + l));
            body = Buffer.from(floats.buffer);
            column = { name: c.name.replace(/\.low$/, ''), type: 'f64', length: c.length };
          }
          columns.push(column);
          kept.push(body, Buffer.alloc(pad(body.length) - body.length));
        }
        const v4 = Buffer.from(JSON.stringify({ ...header, version: 4, columns }), 'utf8');
        const prefix = Buffer.alloc(12);
        prefix.write('SEGIDX01', 0, 'latin1');
        prefix.writeUInt32LE(v4.length, 8);
        const restored = decodeSnapshot(Buffer.concat([prefix, v4, Buffer.alloc(pad(12 + v4.length) - 12 - v4.length), ...kept])).index;
        for (const a of accounts) expect(restored.read(a._id)).toEqual(index.read(a._id));
        const again = decodeSnapshot(Buffer.concat(encodeSnapshot(restored, {}, NOW))).index;
        for (const a of accounts) expect(again.read(a._id)).toEqual(index.read(a._id));
      }),
      { numRuns: 40, seed: 5 },
    );
  });

  it('refuses a file that is not a snapshot', () => {
    expect(() => decodeSnapshot(Buffer.from('hello world, not a snapshot'))).toThrow('not an evaluation index snapshot');
  });
});
