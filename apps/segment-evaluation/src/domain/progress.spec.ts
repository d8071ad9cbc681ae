import type { AttributeTransition } from './account-projection';
import type { ProgressBoard, ProgressGroup, ProgressItem } from './progress';
import { NONE_GROUP_NAME, progressBoard, ProgressBoardBuilder, progressItemOf, replayAttributeState } from './progress';
import { SegmentError, SegmentErrorCode } from './segment-errors';
import {
  account,
  ago,
  days,
  frozen,
  NOW,
  noValue,
  ONBOARDING_STAGES,
  RENEWAL,
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

describe('replayAttributeState (L2–L8)', () => {
  const t0 = ago(days(30));
  const at = (d: number): Date => new Date(t0.getTime() + days(d));
  const history: AttributeTransition[] = [
    transition(null, STAGE.kickoff, at(0)),
    transition(STAGE.kickoff, STAGE.configuration, at(2)),
    transition(STAGE.configuration, STAGE.kickoff, at(5)), // L4: back, Kickoff restarts from 0
    transition(STAGE.kickoff, STAGE.configuration, at(6)), // L3: Configuration resumes from 3 days
    transition(STAGE.configuration, STAGE.goLive, at(8)), // L5: completed, frozen
    transition(STAGE.goLive, STAGE.kickoff, at(10)), // L6: new cycle
    transition(STAGE.kickoff, null, at(12)), // L7: cleared
  ];
  const replay = (d: number, transitions = history) => replayAttributeState(ONBOARDING_STAGES, transitions, at(d));

  it.each([
    ['before the first change', -1, { stageId: null, cycle: 0, completedCycles: 0, running: false, msInStage: null, msInAttribute: null }],
    ['L2 start', 1, { stageId: STAGE.kickoff, cycle: 1, running: true, msInStage: days(1), msInAttribute: days(1) }],
    ['a change at exactly the instant counts', 2, { stageId: STAGE.configuration, msInStage: 0, msInAttribute: days(2) }],
    ['L3 forward', 4, { stageId: STAGE.configuration, msInStage: days(2), msInAttribute: days(4) }],
    ['L4 back resets the target', 5.5, { stageId: STAGE.kickoff, msInStage: days(0.5), msInAttribute: days(5.5) }],
    ['L3 the target resumes from its time in this cycle', 7, { stageId: STAGE.configuration, msInStage: days(4), msInAttribute: days(7) }],
    [
      'L5 end stage: completed, frozen, no days in the end stage',
      9,
      { stageId: STAGE.goLive, cycle: 1, completedCycles: 1, running: false, msInStage: 0, msInAttribute: days(8) },
    ],
    [
      'L6 leaving the end stage starts a new cycle',
      11,
      { stageId: STAGE.kickoff, cycle: 2, completedCycles: 1, running: true, msInStage: days(1), msInAttribute: days(1) },
    ],
    ['L7 cleared', 13, { stageId: null, cycle: 2, completedCycles: 1, running: false, msInStage: null, msInAttribute: null }],
  ])('%s', (_name, instant, expected) => {
    expect(replay(instant)).toMatchObject(expected);
  });

  it('sorts transitions by time and keeps the given order for equal times', () => {
    expect(replay(7, [...history].reverse())).toEqual(replay(7));
    const sameInstant = [transition(null, STAGE.kickoff, at(0)), transition(STAGE.kickoff, STAGE.configuration, at(0))];
    expect(replay(1, sameInstant)).toMatchObject({ stageId: STAGE.configuration, msInStage: days(1) });
  });

  it('L8 a transition to the current stage changes nothing', () => {
    const repeated = [transition(null, STAGE.kickoff, at(0)), transition(STAGE.kickoff, STAGE.kickoff, at(1))];
    expect(replay(3, repeated)).toMatchObject({ stageId: STAGE.kickoff, msInStage: days(3), cycle: 1 });
  });

  it('L6 moving between two end stages starts nothing; an end stage set on an empty value completes a cycle at once', () => {
    const base = new Date(NOW.getTime() - days(10));
    const later = (d: number): Date => new Date(base.getTime() + days(d));
    const history2 = [
      transition(null, 'rnw-open', later(0)),
      transition('rnw-open', 'rnw-won', later(3)),
      transition('rnw-won', 'rnw-lost', later(5)),
    ];
    expect(replayAttributeState(RENEWAL.stages, history2, later(6))).toMatchObject({
      stageId: 'rnw-lost',
      cycle: 1,
      completedCycles: 1,
      running: false,
      msInStage: 0,
      msInAttribute: days(3),
    });
    expect(replayAttributeState(RENEWAL.stages, [transition(null, 'rnw-won', later(0))], later(2))).toEqual({
      stageId: 'rnw-won',
      cycle: 1,
      completedCycles: 1,
      running: false,
      msInStage: 0,
      msInAttribute: 0,
    });
  });

  it('a stage the catalog does not know clears the value (L7, "the stage removed")', () => {
    const removed = [transition(null, STAGE.kickoff, at(0)), transition(STAGE.kickoff, 'stg-removed', at(1))];
    expect(replay(2, removed)).toMatchObject({ stageId: null, msInStage: null });
    expect(replay(4, [...removed, transition('stg-removed', STAGE.configuration, at(3))])).toMatchObject({
      stageId: STAGE.configuration,
      cycle: 2,
      msInStage: days(1),
    });
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
