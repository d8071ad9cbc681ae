import { stageSlaAt } from '@lifecycle/rules';
import { CASE_CALENDAR, KICKOFF, CONFIGURATION, ONBOARDING_SLA, day } from '@lifecycle/rules/rule-cases.fixture';
import { crossingKey, decideSla } from './sla-decision';

const history = (...steps: [string | null, number][]) => steps.map(([to, d], seq) => ({ changeId: `c${seq}`, seq, to, at: day(d) }));
const read = (h: ReturnType<typeof history>, at: number) => stageSlaAt(ONBOARDING_SLA, h, day(at), CASE_CALENDAR);

// Kickoff: 5 business days, at risk from 4 (day 7), due day 8 when entered on day 0 (see the rule table).
describe('B4: which SLA crossings to publish', () => {
  it('nothing due before the at-risk point; look again at it', () => {
    const h = history([KICKOFF, 0]);
    expect(decideSla(read(h, 6), new Set(), day(6))).toEqual({ emit: [], nextAt: day(7) });
  });

  it('at the at-risk point: publish it, then look again at the due instant', () => {
    const h = history([KICKOFF, 0]);
    expect(decideSla(read(h, 7), new Set(), day(7))).toEqual({ emit: [{ threshold: 'at-risk', at: day(7) }], nextAt: day(8) });
  });

  it('what was published for the entry is not published again', () => {
    const h = history([KICKOFF, 0]);
    const published = new Set([crossingKey('c0', 'at-risk')]);
    expect(decideSla(read(h, 9), published, day(9))).toEqual({ emit: [{ threshold: 'breached', at: day(8) }], nextAt: null });
    published.add(crossingKey('c0', 'breached'));
    expect(decideSla(read(h, 9), published, day(9))).toEqual({ emit: [], nextAt: null });
  });

  it('a backdated entry (L11) makes both crossings due at once, dated in the past', () => {
    const h = history([KICKOFF, 9], [KICKOFF, 0]);
    expect(decideSla(read(h, 9), new Set([crossingKey('c0', 'at-risk')]), day(9)).emit).toEqual([
      { threshold: 'at-risk', at: day(7) },
      { threshold: 'breached', at: day(8) },
    ]);
  });

  it('after the account left the stage nothing of that entry is published (B4)', () => {
    const h = history([KICKOFF, 0], [CONFIGURATION, 6]);
    // Configuration: 10 calendar days at 0.5 → at risk on day 11, due on day 16; Kickoff's crossings are gone.
    expect(decideSla(read(h, 10), new Set(), day(10))).toEqual({ emit: [], nextAt: day(11) });
  });
});
