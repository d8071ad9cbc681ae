/**
 * Integration-test harness: the real service (HTTP + Kafka consumer + BullMQ worker) on the real
 * servers, in a database, topic prefix and BullMQ prefix of its own; CRM and segment events
 * published the way their producers publish them; `successcycle.events` recorded.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { ServiceConfig } from '@lifecycle/config';
import { Topics, type AttributePayload, type CrmAccountUpserted, type EventType } from '@lifecycle/contracts';
import { startService, type JobResponse, type RunningService } from '@lifecycle/http';
import { EventPublisher, TopicNames } from '@lifecycle/messaging';
import {
  httpCall,
  type HttpAnswer,
  newTestRun,
  onboardingAttributePayload,
  testServiceConfig,
  TopicRecorder,
  waitFor,
} from '@lifecycle/testing';
import { AttributeReplicaRepository } from '../attributes/attribute-replica.repository';
import { SavedSegmentRepository } from '../segments/saved-segment.repository';
import { cyclePlanningDefinition } from '../cycle-planning.definition';
import { CyclePlanningModule } from '../cycle-planning.module';
import type { CycleResponse } from '../cycles/dto/cycle.response';
import { CycleJobsQueue } from '../jobs/cycle-jobs.queue';

/** The answer of `api()`: libs/testing's one raw HTTP call. */
export type ApiAnswer<T = Record<string, unknown>> = HttpAnswer<T>;

export interface RecordedEvent {
  id: string;
  type: EventType;
  key: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface CyclesAnswer {
  accountId: string;
  primaryCycleId: string | null;
  cycles: CycleResponse[];
}

export class CyclePlanningHarness {
  readonly config: ServiceConfig;
  service!: RunningService;
  publisher!: EventPublisher;
  recorder!: TopicRecorder;

  constructor(label: string) {
    this.config = testServiceConfig(newTestRun(label), 'cycle-planning');
  }

  async start(): Promise<this> {
    await this.startService();
    this.recorder = await new TopicRecorder([
      this.topic(Topics.SuccessCycleEvents),
      this.topic(Topics.Plays),
      this.deadLetter(Topics.CrmAccounts),
    ]).start();
    return this;
  }

  /** (Re)starts the service on the same database, topics and queue (a restart). */
  async startService(): Promise<void> {
    this.service = await startService(CyclePlanningModule.register(this.config), this.config, cyclePlanningDefinition);
    this.publisher = this.service.app.get(EventPublisher);
  }

  /** Stops the service gracefully, keeping its data (see `startService`). */
  async stopService(): Promise<void> {
    await this.service.app.close();
  }

  async stop(): Promise<void> {
    await this.recorder?.stop();
    if (!this.service) return;
    await this.service.app
      .get(CycleJobsQueue)
      .obliterate()
      .catch(() => undefined);
    await this.service.app.close();
    const client = await MongoClient.connect(this.config.mongo.url);
    await client
      .db()
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  }

  topic(topic: Parameters<TopicNames['physical']>[0]): string {
    return new TopicNames(this.config.kafka.topicPrefix).physical(topic);
  }

  deadLetter(topic: Parameters<TopicNames['deadLetter']>[0]): string {
    return new TopicNames(this.config.kafka.topicPrefix).deadLetter(topic);
  }

  get<T>(token: new (...args: never[]) => T): T {
    return this.service.app.get(token);
  }

  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    return httpCall<T>(this.service.url, method, path, body);
  }

  /** The answer body when the status is the expected one; fails with the body otherwise. */
  async ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown, status = method === 'POST' ? 201 : 200): Promise<T> {
    const answer = await this.api<T>(method, path, body);
    if (answer.status !== status)
      throw new Error(`${method} ${path} answered ${answer.status}, expected ${status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  uniqueAccount(label: string): string {
    return `${label}-${randomUUID().slice(0, 8)}`;
  }

  /** Publishes the CRM's account event and waits until this service applied it. */
  async seedAccount(facts: CrmAccountUpserted, occurredAt?: Date): Promise<void> {
    await this.publisher.publish('crm.account.upserted', facts, occurredAt ? { occurredAt } : {});
    await waitFor(
      `account ${facts.accountId} in cycle planning`,
      async () => (await this.api('GET', `/v1/accounts/${facts.accountId}/available-cycle-templates`)).status === 200,
    );
  }

  /** Publishes the catalog's attribute (the onboarding fixture by default) and waits for the replica (P1 checks against it). */
  async seedAttribute(attribute: AttributePayload = onboardingAttributePayload()): Promise<void> {
    await this.publisher.publish('attribute.activated', attribute);
    await waitFor(`attribute ${attribute.key} in cycle planning`, async () =>
      (await this.get(AttributeReplicaRepository).playCatalog()).has(attribute.key),
    );
  }

  /** Publishes segment evaluation's `segment.saved` and waits for the replica (a play's segment trigger is checked against it). */
  async seedSegment(segmentId: string, name = segmentId, version = 1): Promise<void> {
    await this.publisher.publish('segment.saved', { segmentId, name, version });
    await waitFor(`segment ${segmentId} in cycle planning`, async () => (await this.get(SavedSegmentRepository).names()).has(segmentId));
  }

  async cycles(accountId: string): Promise<CyclesAnswer> {
    return this.ok<CyclesAnswer>('GET', `/v1/accounts/${accountId}/cycles`);
  }

  /** Recorded `successcycle.events`, optionally of one type and/or one account. */
  events(type?: EventType, accountId?: string): RecordedEvent[] {
    return this.recorder
      .on(this.topic(Topics.SuccessCycleEvents))
      .map((m) => ({
        id: String(m.json.id),
        type: m.json.type as EventType,
        key: m.key,
        occurredAt: String(m.json.occurredAt),
        data: m.json.data as Record<string, unknown>,
      }))
      .filter((e) => (type === undefined || e.type === type) && (accountId === undefined || e.data.accountId === accountId));
  }

  /** Recorded `play.fired` events (P2), optionally of one play. */
  fired(playId?: string): RecordedEvent[] {
    return this.playEvents('play.fired', playId);
  }

  /** Recorded events of the `plays` topic of one type, optionally of one play. */
  playEvents(type: 'play.fired' | 'play.task-completed', playId?: string): RecordedEvent[] {
    return this.recorder
      .on(this.topic(Topics.Plays))
      .map((m) => ({
        id: String(m.json.id),
        type: m.json.type as EventType,
        key: m.key,
        occurredAt: String(m.json.occurredAt),
        data: m.json.data as Record<string, unknown>,
      }))
      .filter((e) => e.type === type && (playId === undefined || e.data.playId === playId));
  }

  async waitForEvents(what: string, count: number, type?: EventType, accountId?: string, timeoutMs = 20_000): Promise<RecordedEvent[]> {
    return waitFor(what, () => (this.events(type, accountId).length >= count ? this.events(type, accountId) : undefined), timeoutMs);
  }

  /** Polls a job until it finishes; returns its last view and every progress seen on the way. */
  async waitForJob(jobId: string, timeoutMs = 60_000): Promise<{ job: JobResponse; progress: unknown[] }> {
    const progress: unknown[] = [];
    const job = await waitFor(
      `job ${jobId} to finish`,
      async () => {
        const { status, body } = await this.api<JobResponse>('GET', `/v1/jobs/${jobId}`);
        if (status !== 200) return undefined;
        progress.push(body.progress);
        return body.state === 'completed' || body.state === 'failed' ? body : undefined;
      },
      timeoutMs,
      100,
    );
    return { job, progress };
  }
}

/** `YYYY-MM-DD` of a date string or Date (for assertions to the day). */
export function day(value: string | Date): string {
  return (typeof value === 'string' ? new Date(value) : value).toISOString().slice(0, 10);
}

/** Every due date of a cycle view by item id (`YYYY-MM-DD` or null). */
export function dueDays(cycle: CycleResponse): Record<string, string | null> {
  const result: Record<string, string | null> = {};
  for (const s of cycle.stages) {
    result[s.id] = s.dueDate;
    for (const a of s.activities) {
      result[a.id] = a.dueDate;
      for (const t of a.tasks) result[t.id] = t.dueDate;
    }
  }
  return result;
}

export { waitFor };
