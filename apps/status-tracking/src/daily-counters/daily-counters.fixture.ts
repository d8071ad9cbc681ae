/**
 * Ready-made `lifecycle_states` and `accounts` documents for the daily counters' integration test
 * and benchmark: many states seeded with `insertMany` (no command path), folded from a few
 * histories of the Onboarding Status of docs/rules.md (running, moved back, completed, cleared), every
 * `canceledEvery`-th account canceled (L10).
 */
import { MS_PER_DAY, replay, type HistoryEntry } from '@lifecycle/rules';
import type { AccountFactsDocument } from '../accounts/account-facts.schema';
import type { LifecycleDefinition } from '../domain/lifecycle-definition';
import { packPair } from '../statuses/lifecycle-state.codec';
import type { LifecycleStateDocument } from '../statuses/lifecycle-state.schema';

const KICKOFF = 'stg-kickoff';
const CONFIGURATION = 'stg-configuration';
const IMPLEMENTATION = 'stg-implementation';
const GO_LIVE = 'stg-go-live';

/** The Onboarding Status of docs/rules.md as the replica holds it (same ids as the test harness's attribute). */
export function onboardingDefinition(): LifecycleDefinition {
  const stage = (id: string, name: string, order: number, endStage = false) => ({ id, name, order, endStage, disabled: false });
  return {
    key: 'onboarding-status',
    name: 'Onboarding Status',
    state: 'active',
    stages: [
      stage(KICKOFF, 'Kickoff', 1),
      stage(CONFIGURATION, 'Configuration', 2),
      stage(IMPLEMENTATION, 'Implementation', 3),
      stage(GO_LIVE, 'Go Live', 4, true),
    ],
  };
}

/** Histories in days before `base`: [stage or null, days ago]. */
const HISTORIES: readonly (readonly [string | null, number])[][] = [
  [[KICKOFF, 3]],
  [
    [KICKOFF, 10],
    [CONFIGURATION, 4],
  ],
  [
    [KICKOFF, 20],
    [IMPLEMENTATION, 12],
    [CONFIGURATION, 6],
  ],
  [
    [KICKOFF, 30],
    [GO_LIVE, 5],
  ],
  [
    [KICKOFF, 8],
    [null, 2],
  ],
];

export interface SeededStates {
  /** The state documents, `count` of them, account ids `${prefix}-${i}`. */
  states: LifecycleStateDocument[];
  /** Facts of the canceled accounts among them. */
  canceledAccounts: AccountFactsDocument[];
}

/** `count` state documents of the Onboarding Status (and the canceled accounts' facts). */
export function seededStates(count: number, options: { prefix: string; base: Date; canceledEvery?: number; from?: number }): SeededStates {
  const def = onboardingDefinition();
  const templates = HISTORIES.map((history, h) => {
    const changes: HistoryEntry[] = history.map(([to, daysAgo], seq) => ({
      changeId: `fixture-${h}-${seq}`,
      seq: seq + 1,
      to,
      at: new Date(options.base.getTime() - daysAgo * MS_PER_DAY),
    }));
    return { changes, state: replay(def.stages, changes).state };
  });
  const states: LifecycleStateDocument[] = [];
  const canceledAccounts: AccountFactsDocument[] = [];
  const from = options.from ?? 0;
  for (let i = from; i < from + count; i++) {
    const accountId = `${options.prefix}-${i}`;
    const template = templates[i % templates.length]!;
    states.push({
      _id: `${accountId}|${def.key}`,
      accountId,
      attributeKey: def.key,
      version: template.changes.length,
      stageId: template.state.stageId,
      packed: packPair({
        state: template.state,
        history: template.changes.map((c) => ({
          ...c,
          changeId: `${accountId}-${c.changeId}`,
          source: 'csv',
          actor: null,
          requestId: null,
          idempotencyKey: `fixture:${accountId}:${c.seq}`,
          recordedAt: c.at,
        })),
      }),
      outbox: [],
      updatedAt: options.base,
    });
    if (options.canceledEvery !== undefined && i % options.canceledEvery === 0) {
      canceledAccounts.push({
        _id: accountId,
        name: `Account ${i}`,
        clientType: null,
        ownerId: null,
        canceled: true,
        subscription: null,
        createdAt: options.base.toISOString(),
        factsAt: options.base,
        updatedAt: options.base,
      });
    }
  }
  return { states, canceledAccounts };
}
