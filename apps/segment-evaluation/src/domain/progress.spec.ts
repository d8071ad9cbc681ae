import { daysFromMs } from '@lifecycle/rules';
import { RULE_CASES, type RuleCase } from '@lifecycle/rules/rule-cases.fixture';
import type { AttributeTransition } from './account-projection';
import type { ProgressBoard, ProgressGroup, ProgressItem } from './progress';
import { NONE_GROUP_NAME, progressBoard, ProgressBoardBuilder, progressItemOf, replayAttributeState } from './progress';
import { SegmentError, SegmentErrorCode } from './segment-errors';
import { businessContextOf } from './business-context';
import {
  account,
  ago,
  days,
  frozen,
  NOW,
  noValue,
  ONBOARDING_STAGES,
  running,
  STAGE,
  transition,
} from './testing/account-projection.builder';

const HOUR = 3_600_000;

function item(accountId: string, state: ProgressItem['state'], canceled = false): ProgressItem {
  return { accountId, canceled, state };
}

function group(board: ProgressBoard, name: string): ProgressGroup {
  const found = board.groups.find((g) => g.name === name);
  if (found === undefined) throw new Error(`no group ${name}`);
  return found;
}

describe('progressBoard (S4), now', () => {
  const items = [
    item('a1', running(STAGE.kickoff, days(2) + HOUR)),
    item('a2', running(STAGE.kickoff, days(5))),
    item('a3', running(STAGE.kickoff, days(10)), true),
    item('a4', running(STAGE.configuration, days(1))),
    item('a5', frozen(STAGE.goLive, 0, days(30))),
    item('a6', noValue()),
    item('a7', undefined),
    item('a8', running('stg-removed', days(3))),
  ];
  const board = progressBoard([...ONBOARDING_STAGES].reverse(), items, NOW);

  it('groups accounts by stage in stage order, then unknown stages, then "None"', () => {
    expect(board.groups.map((g) => [g.name, g.count, g.accountIds])).toEqual([
      ['Kickoff', 3, ['a1', 'a2', 'a3']],
      ['Configuration', 1, ['a4']],
      ['Implementation', 0, []],
      ['Go Live', 1, ['a5']],
      ['stg-removed', 1, ['a8']],
      [NONE_GROUP_NAME, 2, ['a6', 'a7']],
    ]);
    expect(board.total).toBe(8);
    expect(board.at).toEqual(NOW);
    expect(board.asOf).toBeNull();
  });

  it('describes each group', () => {
    expect(group(board, 'Implementation')).toMatchObject({
      stageId: STAGE.implementation,
      order: 3,
      disabled: true,
      endStage: false,
      known: true,
    });
    expect(group(board, 'Go Live')).toMatchObject({ stageId: STAGE.goLive, endStage: true });
    expect(group(board, 'stg-removed')).toMatchObject({ stageId: 'stg-removed', known: false, order: null });
    expect(group(board, NONE_GROUP_NAME)).toMatchObject({ stageId: null, order: null, known: true });
  });

  it('computes days-in-stage statistics; canceled accounts are counted but not measured (L10)', () => {
    expect(group(board, 'Kickoff').daysInStage).toEqual({ accounts: 2, avg: 3.5, median: 3.5, max: 5 });
    expect(group(board, 'Configuration').daysInStage).toEqual({ accounts: 1, avg: 1, median: 1, max: 1 });
    expect(group(board, 'Implementation').daysInStage).toEqual({ accounts: 0, avg: null, median: null, max: null });
    expect(group(board, 'Go Live').daysInStage).toEqual({ accounts: 1, avg: 0, median: 0, max: 0 });
    expect(group(board, NONE_GROUP_NAME).daysInStage).toEqual({ accounts: 0, avg: null, median: null, max: null });
  });

  it('takes the odd median and rounds the average to 2 decimals', () => {
    const odd = progressBoard(
      ONBOARDING_STAGES,
      [item('x', running(STAGE.kickoff, days(1))), item('y', running(STAGE.kickoff, days(1))), item('z', running(STAGE.kickoff, days(9)))],
      NOW,
    );
    expect(group(odd, 'Kickoff').daysInStage).toEqual({ accounts: 3, avg: 3.67, median: 1, max: 9 });
  });

  it('builds items from projections', () => {
    const acc = account({ _id: 'acme', canceled: true, lifecycle: { onboarding: running(STAGE.kickoff, 0) } });
    expect(progressItemOf(acc, 'onboarding')).toEqual({ accountId: 'acme', canceled: true, state: acc.lifecycle['onboarding'] });
    expect(progressItemOf(acc, 'renewal')).toEqual({ accountId: 'acme', canceled: true, state: undefined });
  });
});

/** A rule case's history as a projection holds it: transitions in arrival order; only `to` is read. */
function transitionsOf(c: RuleCase): AttributeTransition[] {
  return c.history.map((entry) => transition(null, entry.to, entry.at));
}

describe('replayAttributeState: the rule table (L2–L11)', () => {
  it.each(RULE_CASES.map((c) => [c.rule, c.name, c] as const))('%s %s', (_rule, _name, c) => {
    const replayed = replayAttributeState(c.stages, transitionsOf(c), c.at);
    expect(replayed).toMatchObject({
      stageId: c.expected.stageId,
      cycle: c.expected.cycle,
      completedCycles: c.expected.completedCycles,
      running: c.expected.stageId !== null && !c.expected.completed,
    });
    // Canceled (L10) is the board's concern: the replay measures every account.
    if (!c.canceled) {
      expect(replayed.msInStage === null ? null : daysFromMs(replayed.msInStage)).toBe(c.expected.daysInStage);
      expect(replayed.msInAttribute === null ? null : daysFromMs(replayed.msInAttribute)).toBe(c.expected.daysInAttribute);
    }
    if (!c.canceled && c.expected.msInAttribute !== undefined) expect(replayed.msInAttribute).toBe(c.expected.msInAttribute);
    if (!c.canceled && c.expected.msInStage !== undefined) expect(replayed.msInStage).toBe(c.expected.msInStage);
  });

  it('leaves out a transition without a valid time', () => {
    const at = (d: number): Date => new Date(ago(days(30)).getTime() + days(d));
    const malformed = [transition(null, STAGE.kickoff, at(0)), transition(STAGE.kickoff, STAGE.configuration, new Date(Number.NaN))];
    expect(replayAttributeState(ONBOARDING_STAGES, malformed, at(3))).toMatchObject({ stageId: STAGE.kickoff, msInStage: days(3) });
  });
});

describe('progressBoard (S4), asOf: the rule table (L2–L11)', () => {
  it.each(RULE_CASES.map((c) => [c.rule, c.name, c] as const))('%s %s', (_rule, _name, c) => {
    const board = progressBoard(c.stages, [item('acct', noValue({ transitions: transitionsOf(c) }), c.canceled)], c.at, c.at);
    const where = board.groups.find((g) => g.stageId === c.expected.stageId);
    expect(where).toMatchObject({ count: 1, accountIds: ['acct'] });
    // L10: canceled accounts are counted but not measured; "None" has no days.
    const measured = c.expected.daysInStage;
    expect(where?.daysInStage).toEqual(
      measured === null
        ? { accounts: 0, avg: null, median: null, max: null }
        : { accounts: 1, avg: measured, median: measured, max: measured },
    );
  });
});

describe('progressBoard (S4), asOf', () => {
  const t0 = ago(days(30));
  const at = (d: number): Date => new Date(t0.getTime() + days(d));
  const items = [
    item(
      'h1',
      running(STAGE.configuration, days(20), days(30), {
        transitions: [transition(null, STAGE.kickoff, at(0)), transition(STAGE.kickoff, STAGE.configuration, at(10))],
      }),
    ),
    item(
      'h2',
      frozen(STAGE.goLive, 0, days(25), {
        transitions: [transition(null, STAGE.kickoff, at(1)), transition(STAGE.kickoff, STAGE.goLive, at(26))],
      }),
    ),
    item('h3', running(STAGE.kickoff, days(29), days(29), { transitions: [transition(null, STAGE.kickoff, at(1))] }), true),
    item('h4', undefined),
  ];

  it('places accounts where they were then, with the days they had then', () => {
    const board = progressBoard(ONBOARDING_STAGES, items, NOW, at(5));
    expect(board.at).toEqual(at(5));
    expect(board.asOf).toEqual(at(5));
    expect(board.groups.map((g) => [g.name, g.accountIds])).toEqual([
      ['Kickoff', ['h1', 'h2', 'h3']],
      ['Configuration', []],
      ['Implementation', []],
      ['Go Live', []],
      [NONE_GROUP_NAME, ['h4']],
    ]);
    // h1: 5 days, h2: 4 days; h3 is canceled.
    expect(group(board, 'Kickoff').daysInStage).toEqual({ accounts: 2, avg: 4.5, median: 4.5, max: 5 });
  });

  it('before any history every account is "None"', () => {
    const board = progressBoard(ONBOARDING_STAGES, items, NOW, ago(days(31)));
    expect(group(board, NONE_GROUP_NAME).count).toBe(4);
  });

  it('asOf = now agrees with the current projection', () => {
    const current = progressBoard(ONBOARDING_STAGES, items, NOW);
    const replayed = progressBoard(ONBOARDING_STAGES, items, NOW, NOW);
    expect(replayed.groups).toEqual(current.groups);
  });

  it('rejects an asOf after now', () => {
    const error = (() => {
      try {
        progressBoard(ONBOARDING_STAGES, items, NOW, new Date(NOW.getTime() + 1));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(SegmentError);
    expect(error).toMatchObject({ code: SegmentErrorCode.InvalidAsOf });
    expect(() => progressBoard(ONBOARDING_STAGES, items, NOW, new Date(Number.NaN))).toThrow(SegmentError);
  });
});

describe('ProgressBoardBuilder: the board folded one account at a time in bounded memory', () => {
  /** Deterministic pseudo-random accounts in no particular order, some canceled, some without a value. */
  function scrambled(n: number): ProgressItem[] {
    let seed = 7;
    const next = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const stages = [STAGE.kickoff, STAGE.configuration, STAGE.implementation];
    return Array.from({ length: n }, (_, i) => {
      const id = `acct-${Math.floor(next() * 1_000_000)}-${i}`;
      const r = next();
      if (r < 0.1) return item(id, undefined);
      if (r < 0.2) return item(id, frozen(STAGE.goLive, 0, days(Math.floor(next() * 90))));
      return item(id, running(stages[Math.floor(next() * 3)]!, days(next() * 120)), next() < 0.1);
    });
  }

  it('keeps the smallest ids per group and gives the same counts and statistics as the whole list', () => {
    const items = scrambled(2_000);
    const whole = progressBoard(ONBOARDING_STAGES, items, NOW);
    const builder = new ProgressBoardBuilder(ONBOARDING_STAGES, NOW, undefined, 7);
    for (const i of items) builder.add(i);
    const bounded = builder.build();
    expect(bounded.total).toBe(2_000);
    expect(bounded.groups.map((g) => ({ ...g, accountIds: [] }))).toEqual(whole.groups.map((g) => ({ ...g, accountIds: [] })));
    bounded.groups.forEach((g, i) => expect(g.accountIds).toEqual(whole.groups[i]!.accountIds.slice(0, 7)));
    expect(group(bounded, 'Kickoff').count).toBeGreaterThan(7);
  });

  it('takes the even median from the histogram as the mean of the middle two', () => {
    const builder = new ProgressBoardBuilder(ONBOARDING_STAGES, NOW, undefined, 0);
    for (const [id, d] of [
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 7],
    ] as const)
      builder.add(item(id, running(STAGE.kickoff, days(d) + HOUR)));
    const kickoff = group(builder.build(), 'Kickoff');
    expect(kickoff).toMatchObject({ count: 4, accountIds: [] });
    expect(kickoff.daysInStage).toEqual({ accounts: 4, avg: 3, median: 2, max: 7 });
  });
});

describe('SLA counts on the board (B3, S4)', () => {
  it('counts the members of each stage on track, at risk and overdue; none is not counted', () => {
    const builder = new ProgressBoardBuilder(ONBOARDING_STAGES, NOW);
    builder.addPosition('a', false, STAGE.kickoff, days(1), 'on-track');
    builder.addPosition('b', false, STAGE.kickoff, days(4), 'at-risk');
    builder.addPosition('c', false, STAGE.kickoff, days(6), 'overdue');
    builder.addPosition('d', false, STAGE.kickoff, days(7), 'overdue');
    builder.addPosition('e', true, STAGE.kickoff, days(7), 'none');
    builder.addPosition('f', false, null, null, 'overdue');
    const board = builder.build();
    expect(group(board, 'Kickoff').sla).toEqual({ onTrack: 1, atRisk: 1, overdue: 2 });
    expect(group(board, 'Configuration').sla).toEqual({ onTrack: 0, atRisk: 0, overdue: 0 });
    expect(group(board, NONE_GROUP_NAME).sla).toEqual({ onTrack: 0, atRisk: 0, overdue: 0 });
  });

  it('reads the statuses as of a past date from the history with the business context', () => {
    const context = businessContextOf(
      new Map([
        [
          'onboarding',
          ONBOARDING_STAGES.map((s) => ({ ...s, sla: s.id === STAGE.kickoff ? { expected: 2, unit: 'calendar-days' as const } : null })),
        ],
      ]),
      new Map(),
    );
    const asOf = ago(days(3));
    const builder = new ProgressBoardBuilder(ONBOARDING_STAGES, NOW, asOf, Number.POSITIVE_INFINITY, {
      attributeKey: 'onboarding',
      context,
    });
    // Entered Kickoff 4 days before asOf (overdue then), and 1 day before asOf (on track: below 0.8 × 2 days).
    builder.addTransitions('late', false, [transition(null, STAGE.kickoff, ago(days(7)))]);
    builder.addTransitions('fresh', false, [transition(null, STAGE.kickoff, ago(days(4)))]);
    builder.addTransitions('canceled', true, [transition(null, STAGE.kickoff, ago(days(7)))]);
    expect(group(builder.build(), 'Kickoff')).toMatchObject({ count: 3, sla: { onTrack: 1, atRisk: 0, overdue: 1 } });
  });
});
