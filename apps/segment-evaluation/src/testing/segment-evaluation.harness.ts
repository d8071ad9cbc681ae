/**
 * Integration-test harness: the real service (HTTP + Kafka consumer + BullMQ worker) on the real
 * servers, in a database, topic prefix and BullMQ prefix of its own; fed the way the catalog,
 * the CRM and status tracking feed it — by publishing their events.
 */
import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { MongoClient } from 'mongodb';
import type { ServiceConfig } from '@lifecycle/config';
import { Queues, type AttributePayload, type CrmAccountUpserted, type Topic } from '@lifecycle/contracts';
import { startService, type RunningService } from '@lifecycle/http';
import { EventPublisher, TopicNames } from '@lifecycle/messaging';
import {
  httpCall,
  type HttpAnswer,
  newTestRun,
  ONBOARDING,
  onboardingAttributePayload,
  testServiceConfig,
  TopicRecorder,
  waitFor,
  type TestRun,
} from '@lifecycle/testing';
import { MS_PER_DAY } from '@lifecycle/rules';
import type { ProjectedAccount } from '../domain/projection-updates';
import { AttributeReplicaRepository } from '../attribute-replica/attribute-replica.repository';
import { EvaluationIndexService } from '../evaluation-index/evaluation-index.service';
import { evaluationIndexSettings, type EvaluationIndexSettings } from '../evaluation-index/index-settings';
import { AccountProjectionRepository } from '../projection/account-projection.repository';
import { segmentEvaluationDefinition } from '../segment-evaluation.definition';
import { SegmentEvaluationModule } from '../segment-evaluation.module';
import { LifecycleScript, type ScriptEvent, type ScriptStage } from './lifecycle-script.builder';

/** The one Onboarding fixture of libs/testing, under the names these specs use. */
export { ONBOARDING, ONBOARDING_STAGE_IDS as STAGE } from '@lifecycle/testing';
export const onboardingAttribute = onboardingAttributePayload;

export const ONBOARDING_SCRIPT_STAGES: ScriptStage[] = onboardingAttribute().stages.map((s) => ({
  id: s.id,
  name: s.name,
  order: s.order,
  endStage: s.endStage,
}));

export function daysAgo(days: number, extraMs = 0): Date {
  return new Date(Date.now() - days * MS_PER_DAY - extraMs);
}

/** The answer of `api()`: libs/testing's one raw HTTP call. */
export type ApiAnswer<T = Record<string, unknown>> = HttpAnswer<T>;

export class SegmentEvaluationHarness {
  readonly run: TestRun;
  readonly config: ServiceConfig;
  service!: RunningService;
  publisher!: EventPublisher;
  recorder: TopicRecorder | null = null;

  /**
   * `topicPrefix`: read another run's topics (a second instance rebuilding from them);
   * `run`: share another harness's database, topics and group (a second instance of the same service).
   */
  constructor(label: string, topicPrefix?: string, run?: TestRun) {
    this.run = run ?? newTestRun(label);
    const config = testServiceConfig(this.run, 'segment-evaluation');
    this.config = topicPrefix === undefined ? config : { ...config, kafka: { ...config.kafka, topicPrefix } };
  }

  /** Starts the service and waits until its evaluation index is ready (`wait: false`: returns at once). */
  async start(recorded: Topic[] = [], index: Partial<EvaluationIndexSettings> = {}, wait = true): Promise<this> {
    this.service = await startService(
      SegmentEvaluationModule.register(this.config, evaluationIndexSettings(index)),
      this.config,
      segmentEvaluationDefinition,
    );
    this.publisher = this.service.app.get(EventPublisher);
    if (wait) await this.index.whenReady(60_000);
    if (recorded.length > 0) this.recorder = await new TopicRecorder(recorded.map((t) => this.topic(t))).start();
    return this;
  }

  async stop(): Promise<void> {
    await this.recorder?.stop();
    if (!this.service) return;
    const queue = this.service.app.get<Queue>(getQueueToken(Queues.SegmentsMembership));
    await queue.obliterate({ force: true }).catch(() => undefined);
    await this.service.app.close();
    const client = await MongoClient.connect(this.config.mongo.url);
    await client
      .db()
      .dropDatabase()
      .catch(() => undefined);
    await client.close();
  }

  get index(): EvaluationIndexService {
    return this.service.app.get(EvaluationIndexService);
  }

  topic(topic: Topic): string {
    return new TopicNames(this.config.kafka.topicPrefix).physical(topic);
  }

  /** What was published on `topic` (needs `start([topic])`). */
  recorded(topic: Topic): { type: string; id: string; key: string | null; data: { segmentId?: string; accountId?: string } }[] {
    return (this.recorder?.on(this.topic(topic)) ?? []).map((m) => ({
      type: String(m.json.type),
      id: String(m.json.id),
      key: m.key,
      data: (m.json.data ?? {}) as { segmentId?: string; accountId?: string },
    }));
  }

  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    return httpCall<T>(this.service.url, method, path, body);
  }

  async seedAttribute(attribute: AttributePayload = onboardingAttribute()): Promise<void> {
    await this.publisher.publish('attribute.activated', attribute);
    const replica = this.service.app.get(AttributeReplicaRepository);
    await waitFor(
      `attribute ${attribute.key} v${attribute.version} in the replica`,
      async () => (await replica.version(attribute.key)) === attribute.version,
    );
  }

  async seedAccount(facts: CrmAccountUpserted): Promise<void> {
    await this.publisher.publish('crm.account.upserted', facts);
    await this.waitForAccount(facts.accountId, (a) => a.name === facts.name && a.canceled === (facts.canceled ?? a.canceled));
  }

  script(accountId: string): LifecycleScript {
    return new LifecycleScript(accountId, ONBOARDING, ONBOARDING_SCRIPT_STAGES);
  }

  /** Publishes status-tracking's events in order (event time = the change's time). */
  async publishAll(events: readonly ScriptEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'status.changed') await this.publisher.publish('status.changed', event.data, { occurredAt: event.at });
      else await this.publisher.publish('lifecycle.completed', event.data, { occurredAt: event.at });
    }
  }

  async projection(accountId: string): Promise<ProjectedAccount | undefined> {
    return (await this.service.app.get(AccountProjectionRepository).get(accountId))?.account;
  }

  async waitForAccount(accountId: string, ready: (account: ProjectedAccount) => boolean): Promise<ProjectedAccount> {
    return waitFor(`projection of ${accountId}`, async () => {
      const account = await this.projection(accountId);
      return account !== undefined && ready(account) ? account : undefined;
    });
  }

  /** Waits until the account's last status change (by change id) is projected. */
  async waitForChange(accountId: string, changeId: string): Promise<ProjectedAccount> {
    return this.waitForAccount(accountId, (a) => (a.lifecycle[ONBOARDING]?.transitions ?? []).some((t) => t.changeId === changeId));
  }

  async waitForJob(jobId: string): Promise<{ state: string; result: Record<string, number> | null; progress: unknown }> {
    return waitFor(`job ${jobId} to complete`, async () => {
      const { status, body } = await this.api<{
        state: string;
        result: Record<string, number> | null;
        progress: unknown;
        failedReason: string | null;
      }>('GET', `/v1/jobs/${jobId}`);
      if (status === 200 && body.state === 'failed') throw new Error(`job ${jobId} failed: ${body.failedReason}`);
      return status === 200 && body.state === 'completed' ? body : undefined;
    });
  }

  uniqueAccount(label: string): string {
    return `${label}-${randomUUID().slice(0, 8)}`;
  }
}
