import fc from 'fast-check';
import { MS_PER_DAY } from '@lifecycle/rules';
import { RULE_CASES } from '@lifecycle/rules/rule-cases.fixture';
import { type AttributeTransition } from './account-projection';
import type { CatalogStage } from './criteria-validation';
import { durationStatistics, LifecycleReportBuilder, timelinePoints } from './lifecycle-report';
import { SegmentError } from './segment-errors';
import { TracedReportBuilder } from './testing/lifecycle-report.reference';

const BASE = Date.UTC(2024, 0, 1);
const day = (n: number) => new Date(BASE + n * MS_PER_DAY);
const STAGES: CatalogStage[] = [
  { id: 'k', name: 'Kickoff', order: 1, disabled: false, endStage: false },
  { id: 'c', name: 'Configuration', order: 2, disabled: false, endStage: false },
  { id: 'i', name: 'Implementation', order: 3, disabled: true, endStage: false },
  { id: 'g', name: 'Go Live', order: 4, disabled: false, endStage: true },
];

/** Transitions from (stage, day) steps; `from` is implied. */
function history(...steps: [string | null, number][]): AttributeTransition[] {
  let from: string | null = null;
  return steps.map(([to, d]) => {
    const t = { from, to, at: day(d) };
    from = to;
    return t;
  });
}

const ACCOUNTS = [
  // Moves back once (L4 resets Kickoff), completes after 20 days.
  history(['k', 0], ['c', 10], ['k', 12], ['c', 15], ['g', 20]),
  // Completes after 5 days, restarts (L6) on day 30, is cleared (L7) on day 40.
  history(['k', 0], ['g', 5], ['k', 30], [null, 40]),
  // Still in Kickoff.
  history(['k', 50]),
];

function report(from: number, to: number) {
  const builder = new LifecycleReportBuilder({ attribute: 'onboarding', stages: STAGES, from: day(from), to: day(to), interval: 'week' });
  for (const transitions of ACCOUNTS) builder.add(transitions);
  return builder.build();
}

describe('lifecycle report', () => {
  it('counts cycles, conversions and days per stage and per cycle over the whole history', () => {
    const r = report(-1, 100);
    expect(r.accounts).toBe(3);
    expect(r.cycles).toEqual({ inScope: 4, completed: 2, running: 1, cleared: 1, restarted: 1, movedBack: 1 });
    const [kickoff, configuration, implementation, goLive] = r.stages;
    // Kickoff: entered by 4 cycles, left for a later stage by 2; its "Days in" when last left: 3 (reset by the move back), 5, 10.
    expect(kickoff).toMatchObject({
      entered: 4,
      advanced: 2,
      conversion: 0.5,
      accounts: 1,
      days: { count: 3, medianDays: 5, p90Days: 10 },
    });
    // Configuration keeps its time over the move back and forth (L3): 2 + 5 days.
    expect(configuration).toMatchObject({ entered: 1, advanced: 1, conversion: 1, days: { count: 1, medianDays: 7 } });
    expect(implementation).toMatchObject({ entered: 0, conversion: null, disabled: true });
    expect(goLive).toMatchObject({ entered: 2, conversion: null, accounts: 1 });
    expect(r.cycleDays).toEqual({ count: 2, medianDays: 12.5, p90Days: 20 });
    expect(r.accountsWithoutValue).toBe(1);
  });

  it('keeps to the window: cycles ended before it are out, restarts count when they start in it', () => {
    const r = report(35, 100);
    expect(r.cycles).toEqual({ inScope: 2, completed: 0, running: 1, cleared: 1, restarted: 0, movedBack: 0 });
    expect(r.accounts).toBe(2);
    expect(r.cycleDays.count).toBe(0);
  });

  it('is as of `to`: later changes do not count', () => {
    const r = report(-1, 11);
    expect(r.cycles).toMatchObject({ inScope: 2, completed: 1, running: 1 });
    const last = r.timeline[r.timeline.length - 1]!;
    expect(last.at).toEqual(day(11));
    expect(last.stages).toEqual({ k: 0, c: 1, i: 0, g: 1 });
    expect(last.none).toBe(0);
  });

  it('puts every account on the timeline at the end of each interval', () => {
    const r = report(0, 56);
    expect(r.timeline.map((p) => p.at)).toEqual([7, 14, 21, 28, 35, 42, 49, 56].map(day));
    expect(r.timeline.map((p) => [p.stages['k'], p.stages['c'], p.stages['g'], p.none])).toEqual([
      [1, 0, 1, 0], // day 7: a1 in Kickoff, a2 completed, a3 not started
      [1, 0, 1, 0], // day 14: a1 moved back to Kickoff (Configuration on days 10–12)
      [0, 0, 2, 0],
      [0, 0, 2, 0],
      [1, 0, 1, 0], // day 35: a2 restarted
      [0, 0, 1, 1], // day 42: a2 cleared
      [0, 0, 1, 1],
      [1, 0, 1, 1], // day 56: a3 in Kickoff (from day 50)
    ]);
  });

  it('statistics: median of the middle two, p90 by nearest rank', () => {
    expect(durationStatistics([])).toEqual({ count: 0, medianDays: null, p90Days: null });
    expect(durationStatistics([1, 2, 3, 4].map((d) => d * MS_PER_DAY))).toEqual({ count: 4, medianDays: 2.5, p90Days: 4 });
    expect(durationStatistics(Array.from({ length: 10 }, (_, i) => (i + 1) * MS_PER_DAY)).p90Days).toBe(9);
  });

  it('refuses windows with too many points for the interval', () => {
    expect(() => timelinePoints(day(0), day(1000), 'day')).toThrow(SegmentError);
    expect(timelinePoints(day(0), day(1000), 'month')).toHaveLength(33);
  });

  // The report traces cycles with the same rules: every case's cycles come out as the fold says.
  it.each(RULE_CASES.map((c) => [c.rule, c.name, c] as const))('the rule table: %s %s', (_rule, _name, c) => {
    const builder = new LifecycleReportBuilder({
      attribute: 'a',
      stages: c.stages,
      from: new Date(BASE - 400 * MS_PER_DAY),
      to: new Date(c.at.getTime() + 1),
      interval: 'month',
    });
    builder.add(c.history.map((entry) => ({ from: null, to: entry.to, at: entry.at })));
    const r = builder.build();
    const { stageId, cycle, completedCycles, completed } = c.expected;
    const running = stageId !== null && !completed ? 1 : 0;
    expect(r.cycles).toMatchObject({ inScope: cycle, completed: completedCycles, running, cleared: cycle - completedCycles - running });
    expect(r.accounts).toBe(cycle > 0 ? 1 : 0);
    expect(r.cycleDays.count).toBe(completedCycles);
    const happened = c.history.some((entry) => entry.at.getTime() <= c.at.getTime());
    expect(r.accountsWithoutValue).toBe(happened && stageId === null ? 1 : 0);
    if (stageId !== null) expect(r.stages.find((s) => s.stageId === stageId)?.accounts).toBe(1);
  });

  it('≡ the traced reference on random histories (restarts, moves back, clears, removed stages, late and equal times)', () => {
    const step = fc.record({
      to: fc.constantFrom<string | null>('k', 'c', 'i', 'g', 'removed', null),
      at: fc.integer({ min: 0, max: 60 }),
    });
    const account = fc.array(fc.tuple(step, fc.integer({ min: 0, max: 23 })), { maxLength: 15 }).map((steps) =>
      steps.map(([s, hour], i): AttributeTransition => ({
        from: null,
        to: s.to,
        at: new Date(day(s.at).getTime() + (i % 2) * hour * 3_600_000),
      })),
    );
    const query = fc
      .tuple(
        fc.integer({ min: -5, max: 60 }),
        fc.integer({ min: 1, max: 70 }),
        fc.constantFrom<'day' | 'week' | 'month'>('day', 'week', 'month'),
      )
      .map(([from, length, interval]) => ({ attribute: 'onboarding', stages: STAGES, from: day(from), to: day(from + length), interval }));
    fc.assert(
      fc.property(fc.array(account, { maxLength: 12 }), query, (accounts, q) => {
        const builder = new LifecycleReportBuilder(q);
        const reference = new TracedReportBuilder(q);
        for (const transitions of accounts) {
          builder.add(transitions);
          reference.add(transitions);
        }
        expect(builder.build()).toEqual(reference.build());
      }),
      { numRuns: 500, seed: 1418 },
    );
  });
});
