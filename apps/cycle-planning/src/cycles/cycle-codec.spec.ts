import fc from 'fast-check';
import { completeTask, instantiateCycle, removeCycle, type AccountCycle, type CycleItemState, type DaysDue } from '../domain';
import { assignInput, onboardingCycle, onboardingTemplate } from '../domain/cycle.fixture';
import { decodeCycles, encodeCycles } from './cycle-codec';
import { formatOne, formatTwo } from './cycle-codec.fixture';

function someCycles(): AccountCycle[] {
  const started = onboardingCycle();
  const progressed = completeTask(started, 'schedule-call', new Date('2024-03-12T09:00:00Z')).cycle;
  const other = instantiateCycle(
    onboardingTemplate({ id: 'renewal' }),
    assignInput({ cycleId: 'cycle-2', subscription: null, primary: false, ownersByRole: {} }),
  );
  return removeCycle([progressed, other], 'cycle-2').cycles;
}

/** Any text: printable ASCII, or any code units (lone surrogates too). */
const textArb = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
const instantArb = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }).map((ms) => new Date(ms));
const daysDueArb: fc.Arbitrary<DaysDue> = fc.oneof(
  fc.record({ days: fc.integer({ min: -400, max: 400 }), relativeTo: fc.constantFrom('cycleStart' as const, 'renewal' as const) }),
  fc.record(
    {
      days: fc.integer({ min: 0, max: 30 }),
      relativeTo: fc.constant('stageEntry' as const),
      unit: fc.constant('business-days' as const),
      attributeKey: fc.string(),
      stageId: fc.string(),
    },
    { requiredKeys: ['days', 'relativeTo', 'attributeKey', 'stageId'] },
  ),
);
/** An item with any text (quotes, unicode), optional fields absent or set, dates or nulls. */
const itemArb = (id: string): fc.Arbitrary<CycleItemState> =>
  fc
    .record({
      name: textArb,
      order: fc.integer({ min: 1, max: 50 }),
      daysDue: fc.option(daysDueArb, { nil: undefined }),
      dueDate: fc.option(instantArb, { nil: null }),
      dueDateReason: fc.option(textArb, { nil: null }),
      completedAt: fc.option(instantArb, { nil: null }),
    })
    .map(({ daysDue, ...rest }) => ({
      id,
      name: rest.name,
      order: rest.order,
      ...(daysDue === undefined ? {} : { daysDue }),
      dueDate: rest.dueDate,
      dueDateReason: rest.dueDateReason,
      completedAt: rest.completedAt,
    }));
const taskArb = (id: string) =>
  fc
    .tuple(itemArb(id), fc.option(fc.string(), { nil: undefined }), fc.option(fc.string(), { nil: undefined }))
    .map(([item, ownerRole, ownerId]) => ({
      ...item,
      ...(ownerRole === undefined ? {} : { ownerRole }),
      ...(ownerId === undefined ? {} : { ownerId }),
    }));
const cycleArb: fc.Arbitrary<AccountCycle> = fc
  .record({
    cycleId: fc.string(),
    templateId: fc.string(),
    templateVersion: fc.integer({ min: 1, max: 1_000 }),
    name: textArb,
    primary: fc.boolean(),
    status: fc.constantFrom('active' as const, 'completed' as const, 'removed' as const),
    startDate: instantArb,
    assignedAt: instantArb,
    completedAt: fc.option(instantArb, { nil: null }),
    stages: fc.array(fc.tuple(itemArb('s'), fc.array(fc.tuple(itemArb('a'), fc.array(taskArb('t'), { maxLength: 3 })), { maxLength: 3 })), {
      maxLength: 3,
    }),
  })
  .map(({ stages, ...cycle }) => ({
    ...cycle,
    accountId: 'acct',
    stages: stages.map(([stage, activities]) => ({
      ...stage,
      activities: activities.map(([activity, tasks]) => ({ ...activity, tasks })),
    })),
  }))
  .map(({ cycleId, accountId, templateId, templateVersion, name, primary, status, startDate, assignedAt, completedAt, stages }) => ({
    cycleId,
    accountId,
    templateId,
    templateVersion,
    name,
    primary,
    status,
    startDate,
    assignedAt,
    completedAt,
    stages,
  }));

describe('stored form of an account’s cycles', () => {
  it('decodes to exactly what was encoded: dates, nulls, optional fields absent', () => {
    const cycles = someCycles();
    const decoded = decodeCycles(encodeCycles(cycles));
    expect(decoded).toEqual(cycles);
    expect(decoded[0]!.stages[0]!.activities[0]!.tasks[0]!.completedAt).toBeInstanceOf(Date);
    // Optional fields are absent, not undefined (the BSON/JSON shape stays the domain's).
    const task = decoded[1]!.stages[0]!.activities[0]!.tasks[1]!;
    expect(Object.keys(task)).not.toContain('ownerId');
    expect(Object.keys(task)).not.toContain('ownerRole');
  });

  it('keeps the fields in the domain’s order, so a decoded item and a new one serialize alike', () => {
    const cycles = someCycles();
    expect(JSON.stringify(decodeCycles(encodeCycles(cycles)))).toBe(JSON.stringify(cycles));
  });

  it('writes format 3 and still reads formats 1 and 2', () => {
    const cycles = someCycles();
    expect(encodeCycles(cycles)[0]).toBe(3);
    expect(decodeCycles(formatOne(cycles))).toEqual(cycles);
    expect(decodeCycles(formatTwo(cycles))).toEqual(cycles);
  });

  it('is as compact as the deflated formats and refuses an unknown format or cut bytes', () => {
    const encoded = encodeCycles([onboardingCycle()]);
    expect(encoded.length).toBeLessThan(JSON.stringify([onboardingCycle()]).length / 3);
    expect(encoded.length).toBeLessThan(formatTwo([onboardingCycle()]).length * 1.5);
    expect(() => decodeCycles(Buffer.concat([Buffer.of(9), encoded.subarray(1)]))).toThrow(/unknown encoding 9/);
    expect(() => decodeCycles(encoded.subarray(0, encoded.length - 1))).toThrow(/end too early/);
    expect(() => decodeCycles(Buffer.concat([encoded, Buffer.of(0)]))).toThrow(/past their end/);
  });

  it('keeps instants to the millisecond, before the start and long after it, and any text', () => {
    const [cycle] = someCycles();
    const start = cycle!.startDate.getTime();
    const task = cycle!.stages[0]!.activities[0]!.tasks[0]!;
    const odd: AccountCycle = {
      ...cycle!,
      name: 'Onboarding «ünïcode» 🚀 \ud800 lone',
      assignedAt: new Date(start - 1),
      completedAt: new Date(start + 1_000 * 86_400_000 + 7),
      stages: [
        {
          ...cycle!.stages[0]!,
          activities: [
            {
              ...cycle!.stages[0]!.activities[0]!,
              tasks: [
                { ...task, dueDate: new Date(start - 3 * 86_400_000), completedAt: new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 999)) },
              ],
            },
          ],
        },
      ],
    };
    expect(decodeCycles(encodeCycles([odd]))).toEqual([odd]);
    expect(() => encodeCycles([{ ...odd, templateVersion: 1.5 }])).toThrow(/not a non-negative integer/);
    expect(() => encodeCycles([{ ...odd, assignedAt: new Date(NaN) }])).toThrow(/invalid date/);
  });

  it('decodes any cycles to what was encoded, in every format (property)', () => {
    fc.assert(
      fc.property(fc.array(cycleArb, { maxLength: 3 }), (cycles) => {
        expect(JSON.stringify(decodeCycles(encodeCycles(cycles)))).toBe(JSON.stringify(cycles));
        expect(decodeCycles(encodeCycles(cycles))).toEqual(cycles);
        expect(decodeCycles(formatOne(cycles))).toEqual(cycles);
        expect(decodeCycles(formatTwo(cycles))).toEqual(cycles);
      }),
      { numRuns: 200 },
    );
  });
});
