import { MS_PER_DAY } from './days';
import { stageMsAtIntervalEnds, traceCycles } from './cycle-trace';
import type { HistoryEntry } from './history';
import { CONFIGURATION, GO_LIVE, KICKOFF, ONBOARDING, day } from './rule-cases.fixture';

function history(...steps: [string | null, number][]): HistoryEntry[] {
  return steps.map(([to, d], seq) => ({ changeId: `c${seq}`, seq, to, at: day(d) }));
}

describe('traceCycles', () => {
  it('records where the clocks ran, a move back resetting its stage (L3/L4), up to completion (L5)', () => {
    const [cycle] = traceCycles(ONBOARDING, history([KICKOFF, 0], [CONFIGURATION, 10], [KICKOFF, 12], [CONFIGURATION, 15], [GO_LIVE, 20]));
    expect(cycle).toEqual({
      cycle: 1,
      startedAt: day(0),
      restarted: false,
      entered: [KICKOFF, CONFIGURATION, KICKOFF, CONFIGURATION, GO_LIVE],
      intervals: [
        { stageId: KICKOFF, from: day(0), to: day(10), resets: false, changeId: 'c0' },
        { stageId: CONFIGURATION, from: day(10), to: day(12), resets: false, changeId: 'c1' },
        { stageId: KICKOFF, from: day(12), to: day(15), resets: true, changeId: 'c2' },
        { stageId: CONFIGURATION, from: day(15), to: day(20), resets: false, changeId: 'c3' },
      ],
      end: { kind: 'completed', at: day(20) },
    });
    // Kickoff shows 10, then 3 after the reset; Configuration runs on from 2 to 7.
    expect(stageMsAtIntervalEnds(cycle!.intervals, day(30)).map((ms) => ms / MS_PER_DAY)).toEqual([10, 2, 3, 7]);
  });

  it('a restart (L6) opens a new cycle, a clear (L7) ends a running one, an open interval runs to `until`', () => {
    const traces = traceCycles(ONBOARDING, history([KICKOFF, 0], [GO_LIVE, 5], [KICKOFF, 30], [null, 40], [CONFIGURATION, 50]));
    expect(traces.map((t) => [t.cycle, t.restarted, t.end])).toEqual([
      [1, false, { kind: 'completed', at: day(5) }],
      [2, true, { kind: 'cleared', at: day(40) }],
      [3, false, null],
    ]);
    expect(traces[1]?.intervals).toEqual([{ stageId: KICKOFF, from: day(30), to: day(40), resets: false, changeId: 'c2' }]);
    expect(traces[2]?.intervals).toEqual([{ stageId: CONFIGURATION, from: day(50), to: null, resets: false, changeId: 'c4' }]);
    expect(stageMsAtIntervalEnds(traces[2]!.intervals, day(53))).toEqual([3 * MS_PER_DAY]);
  });

  it('an end stage set on an empty value is a cycle completed at once, without intervals; clearing it changes nothing', () => {
    expect(traceCycles(ONBOARDING, history([GO_LIVE, 2], [null, 4]))).toEqual([
      { cycle: 1, startedAt: day(2), restarted: false, entered: [GO_LIVE], intervals: [], end: { kind: 'completed', at: day(2) } },
    ]);
  });

  it('measures with any clock: one that counts half of every stretch halves every counter', () => {
    const [cycle] = traceCycles(ONBOARDING, history([KICKOFF, 0], [CONFIGURATION, 4]));
    const half = (from: Date, to: Date): number => (to.getTime() - from.getTime()) / 2;
    expect(stageMsAtIntervalEnds(cycle!.intervals, day(10), half)).toEqual([2 * MS_PER_DAY, 3 * MS_PER_DAY]);
  });
});
