import { validateTemplate } from '../domain';
import { buildTemplate } from './template-input';

describe('a template as sent by an admin → the domain template', () => {
  it('keeps given ids, generates the missing ones, orders siblings by `order` (default: list position)', () => {
    const template = buildTemplate(
      {
        name: '  Onboarding ',
        description: '  ',
        stages: [
          {
            name: 'Second',
            order: 20,
            activities: [
              {
                id: 'kickoff-call',
                name: 'Call',
                tasks: [
                  { name: 'B', order: 2 },
                  { name: 'A', order: 1, ownerRole: 'csm' },
                ],
              },
            ],
          },
          { id: 'first', name: 'First', order: 10, daysDue: { days: -5, relativeTo: 'renewal' } },
        ],
      },
      'onboarding',
      3,
    );
    validateTemplate(template);
    expect(template).toMatchObject({ id: 'onboarding', name: 'Onboarding', version: 3, nextTemplateId: null });
    expect(template.description).toBeUndefined();
    expect(template.stages.map((s) => [s.id, s.name, s.order])).toEqual([
      ['first', 'First', 1],
      [expect.stringMatching(/^stage-/), 'Second', 2],
    ]);
    expect(template.stages[0]!.daysDue).toEqual({ days: -5, relativeTo: 'renewal' });
    expect(template.stages[1]!.activities[0]!.tasks.map((t) => [t.name, t.order, t.ownerRole])).toEqual([
      ['A', 1, 'csm'],
      ['B', 2, undefined],
    ]);
  });
});
