import type { TemplateInput } from './template-input';

/**
 * C2: the global default created at first start ("Default SuccessCycle"), under a fixed id so
 * every instance creates the same one (idempotent). Admins may rename and edit it, and make
 * another template the global default.
 */
export const DEFAULT_TEMPLATE_ID = 'default-successcycle';

const cycleStart = (days: number) => ({ days, relativeTo: 'cycleStart' as const });
const renewal = (days: number) => ({ days, relativeTo: 'renewal' as const });

export const DEFAULT_TEMPLATE: TemplateInput = {
  name: 'Default SuccessCycle',
  description: 'Onboarding, adoption and renewal of a new client.',
  nextTemplateId: null,
  stages: [
    {
      id: 'onboarding',
      name: 'Onboarding',
      daysDue: cycleStart(30),
      activities: [
        {
          id: 'kickoff',
          name: 'Kickoff',
          daysDue: cycleStart(7),
          tasks: [
            { id: 'send-welcome-email', name: 'Send welcome email', daysDue: cycleStart(1), ownerRole: 'csm' },
            { id: 'hold-kickoff-call', name: 'Hold kickoff call', daysDue: cycleStart(7), ownerRole: 'csm' },
          ],
        },
        {
          id: 'configuration',
          name: 'Configuration',
          daysDue: cycleStart(30),
          tasks: [{ id: 'confirm-go-live', name: 'Confirm go-live', daysDue: cycleStart(30), ownerRole: 'csm' }],
        },
      ],
    },
    {
      id: 'adoption',
      name: 'Adoption',
      daysDue: cycleStart(90),
      activities: [
        {
          id: 'adoption-review',
          name: 'Adoption review',
          daysDue: cycleStart(90),
          tasks: [{ id: 'review-usage', name: 'Review product usage', daysDue: cycleStart(60), ownerRole: 'csm' }],
        },
      ],
    },
    {
      id: 'renewal',
      name: 'Renewal',
      daysDue: renewal(0),
      activities: [
        {
          id: 'renewal-preparation',
          name: 'Renewal preparation',
          daysDue: renewal(-30),
          tasks: [
            { id: 'business-review', name: 'Hold business review', daysDue: renewal(-90), ownerRole: 'csm' },
            { id: 'send-renewal-quote', name: 'Send renewal quote', daysDue: renewal(-30), ownerRole: 'csm' },
          ],
        },
      ],
    },
  ],
};
