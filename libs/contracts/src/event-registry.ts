import type { ClassConstructor } from 'class-transformer';
import { AttributePayload } from './events/attribute.events';
import { CalendarPayload } from './events/calendar.events';
import { CrmAccountCanceled, CrmAccountStatusSet, CrmAccountUpserted } from './events/crm.events';
import {
  CycleAssigned,
  CycleCompleted,
  CycleDueDatesRecalculated,
  CyclePrimaryChanged,
  CycleRemoved,
  CycleStageCompleted,
} from './events/cycle.events';
import { PlayFired, PlayTaskCompleted } from './events/play.events';
import { SegmentMembershipChanged, SegmentSaved } from './events/segment.events';
import { StageSlaCrossed } from './events/sla.events';
import { DayRolled, LifecycleCompleted, StatusChanged, StatusRecomputed } from './events/status.events';
import { Topics, type Topic } from './topics';
import type { EventEnvelope } from './envelope';

/** The names of `T`'s string-valued fields. */
type StringFieldOf<T> = { [K in keyof T]-?: T[K] extends string ? K : never }[keyof T] & string;

interface EventSpec<TTopic extends Topic, TData> {
  topic: TTopic;
  version: number;
  data: ClassConstructor<TData>;
  /** The Kafka key is this field of `data`: the aggregate id (it keeps an aggregate's events in one partition). */
  keyField: StringFieldOf<TData>;
  /**
   * Record headers carrying fields of `data` (header name → field), so a consumer can tell from
   * the headers alone that it has nothing to do with a record and pass it over unparsed
   * (`HeaderFilters` in @lifecycle/messaging). The value stays the whole truth; headers only help.
   */
  headers?: Readonly<Record<string, StringFieldOf<TData>>>;
  summary: string;
}

const spec = <TTopic extends Topic, TData>(s: EventSpec<TTopic, TData>) => s;

/** Every event type of SPEC 5.2: its topic, version, payload class and key. One place. */
export const EVENTS = {
  'crm.account.upserted': spec({
    topic: Topics.CrmAccounts,
    version: 1,
    data: CrmAccountUpserted,
    keyField: 'accountId',
    summary: 'An account was created or its facts changed in the CRM.',
  }),
  'crm.account.canceled': spec({
    topic: Topics.CrmAccounts,
    version: 1,
    data: CrmAccountCanceled,
    keyField: 'accountId',
    summary: 'An account was canceled in the CRM.',
  }),
  'crm.account.status.set': spec({
    topic: Topics.CrmAccountStatuses,
    version: 1,
    data: CrmAccountStatusSet,
    keyField: 'accountId',
    summary: 'The CRM sets a lifecycle status (stage name or id, or null to clear); event time = occurredAt.',
  }),
  'attribute.created': spec({
    topic: Topics.LifecycleAttributes,
    version: 1,
    data: AttributePayload,
    keyField: 'key',
    summary: 'A status attribute was created (full attribute).',
  }),
  'attribute.updated': spec({
    topic: Topics.LifecycleAttributes,
    version: 1,
    data: AttributePayload,
    keyField: 'key',
    summary: 'A status attribute changed (full attribute).',
  }),
  'attribute.activated': spec({
    topic: Topics.LifecycleAttributes,
    version: 1,
    data: AttributePayload,
    keyField: 'key',
    summary: 'A status attribute was activated (full attribute).',
  }),
  'calendar.created': spec({
    topic: Topics.LifecycleCalendars,
    version: 1,
    data: CalendarPayload,
    keyField: 'key',
    summary: 'A business calendar was created (full calendar, B1).',
  }),
  'calendar.updated': spec({
    topic: Topics.LifecycleCalendars,
    version: 1,
    data: CalendarPayload,
    keyField: 'key',
    summary: 'A business calendar changed (full calendar, B1); what is counted on it is derived again.',
  }),
  'calendar.deleted': spec({
    topic: Topics.LifecycleCalendars,
    version: 1,
    data: CalendarPayload,
    keyField: 'key',
    summary: 'A business calendar was deleted; accounts naming it are counted on the default calendar.',
  }),
  'status.changed': spec({
    topic: Topics.LifecycleStatus,
    version: 1,
    data: StatusChanged,
    keyField: 'accountId',
    headers: { 'attribute-key': 'attributeKey' },
    summary: 'An account moved between stages of an attribute (L15).',
  }),
  'lifecycle.completed': spec({
    topic: Topics.LifecycleStatus,
    version: 1,
    data: LifecycleCompleted,
    keyField: 'accountId',
    summary: 'An account reached an end stage: the completed cycle record (L5).',
  }),
  'status.recomputed': spec({
    topic: Topics.LifecycleStatus,
    version: 1,
    data: StatusRecomputed,
    keyField: 'accountId',
    headers: { 'attribute-key': 'attributeKey' },
    summary: 'A late or backdated change rewrote the counters of an account (L11).',
  }),
  'stage.sla-at-risk': spec({
    topic: Topics.LifecycleSla,
    version: 1,
    data: StageSlaCrossed,
    keyField: 'accountId',
    summary: "A stage entry reached its SLA's at-risk point (B4); once per stage entry, dated when it crossed.",
  }),
  'stage.sla-breached': spec({
    topic: Topics.LifecycleSla,
    version: 1,
    data: StageSlaCrossed,
    keyField: 'accountId',
    summary: 'A stage entry used up its expected duration (B4); once per stage entry, dated when it crossed.',
  }),
  'day.rolled': spec({
    topic: Topics.LifecycleTicks,
    version: 1,
    data: DayRolled,
    keyField: 'day',
    summary: 'A new day began and the daily counters were materialized (L14).',
  }),
  'cycle.assigned': spec({
    topic: Topics.SuccessCycleEvents,
    version: 1,
    data: CycleAssigned,
    keyField: 'accountId',
    summary: 'A SuccessCycle was assigned to an account.',
  }),
  'cycle.primary-changed': spec({
    topic: Topics.SuccessCycleEvents,
    version: 1,
    data: CyclePrimaryChanged,
    keyField: 'accountId',
    summary: "An account's primary SuccessCycle changed.",
  }),
  'cycle.stage-completed': spec({
    topic: Topics.SuccessCycleEvents,
    version: 1,
    data: CycleStageCompleted,
    keyField: 'accountId',
    summary: 'A stage of a SuccessCycle was completed.',
  }),
  'cycle.completed': spec({
    topic: Topics.SuccessCycleEvents,
    version: 1,
    data: CycleCompleted,
    keyField: 'accountId',
    summary: 'A SuccessCycle was completed.',
  }),
  'cycle.removed': spec({
    topic: Topics.SuccessCycleEvents,
    version: 1,
    data: CycleRemoved,
    keyField: 'accountId',
    summary: 'A SuccessCycle was removed from an account.',
  }),
  'cycle.due-dates-recalculated': spec({
    topic: Topics.SuccessCycleEvents,
    version: 1,
    data: CycleDueDatesRecalculated,
    keyField: 'accountId',
    summary: 'Due dates of a SuccessCycle were recalculated.',
  }),
  'segment.entered': spec({
    topic: Topics.SegmentMembership,
    version: 1,
    data: SegmentMembershipChanged,
    keyField: 'accountId',
    summary: 'An account entered a saved segment.',
  }),
  'segment.exited': spec({
    topic: Topics.SegmentMembership,
    version: 1,
    data: SegmentMembershipChanged,
    keyField: 'accountId',
    summary: 'An account left a saved segment.',
  }),
  'segment.saved': spec({
    topic: Topics.SegmentDefinitions,
    version: 1,
    data: SegmentSaved,
    keyField: 'segmentId',
    summary: 'A saved segment was created or changed (its id, name and version): what other services name segments by.',
  }),
  'play.fired': spec({
    topic: Topics.Plays,
    version: 1,
    data: PlayFired,
    keyField: 'accountId',
    summary: 'A play fired for an account (P2): once per play and trigger occurrence, whatever the redeliveries.',
  }),
  'play.task-completed': spec({
    topic: Topics.Plays,
    version: 1,
    data: PlayTaskCompleted,
    keyField: 'accountId',
    summary: "A play's one-off task was completed (P1): once per task, whatever the retries.",
  }),
} as const;

export type EventRegistry = typeof EVENTS;
export type EventType = keyof EventRegistry;
export type PayloadOf<T extends EventType> = EventRegistry[T] extends EventSpec<Topic, infer D> ? D : never;
export type TopicOf<T extends EventType> = EventRegistry[T]['topic'];
export type EventTypesOf<TTopic extends Topic> = { [K in EventType]: EventRegistry[K]['topic'] extends TTopic ? K : never }[EventType];

export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EVENTS, type);
}

export function eventsOfTopic(topic: Topic): EventType[] {
  return EVENT_TYPES.filter((t) => EVENTS[t].topic === topic);
}

/** Any envelope, as a union discriminated by `type`. */
export type AnyEnvelope = { [K in EventType]: EventEnvelope<K, PayloadOf<K>> }[EventType];

/** The data fields records of `type` carry as headers, by header name (`EventSpec.headers`; none: empty). */
export function dataHeaderFields(type: EventType): Readonly<Record<string, string>> {
  return (EVENTS[type] as { headers?: Readonly<Record<string, string>> }).headers ?? {};
}

/** The headers a record of this event carries beside `event-type` and `event-id` (`EventSpec.headers`). */
export function dataHeaders(envelope: Pick<AnyEnvelope, 'type' | 'data'>): Record<string, string> | null {
  const named = dataHeaderFields(envelope.type);
  if (Object.keys(named).length === 0) return null;
  const headers: Record<string, string> = {};
  for (const [header, field] of Object.entries(named))
    headers[header] = String((envelope.data as unknown as Record<string, unknown>)[field]);
  return headers;
}

/** The Kafka key of an event: its aggregate id, the `keyField` of its data. */
export function aggregateKey(envelope: Pick<AnyEnvelope, 'type' | 'data'>): string {
  return (envelope.data as unknown as Record<string, string>)[EVENTS[envelope.type].keyField] as string;
}
