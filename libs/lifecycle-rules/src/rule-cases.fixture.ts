/**
 * The rule table: examples of every "Days in" rule (L2–L11), each a stage list, a history, the
 * instant it is read at and what the rules say then. The library's spec runs it against the
 * fold; every service that reads "Days in" from a history runs it against its own entry point,
 * so they cannot drift apart.
 */
import type { BusinessCalendar } from './business-calendar';
import { MS_PER_DAY } from './days';
import type { HistoryEntry } from './history';
import type { SlaStage, SlaStatus, StageSla } from './stage-sla';
import type { LifecycleStage } from './stages';
import { stagesInOrder } from './stages';

export type RuleId = 'L2' | 'L3' | 'L4' | 'L5' | 'L6' | 'L7' | 'L8' | 'L9' | 'L10' | 'L11' | 'B2' | 'B3';

/** A stage with what the services' own stage types also carry, so a case feeds them as is. */
export interface RuleCaseStage extends LifecycleStage, SlaStage {
  name: string;
  disabled: boolean;
}

/** B2 at the case's instant, on the case's calendar. */
export interface BusinessOutcome {
  businessDaysInAttribute: number | null;
  businessDaysInStage: number | null;
  /** Current cycle, every stage of the list; stages not listed: 0 (null when canceled). */
  businessDays: Record<string, number | null>;
}

/** B3 at the case's instant: the current stage's SLA status, the stage entry it is about, its thresholds. */
export interface SlaOutcome {
  status: SlaStatus;
  entryChangeId: string | null;
  atRiskAt: Date | null;
  dueAt: Date | null;
}

/** What the rules say at the case's instant. */
export interface RuleOutcome {
  stageId: string | null;
  cycle: number;
  completedCycles: number;
  /** Sitting in an end stage (L5). */
  completed: boolean;
  daysInAttribute: number | null;
  /** The current stage's days in this cycle; null without a value or when canceled. */
  daysInStage: number | null;
  /** Current cycle, every stage of the list in stage order (L3/L4). */
  days: Record<string, number | null>;
  /** All cycles, every stage of the list in stage order. */
  totalDays: Record<string, number | null>;
  /** The length in days of every completed cycle, oldest first (L5). */
  cycleDays: number[];
  /** Exact milliseconds of the current cycle, where the case is about them (L9). */
  msInAttribute?: number | null;
  /** Exact milliseconds of the current stage in this cycle, where the case is about them (L9). */
  msInStage?: number | null;
}

export interface RuleCase {
  rule: RuleId;
  name: string;
  stages: readonly RuleCaseStage[];
  /** In arrival order: `seq` is the position, `changeId` is `c<seq>`. */
  history: readonly HistoryEntry[];
  /** The instant the case is read at; entries after it do not count yet (as of). */
  at: Date;
  /** L10: the account is canceled at `at`. */
  canceled: boolean;
  expected: RuleOutcome;
  /** B2/B3 cases: the calendar business days are counted on. */
  calendar: BusinessCalendar;
  /** B2: where the case states business days. */
  expectedBusiness?: BusinessOutcome;
  /** B3: where the case states the SLA. */
  expectedSla?: SlaOutcome;
}

const ORIGIN = Date.UTC(2025, 0, 1);
const HOUR_MS = 3_600_000;

/** `day(6)` = 6 days after the origin; `day(6, 12)` = 6.5 days. */
export function day(days: number, hours = 0): Date {
  return new Date(ORIGIN + days * MS_PER_DAY + hours * HOUR_MS);
}

export const KICKOFF = 'stg-kickoff';
export const CONFIGURATION = 'stg-configuration';
export const TRAINING = 'stg-training';
export const IMPLEMENTATION = 'stg-implementation';
export const GO_LIVE = 'stg-go-live';
export const CHURNED = 'stg-churned';
/** In a history, never in a stage list: the stage removed (L7). */
export const REMOVED = 'stg-removed';

function stage(id: string, name: string, order: number, endStage = false): RuleCaseStage {
  return { id, name, order, endStage, disabled: false };
}

/** The Onboarding Status of docs/rules.md: Kickoff(1), Configuration(2), Implementation(3), Go Live(4, end stage). */
export const ONBOARDING: readonly RuleCaseStage[] = [
  stage(KICKOFF, 'Kickoff', 1),
  stage(CONFIGURATION, 'Configuration', 2),
  stage(IMPLEMENTATION, 'Implementation', 3),
  stage(GO_LIVE, 'Go Live', 4, true),
];

/** Onboarding with a stage sharing Configuration's order (L3 sideways) and a second end stage (L6). */
/** Mon–Fri in UTC with New Year's Day off: day(0) is that holiday (a Wednesday), day(3)/day(4) the first weekend. */
export const CASE_CALENDAR: BusinessCalendar = { workingWeekdays: [1, 2, 3, 4, 5], holidays: ['2025-01-01'], timeZone: 'UTC' };

const KICKOFF_SLA: StageSla = { expected: 5, unit: 'business-days' };
const CONFIGURATION_SLA: StageSla = { expected: 10, unit: 'calendar-days', atRisk: 0.5 };

/** Onboarding with SLAs (B3): Kickoff 5 business days (at risk from 4), Configuration 10 calendar days (at risk from 5); Implementation has none. */
export const ONBOARDING_SLA: readonly RuleCaseStage[] = ONBOARDING.map((s) =>
  s.id === KICKOFF ? { ...s, sla: KICKOFF_SLA } : s.id === CONFIGURATION ? { ...s, sla: CONFIGURATION_SLA } : s,
);

export const ONBOARDING_PLUS: readonly RuleCaseStage[] = [
  ...ONBOARDING,
  stage(TRAINING, 'Training', 2),
  stage(CHURNED, 'Churned', 5, true),
];

type Step = readonly [to: string | null, at: Date | number];

interface CaseInput {
  rule: RuleId;
  name: string;
  stages?: readonly RuleCaseStage[];
  /** [stage id or null, day number or instant], in arrival order. */
  history: readonly Step[];
  at: Date | number;
  canceled?: boolean;
  business?: Omit<BusinessOutcome, 'businessDays'> & { businessDays?: Record<string, number> };
  sla?: SlaOutcome;
  expected: Omit<RuleOutcome, 'days' | 'totalDays' | 'cycleDays'> & {
    /** Stages not listed: 0. */
    days?: Record<string, number>;
    /** Stages not listed: 0; without it, equal to `days` (one cycle, nothing reset). */
    totalDays?: Record<string, number>;
    cycleDays?: number[];
  };
}

const instant = (at: Date | number): Date => (typeof at === 'number' ? day(at) : at);

function ruleCase(input: CaseInput): RuleCase {
  const stages = input.stages ?? ONBOARDING;
  const canceled = input.canceled ?? false;
  const perStage = (given: Record<string, number> | undefined): Record<string, number | null> =>
    Object.fromEntries(stagesInOrder(stages).map((s) => [s.id, canceled ? null : (given?.[s.id] ?? 0)]));
  const { days, totalDays, cycleDays, ...rest } = input.expected;
  return {
    rule: input.rule,
    name: input.name,
    stages,
    history: input.history.map(([to, at], seq) => ({ changeId: `c${seq}`, seq, to, at: instant(at) })),
    at: instant(input.at),
    canceled,
    expected: { ...rest, days: perStage(days), totalDays: perStage(totalDays ?? days), cycleDays: cycleDays ?? [] },
    calendar: CASE_CALENDAR,
    ...(input.business === undefined
      ? {}
      : { expectedBusiness: { ...input.business, businessDays: perStage(input.business.businessDays) } }),
    ...(input.sla === undefined ? {} : { expectedSla: input.sla }),
  };
}

const NO_SLA: SlaOutcome = { status: 'none', entryChangeId: null, atRiskAt: null, dueAt: null };

const K = KICKOFF;
const C = CONFIGURATION;
const I = IMPLEMENTATION;
const G = GO_LIVE;

export const RULE_CASES: readonly RuleCase[] = [
  ruleCase({
    rule: 'L2',
    name: 'before any value there is no stage, no cycle and no days in the attribute',
    history: [],
    at: 5,
    expected: { stageId: null, cycle: 0, completedCycles: 0, completed: false, daysInAttribute: null, daysInStage: null },
  }),
  ruleCase({
    rule: 'L2',
    name: 'a value on an empty attribute starts cycle 1, counting from its timestamp',
    history: [[K, 0]],
    at: day(3, 12),
    expected: {
      stageId: K,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 3,
      daysInStage: 3,
      days: { [K]: 3 },
      msInAttribute: 3.5 * MS_PER_DAY,
      msInStage: 3.5 * MS_PER_DAY,
    },
  }),
  ruleCase({
    rule: 'L2',
    name: 'an end stage set on an empty value starts a cycle and completes it at once',
    history: [[G, 2]],
    at: 9,
    expected: { stageId: G, cycle: 1, completedCycles: 1, completed: true, daysInAttribute: 0, daysInStage: 0, cycleDays: [0] },
  }),
  ruleCase({
    rule: 'L2',
    name: 'the value after a clear starts the next cycle, counting from zero',
    history: [
      [K, 0],
      [null, 8],
      [K, 9],
    ],
    at: 12,
    expected: {
      stageId: K,
      cycle: 2,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 3,
      daysInStage: 3,
      days: { [K]: 3 },
      totalDays: { [K]: 11 },
    },
  }),
  ruleCase({
    rule: 'L3',
    name: 'forward: the stage left keeps its days and the target runs (Kickoff 6, Configuration 4, attribute 10)',
    history: [
      [K, 0],
      [C, 6],
    ],
    at: 10,
    expected: {
      stageId: C,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 10,
      daysInStage: 4,
      days: { [K]: 6, [C]: 4 },
      msInAttribute: 10 * MS_PER_DAY,
    },
  }),
  ruleCase({
    rule: 'L3',
    name: 'a forward skip leaves the stages skipped at zero',
    history: [
      [K, 0],
      [I, 5],
    ],
    at: 7,
    expected: { stageId: I, cycle: 1, completedCycles: 0, completed: false, daysInAttribute: 7, daysInStage: 2, days: { [K]: 5, [I]: 2 } },
  }),
  ruleCase({
    rule: 'L3',
    name: 'a stage revisited by a forward move resumes from what it had in this cycle',
    history: [
      [K, 0],
      [C, 2],
      [K, 4],
      [C, 5],
    ],
    at: 8,
    expected: {
      stageId: C,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 8,
      daysInStage: 5,
      days: { [K]: 1, [C]: 5 },
      totalDays: { [K]: 3, [C]: 5 },
    },
  }),
  ruleCase({
    rule: 'L3',
    name: 'sideways (a stage of the same order): the target resumes, nothing resets',
    stages: ONBOARDING_PLUS,
    history: [
      [C, 0],
      [TRAINING, 3],
      [C, 4],
    ],
    at: 6,
    expected: {
      stageId: C,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 6,
      daysInStage: 5,
      days: { [C]: 5, [TRAINING]: 1 },
    },
  }),
  ruleCase({
    rule: 'L4',
    name: 'moving back resets the target stage; the stage left keeps its days',
    history: [
      [K, 0],
      [C, 6],
      [I, 8],
      [C, 10],
    ],
    at: 13,
    expected: {
      stageId: C,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 13,
      daysInStage: 3,
      days: { [K]: 6, [C]: 3, [I]: 2 },
      totalDays: { [K]: 6, [C]: 5, [I]: 2 },
    },
  }),
  ruleCase({
    rule: 'L4',
    name: 'moving back to the very first stage resets it too',
    history: [
      [K, 0],
      [I, 5],
      [K, 7],
    ],
    at: 8,
    expected: {
      stageId: K,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 8,
      daysInStage: 1,
      days: { [K]: 1, [I]: 2 },
      totalDays: { [K]: 6, [I]: 2 },
      msInStage: MS_PER_DAY,
    },
  }),
  ruleCase({
    rule: 'L4',
    name: 'after a move back the target counts from the move, to the millisecond',
    history: [
      [K, 0],
      [C, 2],
      [K, 5],
    ],
    at: day(5, 12),
    expected: {
      stageId: K,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 5,
      daysInStage: 0,
      days: { [C]: 3 },
      totalDays: { [K]: 2, [C]: 3 },
      msInAttribute: 5.5 * MS_PER_DAY,
      msInStage: 0.5 * MS_PER_DAY,
    },
  }),
  ruleCase({
    rule: 'L5',
    name: 'an end stage completes the cycle and freezes every counter',
    history: [
      [K, 0],
      [C, 6],
      [G, 10],
    ],
    at: 400,
    expected: {
      stageId: G,
      cycle: 1,
      completedCycles: 1,
      completed: true,
      daysInAttribute: 10,
      daysInStage: 0,
      days: { [K]: 6, [C]: 4 },
      cycleDays: [10],
      msInAttribute: 10 * MS_PER_DAY,
      msInStage: 0,
    },
  }),
  ruleCase({
    rule: 'L5',
    name: 'time in the end stage counts nowhere',
    history: [
      [K, 0],
      [G, 10],
    ],
    at: 30,
    expected: {
      stageId: G,
      cycle: 1,
      completedCycles: 1,
      completed: true,
      daysInAttribute: 10,
      daysInStage: 0,
      days: { [K]: 10 },
      cycleDays: [10],
    },
  }),
  ruleCase({
    rule: 'L6',
    name: 'leaving an end stage starts a new cycle with reset counters; totals stay',
    history: [
      [K, 0],
      [C, 6],
      [G, 10],
      [I, 15],
    ],
    at: 18,
    expected: {
      stageId: I,
      cycle: 2,
      completedCycles: 1,
      completed: false,
      daysInAttribute: 3,
      daysInStage: 3,
      days: { [I]: 3 },
      totalDays: { [K]: 6, [C]: 4, [I]: 3 },
      cycleDays: [10],
    },
  }),
  ruleCase({
    rule: 'L6',
    name: 'the second cycle completes with its own record',
    history: [
      [K, 0],
      [G, 10],
      [K, 12],
      [G, 15],
    ],
    at: 50,
    expected: {
      stageId: G,
      cycle: 2,
      completedCycles: 2,
      completed: true,
      daysInAttribute: 3,
      daysInStage: 0,
      days: { [K]: 3 },
      totalDays: { [K]: 13 },
      cycleDays: [10, 3],
    },
  }),
  ruleCase({
    rule: 'L6',
    name: 'moving between two end stages changes the stage but starts nothing',
    stages: ONBOARDING_PLUS,
    history: [
      [K, 0],
      [G, 10],
      [CHURNED, 12],
    ],
    at: 20,
    expected: {
      stageId: CHURNED,
      cycle: 1,
      completedCycles: 1,
      completed: true,
      daysInAttribute: 10,
      daysInStage: 0,
      days: { [K]: 10 },
      cycleDays: [10],
    },
  }),
  ruleCase({
    rule: 'L7',
    name: 'clearing empties the value and resets the running cycle; totals stay',
    history: [
      [K, 0],
      [C, 6],
      [null, 8],
    ],
    at: 20,
    expected: {
      stageId: null,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: null,
      daysInStage: null,
      totalDays: { [K]: 6, [C]: 2 },
      msInAttribute: null,
    },
  }),
  ruleCase({
    rule: 'L7',
    name: 'a stage no longer in the list clears the value (the stage removed)',
    history: [
      [K, 0],
      [REMOVED, 4],
    ],
    at: 9,
    expected: {
      stageId: null,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: null,
      daysInStage: null,
      totalDays: { [K]: 4 },
    },
  }),
  ruleCase({
    rule: 'L7',
    name: 'the next value after a removed stage starts a new cycle',
    history: [
      [K, 0],
      [REMOVED, 1],
      [C, 3],
    ],
    at: 4,
    expected: {
      stageId: C,
      cycle: 2,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 1,
      daysInStage: 1,
      days: { [C]: 1 },
      totalDays: { [K]: 1, [C]: 1 },
    },
  }),
  ruleCase({
    rule: 'L7',
    name: 'clearing a completed cycle keeps its completion and record',
    history: [
      [K, 0],
      [G, 5],
      [null, 7],
    ],
    at: 9,
    expected: {
      stageId: null,
      cycle: 1,
      completedCycles: 1,
      completed: false,
      daysInAttribute: null,
      daysInStage: null,
      totalDays: { [K]: 5 },
      cycleDays: [5],
    },
  }),
  ruleCase({
    rule: 'L8',
    name: 'setting the same stage again changes nothing',
    history: [
      [K, 0],
      [K, 3],
    ],
    at: 5,
    expected: { stageId: K, cycle: 1, completedCycles: 0, completed: false, daysInAttribute: 5, daysInStage: 5, days: { [K]: 5 } },
  }),
  ruleCase({
    rule: 'L8',
    name: 'clearing an empty value changes nothing',
    history: [[null, 1]],
    at: 3,
    expected: { stageId: null, cycle: 0, completedCycles: 0, completed: false, daysInAttribute: null, daysInStage: null },
  }),
  ruleCase({
    rule: 'L9',
    name: 'days are whole days: 1 day 23 hours is 1 day',
    history: [[K, 0]],
    at: day(1, 23),
    expected: {
      stageId: K,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 1,
      daysInStage: 1,
      days: { [K]: 1 },
      msInAttribute: MS_PER_DAY + 23 * HOUR_MS,
    },
  }),
  ruleCase({
    rule: 'L9',
    name: 'whole days round down: one millisecond short of two days is 1 day',
    history: [
      [K, 0],
      [C, new Date(day(2).getTime() - 1)],
    ],
    at: day(4),
    expected: {
      stageId: C,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 4,
      daysInStage: 2,
      days: { [K]: 1, [C]: 2 },
      msInAttribute: 4 * MS_PER_DAY,
    },
  }),
  ruleCase({
    rule: 'L10',
    name: 'a canceled account keeps its stage and cycle but shows no days',
    history: [
      [K, 0],
      [C, 6],
    ],
    at: 10,
    canceled: true,
    expected: {
      stageId: C,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: null,
      daysInStage: null,
      msInAttribute: null,
    },
  }),
  ruleCase({
    rule: 'L10',
    name: 'a canceled account in an end stage keeps its completion but shows no days',
    history: [
      [K, 0],
      [G, 10],
    ],
    at: 12,
    canceled: true,
    expected: { stageId: G, cycle: 1, completedCycles: 1, completed: true, daysInAttribute: null, daysInStage: null, cycleDays: [10] },
  }),
  ruleCase({
    rule: 'L11',
    name: 'a late entry folds in time order, not in arrival order',
    history: [
      [K, 0],
      [I, 10],
      [C, 4],
    ],
    at: 12,
    expected: {
      stageId: I,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 12,
      daysInStage: 2,
      days: { [K]: 4, [C]: 6, [I]: 2 },
    },
  }),
  ruleCase({
    rule: 'L11',
    name: 'a backdated entry before the first one starts the cycle earlier',
    history: [
      [C, 5],
      [K, 0],
    ],
    at: 6,
    expected: {
      stageId: C,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 6,
      daysInStage: 1,
      days: { [K]: 5, [C]: 1 },
    },
  }),
  ruleCase({
    rule: 'L11',
    name: 'entries with the same time fold in arrival order',
    history: [
      [K, 0],
      [C, 3],
      [K, 3],
    ],
    at: 5,
    expected: {
      stageId: K,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 5,
      daysInStage: 2,
      days: { [K]: 2 },
      totalDays: { [K]: 5 },
    },
  }),
  ruleCase({
    rule: 'L11',
    name: 'as of an instant, an entry at exactly that instant counts',
    history: [
      [K, 0],
      [C, 2],
    ],
    at: 2,
    expected: {
      stageId: C,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 2,
      daysInStage: 0,
      days: { [K]: 2 },
      msInAttribute: 2 * MS_PER_DAY,
      msInStage: 0,
    },
  }),
  ruleCase({
    rule: 'L11',
    name: 'as of an instant, later entries do not count yet',
    history: [
      [K, 0],
      [C, 6],
      [G, 10],
    ],
    at: 8,
    expected: {
      stageId: C,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 8,
      daysInStage: 2,
      days: { [K]: 6, [C]: 2 },
    },
  }),
  // B2: business days on CASE_CALENDAR (working days 1, 2, 5–9, 12–16, 19–23 …; day 0 is a holiday).
  ruleCase({
    rule: 'B2',
    name: "a working day counts once it has ended; New Year's Day and the weekend never count",
    history: [[K, 0]],
    at: day(6, 12),
    expected: { stageId: K, cycle: 1, completedCycles: 0, completed: false, daysInAttribute: 6, daysInStage: 6, days: { [K]: 6 } },
    business: { businessDaysInAttribute: 3, businessDaysInStage: 3, businessDays: { [K]: 3 } },
  }),
  ruleCase({
    rule: 'B2',
    name: 'forward (L3): the stage left keeps its business days, the target runs',
    history: [
      [K, 0],
      [C, 6],
    ],
    at: 10,
    expected: { stageId: C, cycle: 1, completedCycles: 0, completed: false, daysInAttribute: 10, daysInStage: 4, days: { [K]: 6, [C]: 4 } },
    business: { businessDaysInAttribute: 7, businessDaysInStage: 4, businessDays: { [K]: 3, [C]: 4 } },
  }),
  ruleCase({
    rule: 'B2',
    name: 'back (L4): the target restarts from zero business days; a forward revisit resumes',
    history: [
      [K, 0],
      [I, 6],
      [K, 9],
      [I, 11],
    ],
    at: 12,
    expected: {
      stageId: I,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 12,
      daysInStage: 4,
      days: { [K]: 2, [I]: 4 },
      totalDays: { [K]: 8, [I]: 4 },
    },
    business: { businessDaysInAttribute: 7, businessDaysInStage: 3, businessDays: { [K]: 1, [I]: 3 } },
  }),
  ruleCase({
    rule: 'B2',
    name: 'an end stage (L5) freezes the business days of the cycle; the end stage shows 0',
    history: [
      [K, 0],
      [I, 6],
      [G, 14],
    ],
    at: 30,
    expected: {
      stageId: G,
      cycle: 1,
      completedCycles: 1,
      completed: true,
      daysInAttribute: 14,
      daysInStage: 0,
      days: { [K]: 6, [I]: 8 },
      cycleDays: [14],
    },
    business: { businessDaysInAttribute: 9, businessDaysInStage: 0, businessDays: { [K]: 3, [I]: 6 } },
  }),
  ruleCase({
    rule: 'B2',
    name: 'leaving an end stage (L6) starts the business days of the new cycle from zero',
    history: [
      [K, 0],
      [G, 5],
      [K, 20],
    ],
    at: 23,
    expected: {
      stageId: K,
      cycle: 2,
      completedCycles: 1,
      completed: false,
      daysInAttribute: 3,
      daysInStage: 3,
      days: { [K]: 3 },
      totalDays: { [K]: 8 },
      cycleDays: [5],
    },
    business: { businessDaysInAttribute: 3, businessDaysInStage: 3, businessDays: { [K]: 3 } },
  }),
  ruleCase({
    rule: 'B2',
    name: 'a clear (L7) leaves no business days',
    history: [
      [K, 0],
      [null, 5],
    ],
    at: 8,
    expected: {
      stageId: null,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: null,
      daysInStage: null,
      totalDays: { [K]: 5 },
    },
    business: { businessDaysInAttribute: null, businessDaysInStage: null },
  }),
  ruleCase({
    rule: 'B2',
    name: 'a canceled account (L10) shows no business days',
    history: [
      [K, 0],
      [C, 6],
    ],
    at: 10,
    canceled: true,
    expected: { stageId: C, cycle: 1, completedCycles: 0, completed: false, daysInAttribute: null, daysInStage: null },
    business: { businessDaysInAttribute: null, businessDaysInStage: null },
  }),
  ruleCase({
    rule: 'B2',
    name: 'a backdated entry (L11) moves the business days with the history',
    history: [
      [C, 5],
      [K, 0],
    ],
    at: 6,
    expected: { stageId: C, cycle: 1, completedCycles: 0, completed: false, daysInAttribute: 6, daysInStage: 1, days: { [K]: 5, [C]: 1 } },
    business: { businessDaysInAttribute: 3, businessDaysInStage: 1, businessDays: { [K]: 2, [C]: 1 } },
  }),
  // B3 on ONBOARDING_SLA: Kickoff 5 business days (at risk from 4), Configuration 10 calendar days (at risk from 5).
  ruleCase({
    rule: 'B3',
    name: 'on track before the at-risk point (3 of 5 business days)',
    stages: ONBOARDING_SLA,
    history: [[K, 0]],
    at: 6,
    expected: { stageId: K, cycle: 1, completedCycles: 0, completed: false, daysInAttribute: 6, daysInStage: 6, days: { [K]: 6 } },
    sla: { status: 'on-track', entryChangeId: 'c0', atRiskAt: day(7), dueAt: day(8) },
  }),
  ruleCase({
    rule: 'B3',
    name: 'at risk from the at-risk point (4 of 5 business days)',
    stages: ONBOARDING_SLA,
    history: [[K, 0]],
    at: 7,
    expected: { stageId: K, cycle: 1, completedCycles: 0, completed: false, daysInAttribute: 7, daysInStage: 7, days: { [K]: 7 } },
    sla: { status: 'at-risk', entryChangeId: 'c0', atRiskAt: day(7), dueAt: day(8) },
  }),
  ruleCase({
    rule: 'B3',
    name: 'overdue once the expected duration is used up (5 of 5 business days)',
    stages: ONBOARDING_SLA,
    history: [[K, 0]],
    at: 8,
    expected: { stageId: K, cycle: 1, completedCycles: 0, completed: false, daysInAttribute: 8, daysInStage: 8, days: { [K]: 8 } },
    sla: { status: 'overdue', entryChangeId: 'c0', atRiskAt: day(7), dueAt: day(8) },
  }),
  ruleCase({
    rule: 'B3',
    name: 'calendar days: at risk at 5 of 10 days (at-risk fraction 0.5)',
    stages: ONBOARDING_SLA,
    history: [
      [K, 0],
      [C, 2],
    ],
    at: 7,
    expected: { stageId: C, cycle: 1, completedCycles: 0, completed: false, daysInAttribute: 7, daysInStage: 5, days: { [K]: 2, [C]: 5 } },
    sla: { status: 'at-risk', entryChangeId: 'c1', atRiskAt: day(7), dueAt: day(12) },
  }),
  ruleCase({
    rule: 'B3',
    name: 'a stage without an SLA has status none',
    stages: ONBOARDING_SLA,
    history: [
      [K, 0],
      [I, 3],
    ],
    at: 20,
    expected: {
      stageId: I,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 20,
      daysInStage: 17,
      days: { [K]: 3, [I]: 17 },
    },
    sla: NO_SLA,
  }),
  ruleCase({
    rule: 'B3',
    name: 'an end stage has status none',
    stages: ONBOARDING_SLA,
    history: [
      [K, 0],
      [G, 3],
    ],
    at: 20,
    expected: {
      stageId: G,
      cycle: 1,
      completedCycles: 1,
      completed: true,
      daysInAttribute: 3,
      daysInStage: 0,
      days: { [K]: 3 },
      cycleDays: [3],
    },
    sla: NO_SLA,
  }),
  ruleCase({
    rule: 'B3',
    name: 'a canceled account has status none',
    stages: ONBOARDING_SLA,
    history: [[K, 0]],
    at: 9,
    canceled: true,
    expected: { stageId: K, cycle: 1, completedCycles: 0, completed: false, daysInAttribute: null, daysInStage: null },
    sla: NO_SLA,
  }),
  ruleCase({
    rule: 'B3',
    name: 'an empty value has status none',
    stages: ONBOARDING_SLA,
    history: [
      [K, 0],
      [null, 2],
    ],
    at: 9,
    expected: {
      stageId: null,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: null,
      daysInStage: null,
      totalDays: { [K]: 2 },
    },
    sla: NO_SLA,
  }),
  ruleCase({
    rule: 'B3',
    name: 'a move back (L4) is a new stage entry whose counter starts from zero',
    stages: ONBOARDING_SLA,
    history: [
      [K, 0],
      [C, 3],
      [K, 7],
    ],
    at: 9,
    expected: {
      stageId: K,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 9,
      daysInStage: 2,
      days: { [K]: 2, [C]: 4 },
      totalDays: { [K]: 5, [C]: 4 },
    },
    sla: { status: 'on-track', entryChangeId: 'c2', atRiskAt: day(13), dueAt: day(14) },
  }),
  ruleCase({
    rule: 'B3',
    name: 'a forward revisit (L3) resumes the counter: already past the at-risk point at its entry',
    stages: ONBOARDING_SLA,
    history: [
      [K, 0],
      [C, 1],
      [K, 8],
      [C, 9],
    ],
    at: 10,
    expected: {
      stageId: C,
      cycle: 1,
      completedCycles: 0,
      completed: false,
      daysInAttribute: 10,
      daysInStage: 8,
      days: { [K]: 1, [C]: 8 },
      totalDays: { [K]: 2, [C]: 8 },
    },
    sla: { status: 'at-risk', entryChangeId: 'c3', atRiskAt: day(9), dueAt: day(12) },
  }),
  ruleCase({
    rule: 'B3',
    name: 'a backdated entry (L11) moves the stage entry earlier: overdue at once',
    stages: ONBOARDING_SLA,
    history: [
      [K, 9],
      [K, 0],
    ],
    at: 9,
    expected: { stageId: K, cycle: 1, completedCycles: 0, completed: false, daysInAttribute: 9, daysInStage: 9, days: { [K]: 9 } },
    sla: { status: 'overdue', entryChangeId: 'c1', atRiskAt: day(7), dueAt: day(8) },
  }),
];
