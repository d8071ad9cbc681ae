/**
 * Random criteria and random projections for the equivalence properties of the evaluation index
 * (index ≡ `matches()` ≡ the compiled query on the real server): every operator, day
 * comparisons around whole-day boundaries, windows around their edges, canceled accounts,
 * disabled stages (`Implementation` is disabled in the catalog), stage ids the catalog no
 * longer has, criteria written with renamed stage names, AND/OR nesting.
 */
import fc from 'fast-check';
import { MS_PER_DAY, SLA_STATUSES, type BusinessCalendar, type SlaStage } from '@lifecycle/rules';
import type { AttributeProjection } from '../../domain/account-projection';
import { businessContextOf, type BusinessContext } from '../../domain/business-context';
import type { CatalogAttribute, CriteriaCatalog } from '../../domain/criteria-validation';
import { ago, catalogOf, NOW, ONBOARDING, RENEWAL } from '../../domain/testing/account-projection.builder';
import type { ProjectedAccount } from '../../domain/projection-updates';

export { NOW };

/** The catalog after a rename of every stage (A5: criteria keep working by id). */
export const RENAMED: CatalogAttribute[] = [ONBOARDING, RENEWAL].map((attribute) => ({
  ...attribute,
  stages: attribute.stages.map((s) => ({ ...s, name: `${s.name} (renamed)` })),
}));

export const CATALOGS: { name: string; catalog: CriteriaCatalog; attributes: CatalogAttribute[] }[] = [
  { name: 'catalog', catalog: catalogOf(ONBOARDING, RENEWAL), attributes: [ONBOARDING, RENEWAL] },
  { name: 'renamed', catalog: catalogOf(...RENAMED), attributes: RENAMED },
];

const ISO_CHOICES = ['2024-06-10', '2024-06-12', '2024-06-13T12:00:00Z', '2024-06-14T00:00:00.000Z', '2024-06-15', '2024-06-15T12:00:00Z'];
const MAX_DAYS = 6;
/** A stage id no catalog has (a removed stage): projections may hold it, criteria cannot name it. */
const REMOVED_STAGE = 'stg-removed';

/** ms near whole-day boundaries (where off-by-one errors live), or anywhere, sometimes negative. */
const msArb = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: MAX_DAYS + 1 }), fc.constantFrom(-1, 0, 1)).map(([d, o]) => d * MS_PER_DAY + o),
  fc.integer({ min: -MS_PER_DAY, max: (MAX_DAYS + 2) * MS_PER_DAY }),
);
const instantArb = fc.oneof(
  msArb.map((ms) => ago(ms)),
  fc.constantFrom(...ISO_CHOICES).chain((iso) => fc.constantFrom(-1, 0, 1).map((o) => new Date(new Date(iso).getTime() + o))),
);

function stageIdArb(attribute: CatalogAttribute): fc.Arbitrary<string> {
  return fc.constantFrom(...attribute.stages.map((s) => s.id), REMOVED_STAGE);
}

function stateArb(attribute: CatalogAttribute): fc.Arbitrary<AttributeProjection | undefined> {
  const maybeStage = fc.option(stageIdArb(attribute), { nil: null });
  const transitionArb = fc.record({ from: maybeStage, to: maybeStage, at: instantArb });
  const common = fc.record({
    stageId: maybeStage,
    cycle: fc.nat(4),
    completedCycles: fc.nat(3),
    completions: fc.array(instantArb, { maxLength: 3 }),
    transitions: fc.array(transitionArb, { maxLength: 4 }),
  });
  const runningArb = fc.tuple(common, msArb, msArb, fc.boolean()).map(([c, stageMs, attributeMs, broken]) => ({
    ...c,
    running: true,
    stageClockStart: broken ? null : ago(stageMs),
    attributeClockStart: ago(attributeMs),
    frozenStageMs: null,
    frozenAttributeMs: null,
  }));
  const frozenArb = fc.tuple(common, msArb, fc.option(msArb, { nil: null })).map(([c, stageMs, attributeMs]) => ({
    ...c,
    running: false,
    stageClockStart: null,
    attributeClockStart: null,
    frozenStageMs: stageMs,
    frozenAttributeMs: attributeMs,
  }));
  return fc.oneof(fc.constant(undefined), runningArb, frozenArb);
}

/**
 * B2/B3: SLAs on Kickoff (3 business days), Configuration (2 calendar days, at risk from half)
 * and Open (4 business days, at risk at 0.5); calendars `berlin` (a holiday on Wednesday 12 June
 * 2024) and `weekend-workers` (Saturday and Sunday only, Pacific/Kiritimati, UTC+14); an account
 * naming `gone` (or nothing) counts on the default, Monday to Friday in America/New_York. The
 * instants above lie within a week of NOW (Saturday 15 June 2024), so business days and
 * statuses vary from account to account.
 */
export const BUSINESS_CONTEXT: BusinessContext = businessContextOf(
  new Map<string, SlaStage[]>(
    [ONBOARDING, RENEWAL].map((attribute) => [
      attribute.key,
      attribute.stages.map((s) => ({
        ...s,
        sla:
          s.id === 'stg-kickoff'
            ? { expected: 3, unit: 'business-days' as const }
            : s.id === 'stg-config'
              ? { expected: 2, unit: 'calendar-days' as const, atRisk: 0.5 }
              : s.id === 'rnw-open'
                ? { expected: 4, unit: 'business-days' as const, atRisk: 0.5 }
                : null,
      })),
    ]),
  ),
  new Map<string, BusinessCalendar>([
    ['berlin', { workingWeekdays: [1, 2, 3, 4, 5], holidays: ['2024-06-12'], timeZone: 'Europe/Berlin' }],
    ['weekend-workers', { workingWeekdays: [6, 7], holidays: [], timeZone: 'Pacific/Kiritimati' }],
  ]),
  { workingWeekdays: [1, 2, 3, 4, 5], holidays: [], timeZone: 'America/New_York' },
);

/** A projection as the service stores it (ids are given by the caller: `accounts(n)`). */
const accountArb = fc
  .record({
    name: fc.constantFrom('Acme', 'Globex', 'Initech'),
    clientType: fc.constantFrom(null, 'enterprise', 'smb'),
    ownerId: fc.constantFrom(null, 'u-1', 'u-2'),
    canceled: fc.boolean(),
    calendarKey: fc.constantFrom(null, 'berlin', 'weekend-workers', 'gone'),
    subscriptionActive: fc.boolean(),
    renewalDate: fc.option(
      msArb.map((ms) => new Date(NOW.getTime() + ms - MS_PER_DAY)),
      { nil: null },
    ),
    onboarding: stateArb(ONBOARDING),
    renewal: stateArb(RENEWAL),
  })
  .map(({ onboarding: o, renewal: r, ...facts }) => {
    const lifecycle: Record<string, AttributeProjection> = {};
    if (o !== undefined) lifecycle['onboarding'] = o;
    if (r !== undefined) lifecycle['renewal'] = r;
    return { ...facts, lifecycle };
  });

/** `n` projections with distinct ids. */
export function projectionsArb(minLength: number, maxLength: number): fc.Arbitrary<ProjectedAccount[]> {
  return fc.array(accountArb, { minLength, maxLength }).map((list) =>
    list.map((facts, i): ProjectedAccount => ({
      _id: `acc-${String(i).padStart(3, '0')}`,
      ...facts,
      lifecycle: facts.lifecycle as ProjectedAccount['lifecycle'],
      factsAt: null,
      segments: [],
      membershipSeq: {},
    })),
  );
}

/** A stage reference as a client writes it against `attribute`: id, or name in any case. */
function stageRefArb(attribute: CatalogAttribute): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...attribute.stages), fc.constantFrom('id', 'name', 'upper'))
    .map(([s, form]) => (form === 'id' ? s.id : form === 'name' ? s.name : s.name.toUpperCase()));
}

const comparisonArb = fc
  .record(
    { gt: fc.nat(MAX_DAYS), gte: fc.nat(MAX_DAYS), lt: fc.nat(MAX_DAYS), lte: fc.nat(MAX_DAYS), eq: fc.nat(MAX_DAYS) },
    { requiredKeys: [] },
  )
  .filter((c) => Object.keys(c).length > 0);

const windowArb = fc.oneof(
  fc.constant({}),
  fc.integer({ min: 1, max: MAX_DAYS }).map((lastDays) => ({ lastDays })),
  fc.tuple(fc.constantFrom(...ISO_CHOICES), fc.constantFrom(...ISO_CHOICES)).map(([a, b]) => ({ from: a, to: b })),
  fc.constantFrom(...ISO_CHOICES).map((from) => ({ from })),
  fc.constantFrom(...ISO_CHOICES).map((to) => ({ to })),
);

/**
 * One condition. `business` adds the B5 conditions (business-day comparisons, `sla`), which
 * only the index and `matches()` evaluate (no query can count working days).
 */
function conditionArb(attributes: CatalogAttribute[], business: boolean): fc.Arbitrary<unknown> {
  return fc.constantFrom(...attributes).chain((attribute) => {
    const key = attribute.key;
    const businessOnly = business
      ? [
          fc
            .record(
              {
                stages: fc.array(stageRefArb(attribute), { minLength: 1, maxLength: 3 }),
                daysInStage: comparisonArb,
                businessDaysInStage: comparisonArb,
                businessDaysInAttribute: comparisonArb,
              },
              { requiredKeys: ['stages'] },
            )
            .filter((c) => c.businessDaysInStage !== undefined || c.businessDaysInAttribute !== undefined)
            .map(({ stages, ...dayComparisons }) => ({ attribute: key, isOneOf: stages, ...dayComparisons })),
          fc.subarray([...SLA_STATUSES], { minLength: 1 }).map((statuses) => ({ attribute: key, sla: statuses })),
        ].map((arbitrary) => ({ weight: 4, arbitrary: arbitrary as fc.Arbitrary<unknown> }))
      : [];
    return fc.oneof(
      ...businessOnly,
      fc
        .record(
          {
            stages: fc.array(stageRefArb(attribute), { minLength: 1, maxLength: 3 }),
            daysInStage: comparisonArb,
            daysInAttribute: comparisonArb,
          },
          { requiredKeys: ['stages'] },
        )
        .map(({ stages, ...dayComparisons }) => ({ attribute: key, isOneOf: stages, ...dayComparisons })),
      fc.array(stageRefArb(attribute), { minLength: 1, maxLength: 3 }).map((stages) => ({ attribute: key, isNotOneOf: stages })),
      fc
        .record(
          {
            window: windowArb,
            fromStage: fc.option(stageRefArb(attribute), { nil: null }),
            toStage: fc.option(stageRefArb(attribute), { nil: null }),
          },
          { requiredKeys: ['window'] },
        )
        .map(({ window, ...stages }) => ({ attribute: key, changed: { ...window, ...stages } })),
      windowArb.map((window) => ({ attribute: key, completed: Object.keys(window).length === 0 ? true : window })),
      fc.constant({ attribute: key, doesNotExist: true }),
      fc
        .array(fc.constantFrom('enterprise', 'smb', 'mid'), { minLength: 1, maxLength: 2 })
        .map((values) => ({ field: 'clientType', isOneOf: values })),
      fc
        .array(fc.constantFrom('u-1', 'u-2', 'u-3'), { minLength: 1, maxLength: 2 })
        .map((values) => ({ field: 'ownerId', isOneOf: values })),
      fc.boolean().map((is) => ({ field: 'canceled', is })),
      fc.integer({ min: 1, max: MAX_DAYS }).map((withinDays) => ({ field: 'renewalDate', withinDays })),
    );
  });
}

/** Criteria as a client writes them, against one of `CATALOGS` (the catalog it names stages of). */
export function criteriaArb(depth: number, attributes: CatalogAttribute[], business = false): fc.Arbitrary<unknown> {
  return depth === 0
    ? conditionArb(attributes, business)
    : fc.oneof(
        { weight: 2, arbitrary: conditionArb(attributes, business) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom('all', 'any'), fc.array(criteriaArb(depth - 1, attributes, business), { minLength: 1, maxLength: 3 }))
            .map(([group, children]) => ({ [group]: children })),
        },
      );
}

/** Criteria with the catalog they are written against (what the query can express too). */
export const writtenCriteriaArb = fc
  .constantFrom(...CATALOGS)
  .chain((entry) => criteriaArb(3, entry.attributes).map((input) => ({ input, catalog: entry.catalog, catalogName: entry.name })));

/** The same with business-day comparisons and `sla` conditions among them (B5; evaluate with `BUSINESS_CONTEXT`). */
export const businessCriteriaArb = fc
  .constantFrom(...CATALOGS)
  .chain((entry) => criteriaArb(3, entry.attributes, true).map((input) => ({ input, catalog: entry.catalog, catalogName: entry.name })));

/**
 * S5: projections with the memberships of `segmentIds` that earlier evaluations left: per
 * account and segment a change counter 0–4, odd = member (1 = entered once, 2 = entered and
 * left, …) — the event ids of the next changes depend on it.
 */
export function withStoredMembershipsArb(
  accountsArb: fc.Arbitrary<ProjectedAccount[]>,
  segmentIds: readonly string[],
): fc.Arbitrary<ProjectedAccount[]> {
  return accountsArb.chain((accounts) =>
    fc
      .array(fc.array(fc.nat(4), { minLength: segmentIds.length, maxLength: segmentIds.length }), {
        minLength: accounts.length,
        maxLength: accounts.length,
      })
      .map((counters) =>
        accounts.map((account, i): ProjectedAccount => {
          const membershipSeq: { [segmentId: string]: number } = {};
          segmentIds.forEach((id, k) => {
            const seq = counters[i]![k]!;
            if (seq > 0) membershipSeq[id] = seq;
          });
          const segments = segmentIds.filter((id) => (membershipSeq[id] ?? 0) % 2 === 1).sort();
          return { ...account, segments, membershipSeq };
        }),
      ),
  );
}
