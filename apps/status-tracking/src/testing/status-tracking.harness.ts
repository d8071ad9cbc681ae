/**
 * Integration-test harness: the real service (HTTP + Kafka consumer + BullMQ workers) on the real
 * servers, in a database, topic prefix and BullMQ prefix of its own; inputs published the way the
 * catalog and the CRM publish them.
 */
import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { MongoClient } from 'mongodb';
import type { ServiceConfig } from '@lifecycle/config';
import { Queues, type AttributePayload, type CalendarPayload, type CrmAccountUpserted, type Topic } from '@lifecycle/contracts';
import { startService, type RunningService } from '@lifecycle/http';
import { CalendarReplica, EventPublisher, TopicNames } from '@lifecycle/messaging';
import { MS_PER_DAY } from '@lifecycle/rules';
import {
  httpCall,
  type HttpAnswer,
  newTestRun,
  ONBOARDING,
  onboardingAttributePayload,
  testServiceConfig,
  TopicRecorder,
  waitFor,
} from '@lifecycle/testing';
import { ImportStatusesJob, MaterializeDayJob } from '../jobs/tracking-jobs';
import { statusTrackingDefinition } from '../status-tracking.definition';
import { StatusTrackingModule } from '../status-tracking.module';

export { ONBOARDING, ONBOARDING_STAGES } from '@lifecycle/testing';

/** The one Onboarding fixture of libs/testing, as the catalog publishes it (version 2 by default here). */
export function onboardingAttribute(version = 2): AttributePayload {
  return onboardingAttributePayload(version);
}

export function daysAgo(days: number, hours = 0): string {
  return new Date(Date.now() - days * MS_PER_DAY - hours * 3_600_000).toISOString();
}

/** `daysAgo` from one fixed instant, so differences between the times are exact whole days. */
export function timeline(base = Date.now()): (days: number, hours?: number) => string {
  return (days, hours = 0) => new Date(base - days * MS_PER_DAY - hours * 3_600_000).toISOString();
}

/** The answer of `api()`: libs/testing's one raw HTTP call. */
export type ApiAnswer<T = Record<string, unknown>> = HttpAnswer<T>;

export class StatusTrackingHarness {
  readonly config: ServiceConfig;
  service!: RunningService;
  publisher!: EventPublisher;
  recorder!: TopicRecorder;

  constructor(label: string) {
    this.config = testServiceConfig(newTestRun(label), 'status-tracking');
  }

  /** Starts the service, then records `recorded` (physical names: see `topic` and `deadLetter`). */
  async start(recorded: string[] = []): Promise<this> {
    this.service = await startService(StatusTrackingModule.register(this.config), this.config, statusTrackingDefinition);
    this.publisher = this.service.app.get(EventPublisher);
    this.recorder = await new TopicRecorder(recorded).start();
    return this;
  }

  async stop(): Promise<void> {
    await this.recorder?.stop();
    if (!this.service) return;
    // The BullMQ keys of this run go with it (the daily scheduler would otherwise stay in Redis).
    for (const name of [ImportStatusesJob.queue, MaterializeDayJob.queue, Queues.TrackingSla]) {
      const queue = this.service.app.get<Queue>(getQueueToken(name));
      await queue.removeJobScheduler(MaterializeDayJob.schedulerId).catch(() => undefined);
      await queue.obliterate({ force: true }).catch(() => undefined);
    }
    await this.service.app.close();
    const client = await MongoClient.connect(this.config.mongo.url);
    await client
      .db()
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  }

  /** Stops the service and starts it again on the same database, topics and queues (a restart). */
  async restart(): Promise<void> {
    await this.service.app.close();
    this.service = await startService(StatusTrackingModule.register(this.config), this.config, statusTrackingDefinition);
    this.publisher = this.service.app.get(EventPublisher);
  }

  /** The physical name of a topic in this run. */
  topic(topic: Topic): string {
    return new TopicNames(this.config.kafka.topicPrefix).physical(topic);
  }

  deadLetter(topic: Topic): string {
    return new TopicNames(this.config.kafka.topicPrefix).deadLetter(topic);
  }

  get<T>(token: new (...args: never[]) => T): T {
    return this.service.app.get(token);
  }

  async seedAttribute(attribute: AttributePayload = onboardingAttribute()): Promise<void> {
    await this.publisher.publish('attribute.activated', attribute);
    await waitFor(`attribute ${attribute.key} v${attribute.version} in the replica`, async () => {
      const { body } = await this.api<{ items: { key: string; version: number }[] }>('GET', '/v1/internal/attributes');
      return body.items.some((a) => a.key === attribute.key && a.version === attribute.version);
    });
  }

  /** B1: a calendar as the catalog announces it, once the replica holds it. */
  async seedCalendar(calendar: CalendarPayload): Promise<void> {
    await this.publisher.publish(calendar.version === 1 ? 'calendar.created' : 'calendar.updated', calendar);
    const replica = this.service.app.get(CalendarReplica);
    await waitFor(`calendar ${calendar.key} v${calendar.version} in the replica`, async () =>
      (await replica.list()).some((c) => c._id === calendar.key && c.version === calendar.version),
    );
  }

  async seedAccount(facts: CrmAccountUpserted): Promise<void> {
    await this.publisher.publish('crm.account.upserted', facts);
    await waitFor(`account ${facts.accountId}`, async () => {
      const { status, body } = await this.api<{ name: string | null; canceled: boolean }>('GET', `/v1/accounts/${facts.accountId}`);
      return status === 200 && body.name === facts.name && body.canceled === (facts.canceled ?? false);
    });
  }

  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    return httpCall<T>(this.service.url, method, path, body, headers);
  }

  setStatus(accountId: string, stage: string | null, at?: string, headers: Record<string, string> = {}) {
    return this.api<SetStatusAnswer>('PUT', `/v1/accounts/${accountId}/statuses/${ONBOARDING}`, { stage, ...(at ? { at } : {}) }, headers);
  }

  async lifecycle(accountId: string, key = ONBOARDING): Promise<LifecycleAnswer> {
    const { status, body } = await this.api<AccountAnswer>('GET', `/v1/accounts/${accountId}`);
    if (status !== 200) throw new Error(`GET /v1/accounts/${accountId} answered ${status}: ${JSON.stringify(body)}`);
    const lifecycle = body.lifecycle[key];
    if (!lifecycle) throw new Error(`account ${accountId} has no state of ${key}`);
    return lifecycle;
  }

  uniqueAccount(label: string): string {
    return `${label}-${randomUUID().slice(0, 8)}`;
  }
}

export interface StageAnswer {
  id: string;
  name: string;
  days: number | null;
  ms: number | null;
  totalDays: number | null;
  totalMs: number | null;
  businessDays: number | null;
}

export interface LifecycleAnswer {
  stage: { id: string; name: string } | null;
  cycle: number;
  completedCycles: number;
  completed: boolean;
  cycleStartedAt: string | null;
  stageEnteredAt: string | null;
  lastCompletedAt: string | null;
  daysInAttribute: number | null;
  msInAttribute: number | null;
  businessDaysInAttribute: number | null;
  businessDaysInStage: number | null;
  sla: {
    status: string;
    expected: number | null;
    unit: string | null;
    atRisk: number | null;
    atRiskAt: string | null;
    dueAt: string | null;
  };
  stages: StageAnswer[];
}

export interface AccountAnswer {
  accountId: string;
  name: string | null;
  canceled: boolean;
  lifecycle: Record<string, LifecycleAnswer>;
}

export interface SetStatusAnswer {
  outcome: 'applied' | 'noop' | 'duplicate';
  changeId: string | null;
  recomputed: boolean;
  canceled: boolean;
  lifecycle: LifecycleAnswer;
  message?: string;
  details?: Record<string, unknown>;
}

/** `{ Kickoff: 6, Configuration: 4, … }` of a lifecycle, for compact assertions. */
export function daysByStage(lifecycle: LifecycleAnswer, field: 'days' | 'totalDays' = 'days'): Record<string, number | null> {
  return Object.fromEntries(lifecycle.stages.map((s) => [s.name, s[field]]));
}
