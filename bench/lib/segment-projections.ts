/**
 * Projection documents of segment-evaluation as status-tracking's events leave them, for the
 * segments benchmark: three lifecycle attributes per account (onboarding, adoption, renewal;
 * 4 stages each, the last an end stage), client types, owners, renewals, canceled accounts.
 */
import { randomUUID } from 'node:crypto';
import { MS_PER_DAY } from '@lifecycle/rules';
import type { ProjectedAttribute, ProjectedTransition } from '../../apps/segment-evaluation/src/domain/projection-updates';
import type { AccountProjectionDocument } from '../../apps/segment-evaluation/src/projection/account-projection.schema';

export interface BenchStage {
  id: string;
  name: string;
  order: number;
  endStage: boolean;
}

export interface BenchAttribute {
  key: string;
  name: string;
  stages: readonly BenchStage[];
  /** Share of accounts that never had a value. */
  none: number;
}

const stages = (prefix: string, names: readonly string[]): BenchStage[] =>
  names.map((name, i) => ({
    id: `${prefix}-${name.toLowerCase().replace(/ /g, '-')}`,
    name,
    order: i + 1,
    endStage: i === names.length - 1,
  }));

export const BENCH_ATTRIBUTES: readonly BenchAttribute[] = [
  {
    key: 'onboarding-status',
    name: 'Onboarding Status',
    stages: stages('stg', ['Kickoff', 'Configuration', 'Implementation', 'Go Live']),
    none: 0.08,
  },
  { key: 'adoption-status', name: 'Adoption Status', stages: stages('adp', ['Trial', 'Pilot', 'Rollout', 'Adopted']), none: 0.2 },
  { key: 'renewal-status', name: 'Renewal Status', stages: stages('rnw', ['Open', 'Negotiation', 'Contract', 'Renewed']), none: 0.3 },
];

/** Exponentially distributed ms with the given mean in days (most accounts move on, a long tail is stuck). */
function expDays(rnd: () => number, meanDays: number, capDays = 720): number {
  return Math.min(-Math.log(1 - rnd()) * meanDays, capDays) * MS_PER_DAY;
}

function pick<T>(rnd: () => number, weighted: readonly (readonly [T, number])[]): T {
  let r = rnd();
  for (const [value, weight] of weighted) {
    if ((r -= weight) < 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

export function benchAccountId(i: number): string {
  return `acct-${String(i).padStart(7, '0')}`;
}

/**
 * One attribute's state: stages passed forward (L3), the end stage completes the cycle (L5, some
 * accounts on their second cycle), a few cleared (L7), some never had a value.
 */
function attributeState(attribute: BenchAttribute, now: number, rnd: () => number): ProjectedAttribute | undefined {
  const s = attribute.stages;
  const rest = 1 - attribute.none - 0.02;
  const state = pick<'none' | 'cleared' | 0 | 1 | 2 | 3>(rnd, [
    ['none', attribute.none],
    ['cleared', 0.02],
    [0, 0.24 * rest],
    [1, 0.22 * rest],
    [2, 0.2 * rest],
    [3, 0.34 * rest],
  ] as const);
  if (state === 'none') return undefined;
  const reached = state === 'cleared' ? Math.floor(rnd() * 3) : state;
  const inStageMs = reached === 3 ? expDays(rnd, 60) : expDays(rnd, 35);
  const durations = Array.from({ length: reached }, () => expDays(rnd, 20) + 3_600_000);
  const secondCycle = reached === 3 && rnd() < 0.1;
  const transitions: ProjectedTransition[] = [];
  const completions: Date[] = [];
  let at = now - inStageMs - durations.reduce((a, b) => a + b, 0) - (state === 'cleared' ? expDays(rnd, 30) : 0);
  if (secondCycle) {
    // An earlier cycle that reached the end stage, then a restart (L6) at `at`.
    const first = at - expDays(rnd, 90) - MS_PER_DAY;
    transitions.push({ changeId: randomUUID(), from: null, to: s[0]!.id, at: new Date(first) });
    transitions.push({ changeId: randomUUID(), from: s[0]!.id, to: s[3]!.id, at: new Date(first + MS_PER_DAY / 2) });
    completions.push(new Date(first + MS_PER_DAY / 2));
  }
  const cycleStart = at;
  transitions.push({ changeId: randomUUID(), from: transitions.at(-1)?.to ?? null, to: s[0]!.id, at: new Date(at) });
  for (let k = 1; k <= reached; k++) {
    at += durations[k - 1]!;
    transitions.push({ changeId: randomUUID(), from: s[k - 1]!.id, to: s[k]!.id, at: new Date(at) });
  }
  if (reached === 3) completions.push(new Date(at));
  const stageId = state === 'cleared' ? null : s[reached]!.id;
  if (state === 'cleared') {
    at += expDays(rnd, 10);
    transitions.push({ changeId: randomUUID(), from: s[reached]!.id, to: null, at: new Date(at) });
  }
  const runningNow = stageId !== null && reached < 3;
  return {
    stageId,
    cycle: secondCycle ? 2 : 1,
    completedCycles: completions.length,
    running: runningNow,
    stageClockStart: runningNow ? new Date(now - inStageMs) : null,
    attributeClockStart: runningNow ? new Date(cycleStart) : null,
    frozenStageMs: stageId !== null && !runningNow ? 0 : null,
    // Whole ms, as status tracking's events carry them (differences of instants).
    frozenAttributeMs: stageId !== null && !runningNow ? Math.round(at - cycleStart) : null,
    completions,
    completionIds: completions.map(() => randomUUID()),
    transitions,
    clockAt: transitions.at(-1)?.at ?? null,
  };
}

/** Account `i` as its projection document (segments and memberships empty: the caller decides them). */
export function benchProjection(i: number, now: number, rnd: () => number, attributes = BENCH_ATTRIBUTES): AccountProjectionDocument {
  const lifecycle: { [key: string]: ProjectedAttribute } = {};
  for (const attribute of attributes) {
    const state = attributeState(attribute, now, rnd);
    if (state !== undefined) lifecycle[attribute.key] = state;
  }
  const subscriptionActive = rnd() < 0.85;
  return {
    _id: benchAccountId(i),
    name: `Account ${i}`,
    clientType: pick(rnd, [
      ['smb', 0.55],
      ['mid-market', 0.3],
      ['enterprise', 0.15],
    ] as const),
    ownerId: `csm-${1 + Math.floor(rnd() * 40)}`,
    canceled: rnd() < 0.06,
    subscriptionActive,
    renewalDate: subscriptionActive ? new Date(now + (rnd() * 395 - 30) * MS_PER_DAY) : null,
    lifecycle,
    factsAt: new Date(now - 90 * MS_PER_DAY),
    segments: [],
    membershipSeq: {},
    rev: 1,
    outbox: [],
    updatedAt: new Date(now),
  };
}
