import { completeTask, instantiateCycle, removeCycle } from '../domain';
import { assignInput, onboardingCycle, onboardingTemplate } from '../domain/cycle.fixture';
import { decodeCycles, encodeCycles } from './cycle-codec';

describe('stored form of an account’s cycles', () => {
  it('decodes to exactly what was encoded: dates, nulls, optional fields absent', () => {
    const started = onboardingCycle();
    const progressed = completeTask(started, 'schedule-call', new Date('2024-03-12T09:00:00Z')).cycle;
    const other = instantiateCycle(
      onboardingTemplate({ id: 'renewal' }),
      assignInput({ cycleId: 'cycle-2', subscription: null, primary: false, ownersByRole: {} }),
    );
    const cycles = removeCycle([progressed, other], 'cycle-2').cycles;
    const decoded = decodeCycles(encodeCycles(cycles));
    expect(decoded).toEqual(cycles);
    expect(decoded[0]!.stages[0]!.activities[0]!.tasks[0]!.completedAt).toBeInstanceOf(Date);
    // Optional fields are absent, not undefined (the BSON/JSON shape stays the domain's).
    const task = decoded[1]!.stages[0]!.activities[0]!.tasks[1]!;
    expect(Object.keys(task)).not.toContain('ownerId');
    expect(Object.keys(task)).not.toContain('ownerRole');
  });

  it('is compact and refuses an unknown format', () => {
    const encoded = encodeCycles([onboardingCycle()]);
    expect(encoded.length).toBeLessThan(JSON.stringify([onboardingCycle()]).length / 3);
    expect(() => decodeCycles(Buffer.concat([Buffer.of(9), encoded.subarray(1)]))).toThrow(/unknown encoding 9/);
  });
});
