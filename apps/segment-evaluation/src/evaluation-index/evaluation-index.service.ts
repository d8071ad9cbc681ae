import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import { Topics } from '@lifecycle/contracts';
import { describeError, EventPublisher, KafkaConnection } from '@lifecycle/messaging';
import { SegmentError, SegmentErrorCode } from '../domain/segment-errors';
import { AccountIndex } from './core/account-index';
import type { IndexedAccount } from './core/indexed-account';
import { caughtUp, ensureFeedTopic, feedEnd, feedTopicName, IndexFeedPublisher, IndexFeedReader, type FeedPosition } from './index-feed';
import { EVALUATION_INDEX_SETTINGS, type EvaluationIndexSettings } from './index-settings';
import { IndexSnapshotStore } from './index-snapshot-store';
import { IndexSourceRepository } from './index-source.repository';

/** What a read answers while the index loads: try again in this many seconds. */
export const RETRY_AFTER_SECONDS = 5;
const CATCH_UP_POLL_MS = 200;

export type IndexPhase = 'starting' | 'loading' | 'catching-up' | 'ready';

/**
 * This instance's evaluation index and how it is kept: at start, the base — the
 * snapshot file if there is one, else one read of the whole projection — then the index feed
 * from where the base stands; ready once the feed is read up to where it stood when the base was
 * in (reads answer 503 with Retry-After until then: never a partial count). Afterwards every
 * projection write reaches it twice: at once from this instance's writer (`recordWritten`) and
 * through the feed from any instance (the older copy is ignored by `rev`). Snapshots are
 * written every `snapshotEveryMs` and at shutdown.
 */
@Injectable()
export class EvaluationIndexService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger(EvaluationIndexService.name);
  private index = new AccountIndex();
  private phase: IndexPhase = 'starting';
  private readonly topic: string;
  private readonly feedPublisher: IndexFeedPublisher;
  /**
   * The feed's own producer: the service's producer sends one request at a time (idempotent, in
   * order), and a feed record queued behind the membership events (or they behind it) would add a
   * round trip to every event's handling.
   */
  private readonly feedProducer: EventPublisher;
  private readonly reader: IndexFeedReader;
  private readonly snapshots: IndexSnapshotStore | null;
  /** Records that arrived while a snapshot was being written (applied right after). */
  private held: IndexedAccount[] | null = null;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private snapshotting: Promise<void> | null = null;
  private loading: Promise<void> | null = null;
  private readonly startedAt = Date.now();
  private readyAt: number | null = null;
  private stopping = false;

  constructor(
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
    @Inject(EVALUATION_INDEX_SETTINGS) private readonly settings: EvaluationIndexSettings,
    private readonly connection: KafkaConnection,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    private readonly source: IndexSourceRepository,
  ) {
    this.topic = feedTopicName(config);
    this.feedProducer = new EventPublisher(connection, config.serviceName, config.kafka.compression);
    this.feedPublisher = new IndexFeedPublisher(this.feedProducer, this.topic);
    this.reader = new IndexFeedReader(
      connection,
      this.topic,
      `${config.kafka.groupId}.index.${settings.instance}`,
      (records) => this.applyAll(records),
      (accountId, rev) => this.index.revOf(accountId) >= rev,
    );
    this.snapshots = settings.snapshotDir === null ? null : new IndexSnapshotStore(settings.snapshotDir, settings.instance);
  }

  onApplicationBootstrap(): void {
    // In the background: HTTP is up meanwhile and answers 503 until the index is ready.
    this.loading = this.loadUntilDone();
  }

  /** A load that meets an unreachable broker or database is tried again (5 s doubling to 60 s). */
  private async loadUntilDone(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.load();
        return;
      } catch (e) {
        await this.reader.stop();
        const delay = Math.min(5_000 * 2 ** (attempt - 1), 60_000);
        this.logger.warn(`evaluation index load failed (attempt ${attempt}), again in ${delay / 1000} s: ${describeError(e)}`);
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.snapshotTimer !== null) clearInterval(this.snapshotTimer);
    this.snapshotTimer = null;
    await this.loading;
    if (this.phase === 'ready') await this.snapshot().catch((e: unknown) => this.logger.warn(`snapshot at shutdown: ${describeError(e)}`));
    await this.reader.stop();
  }

  async onModuleDestroy(): Promise<void> {
    await this.reader.stop();
  }

  /** Last: the consumers and jobs, which write to the feed, have stopped. */
  async onApplicationShutdown(): Promise<void> {
    await this.feedProducer.close();
  }

  get ready(): boolean {
    return this.phase === 'ready';
  }

  status(): { phase: IndexPhase; accounts: number; readyAfterMs: number | null; instance: string } {
    return {
      phase: this.phase,
      accounts: this.index.size,
      readyAfterMs: this.readyAt === null ? null : this.readyAt - this.startedAt,
      instance: this.settings.instance,
    };
  }

  /** The index for a read; a read before it is ready gets 503 (never a partial answer). */
  require(): AccountIndex {
    if (this.phase !== 'ready') {
      throw new SegmentError(
        SegmentErrorCode.IndexNotReady,
        `The segment index is loading (${this.index.size} accounts so far); retry in ${RETRY_AFTER_SECONDS} s`,
      );
    }
    return this.index;
  }

  /** The index as it is, ready or not (the writer's check of what it holds). */
  current(): AccountIndex {
    return this.index;
  }

  /**
   * A projection write of this instance: applied here at once and published on the feed for the
   * other instances; resolves once the feed has it (so a handler finishes only after that).
   */
  async recordWritten(record: IndexedAccount): Promise<void> {
    this.applyAll([record]);
    await this.feedPublisher.publish(record);
  }

  /** `recordWritten` for a batch of writes (a job's bulk write). */
  async recordWrittenMany(records: readonly IndexedAccount[]): Promise<void> {
    this.applyAll(records);
    await Promise.all(records.map((record) => this.feedPublisher.publish(record)));
  }

  /** Writes a snapshot now (the periodic one, at shutdown, tests, the benchmark). */
  snapshot(): Promise<void> {
    if (this.snapshots === null) return Promise.resolve();
    this.snapshotting ??= this.writeSnapshot(this.snapshots).finally(() => {
      this.snapshotting = null;
    });
    return this.snapshotting;
  }

  /** Waits until ready (tests, tools, jobs); rejects when the time is up. */
  async whenReady(timeoutMs = 120_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.phase !== 'ready') {
      if (Date.now() > until) throw new Error(`the evaluation index is not ready after ${timeoutMs} ms (${this.phase})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private applyAll(records: readonly IndexedAccount[]): void {
    if (this.held !== null) {
      this.held.push(...records);
      return;
    }
    for (const record of records) this.index.apply(record);
  }

  private async load(): Promise<void> {
    this.phase = 'loading';
    await ensureFeedTopic(this.connection, this.topic);
    // The producers of the feed and of the membership events, connected (and the topics' metadata
    // loaded) before the first write: the first live event after a start is not slower than the rest.
    await Promise.all([
      this.feedProducer.connect([this.topic]),
      this.publisher.connect([this.connection.names.physical(Topics.SegmentMembership)]),
    ]);
    const base = await this.loadBase();
    this.phase = 'catching-up';
    await this.reader.start(base);
    const end = await feedEnd(this.connection, this.topic);
    while (!caughtUp(this.reader.current(), end)) await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
    this.phase = 'ready';
    this.readyAt = Date.now();
    this.logger.log(`evaluation index ready: ${this.index.size} accounts after ${this.readyAt - this.startedAt} ms`);
    if (this.snapshots !== null) {
      this.snapshotTimer = setInterval(() => {
        this.snapshot().catch((e: unknown) => this.logger.warn(`snapshot failed: ${describeError(e)}`));
      }, this.settings.snapshotEveryMs);
      this.snapshotTimer.unref();
    }
  }

  /** The index's base and the feed position it stands for. */
  private async loadBase(): Promise<FeedPosition> {
    const fromFile = await this.snapshots?.read().catch((e: unknown) => {
      this.logger.warn(`snapshot ${this.snapshots?.path} unreadable, reading the projection instead: ${describeError(e)}`);
      return null;
    });
    if (fromFile) {
      this.index = fromFile.index;
      this.logger.log(`evaluation index: ${this.index.size} accounts from the snapshot of ${fromFile.takenAt.toISOString()}`);
      return fromFile.position;
    }
    // Every write from here on is in the feed after `position`: the read below may miss it or
    // not, the feed brings it again, and `rev` keeps the newer one.
    const position = await feedEnd(this.connection, this.topic);
    const index = new AccountIndex(await this.source.estimatedCount());
    this.index = index;
    for await (const batch of this.source.all()) for (const record of batch) index.apply(record);
    this.logger.log(`evaluation index: ${index.size} accounts read from the projection`);
    return position;
  }

  private async writeSnapshot(store: IndexSnapshotStore): Promise<void> {
    const started = Date.now();
    // Held still while the columns go to disk: the file is one consistent state at `position`.
    this.held = [];
    let bytes = 0;
    try {
      bytes = await store.write(this.index, this.reader.current(), new Date());
    } finally {
      const held = this.held;
      this.held = null;
      this.applyAll(held);
    }
    this.logger.log(
      `evaluation index snapshot: ${this.index.size} accounts, ${(bytes / 2 ** 20).toFixed(1)} MiB in ${Date.now() - started} ms`,
    );
  }
}
