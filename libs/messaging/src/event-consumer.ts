import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Topic } from '@lifecycle/contracts';
import { parseEnvelope } from './envelope-validation';
import type { AnyEnvelope } from './event-publisher';
import type { EventPublisher } from './event-publisher';
import type { IdempotencyStore } from './idempotency-store';
import type { KafkaConnection } from './kafka-connection';
import { describeError, InvalidMessageError, isInfrastructureError } from './message-errors';

export interface ConsumedContext {
  topic: Topic;
  partition: number;
  offset: string;
  /** Call during long work so the group does not evict this member. */
  heartbeat: () => Promise<void>;
}

export type EnvelopeHandler = (envelope: AnyEnvelope, context: ConsumedContext) => Promise<void>;

export interface EventConsumerOptions {
  groupId: string;
  topics: readonly Topic[];
  /** Read a topic from its beginning when the group has no committed offset (replicas rebuild). */
  fromBeginning: boolean;
  dispatch: EnvelopeHandler;
  idempotency: IdempotencyStore;
  /** A rule rejection: dead-letter at once, never retry. */
  isPermanent: (error: unknown) => boolean;
  /** Partitions processed at once; messages of one partition (one key) stay in order. */
  partitionsConsumedConcurrently?: number;
  /** Bounded retries of unexpected (non-infrastructure) handler errors before dead-lettering. */
  maxAttempts?: number;
  retryBaseMs?: number;
}

export interface ConsumerStats {
  processed: number;
  duplicates: number;
  deadLettered: number;
  retries: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const next = (offset: string) => (BigInt(offset) + 1n).toString();
/** Offsets are committed at least every this many messages of a batch (and at its end). */
const COMMIT_EVERY = 200;

/**
 * At-least-once delivery with exactly-once effect:
 * validate → skip already-applied ids → handler (retried as `message-errors.ts` says) →
 * remember the id → commit the offset (only after the work is stored).
 * Invalid or rejected messages go to `<topic>.dlq` with the reason and the partition goes on.
 */
export class EventConsumer {
  private readonly logger: Logger;
  private consumer: Consumer | null = null;
  private stopping = false;
  private restarting: Promise<void> | null = null;
  readonly stats: ConsumerStats = { processed: 0, duplicates: 0, deadLettered: 0, retries: 0 };

  constructor(
    private readonly connection: KafkaConnection,
    private readonly publisher: EventPublisher,
    private readonly options: EventConsumerOptions,
  ) {
    this.logger = new Logger(`EventConsumer:${options.groupId}`);
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.connect();
  }

  /** Connects and runs a consumer; also the restart path, which must not undo a `stop()`. */
  private async connect(): Promise<void> {
    await this.connection.ensureTopics(this.options.topics);
    const consumer = this.connection.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, restart } = event.payload as { error: Error; restart: boolean };
      this.logger.error(`consumer crashed: ${describeError(error)} (kafkajs restarts itself: ${restart})`);
      // kafkajs restarts on retriable crashes; after a non-retriable one we start a fresh consumer.
      if (!restart && !this.stopping) void this.restart();
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: this.options.topics.map((t) => this.connection.names.physical(t)),
      fromBeginning: this.options.fromBeginning,
    });
    if (this.stopping) {
      await consumer.disconnect();
      return;
    }
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.eachBatch(payload),
    });
    this.consumer = consumer;
    this.logger.log(`consuming ${this.options.topics.join(', ')}`);
  }

  private async restart(): Promise<void> {
    if (this.restarting) return this.restarting;
    this.restarting = (async () => {
      for (let attempt = 1; !this.stopping; attempt++) {
        try {
          await this.consumer?.disconnect().catch(() => undefined);
          this.consumer = null;
          await sleep(Math.min(1_000 * attempt, 10_000));
          if (this.stopping) return;
          await this.connect();
          this.logger.log(`consumer restarted after ${attempt} attempt(s)`);
          return;
        } catch (e) {
          this.logger.warn(`restart attempt ${attempt} failed: ${describeError(e)}`);
        }
      }
    })().finally(() => {
      this.restarting = null;
    });
    return this.restarting;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const consumer = this.consumer;
    this.consumer = null;
    // disconnect() waits for the batch in progress to finish: no half-done work is committed.
    if (consumer) await consumer.disconnect();
  }

  private async eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const topic = this.connection.names.logical(batch.topic);
    if (!topic) return;
    let uncommitted: string | null = null;
    const commit = async () => {
      if (uncommitted === null || !this.consumer) return;
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next(uncommitted) }]);
      uncommitted = null;
    };
    const live = () => isRunning() && !isStale() && !this.stopping;
    let sinceCommit = 0;
    for (const message of batch.messages) {
      if (!live()) break;
      const done = await this.processMessage(topic, batch.partition, message, heartbeat, live);
      if (!done) break; // stopping or rebalanced while retrying: leave the offset uncommitted, it will come again
      resolveOffset(message.offset);
      uncommitted = message.offset;
      if (++sinceCommit >= COMMIT_EVERY) {
        await commit();
        sinceCommit = 0;
      }
      // After every message, not every N: after an outage a batch holds the backlog, and N slow
      // messages can outlast the session — the group evicts the member and its commits fail.
      // kafkajs sends one only when `heartbeatInterval` has passed, so asking often costs nothing.
      // A failure (a rebalance) ends the batch through kafkajs, which rejoins the group.
      await heartbeat();
    }
    await commit();
  }

  /** Returns false when the work could not be finished because the consumer is stopping. */
  private async processMessage(
    topic: Topic,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
    /** False once the consumer stops or the batch went stale (a rebalance gave the partition away). */
    live: () => boolean,
  ): Promise<boolean> {
    let envelope: AnyEnvelope;
    try {
      envelope = parseEnvelope(topic, message.value);
    } catch (e) {
      const invalid = e instanceof InvalidMessageError ? e : new InvalidMessageError(describeError(e));
      await this.deadLetter(topic, partition, message, invalid.message, invalid.errors);
      return true;
    }

    const context: ConsumedContext = { topic, partition, offset: message.offset, heartbeat };
    const maxAttempts = this.options.maxAttempts ?? 5;
    const base = this.options.retryBaseMs ?? 200;
    for (let attempt = 1; ; attempt++) {
      try {
        if (await this.options.idempotency.has(envelope.id)) {
          this.stats.duplicates++;
          return true;
        }
        await this.options.dispatch(envelope, context);
        await this.options.idempotency.remember(envelope.id, envelope.type);
        this.stats.processed++;
        return true;
      } catch (e) {
        if (this.options.isPermanent(e)) {
          await this.deadLetter(topic, partition, message, `rejected: ${describeError(e)}`, [], envelope);
          return true;
        }
        const infrastructure = isInfrastructureError(e);
        if (!infrastructure && attempt >= maxAttempts) {
          await this.deadLetter(topic, partition, message, `handler failed ${attempt} times: ${describeError(e)}`, [], envelope);
          return true;
        }
        this.stats.retries++;
        const delay = Math.min(base * 2 ** Math.min(attempt - 1, 6), 5_000);
        this.logger.warn(
          `event ${envelope.id} (${envelope.type}) attempt ${attempt} failed (${infrastructure ? 'infrastructure, retrying until it recovers' : 'retrying'}): ${describeError(e)}`,
        );
        await sleep(delay);
        if (!live()) return false;
        await heartbeat().catch(() => undefined);
      }
    }
  }

  private async deadLetter(
    topic: Topic,
    partition: number,
    message: KafkaMessage,
    reason: string,
    errors: string[],
    envelope?: AnyEnvelope,
  ): Promise<void> {
    this.stats.deadLettered++;
    this.logger.warn(`dead-lettering ${topic}[${partition}]@${message.offset}: ${reason}${errors.length ? ` (${errors.join('; ')})` : ''}`);
    const value = message.value?.toString('utf8') ?? null;
    const record = {
      reason,
      errors,
      originalTopic: topic,
      partition,
      offset: message.offset,
      key: message.key?.toString('utf8') ?? null,
      eventId: envelope?.id ?? null,
      eventType: envelope?.type ?? null,
      consumerGroup: this.options.groupId,
      failedAt: new Date().toISOString(),
      // The original value, cut to keep the dead letter under the broker's size limit.
      value: value !== null && value.length > 100_000 ? `${value.slice(0, 100_000)}…(truncated)` : value,
    };
    // If the DLQ write fails the error propagates: the offset stays uncommitted and the message is retried.
    await this.publisher.sendRaw(this.connection.names.deadLetter(topic), [
      { key: record.key, value: JSON.stringify(record), headers: { 'dlq-reason': reason.slice(0, 200) } },
    ]);
  }
}
