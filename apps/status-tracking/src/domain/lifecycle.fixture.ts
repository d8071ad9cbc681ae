/**
 * Test builders for the domain specs: the seed's "Onboarding Status" attribute and histories
 * written in days from a fixed origin.
 */
import type { LifecycleDefinition, StageDefinition } from './lifecycle-definition';
import { MS_PER_DAY } from './lifecycle-fold';
import type { StatusChange } from './status-change';

export const KICKOFF = 'stg-kickoff';
export const CONFIGURATION = 'stg-configuration';
export const IMPLEMENTATION = 'stg-implementation';
export const GO_LIVE = 'stg-go-live';

const ORIGIN = Date.UTC(2025, 0, 1);

/** The seed's example: Kickoff(1), Configuration(2), Implementation(3), Go Live(4, end stage). */
export function onboardingStatus(overrides: Partial<LifecycleDefinition> = {}): LifecycleDefinition {
  return {
    key: 'onboarding-status',
    name: 'Onboarding Status',
    state: 'active',
    stages: [
      stage(KICKOFF, 'Kickoff', 1),
      stage(CONFIGURATION, 'Configuration', 2),
      stage(IMPLEMENTATION, 'Implementation', 3),
      stage(GO_LIVE, 'Go Live', 4, { endStage: true }),
    ],
    ...overrides,
  };
}

export function stage(id: string, name: string, order: number, flags: Partial<StageDefinition> = {}): StageDefinition {
  return { id, name, order, endStage: false, disabled: false, ...flags };
}

/** `day(6)` = 6 days after the origin; `day(6, 12)` = 6.5 days. */
export function day(days: number, hours = 0): Date {
  return new Date(ORIGIN + days * MS_PER_DAY + hours * 3_600_000);
}

export function ms(days: number, hours = 0): number {
  return days * MS_PER_DAY + hours * 3_600_000;
}

/** Builds a history in insertion order: seq and changeId follow the calls. */
export class HistoryBuilder {
  private readonly changes: StatusChange[] = [];

  set(to: string | null, at: Date): this {
    const seq = this.changes.length;
    this.changes.push({ changeId: `c${seq}`, seq, to, at });
    return this;
  }

  clear(at: Date): this {
    return this.set(null, at);
  }

  build(): StatusChange[] {
    return [...this.changes];
  }
}

export function history(): HistoryBuilder {
  return new HistoryBuilder();
}
