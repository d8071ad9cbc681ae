/**
 * Test builders for the domain specs: the "Onboarding Status" attribute of docs/rules.md and histories
 * written in days from the rule table's origin.
 */
import { MS_PER_DAY, type HistoryEntry } from '@lifecycle/rules';
import { CONFIGURATION, GO_LIVE, IMPLEMENTATION, KICKOFF, ONBOARDING, day } from '@lifecycle/rules/rule-cases.fixture';
import type { LifecycleDefinition, StageDefinition } from './lifecycle-definition';

export { CONFIGURATION, GO_LIVE, IMPLEMENTATION, KICKOFF, day };

/** The example of docs/rules.md: Kickoff(1), Configuration(2), Implementation(3), Go Live(4, end stage). */
export function onboardingStatus(overrides: Partial<LifecycleDefinition> = {}): LifecycleDefinition {
  return {
    key: 'onboarding-status',
    name: 'Onboarding Status',
    state: 'active',
    stages: ONBOARDING.map((s) => ({ ...s })),
    ...overrides,
  };
}

export function stage(id: string, name: string, order: number, flags: Partial<StageDefinition> = {}): StageDefinition {
  return { id, name, order, endStage: false, disabled: false, ...flags };
}

export function ms(days: number, hours = 0): number {
  return days * MS_PER_DAY + hours * 3_600_000;
}

/** Builds a history in insertion order: seq and changeId follow the calls. */
export class HistoryBuilder {
  private readonly changes: HistoryEntry[] = [];

  set(to: string | null, at: Date): this {
    const seq = this.changes.length;
    this.changes.push({ changeId: `c${seq}`, seq, to, at });
    return this;
  }

  clear(at: Date): this {
    return this.set(null, at);
  }

  build(): HistoryEntry[] {
    return [...this.changes];
  }
}

export function history(): HistoryBuilder {
  return new HistoryBuilder();
}
