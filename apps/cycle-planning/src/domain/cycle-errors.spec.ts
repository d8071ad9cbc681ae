import { CYCLE_ERROR_KIND, CycleError, CycleErrorCode } from './cycle-errors';

describe('cycle errors', () => {
  it('carry a code, a kind for the transport filter, a message and details', () => {
    const error = new CycleError(CycleErrorCode.TaskNotFound, 'Task "x" is not part of cycle "Onboarding"', { taskId: 'x' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'CycleError', code: 'TASK_NOT_FOUND', kind: 'not-found', details: { taskId: 'x' } });
    expect(error.message).toBe('Task "x" is not part of cycle "Onboarding"');
  });

  it('every code has a kind', () => {
    for (const code of Object.values(CycleErrorCode)) {
      expect(['malformed', 'invalid', 'not-found', 'conflict']).toContain(CYCLE_ERROR_KIND[code]);
    }
  });
});
