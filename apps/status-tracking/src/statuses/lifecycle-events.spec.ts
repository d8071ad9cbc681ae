import { CONFIGURATION, day, GO_LIVE, history, KICKOFF, onboardingStatus } from '../domain/lifecycle.fixture';
import { MS_PER_DAY, replay } from '@lifecycle/rules';
import { lifecycleClock, transitionEvents } from './lifecycle-events';

const def = onboardingStatus();
const subject = { source: 'status-tracking', accountId: 'acme', attributeKey: 'onboarding-status', definition: def };

describe('lifecycle events (L15)', () => {
  it('status.changed names both stages, the days in the stage left and the clock after the change', () => {
    const { transitions, state } = replay(def.stages, history().set(KICKOFF, day(0)).set(CONFIGURATION, day(6)).build());
    const [envelope] = transitionEvents(subject, transitions[1]!, state);
    expect(envelope).toMatchObject({
      type: 'status.changed',
      source: 'status-tracking',
      occurredAt: day(6).toISOString(),
      data: {
        accountId: 'acme',
        from: { id: KICKOFF, name: 'Kickoff' },
        to: { id: CONFIGURATION, name: 'Configuration' },
        cycle: 1,
        daysInStageLeft: 6,
        msInStageLeft: 6 * MS_PER_DAY,
        cause: 'set',
        clock: {
          stageId: CONFIGURATION,
          stageMsBefore: 0,
          completed: false,
          cycleStartedAt: day(0).toISOString(),
          stageEnteredAt: day(6).toISOString(),
        },
      },
    });
  });

  it('an end stage adds lifecycle.completed with the cycle record in stage order (L5)', () => {
    const { transitions, state } = replay(def.stages, history().set(KICKOFF, day(0)).set(GO_LIVE, day(10)).build());
    const events = transitionEvents(subject, transitions[1]!, state);
    expect(events.map((e) => e.type)).toEqual(['status.changed', 'lifecycle.completed']);
    expect(events[1]!.data).toMatchObject({
      cycle: 1,
      days: 10,
      stages: [
        { name: 'Kickoff', days: 10 },
        { name: 'Configuration', days: 0 },
        { name: 'Implementation', days: 0 },
        { name: 'Go Live', days: 0 },
      ],
    });
    expect(lifecycleClock(state)).toMatchObject({
      completed: true,
      frozenAttributeMs: 10 * MS_PER_DAY,
      frozenStageMs: 0,
      lastCompletedAt: day(10).toISOString(),
    });
  });

  it('a re-emitted transition keeps its own data with the cause recomputed (L11)', () => {
    const { transitions, state } = replay(def.stages, history().set(KICKOFF, day(0)).build());
    expect(transitionEvents(subject, transitions[0]!, state, 'recomputed')[0]!.data).toMatchObject({
      cause: 'recomputed',
      from: null,
      daysInStageLeft: null,
    });
  });
});
