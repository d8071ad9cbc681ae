import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { ServiceConfig } from '@lifecycle/config';
import { describeError, FetchLinger, type EventPublisher, type KafkaConnection } from '@lifecycle/messaging';
import type { IndexedAccount } from './core/indexed-account';

/**
 * The index feed: after every projection write, the account's record (`IndexedAccount`, JSON,
 * key = account id) goes to this topic, and every instance's index reads it with a consumer
 * group of its own — so each instance's index follows every write, whichever instance made it.
 * Internal to segment-evaluation (not a contract of SPEC 5.2). Compacted: the newest record per
 * account stays, so a snapshot's position stays valid however old (older records of an account
 * may be gone, never its newest).
 */
export const INDEX_FEED_TOPIC = 'segment-evaluation.index-feed';
const PARTITIONS = 6;

/**
 * The record's `rev`, also as a header: a reader skips a record its index already holds (its own
 * instance's writes, applied at once) without parsing it. Records without it are parsed.
 */
const REV_HEADER = 'rev';

/** Where an index stands in the feed: the next offset to read, per partition. */
export type FeedPosition = { [partition: string]: string };

export function feedTopicName(config: ServiceConfig): string {
  return `${config.kafka.topicPrefix}${INDEX_FEED_TOPIC}`;
}

export async function ensureFeedTopic(connection: KafkaConnection, topic: string): Promise<void> {
  const admin = connection.kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!(await admin.listTopics()).includes(topic)) {
          await admin
            .createTopics({
              waitForLeaders: true,
              topics: [
                { topic, numPartitions: PARTITIONS, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
              ],
            })
            .catch((e: unknown) => {
              // Another instance created it first.
              if (!(e instanceof Error && /already exists/i.test(e.message))) throw e;
            });
        }
        await admin.fetchTopicMetadata({ topics: [topic] });
        return;
      } catch (e) {
        if (attempt >= 15) throw e;
        await new Promise((resolve) => setTimeout(resolve, Math.min(200 * attempt, 2_000)));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** The high watermarks of the feed now: what an index must have read to be caught up. */
export async function feedEnd(connection: KafkaConnection, topic: string): Promise<FeedPosition> {
  const admin = connection.kafka.admin();
  await admin.connect();
  try {
    // Right after the topic is created its partitions may have no leader yet: a few tries.
    for (let attempt = 1; ; attempt++) {
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        return Object.fromEntries(offsets.map((o) => [String(o.partition), o.high]));
      } catch (e) {
        if (attempt >= 10) throw e;
        await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** True when `position` has read everything up to `end` on every partition. */
export function caughtUp(position: FeedPosition, end: FeedPosition): boolean {
  return Object.entries(end).every(([partition, high]) => BigInt(position[partition] ?? '0') >= BigInt(high));
}

/**
 * Sends records in batches; each caller waits for its own record to be acknowledged. The records
 * of one turn of the event loop (a batch's writes are recorded together) go out in one request,
 * sent once that turn's I/O is done — no timer: a wait of its own would lengthen every event's
 * handling, which ends only once the feed has its record.
 */
export class IndexFeedPublisher {
  private pending: { record: IndexedAccount; done: () => void; failed: (e: unknown) => void }[] = [];
  private timer: NodeJS.Immediate | null = null;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly topic: string,
  ) {}

  publish(record: IndexedAccount): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.pending.push({ record, done, failed });
      this.timer ??= setImmediate(() => this.send());
    });
  }

  private send(): void {
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.publisher
      .sendRaw(
        this.topic,
        batch.map(({ record }) => ({
          key: record.accountId,
          value: JSON.stringify(record),
          headers: { [REV_HEADER]: String(record.rev) },
        })),
      )
      .then(
        () => batch.forEach((b) => b.done()),
        (e: unknown) => batch.forEach((b) => b.failed(e)),
      );
  }
}

/**
 * This instance's reader of the feed: a consumer group named after the instance, so it gets
 * every partition; it starts where the index's base (snapshot, or the read of the whole
 * projection) left off, and hands each batch of records to `apply` in partition order.
 */
export class IndexFeedReader {
  private readonly logger = new Logger(IndexFeedReader.name);
  private consumer: Consumer | null = null;
  /** The wait after a small fetch: most records of a lone instance are its own, skipped unread. */
  private linger: FetchLinger | null = null;
  private readonly position: FeedPosition = {};

  constructor(
    private readonly connection: KafkaConnection,
    private readonly topic: string,
    private readonly groupId: string,
    private readonly apply: (records: IndexedAccount[]) => void,
    /** True when the index holds this account at `rev` or newer (the record would be ignored). */
    private readonly holds: (accountId: string, rev: number) => boolean,
  ) {}

  /** Where the index stands now (a copy, for the snapshot). */
  current(): FeedPosition {
    return { ...this.position };
  }

  /** Starts reading after `from` (per partition; partitions not named are read from their start). */
  async start(from: FeedPosition): Promise<void> {
    for (const partition of Object.keys(this.position)) delete this.position[partition];
    Object.assign(this.position, from);
    const consumer = this.connection.kafka.consumer({ groupId: this.groupId, sessionTimeout: 30_000, allowAutoTopicCreation: false });
    this.consumer = consumer;
    const linger = new FetchLinger();
    this.linger = linger;
    consumer.on(consumer.events.FETCH, () => linger.fetched());
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async (payload: EachBatchPayload) => this.onBatch(payload),
    });
    for (const [partition, offset] of Object.entries(from)) consumer.seek({ topic: this.topic, partition: Number(partition), offset });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch((e: unknown) => this.logger.warn(`index feed reader stop: ${describeError(e)}`));
    this.consumer = null;
  }

  private async onBatch({ batch, heartbeat, isRunning }: EachBatchPayload): Promise<void> {
    this.linger?.started(batch.messages.length);
    const records: IndexedAccount[] = [];
    for (const message of batch.messages) {
      if (message.value === null) continue;
      const rev = message.headers?.[REV_HEADER];
      if (rev !== undefined && message.key !== null && this.holds(message.key.toString('utf8'), Number(rev.toString()))) continue;
      try {
        records.push(JSON.parse(message.value.toString('utf8')) as IndexedAccount);
      } catch (e) {
        // Written by this service only: a record that does not parse is a bug, not input; skip it.
        this.logger.error(`index feed record at ${batch.partition}/${message.offset} unreadable: ${describeError(e)}`);
      }
    }
    this.apply(records);
    const last = batch.messages[batch.messages.length - 1];
    if (last !== undefined) this.position[String(batch.partition)] = (BigInt(last.offset) + 1n).toString();
    await heartbeat();
    await this.linger?.after(isRunning);
  }
}
