/**
 * What the fault-injection suite asserts, as pure functions over what it read back from the
 * databases and the topics. Each check returns counts for the report and a list of problems;
 * the suite passes when every list is empty.
 *
 * Definitions (the precise claims):
 * - applied exactly once: every distinct valid event id has exactly one entry in its pair's
 *   history (idempotency key `crm:<event id>`) with the event's stage and time, and no entry
 *   exists for anything else (invalid messages, duplicates);
 * - states: each stored fold equals `replay(definition, history)` (the pure fold), its history's
 *   positions are 1..n, and its outbox is empty;
 * - `status.changed`, deduplicated by envelope id: for every history entry exactly one event with
 *   its changeId and a first-hand cause (not `recomputed`); `recomputed` events only name
 *   existing entries of accounts that had a late event; and the last event per changeId (in
 *   partition order) shows the same from → to as that entry's transition in the final replay;
 * - `lifecycle.completed`, deduplicated: each cycle completion of the final replay has one with
 *   its changeId and completion time;
 * - dead letters, deduplicated by (partition, offset) of the original: exactly the invalid
 *   messages, each with its reason; no valid event id among them.
 */
import { replay, type LifecycleState, type Transition } from '@lifecycle/rules';
import type { RecordedMessage } from '@lifecycle/testing';
import type { LifecycleDefinition } from '../../apps/status-tracking/src/domain/lifecycle-definition';
import type { StatusHistoryEntry } from '../../apps/status-tracking/src/statuses/lifecycle-state.schema';
import type { CrmStreamPlan, PlannedEvent } from './crm-stream';

/** A pair's document as read back: its history and stored fold (unpacked), and its outbox's size. */
export interface StoredPair {
  id: string;
  accountId: string;
  attributeKey: string;
  state: LifecycleState;
  history: StatusHistoryEntry[];
  outboxLength: number;
}

/** A history entry with its pair. */
export interface AppliedEntry extends StatusHistoryEntry {
  accountId: string;
  attributeKey: string;
}

export function appliedEntries(pairs: readonly StoredPair[]): AppliedEntry[] {
  return pairs.flatMap((p) => p.history.map((e) => ({ ...e, accountId: p.accountId, attributeKey: p.attributeKey })));
}

export interface CheckResult {
  problems: string[];
}

/** Keeps the first message of each key (dedupe by envelope id, or any other identity). */
export function distinctBy(messages: readonly RecordedMessage[], key: (m: RecordedMessage) => string): RecordedMessage[] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const k = key(m);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function inPartitionOrder(messages: readonly RecordedMessage[]): RecordedMessage[] {
  return [...messages].sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

const envelopeId = (m: RecordedMessage) => String(m.json.id);

// ---------------------------------------------------------------------------------------------
// History and states

export interface HistoryFigures extends CheckResult {
  expected: number;
  entries: number;
  lost: number;
  appliedTwice: number;
  unexpected: number;
  states: number;
  statesEqualToReplay: number;
  pendingOutbox: number;
  /** Final replay per account (the expectation for topics and segments). */
  replays: Map<string, { state: LifecycleState; transitions: Transition[] }>;
}

export function checkHistoryAndStates(
  plan: CrmStreamPlan,
  stageIdOf: (stage: string) => string,
  def: LifecycleDefinition,
  states: readonly StoredPair[],
): HistoryFigures {
  const problems: string[] = [];
  const history = appliedEntries(states);
  const planned = new Map(plan.events.map((e) => [e.envelope.id, e]));
  const byEvent = new Map<string, AppliedEntry[]>();
  const slot = (e: AppliedEntry) => `${e.accountId}#${e.seq}`;
  let unexpected = 0;
  for (const entry of history) {
    const id = entry.idempotencyKey.startsWith('crm:') ? entry.idempotencyKey.slice(4) : null;
    if (id === null || !planned.has(id)) {
      unexpected++;
      problems.push(`history entry ${slot(entry)} (key ${entry.idempotencyKey}) is not one of the valid events sent`);
      continue;
    }
    byEvent.set(id, [...(byEvent.get(id) ?? []), entry]);
  }
  let lost = 0;
  let appliedTwice = 0;
  for (const [id, event] of planned) {
    const entries = byEvent.get(id) ?? [];
    if (entries.length === 0) {
      lost++;
      if (lost <= 20)
        problems.push(`lost: event ${id} (${event.accountId} #${event.index} → ${event.stage ?? 'null'}) has no history entry`);
      continue;
    }
    if (entries.length > 1) {
      appliedTwice++;
      problems.push(`applied twice: event ${id} has ${entries.length} history entries (${entries.map(slot).join(', ')})`);
    }
    const entry = entries[0]!;
    const wantTo = event.stage === null ? null : stageIdOf(event.stage);
    if (entry.accountId !== event.accountId || entry.to !== wantTo || entry.at.getTime() !== event.at.getTime()) {
      problems.push(
        `entry ${slot(entry)} of event ${id} says ${entry.accountId} → ${entry.to} at ${entry.at.toISOString()}, sent ${event.accountId} → ${wantTo} at ${event.at.toISOString()}`,
      );
    }
  }

  const replays = new Map<string, { state: LifecycleState; transitions: Transition[] }>();
  let statesEqualToReplay = 0;
  let pendingOutbox = 0;
  for (const doc of states) {
    const entries = doc.history;
    const seqs = entries.map((e) => e.seq);
    if (seqs.some((s, i) => s !== i + 1)) problems.push(`${doc.id}: history positions are not 1..${entries.length}: ${seqs.join(',')}`);
    if (doc.outboxLength > 0) {
      pendingOutbox++;
      problems.push(`${doc.id}: ${doc.outboxLength} event(s) still in the outbox`);
    }
    const fresh = replay(def.stages, entries);
    replays.set(doc.accountId, fresh);
    const stored = canonical(doc.state);
    const expected = canonical(fresh.state);
    if (stored === expected) statesEqualToReplay++;
    else problems.push(`${doc.id}: stored state differs from a fresh replay of its history:\n  stored ${stored}\n  replay ${expected}`);
    if (fresh.transitions.length !== entries.length) {
      problems.push(
        `${doc.id}: ${entries.length - fresh.transitions.length} history entries are no-ops in the replay (the stream was built to have none)`,
      );
    }
  }
  return {
    problems,
    expected: planned.size,
    entries: history.length,
    lost,
    appliedTwice,
    unexpected,
    states: states.length,
    statesEqualToReplay,
    pendingOutbox,
    replays,
  };
}

type MsList = readonly { stageId: string; ms: number }[] | Readonly<Record<string, number>>;

function msPairs(ms: MsList): [string, number][] {
  const pairs: [string, number][] = Array.isArray(ms)
    ? ms.map((s: { stageId: string; ms: number }) => [s.stageId, s.ms])
    : Object.entries(ms);
  // A zero entry and a missing one mean the same (L4 resets write zeros).
  return pairs.filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

function canonical(s: LifecycleState): string {
  return JSON.stringify({
    stageId: s.stageId,
    cycle: s.cycle,
    completedCycles: s.completedCycles,
    completed: s.completed,
    cycleStartedAt: iso(s.cycleStartedAt),
    cycleEndedAt: iso(s.cycleEndedAt),
    stageEnteredAt: iso(s.stageEnteredAt),
    lastChangedAt: iso(s.lastChangedAt),
    lastCompletedAt: iso(s.lastCompletedAt),
    stageMs: msPairs(s.stageMs),
    totalMs: msPairs(s.totalMs),
    cycleRecords: s.cycleRecords.map((r) => ({
      cycle: r.cycle,
      startedAt: iso(r.startedAt),
      completedAt: iso(r.completedAt),
      ms: r.ms,
      stages: msPairs(r.stages),
    })),
  });
}

// ---------------------------------------------------------------------------------------------
// lifecycle.status

export interface StatusTopicFigures extends CheckResult {
  raw: number;
  distinct: number;
  firstHand: number;
  recomputed: number;
  statusRecomputed: number;
  completedDistinct: number;
  duplicatedEffects: number;
}

interface ChangedData {
  accountId: string;
  changeId: string;
  cause: string;
  from: { id: string } | null;
  to: { id: string } | null;
  cycle: number;
}

export function checkStatusTopic(
  messages: readonly RecordedMessage[],
  history: readonly AppliedEntry[],
  replays: HistoryFigures['replays'],
  accountsWithLateEvents: ReadonlySet<string>,
): StatusTopicFigures {
  const problems: string[] = [];
  const ordered = inPartitionOrder(messages);
  const distinct = distinctBy(ordered, envelopeId);
  const changed = distinct.filter((m) => m.json.type === 'status.changed');
  const knownChanges = new Map(history.map((e) => [e.changeId, e]));

  const firstHand = new Map<string, number>();
  let recomputed = 0;
  const lastByChange = new Map<string, ChangedData>();
  for (const m of changed) {
    const data = m.json.data as ChangedData;
    const entry = knownChanges.get(data.changeId);
    if (!entry) {
      problems.push(`status.changed ${envelopeId(m)} names changeId ${data.changeId}, which is in no history`);
      continue;
    }
    if (m.key !== entry.accountId) problems.push(`status.changed ${envelopeId(m)} keyed ${m.key}, account ${entry.accountId}`);
    if (data.cause === 'recomputed') {
      recomputed++;
      if (!accountsWithLateEvents.has(entry.accountId))
        problems.push(`recomputed status.changed for ${entry.accountId}, which had no late event`);
    } else {
      firstHand.set(data.changeId, (firstHand.get(data.changeId) ?? 0) + 1);
    }
    lastByChange.set(data.changeId, data);
  }
  let duplicatedEffects = 0;
  for (const entry of history) {
    const n = firstHand.get(entry.changeId) ?? 0;
    if (n === 0) problems.push(`no status.changed for applied change ${entry.changeId} (${entry.accountId} #${entry.seq})`);
    if (n > 1) {
      duplicatedEffects += n - 1;
      problems.push(`${n} distinct first-hand status.changed events for change ${entry.changeId} (${entry.accountId} #${entry.seq})`);
    }
  }

  // Downstream view converges: the last event of each change tells the final replay's transition.
  for (const [, { transitions }] of replays) {
    for (const t of transitions) {
      const last = lastByChange.get(t.changeId);
      if (!last) continue; // reported above
      if ((last.from?.id ?? null) !== t.from || (last.to?.id ?? null) !== t.to || last.cycle !== t.cycle) {
        problems.push(
          `last status.changed of ${t.changeId} says ${last.from?.id ?? 'null'} → ${last.to?.id ?? 'null'} (cycle ${last.cycle}); the replay says ${t.from ?? 'null'} → ${t.to ?? 'null'} (cycle ${t.cycle})`,
        );
      }
    }
  }

  const completed = distinct.filter((m) => m.json.type === 'lifecycle.completed');
  const completedByChange = new Map<string, { completedAt: string; cycle: number }>();
  for (const m of completed)
    completedByChange.set(String((m.json.data as { changeId: string }).changeId), m.json.data as { completedAt: string; cycle: number });
  for (const [accountId, { transitions }] of replays) {
    for (const t of transitions) {
      if (!t.completedCycle) continue;
      const got = completedByChange.get(t.changeId);
      if (!got) problems.push(`no lifecycle.completed for ${accountId}'s completion ${t.changeId}`);
      else if (got.completedAt !== t.completedCycle.completedAt.toISOString() || got.cycle !== t.completedCycle.cycle) {
        problems.push(
          `lifecycle.completed of ${t.changeId}: cycle ${got.cycle} at ${got.completedAt}, replay: cycle ${t.completedCycle.cycle} at ${t.completedCycle.completedAt.toISOString()}`,
        );
      }
    }
  }

  return {
    problems,
    raw: messages.length,
    distinct: distinct.length,
    firstHand: [...firstHand.values()].reduce((a, b) => a + b, 0),
    recomputed,
    statusRecomputed: distinct.filter((m) => m.json.type === 'status.recomputed').length,
    completedDistinct: completed.length,
    duplicatedEffects,
  };
}

// ---------------------------------------------------------------------------------------------
// Dead letters

export interface DeadLetterFigures extends CheckResult {
  expected: number;
  raw: number;
  distinct: number;
  matched: number;
}

export function checkDeadLetters(plan: CrmStreamPlan, messages: readonly RecordedMessage[]): DeadLetterFigures {
  const problems: string[] = [];
  const distinct = distinctBy(messages, (m) => `${String(m.json.partition)}@${String(m.json.offset)}`);
  const valid = new Set(plan.events.map((e) => e.envelope.id));
  let matched = 0;
  for (const invalid of plan.invalid) {
    const found = distinct.filter((m) => (invalid.eventId ? m.json.eventId === invalid.eventId : m.json.key === invalid.key));
    if (found.length !== 1) {
      problems.push(`${invalid.label} (key ${invalid.key}): ${found.length} dead letters, want 1`);
      continue;
    }
    const reason = String(found[0]!.json.reason);
    if (!invalid.reason.test(reason))
      problems.push(`${invalid.label}: dead-letter reason "${reason}" does not match ${String(invalid.reason)}`);
    else matched++;
  }
  const invalidKeys = new Set(plan.invalid.filter((i) => !i.eventId).map((i) => i.key));
  const invalidIds = new Set(plan.invalid.flatMap((i) => (i.eventId ? [i.eventId] : [])));
  for (const m of distinct) {
    const eventId = typeof m.json.eventId === 'string' ? m.json.eventId : null;
    if (eventId !== null && valid.has(eventId)) problems.push(`valid event ${eventId} was dead-lettered: ${String(m.json.reason)}`);
    else if (eventId !== null ? !invalidIds.has(eventId) : !invalidKeys.has(String(m.json.key)))
      problems.push(`unexpected dead letter (key ${String(m.json.key)}): ${String(m.json.reason)}`);
  }
  return { problems, expected: plan.invalid.length, raw: messages.length, distinct: distinct.length, matched };
}

// ---------------------------------------------------------------------------------------------
// Segment membership from events

/** Folds `segment.entered/exited` (deduplicated, partition order) into the members of one segment. */
export function membersFromEvents(messages: readonly RecordedMessage[], segmentId: string): Set<string> {
  const members = new Set<string>();
  for (const m of distinctBy(inPartitionOrder(messages), envelopeId)) {
    const data = m.json.data as { segmentId?: string; accountId?: string };
    if (data.segmentId !== segmentId || typeof data.accountId !== 'string') continue;
    if (m.json.type === 'segment.entered') members.add(data.accountId);
    if (m.json.type === 'segment.exited') members.delete(data.accountId);
  }
  return members;
}

export function accountsWithLate(plan: CrmStreamPlan): Set<string> {
  return new Set(plan.sends.filter((s): s is { kind: 'late'; event: PlannedEvent } => s.kind === 'late').map((s) => s.event.accountId));
}
