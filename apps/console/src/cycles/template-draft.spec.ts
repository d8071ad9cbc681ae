import type { CycleTemplate } from '../api/schemas';
import { describeDaysDue, draftOf, moved, newActivity, newStage, newTask, templateBody } from './template-draft';

const template: CycleTemplate = {
  id: 'onboarding',
  name: 'Onboarding',
  description: null,
  version: 3,
  nextTemplateId: null,
  isDefault: false,
  builtIn: false,
  createdAt: '2025-03-01T00:00:00.000Z',
  updatedAt: '2025-03-01T00:00:00.000Z',
  stages: [
    {
      id: 'kickoff',
      name: 'Kickoff',
      order: 0,
      daysDue: { days: 14, relativeTo: 'cycleStart' },
      activities: [
        {
          id: 'call',
          name: 'Kickoff call',
          order: 0,
          daysDue: null,
          tasks: [{ id: 'agenda', name: 'Send agenda', order: 0, daysDue: null, ownerRole: 'csm' }],
        },
      ],
    },
  ],
};

describe('template edits (C1, C10)', () => {
  it('keeps the ids of existing items, so running cycles rename and keep them', () => {
    const body = templateBody(draftOf(template));
    expect(body).toEqual({
      name: 'Onboarding',
      description: null,
      nextTemplateId: null,
      stages: [
        {
          id: 'kickoff',
          name: 'Kickoff',
          order: 0,
          daysDue: { days: 14, relativeTo: 'cycleStart' },
          activities: [
            {
              id: 'call',
              name: 'Kickoff call',
              order: 0,
              daysDue: null,
              tasks: [{ id: 'agenda', name: 'Send agenda', order: 0, daysDue: null, ownerRole: 'csm' }],
            },
          ],
        },
      ],
    });
  });

  it('sends new items without an id, in the order shown', () => {
    const draft = draftOf(template);
    const stage = {
      ...newStage('Adoption'),
      activities: [
        { ...newActivity('Training'), tasks: [{ ...newTask('Book a session'), daysDue: { days: -30, relativeTo: 'renewal' as const } }] },
      ],
    };
    draft.stages = [stage, ...draft.stages];
    // The document's body has optional lists; this one always sends them.
    const stages = templateBody(draft).stages ?? [];
    expect(stages.map((s) => [s.name, s.order, 'id' in s])).toEqual([
      ['Adoption', 0, false],
      ['Kickoff', 1, true],
    ]);
    expect(stages[0]?.activities?.[0]?.tasks?.[0]).toEqual({
      name: 'Book a session',
      order: 0,
      daysDue: { days: -30, relativeTo: 'renewal' },
      ownerRole: null,
    });
  });

  it('moves an item by one place, not past the ends', () => {
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });

  it('says a due-day rule in words', () => {
    expect(describeDaysDue({ days: 14, relativeTo: 'cycleStart' })).toBe('14 days after the cycle start');
    expect(describeDaysDue({ days: -1, relativeTo: 'renewal' })).toBe('1 day before the renewal');
    expect(describeDaysDue(null)).toBe('no due date');
  });
});
