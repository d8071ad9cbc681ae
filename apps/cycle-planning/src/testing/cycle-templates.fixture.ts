/**
 * Templates of the integration tests, as an admin would send them (quick entry, SPEC C1), and the
 * due dates they give, computed by hand (calendar days; negative = before the renewal date).
 */
const start = (days: number) => ({ days, relativeTo: 'cycleStart' as const });
const renewal = (days: number) => ({ days, relativeTo: 'renewal' as const });

/**
 * Onboarding:
 * - Kickoff (start+14): Kickoff call (start+7: Schedule call start+2 [csm], Send agenda start+5),
 *   Welcome pack (start+10, no tasks)
 * - Adoption (start+60): Training (start+30: Admin training start+21, User training start+28)
 * - Renewal (renewal+0): Renewal prep (renewal-30: QBR renewal-60, Send quote renewal-14 [csm])
 */
export function onboardingBody(id = 'onboarding', name = 'Onboarding', nextTemplateId: string | null = null) {
  return {
    id,
    name,
    description: 'From kickoff to the first renewal',
    nextTemplateId,
    stages: [
      {
        id: 'kickoff',
        name: 'Kickoff',
        daysDue: start(14),
        activities: [
          {
            id: 'kickoff-call',
            name: 'Kickoff call',
            daysDue: start(7),
            tasks: [
              { id: 'schedule-call', name: 'Schedule call', daysDue: start(2), ownerRole: 'csm' },
              { id: 'send-agenda', name: 'Send agenda', daysDue: start(5) },
            ],
          },
          { id: 'welcome-pack', name: 'Welcome pack', daysDue: start(10) },
        ],
      },
      {
        id: 'adoption',
        name: 'Adoption',
        daysDue: start(60),
        activities: [
          {
            id: 'training',
            name: 'Training',
            daysDue: start(30),
            tasks: [
              { id: 'admin-training', name: 'Admin training', daysDue: start(21) },
              { id: 'user-training', name: 'User training', daysDue: start(28) },
            ],
          },
        ],
      },
      {
        id: 'renewal',
        name: 'Renewal',
        daysDue: renewal(0),
        activities: [
          {
            id: 'renewal-prep',
            name: 'Renewal prep',
            daysDue: renewal(-30),
            tasks: [
              { id: 'qbr', name: 'QBR', daysDue: renewal(-60) },
              { id: 'send-quote', name: 'Send quote', daysDue: renewal(-14), ownerRole: 'csm' },
            ],
          },
        ],
      },
    ],
  };
}

/** Onboarding started 2025-03-10T15:30Z, renewal 2026-01-15: every due date, by hand. */
export const ONBOARDING_START = '2025-03-10T15:30:00.000Z';
export const ONBOARDING_RENEWAL = '2026-01-15';
export const ONBOARDING_DUE_START_RELATIVE = {
  kickoff: '2025-03-24',
  'kickoff-call': '2025-03-17',
  'schedule-call': '2025-03-12',
  'send-agenda': '2025-03-15',
  'welcome-pack': '2025-03-20',
  adoption: '2025-05-09',
  training: '2025-04-09',
  'admin-training': '2025-03-31',
  'user-training': '2025-04-07',
};
export const ONBOARDING_DUE_RENEWAL_RELATIVE = {
  renewal: '2026-01-15',
  'renewal-prep': '2025-12-16',
  qbr: '2025-11-16',
  'send-quote': '2026-01-01',
};

/** A one-task template, optionally chaining to another (C8). */
export function singleTaskBody(id: string, nextTemplateId: string | null = null, taskDays = 3) {
  return {
    id,
    name: `Cycle ${id}`,
    nextTemplateId,
    stages: [
      {
        id: `${id}-stage`,
        name: 'Only stage',
        activities: [
          { id: `${id}-activity`, name: 'Only activity', tasks: [{ id: `${id}-task`, name: 'Only task', daysDue: start(taskDays) }] },
        ],
      },
    ],
  };
}
