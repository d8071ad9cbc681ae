/**
 * The known input of the fault-injection suite: per account a walk of `crm.account.status.set`
 * events whose event time increases, sent interleaved across accounts, with
 * - duplicates: the same envelope (same id) sent again later,
 * - late events: an event held back and sent after 1–2 later events of its account,
 * - a handful of invalid messages, each with the reason it must be dead-lettered for.
 *
 * Pure and seeded (same seed, same stream). The walks are built so that no valid event can
 * legitimately be an L8 no-op whatever the arrival order inside the late window: every value
 * differs from the MAX_LATENESS values before it in time order, and the first values are stages
 * (never a clear on an empty value). `checkNoNoop` proves it for the planned arrival order.
 */
import { randomUUID } from 'node:crypto';
import type { AnyEnvelope } from '@lifecycle/contracts';
import { buildEnvelope } from '@lifecycle/messaging';
import { seededRandom } from '@lifecycle/testing';

export const ATTRIBUTE_KEY = 'onboarding-status';
export const STAGE_NAMES = ['Kickoff', 'Configuration', 'Implementation', 'Go Live'] as const;
export type StageValue = (typeof STAGE_NAMES)[number] | null;
const VALUES: readonly StageValue[] = [...STAGE_NAMES, null];

/** How far back in event time the walks start (all events lie in the past, L1 refuses the future). */
export const WALK_SPAN_MS = 50 * 86_400_000;
/** Share of the moves that clear the value (when a clear is allowed at that point of the walk). */
const CLEAR_RATE = 0.15;
/** A held event arrives after at most this many later events of its account. */
export const MAX_LATENESS = 2;

export interface PlannedEvent {
  envelope: AnyEnvelope;
  accountId: string;
  stage: StageValue;
  at: Date;
  /** Position in the account's walk (time order). */
  index: number;
}

/** One message to send; `kind` says why it is there. */
export type Send =
  | { kind: 'event'; event: PlannedEvent }
  | { kind: 'late'; event: PlannedEvent }
  | { kind: 'duplicate'; event: PlannedEvent }
  | { kind: 'invalid'; invalid: InvalidMessage };

export interface InvalidMessage {
  label: string;
  /** Kafka key: a valid envelope is keyed by its account (any other key is refused first). */
  key: string;
  /** Null: a tombstone. */
  value: string | Buffer | null;
  /** What the DLQ reason must say. */
  reason: RegExp;
  /** How its dead letter is found: by event id where the envelope is valid, else by key. */
  eventId?: string;
}

export interface CrmStreamPlan {
  seed: number;
  accounts: string[];
  /** Every valid event, each once (the expected history). */
  events: PlannedEvent[];
  sends: Send[];
  duplicates: number;
  late: number;
  invalid: InvalidMessage[];
}

export interface CrmStreamOptions {
  events: number;
  accounts: number;
  seed: number;
  duplicateRate: number;
  lateRate: number;
  /** Event times end before this instant. */
  now: Date;
}

export function accountIdOf(i: number): string {
  return `fault-acct-${String(i).padStart(4, '0')}`;
}

export function planCrmStream(options: CrmStreamOptions): CrmStreamPlan {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const accounts = Array.from({ length: options.accounts }, (_, i) => accountIdOf(i + 1));
  const perAccount = accounts.map(
    (_, i) => Math.floor(options.events / options.accounts) + (i < options.events % options.accounts ? 1 : 0),
  );

  // Walks in time order.
  const walks: PlannedEvent[][] = accounts.map((accountId, a) => {
    const length = perAccount[a]!;
    // Gaps drawn at random, then scaled so the walk ends an hour before `now` at the latest.
    const weights = Array.from({ length }, () => 0.05 + random());
    const scale = (WALK_SPAN_MS - length * 60_000) / weights.reduce((x, y) => x + y, 0);
    let at = options.now.getTime() - WALK_SPAN_MS - 3_600_000;
    const values: StageValue[] = [];
    const walk: PlannedEvent[] = [];
    for (let index = 0; index < length; index++) {
      const recent = values.slice(-MAX_LATENESS);
      const allowed = VALUES.filter((v) => !recent.includes(v) && (index > MAX_LATENESS || v !== null));
      // Clears (null) are rarer than stage moves, as in a real CRM.
      const stages = allowed.filter((v) => v !== null);
      const stage = allowed.includes(null) && random() < CLEAR_RATE ? null : pick(stages);
      values.push(stage);
      at += 60_000 + Math.floor(weights[index]! * scale);
      const occurredAt = new Date(at);
      const envelope = buildEnvelope(
        'crm-fault-suite',
        'crm.account.status.set',
        { accountId, attributeKey: ATTRIBUTE_KEY, stage },
        { occurredAt },
      ) as AnyEnvelope;
      walk.push({ envelope, accountId, stage, at: occurredAt, index });
    }
    return walk;
  });

  // Per account arrival order: some events held back behind 1..MAX_LATENESS later ones.
  // Holds never overlap (a held event's time neighbours arrive in order), so no entry becomes an
  // L8 no-op in the replay either.
  let late = 0;
  const arrivals: { event: PlannedEvent; late: boolean }[][] = walks.map((walk) => {
    const order: { event: PlannedEvent; late: boolean }[] = walk.map((event) => ({ event, late: false }));
    const heldUntil = new Map<number, number>();
    for (let i = 1; i < walk.length - 1; i++) {
      if (random() >= options.lateRate) continue;
      const after = Math.min(walk.length - 1, i + 1 + Math.floor(random() * MAX_LATENESS));
      const clash = [...heldUntil].some(([j, k]) => !(after + 1 < j || k + 1 < i));
      if (clash) continue;
      heldUntil.set(i, after);
    }
    for (const [i, after] of [...heldUntil].sort((x, y) => y[0] - x[0])) {
      const from = order.findIndex((o) => o.event.index === i);
      const [held] = order.splice(from, 1);
      const to = order.findIndex((o) => o.event.index === after);
      order.splice(to + 1, 0, { event: held!.event, late: true });
      late++;
    }
    return order;
  });

  // Interleave the accounts at random, keeping each account's arrival order.
  const cursors = arrivals.map(() => 0);
  const live = arrivals.map((_, a) => a).filter((a) => arrivals[a]!.length > 0);
  const sends: Send[] = [];
  while (live.length > 0) {
    const slot = Math.floor(random() * live.length);
    const a = live[slot]!;
    const next = arrivals[a]![cursors[a]!++]!;
    sends.push(next.late ? { kind: 'late', event: next.event } : { kind: 'event', event: next.event });
    if (cursors[a] === arrivals[a]!.length) live.splice(slot, 1);
  }

  // Duplicates: a copy of an event already sent, re-sent at a random later position.
  const original = sends.filter((s): s is Extract<Send, { kind: 'event' | 'late' }> => s.kind !== 'invalid');
  let duplicates = 0;
  const total = original.length;
  for (let n = 0; n < Math.round(total * options.duplicateRate); n++) {
    const source = Math.floor(random() * sends.length);
    const sent = sends[source]!;
    if (sent.kind === 'invalid') continue;
    const at = source + 1 + Math.floor(random() * (sends.length - source));
    sends.splice(at, 0, { kind: 'duplicate', event: sent.event });
    duplicates++;
  }

  // A handful of invalid messages spread over the stream.
  const invalid = invalidMessages(accounts[0]!, options.now);
  for (const message of invalid) {
    sends.splice(1 + Math.floor(random() * (sends.length - 1)), 0, { kind: 'invalid', invalid: message });
  }

  const events = walks.flat();
  if (events.some((e) => e.at.getTime() >= options.now.getTime())) throw new Error('plan bug: an event time is not in the past');
  checkNoNoop(sends);
  return { seed: options.seed, accounts, events, sends, duplicates, late, invalid };
}

/** The invalid messages: each must reach `crm.account-statuses.dlq` once, with its reason. */
function invalidMessages(accountId: string, now: Date): InvalidMessage[] {
  const at = new Date(now.getTime() - 86_400_000).toISOString();
  const envelope = (overrides: Record<string, unknown>, data: Record<string, unknown> = {}) => {
    const id = randomUUID();
    return {
      id,
      value: JSON.stringify({
        id,
        type: 'crm.account.status.set',
        version: 1,
        occurredAt: at,
        source: 'crm-fault-suite',
        ...overrides,
        data: { accountId, attributeKey: ATTRIBUTE_KEY, stage: 'Kickoff', ...data },
      }),
    };
  };
  /** A valid envelope the service rejects by rule: keyed by its account, found by its id. */
  const rejected = (label: string, reason: RegExp, overrides: Record<string, unknown>, data: Record<string, unknown> = {}) => {
    const { id, value } = envelope(overrides, data);
    return { label, key: accountId, value, reason, eventId: id };
  };
  return [
    {
      label: 'malformed JSON',
      key: 'invalid-1',
      value: '{"id": "0a4c", "type": "crm.account.status.set", "data": {',
      reason: /not valid JSON/,
    },
    { label: 'not an object', key: 'invalid-2', value: '[1, 2, 3]', reason: /must be a JSON object/ },
    rejected('unknown stage', /rejected: .*Launch/, {}, { stage: 'Launch' }),
    rejected('unknown attribute', /rejected: .*no-such-attribute/, {}, { attributeKey: 'no-such-attribute' }),
    {
      label: 'unknown type',
      key: 'invalid-5',
      value: envelope({ type: 'crm.account.status.deleted' }).value,
      reason: /unknown event type/,
    },
    { label: 'unsupported version', key: 'invalid-6', value: envelope({ version: 2 }).value, reason: /unsupported version 2/ },
    { label: 'id not a UUID', key: 'invalid-7', value: envelope({ id: 'not-a-uuid' }).value, reason: /invalid event envelope/ },
    rejected('future event time', /rejected: .*future/i, { occurredAt: new Date(now.getTime() + 30 * 86_400_000).toISOString() }),
    // Undecodable as an event: bytes that are not UTF-8 in the middle of the stream.
    { label: 'not UTF-8', key: 'invalid-9', value: Buffer.from([0x7b, 0x22, 0x69, 0xff, 0xfe, 0x00, 0x7d]), reason: /not valid UTF-8/ },
    { label: 'tombstone', key: 'invalid-10', value: null, reason: /^tombstone/ },
    { label: 'keyed by another account', key: 'invalid-11', value: envelope({}).value, reason: /is not the aggregate id/ },
  ];
}

/**
 * Simulates the arrival order (per account: the state is the fold of what has arrived, so its
 * stage is the value of the latest arrived event in time order) and fails if a first delivery
 * would meet its own value (an L8 no-op, which would make "applied = distinct ids" untrue).
 */
export function checkNoNoop(sends: readonly Send[]): void {
  const arrived = new Map<string, PlannedEvent[]>();
  const seen = new Set<string>();
  for (const send of sends) {
    if (send.kind === 'invalid' || seen.has(send.event.envelope.id)) continue;
    seen.add(send.event.envelope.id);
    const list = arrived.get(send.event.accountId) ?? [];
    const latest = list.reduce<PlannedEvent | null>((max, e) => (max === null || e.at > max.at ? e : max), null);
    const current = latest?.stage ?? null;
    if (current === send.event.stage) throw new Error(`plan bug: ${send.event.accountId} #${send.event.index} would be an L8 no-op`);
    // In time order, the entry must differ from its predecessor among the arrived ones too.
    const before = list
      .filter((e) => e.at < send.event.at)
      .reduce<PlannedEvent | null>((max, e) => (max === null || e.at > max.at ? e : max), null);
    if (before && before.stage === send.event.stage)
      throw new Error(`plan bug: ${send.event.accountId} #${send.event.index} repeats its predecessor`);
    list.push(send.event);
    arrived.set(send.event.accountId, list);
  }
}
