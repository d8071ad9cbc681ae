import { MS_PER_DAY } from '@lifecycle/rules';
import type { AccountProjection, AttributeProjection, AttributeTransition } from '../account-projection';
import type { CatalogAttribute, CatalogStage, CriteriaCatalog } from '../criteria-validation';

/** Test data for the segment domain specs. */

export const NOW = new Date('2024-06-15T12:00:00.000Z');

export const STAGE = {
  kickoff: 'stg-kickoff',
  configuration: 'stg-config',
  /** Disabled (A5): still usable in criteria (S2). */
  implementation: 'stg-impl',
  goLive: 'stg-golive',
} as const;

export const ONBOARDING_STAGES: CatalogStage[] = [
  { id: STAGE.kickoff, name: 'Kickoff', order: 1, disabled: false, endStage: false },
  { id: STAGE.configuration, name: 'Configuration', order: 2, disabled: false, endStage: false },
  { id: STAGE.implementation, name: 'Implementation', order: 3, disabled: true, endStage: false },
  { id: STAGE.goLive, name: 'Go Live', order: 4, disabled: false, endStage: true },
];

export const ONBOARDING: CatalogAttribute = { key: 'onboarding', stages: ONBOARDING_STAGES };

export const RENEWAL: CatalogAttribute = {
  key: 'renewal',
  stages: [
    { id: 'rnw-open', name: 'Open', order: 1, disabled: false, endStage: false },
    { id: 'rnw-won', name: 'Won', order: 2, disabled: false, endStage: true },
    { id: 'rnw-lost', name: 'Lost', order: 3, disabled: false, endStage: true },
  ],
};

export function catalogOf(...attributes: CatalogAttribute[]): CriteriaCatalog {
  return { attributes: new Map(attributes.map((a) => [a.key, a])) };
}

export const CATALOG = catalogOf(ONBOARDING, RENEWAL);

export function ago(ms: number, now: Date = NOW): Date {
  return new Date(now.getTime() - ms);
}

export function days(n: number): number {
  return n * MS_PER_DAY;
}

export function account(overrides: Partial<AccountProjection> = {}): AccountProjection {
  return {
    _id: 'acc-1',
    name: 'Acme',
    clientType: 'enterprise',
    ownerId: 'csm-1',
    canceled: false,
    subscriptionActive: true,
    renewalDate: null,
    lifecycle: {},
    ...overrides,
  };
}

export function withAttribute(key: string, state: AttributeProjection, overrides: Partial<AccountProjection> = {}): AccountProjection {
  return account({ ...overrides, lifecycle: { [key]: state } });
}

interface StateOptions {
  cycle?: number;
  completedCycles?: number;
  completions?: Date[];
  transitions?: AttributeTransition[];
}

/** A non-end stage with running clocks at `now`. */
export function running(
  stageId: string,
  msInStage: number,
  msInAttribute: number = msInStage,
  options: StateOptions = {},
  now: Date = NOW,
): AttributeProjection {
  return {
    stageId,
    cycle: options.cycle ?? 1,
    completedCycles: options.completedCycles ?? 0,
    running: true,
    stageClockStart: ago(msInStage, now),
    attributeClockStart: ago(msInAttribute, now),
    frozenStageMs: null,
    frozenAttributeMs: null,
    completions: options.completions ?? [],
    transitions: options.transitions ?? [],
  };
}

/** An end stage (L5): clocks stopped at the given values. */
export function frozen(
  stageId: string,
  frozenStageMs: number,
  frozenAttributeMs: number = frozenStageMs,
  options: StateOptions = {},
): AttributeProjection {
  return {
    stageId,
    cycle: options.cycle ?? 1,
    completedCycles: options.completedCycles ?? 1,
    running: false,
    stageClockStart: null,
    attributeClockStart: null,
    frozenStageMs,
    frozenAttributeMs,
    completions: options.completions ?? [],
    transitions: options.transitions ?? [],
  };
}

/** No value ("None", L7). */
export function noValue(options: StateOptions = {}): AttributeProjection {
  return {
    stageId: null,
    cycle: options.cycle ?? 0,
    completedCycles: options.completedCycles ?? 0,
    running: false,
    stageClockStart: null,
    attributeClockStart: null,
    frozenStageMs: null,
    frozenAttributeMs: null,
    completions: options.completions ?? [],
    transitions: options.transitions ?? [],
  };
}

export function transition(from: string | null, to: string | null, at: Date): AttributeTransition {
  return { from, to, at };
}
