import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Topic } from '@lifecycle/contracts';
import { deadLetterRecord, type DeadLetterInput } from './dead-letter';
import { checkKey, parseEnvelope } from './envelope-validation';
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
  /** Readiness fails while the group lags more records than this on any of its topics. */
  maxReadyLag?: number;
}

export interface ConsumerStats {
  processed: number;
  duplicates: number;
  deadLettered: number;
  retries: number;
}

/**
 * `starting` → `joining` (connected, waiting for the group to assign partitions) → `consuming`;
 * a crash → `crashed` → `restarting` (with backoff) → `joining` …; `stopped` after `stop()`.
 */
export type ConsumerState = 'starting' | 'joining' | 'consuming' | 'crashed' | 'restarting' | 'stopped';

export interface PartitionLag {
  topic: Topic;
  partition: number;
  /** The group's committed offset (next record to read); null when the group has none yet. */
  committed: string | null;
  /** The partition's high watermark (offset of the next record written). */
  high: string;
  lag: number;
}

export interface ConsumerStatus {
  groupId: string;
  state: ConsumerState;
  since: string;
  ready: boolean;
  /** Why the consumer is not ready (null when it is). */
  reason: string | null;
  restarts: number;
  lastError: string | null;
  assigned: { topic: Topic; partitions: number[] }[];
  lag: PartitionLag[];
  totalLag: number;
  maxReadyLag: number;
  stats: ConsumerStats;
}

/** kafkajs's undecodable-batch marker (patches/kafkajs+2.2.4.patch): one record for a whole batch. */
interface UndecodableBatch {
  reason: string;
  firstOffset: string;
  lastOffset: string;
  compressionCodec: number;
}

/** Why a consumer is not ready, or null when it is: consuming, with partitions, not too far behind. */
export function notReadyReason(input: {
  state: ConsumerState;
  lastError: string | null;
  assignedCount: number;
  lag: readonly PartitionLag[];
  lagError: string | null;
  maxReadyLag: number;
}): string | null {
  if (input.state !== 'consuming') return `consumer is ${input.state}${input.lastError ? ` (last error: ${input.lastError})` : ''}`;
  if (input.assignedCount === 0) return 'no partition is assigned to this member';
  if (input.lagError) return `lag unknown: ${input.lagError}`;
  const worst = input.lag.reduce<PartitionLag | null>((w, p) => (w === null || p.lag > w.lag ? p : w), null);
  if (worst && worst.lag > input.maxReadyLag)
    return `${worst.topic}[${worst.partition}] lags ${worst.lag} records (bound ${input.maxReadyLag})`;
  return null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const next = (offset: string) => (BigInt(offset) + 1n).toString();
/** Offsets are committed at least every this many messages of a batch (and at its end). */
const COMMIT_EVERY = 200;
const DEFAULT_MAX_READY_LAG = 10_000;
/** Restart backoff after a crash: 1 s, 2 s, 4 s … up to 30 s while crashes keep coming. */
const restartDelay = (attempt: number) => Math.min(1_000 * 2 ** Math.min(attempt - 1, 5), 30_000);

/**
 * At-least-once delivery with exactly-once effect:
 * decode → validate (value, key, envelope) → skip already-applied ids → handler (retried as
 * `message-errors.ts` says) → remember the id → commit the offset (only after the work is stored).
 * Whatever cannot be used — an undecodable batch, a tombstone, bytes that are not UTF-8 JSON, a
 * wrong key, an unknown type or version, a rule rejection — goes to `<topic>.dlq` with the reason
 * and the raw record, and the partition goes on (docs/architecture.md, "Records a consumer cannot use").
 */
export class EventConsumer {
  private readonly logger: Logger;
  private consumer: Consumer | null = null;
  private stopping = false;
  private restarting: Promise<void> | null = null;
  private state: ConsumerState = 'starting';
  private since = new Date();
  private restarts = 0;
  private consecutiveCrashes = 0;
  private lastError: string | null = null;
  private assigned: { topic: Topic; partitions: number[] }[] = [];
  readonly stats: ConsumerStats = { processed: 0, duplicates: 0, deadLettered: 0, retries: 0 };

  constructor(
    private readonly connection: KafkaConnection,
    private readonly publisher: EventPublisher,
    private readonly options: EventConsumerOptions,
  ) {
    this.logger = new Logger(`EventConsumer:${options.groupId}`);
  }

  get groupId(): string {
    return this.options.groupId;
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.connect();
  }

  /** One log line per change of state, never one per retry. */
  private setState(state: ConsumerState, detail?: string): void {
    if (state === this.state) return;
    this.state = state;
    this.since = new Date();
    const line = `consumer ${state}${detail ? `: ${detail}` : ''}`;
    if (state === 'crashed') this.logger.error(line);
    else if (state === 'restarting') this.logger.warn(line);
    else this.logger.log(line);
  }

  /** Connects and runs a consumer; also the restart path, which must not undo a `stop()`. */
  private async connect(): Promise<void> {
    await this.connection.ensureTopics(this.options.topics);
    const consumer = this.connection.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      // Records of aborted transactions are never delivered (the default, stated because it matters).
      readUncommitted: false,
      // kafkajs never restarts a crashed consumer on its own: `restart()` below does, with backoff,
      // so every crash has the same path and the state says what is going on.
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: async () => false },
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const assignment = event.payload.memberAssignment;
      this.assigned = Object.entries(assignment).flatMap(([physical, partitions]) => {
        const topic = this.connection.names.logical(physical);
        return topic ? [{ topic, partitions: [...partitions].sort((a, b) => a - b) }] : [];
      });
      const count = this.assigned.reduce((n, a) => n + a.partitions.length, 0);
      this.setState('consuming', `${count} partition(s) assigned`);
    });
    consumer.on(consumer.events.REBALANCING, () => this.setState('joining', 'the group is rebalancing'));
    consumer.on(consumer.events.END_BATCH_PROCESS, () => {
      this.consecutiveCrashes = 0;
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const { error } = event.payload as { error: Error };
      this.lastError = describeError(error);
      this.assigned = [];
      if (this.stopping) return;
      this.setState('crashed', this.lastError);
      void this.restart();
    });
    this.setState('joining');
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
  }

  private async restart(): Promise<void> {
    if (this.restarting) return this.restarting;
    this.restarting = (async () => {
      while (!this.stopping) {
        this.consecutiveCrashes++;
        const delay = restartDelay(this.consecutiveCrashes);
        this.setState('restarting', `attempt ${this.consecutiveCrashes} in ${delay} ms (last error: ${this.lastError ?? 'none'})`);
        try {
          await this.consumer?.disconnect().catch(() => undefined);
          this.consumer = null;
          await sleep(delay);
          if (this.stopping) return;
          this.restarts++;
          await this.connect();
          return;
        } catch (e) {
          this.lastError = describeError(e);
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
    this.assigned = [];
    this.setState('stopped');
  }

  /**
   * State, assignment and lag per topic-partition (committed offsets against high watermarks, read
   * from the broker), and whether the consumer is ready: consuming, with partitions, not too far
   * behind.
   */
  async status(): Promise<ConsumerStatus> {
    const maxReadyLag = this.options.maxReadyLag ?? DEFAULT_MAX_READY_LAG;
    let lag: PartitionLag[] = [];
    let lagError: string | null = null;
    try {
      lag = await this.connection.groupLag(this.options.groupId, this.options.topics, this.options.fromBeginning);
    } catch (e) {
      lagError = describeError(e);
    }
    const totalLag = lag.reduce((n, p) => n + p.lag, 0);
    const assignedCount = this.assigned.reduce((n, a) => n + a.partitions.length, 0);
    const reason = notReadyReason({ state: this.state, lastError: this.lastError, assignedCount, lag, lagError, maxReadyLag });
    return {
      groupId: this.options.groupId,
      state: this.state,
      since: this.since.toISOString(),
      ready: reason === null,
      reason,
      restarts: this.restarts,
      lastError: this.lastError,
      assigned: this.assigned,
      lag,
      totalLag,
      maxReadyLag,
      stats: { ...this.stats },
    };
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
    const undecodable = (message as KafkaMessage & { undecodableBatch?: UndecodableBatch }).undecodableBatch;
    if (undecodable) {
      await this.deadLetter({
        topic,
        partition,
        message,
        reason: `undecodable record batch (compression codec ${undecodable.compressionCodec}): ${undecodable.reason}; offsets ${undecodable.firstOffset}-${undecodable.lastOffset} skipped`,
        range: { first: undecodable.firstOffset, last: undecodable.lastOffset },
      });
      return true;
    }

    let envelope: AnyEnvelope;
    try {
      envelope = parseEnvelope(topic, message.value);
      checkKey(envelope, message.key);
    } catch (e) {
      const invalid = e instanceof InvalidMessageError ? e : new InvalidMessageError(describeError(e));
      await this.deadLetter({ topic, partition, message, reason: invalid.message, errors: invalid.errors });
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
          await this.deadLetter({ topic, partition, message, reason: `rejected: ${describeError(e)}`, envelope });
          return true;
        }
        const infrastructure = isInfrastructureError(e);
        if (!infrastructure && attempt >= maxAttempts) {
          await this.deadLetter({ topic, partition, message, reason: `handler failed ${attempt} times: ${describeError(e)}`, envelope });
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

  private async deadLetter(input: Omit<DeadLetterInput, 'consumerGroup'>): Promise<void> {
    this.stats.deadLettered++;
    const record = deadLetterRecord({ ...input, consumerGroup: this.options.groupId });
    const where = record.offset === record.lastOffset ? record.offset : `${record.offset}-${record.lastOffset}`;
    this.logger.warn(
      `dead-lettering ${input.topic}[${input.partition}]@${where}: ${record.reason}${record.errors.length ? ` (${record.errors.join('; ')})` : ''}`,
    );
    // If the DLQ write fails the error propagates: the offset stays uncommitted and the message is retried.
    await this.publisher.sendRaw(this.connection.names.deadLetter(input.topic), [
      { key: input.message.key ?? null, value: JSON.stringify(record), headers: { 'dlq-reason': record.reason.slice(0, 200) } },
    ]);
  }
}
