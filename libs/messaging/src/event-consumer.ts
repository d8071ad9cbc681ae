import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Topic } from '@lifecycle/contracts';
import { metrics, TRACEPARENT, tracingEnabled, type Metrics } from '@lifecycle/observability';
import { deadLetterRecord, type DeadLetterInput } from './dead-letter';
import { checkKey, parseEnvelope, type DataClassOf } from './envelope-validation';
import type { AnyEnvelope } from './event-publisher';
import type { EventPublisher } from './event-publisher';
import { FetchLinger } from './fetch-linger';
import type { IdempotencyStore } from './idempotency-store';
import type { KafkaConnection } from './kafka-connection';
import { describeError, InvalidMessageError, isInfrastructureError } from './message-errors';

/** What a handler of one event is given besides the envelope. */
export interface ConsumedContext {
  topic: Topic;
  partition: number;
  offset: string;
  /** Call during long work so the group does not evict this member. */
  heartbeat: () => Promise<void>;
  /** The trace context the record carried (its `traceparent` header; null when untraced or tracing is off). */
  traceparent: string | null;
}

/** What a handler of a run of events is given besides the envelopes. */
export interface BatchContext {
  topic: Topic;
  partition: number;
  /** Call during long work so the group does not evict this member. */
  heartbeat: () => Promise<void>;
}

/** A validated event of a batch, with the offset of its record. */
export interface ConsumedEvent {
  envelope: AnyEnvelope;
  offset: string;
  /** The record's `traceparent` header (absent or null when untraced or tracing is off). */
  traceparent?: string | null;
}

/**
 * What became of one event of a run: applied (its effect is stored), failed (with the error that
 * decides between dead letter and retry), or blocked (an earlier event of the same key failed in
 * this run, so it was not attempted: the events of one key apply in order).
 */
export type EventOutcome = { kind: 'applied' } | { kind: 'failed'; error: unknown } | { kind: 'blocked' };

/** Applies a run of events of one partition, in order per key; one outcome per event, same order. */
export type BatchDispatch = (events: readonly ConsumedEvent[], context: BatchContext) => Promise<EventOutcome[]>;

export interface EventConsumerOptions {
  groupId: string;
  topics: readonly Topic[];
  /** Read a topic from its beginning when the group has no committed offset (replicas rebuild). */
  fromBeginning: boolean;
  dispatch: BatchDispatch;
  idempotency: IdempotencyStore;
  /**
   * Event types a redelivery cannot apply twice (`HandlerOptions.redeliverySafe`): the consumer
   * keeps no applied-id record of them, which saves a read and a write per event.
   */
  redeliverySafe?: (type: AnyEnvelope['type']) => boolean;
  /**
   * The class each type's data is validated against (each type's own when absent): null for a
   * type this consumer has no handler for, whose events are ignored whatever their data holds, so
   * checking it would only cost (their envelope is still checked, and an undecodable or unknown
   * record is still dead-lettered); the fields its handler reads (`HandlerOptions.reads`).
   */
  dataClassOf?: DataClassOf;
  /**
   * Which records of a step the service has nothing to do with, told from their headers alone
   * (`HeaderFilters.passedOver`): they are passed over unparsed, as if applied; null reads them all.
   */
  passOver?: (messages: readonly KafkaMessage[]) => Promise<readonly boolean[] | null>;
  /** Events applied per step of a fetched batch; each step ends with a commit (see `eachBatch`). */
  maxEventsPerStep?: number;
  /** The wait after a small fetch before the next one (`FetchLinger`, `DEFAULT_LINGER_MS`; 0: none). */
  lingerMs?: number;
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
  /** Records passed over by their headers (`passOver`), never parsed. */
  passedOver: number;
  /** Offset commit requests sent (each carries every partition that moved since the last). */
  commits: number;
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
  /** When `lag` was read from the broker (null: never yet). */
  lagAt: string | null;
  /** Why the last lag read failed (the lag shown is then the one read at `lagAt`). */
  lagError: string | null;
  totalLag: number;
  maxReadyLag: number;
  stats: ConsumerStats;
}

/** A dead letter before the consumer group is added. */
type Letter = Omit<DeadLetterInput, 'consumerGroup'>;

/** An event of the batch still to apply, and how often it failed with an unexpected error. */
interface PendingEvent {
  message: KafkaMessage;
  envelope: AnyEnvelope;
  attempts: number;
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
  maxReadyLag: number;
}): string | null {
  if (input.state !== 'consuming') return `consumer is ${input.state}${input.lastError ? ` (last error: ${input.lastError})` : ''}`;
  if (input.assignedCount === 0) return 'no partition is assigned to this member';
  const worst = input.lag.reduce<PartitionLag | null>((w, p) => (w === null || p.lag > w.lag ? p : w), null);
  if (worst && worst.lag > input.maxReadyLag)
    return `${worst.topic}[${worst.partition}] lags ${worst.lag} records (bound ${input.maxReadyLag})`;
  return null;
}

/** The `traceparent` header of a record, read only while tracing. */
function traceparentHeader(message: KafkaMessage): string | null {
  if (!tracingEnabled()) return null;
  const value = message.headers?.[TRACEPARENT];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.toString();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const next = (offset: string) => (BigInt(offset) + 1n).toString();
const DEFAULT_MAX_READY_LAG = 10_000;
/**
 * Partition batches applied at once: a step waits on the database most of its time, so steps of
 * several partitions overlap (every topic has 6 partitions; 6 at once applied the status burst
 * about 1.5x as fast as 3 in the same bench run, docs/benchmarks.md).
 */
const DEFAULT_PARTITIONS_AT_ONCE = 6;
/** One bulk write per collection on the engines that take 1 000 operations per call. */
export const DEFAULT_MAX_EVENTS_PER_STEP = 1_000;
/** At most one offset commit per consumer this often (see `commit`). */
const COMMIT_EVERY_MS = 200;
/** Heartbeats while a step runs: well inside the group's session timeout, whatever the step's length. */
const HEARTBEAT_EVERY_MS = 3_000;
/** A lag read this recent is reused by the next health check. */
const LAG_FRESH_MS = 2_000;
/** How long a lag read may take at all, and how long a health check waits for it. */
const LAG_TIMEOUT_MS = 5_000;
const LAG_WAIT_MS = 1_000;
/** The event type label of a record that never became an envelope (undecodable, invalid). */
const NO_TYPE = 'invalid';

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
  /** The current consumer's wait after a small fetch (a restart makes a new consumer, and a new one). */
  private linger: FetchLinger | null = null;
  private stopping = false;
  private restarting: Promise<void> | null = null;
  private state: ConsumerState = 'starting';
  private since = new Date();
  private restarts = 0;
  private consecutiveCrashes = 0;
  private lastError: string | null = null;
  private assigned: { topic: Topic; partitions: number[] }[] = [];
  private lastLag: { lag: PartitionLag[]; at: number } | null = null;
  private lagRead: Promise<void> | null = null;
  private lastLagError: string | null = null;
  /** The latest step end of each partition not sent yet, and the commit in flight (see `commit`). */
  private readonly uncommitted = new Map<string, { topic: string; partition: number; offset: string }>();
  private committing: Promise<void> | null = null;
  private lastCommitAt = 0;
  /** Set while the next commit waits for `COMMIT_EVERY_MS` to pass; ends the wait. */
  private commitWaiting: (() => void) | null = null;
  readonly stats: ConsumerStats = { processed: 0, duplicates: 0, deadLettered: 0, retries: 0, passedOver: 0, commits: 0 };
  private readonly metrics: Metrics = metrics();

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
    consumer.on(consumer.events.REBALANCING, () => {
      // What waits to be committed goes before the partitions may move to another member.
      this.sendCommitsNow();
      this.setState('joining', 'the group is rebalancing');
    });
    const linger = new FetchLinger(this.options.lingerMs);
    this.linger = linger;
    consumer.on(consumer.events.FETCH, () => linger.fetched());
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
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? DEFAULT_PARTITIONS_AT_ONCE,
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
          // A crash while joining (the group coordinator still loading after a broker restart)
          // fires before `run` returns, while this restart is under way: go round again.
          if ((this.state as ConsumerState) === 'crashed') continue;
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
    if (consumer) {
      // stop() waits for the batch in progress to finish (no half-done work is committed), then the
      // commits in flight land before the member leaves the group: a restart resumes after them.
      await consumer.stop();
      this.sendCommitsNow();
      await this.committing;
      await consumer.disconnect();
    }
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
    const { lag, lagError, lagAt } = await this.measureLag();
    const totalLag = lag.reduce((n, p) => n + p.lag, 0);
    const assignedCount = this.assigned.reduce((n, a) => n + a.partitions.length, 0);
    const reason = notReadyReason({ state: this.state, lastError: this.lastError, assignedCount, lag, maxReadyLag });
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
      lagAt: lagAt === null ? null : new Date(lagAt).toISOString(),
      lagError,
      totalLag,
      maxReadyLag,
      stats: { ...this.stats },
    };
  }

  /**
   * The group's lag, read from the broker at most every `LAG_FRESH_MS` (health checks come often).
   * When a read fails or is slow, the last one read stands (with its time); readiness then judges
   * by it, since the broker's own health is checked apart.
   */
  private async measureLag(): Promise<{ lag: PartitionLag[]; lagError: string | null; lagAt: number | null }> {
    const last = () => ({ lag: this.lastLag?.lag ?? [], lagAt: this.lastLag?.at ?? null });
    if (this.lastLag && Date.now() - this.lastLag.at < LAG_FRESH_MS) return { ...last(), lagError: null };
    this.lagRead ??= this.connection
      .groupLag(this.options.groupId, this.options.topics, this.options.fromBeginning, LAG_TIMEOUT_MS)
      .then(
        (lag) => {
          this.lastLag = { lag, at: Date.now() };
          this.lastLagError = null;
        },
        (e: unknown) => {
          this.lastLagError = describeError(e);
        },
      )
      .finally(() => {
        this.lagRead = null;
      });
    // A health check does not wait for a slow broker: past `LAG_WAIT_MS` the last read stands and
    // this one finishes in the background for the next check.
    await Promise.race([this.lagRead, sleep(LAG_WAIT_MS)]);
    return { ...last(), lagError: this.lastLagError };
  }

  /**
   * One fetched batch of one partition, in steps of at most `maxEventsPerStep` records: decode and
   * validate every record, dead-letter what cannot be used, drop ids applied before, then apply the
   * rest as runs in partition order (the events of one key stay in order; a failure holds back only
   * the later events of its own key), remember the applied ids in bulk, and commit the step's end
   * once every record of it is applied or dead-lettered. Steps bound the work a rebalance or crash
   * repeats; a timer heartbeats while a step runs, so a long one never costs the membership. A
   * batch of a small fetch ends with the fetch's wait (`FetchLinger`), so the next fetch carries more.
   */
  private async eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const topic = this.connection.names.logical(batch.topic);
    if (!topic || batch.messages.length === 0) return;
    this.linger?.started(batch.messages.length);
    const live = () => isRunning() && !isStale() && !this.stopping;
    const step = this.options.maxEventsPerStep ?? DEFAULT_MAX_EVENTS_PER_STEP;
    for (let from = 0; from < batch.messages.length; from += step) {
      const messages = batch.messages.slice(from, from + step);
      const started = process.hrtime.bigint();
      const beating = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_EVERY_MS);
      let done: boolean;
      try {
        done = await this.applyStep(topic, batch.partition, messages, heartbeat, live);
      } finally {
        clearInterval(beating);
      }
      // Stopping or rebalanced while retrying: nothing more is committed, the rest comes again and
      // what was applied of it is recognized by its ids.
      if (!done || !this.consumer) return;
      const last = messages[messages.length - 1]!.offset;
      resolveOffset(last);
      this.commit(this.consumer, batch.topic, batch.partition, next(last));
      this.metrics.batchDuration.observe({ group: this.options.groupId, topic }, Number(process.hrtime.bigint() - started) / 1e9);
      await heartbeat();
      if (!live()) return;
    }
    await this.linger?.after(live);
  }

  /**
   * Commits a step's end without holding up the next fetch: kafkajs fetches again only once every
   * batch of the last fetch has returned, so an awaited commit (a round trip to the group
   * coordinator, tens of ms on a loaded machine) would delay every event that arrives meanwhile.
   * One commit is in flight at a time, carrying the latest step end of every partition that moved
   * meanwhile: the broker answers a connection's requests one after the other, and a commit per
   * step (hundreds a second under load) queued up there ahead of the fetches and heartbeats that
   * share the connection, holding every partition back by seconds. The work is stored before this
   * is called, and a partition's step ends only grow. A commit that fails (a rebalance, a broker
   * restart) only means its records come again, and their applied ids (or the handler's own keys)
   * make them change nothing. Commits are sent at most every `COMMIT_EVERY_MS`: at moderate rates a
   * step ends every few ms, and each commit costs the service and the broker a request, for
   * nothing but fewer records to see again after a crash. A rebalance and `stop()` send what is
   * waiting at once, and `stop()` waits for it to land.
   */
  private commit(consumer: Consumer, physicalTopic: string, partition: number, offset: string): void {
    this.uncommitted.set(`${physicalTopic}:${partition}`, { topic: physicalTopic, partition, offset });
    this.committing ??= this.sendCommits(consumer).finally(() => {
      this.committing = null;
    });
  }

  private async sendCommits(consumer: Consumer): Promise<void> {
    while (this.uncommitted.size > 0) {
      await this.commitPause();
      const offsets = [...this.uncommitted.values()];
      this.uncommitted.clear();
      this.lastCommitAt = Date.now();
      this.stats.commits++;
      await consumer.commitOffsets(offsets).catch((e: unknown) => {
        if (!this.stopping)
          this.logger.warn(
            `offset commit of ${offsets.map((o) => `${o.topic}[${o.partition}]@${o.offset}`).join(', ')} failed (its records come again): ${describeError(e)}`,
          );
      });
    }
  }

  /** Until `COMMIT_EVERY_MS` after the last commit was sent, or until `sendCommitsNow`. */
  private commitPause(): Promise<void> {
    const wait = this.lastCommitAt + COMMIT_EVERY_MS - Date.now();
    if (wait <= 0 || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.sendCommitsNow(), wait);
      this.commitWaiting = () => {
        clearTimeout(timer);
        this.commitWaiting = null;
        resolve();
      };
    });
  }

  /** Ends the pause before the next commit (a rebalance, `stop()`). */
  private sendCommitsNow(): void {
    this.commitWaiting?.();
  }

  /** One step of a batch (see `eachBatch`); false when the consumer stops or the batch goes stale first. */
  private async applyStep(
    topic: Topic,
    partition: number,
    messages: readonly KafkaMessage[],
    heartbeat: () => Promise<void>,
    live: () => boolean,
  ): Promise<boolean> {
    const letters: Letter[] = [];
    const pending: PendingEvent[] = [];
    const inBatch = new Set<string>();
    const duplicates: string[] = [];
    const over = this.options.passOver ? await this.options.passOver(messages) : null;
    const passedOver: string[] = [];
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      if (over !== null && over[i] === true) {
        passedOver.push(String(message.headers?.['event-type']));
        continue;
      }
      const decoded = this.decode(topic, partition, message);
      if ('letter' in decoded) letters.push(decoded.letter);
      else if (inBatch.has(decoded.envelope.id)) duplicates.push(decoded.envelope.type);
      else {
        inBatch.add(decoded.envelope.id);
        pending.push({ message, envelope: decoded.envelope, attempts: 0 });
      }
    }
    this.stats.passedOver += passedOver.length;
    this.count(topic, 'passed_over', passedOver);
    await this.deadLetterAll(letters);

    const remembered = pending.filter((p) => this.remembersApplied(p.envelope));
    const applied =
      remembered.length > 0 ? await this.options.idempotency.appliedOf(remembered.map((p) => p.envelope.id)) : new Set<string>();
    for (const p of pending) if (applied.has(p.envelope.id)) duplicates.push(p.envelope.type);
    this.stats.duplicates += duplicates.length;
    this.count(topic, 'duplicate', duplicates);
    return this.applyInOrder(
      topic,
      partition,
      pending.filter((p) => !applied.has(p.envelope.id)),
      heartbeat,
      live,
    );
  }

  /** Whether the consumer records this event's id once applied (see `redeliverySafe`). */
  private remembersApplied(envelope: AnyEnvelope): boolean {
    return !(this.options.redeliverySafe?.(envelope.type) ?? false);
  }

  /** Adds consumed events to `lifecycle_events_consumed_total`, one increment per type. */
  private count(
    topic: Topic,
    outcome: 'processed' | 'duplicate' | 'retried' | 'dead_lettered' | 'passed_over',
    types: readonly string[],
  ): void {
    if (types.length === 0) return;
    const byType = new Map<string, number>();
    for (const type of types) byType.set(type, (byType.get(type) ?? 0) + 1);
    for (const [type, n] of byType) this.metrics.events.inc({ group: this.options.groupId, topic, type, outcome }, n);
  }

  /** A record as an envelope, or the dead letter that says why it cannot be one. */
  private decode(topic: Topic, partition: number, message: KafkaMessage): { envelope: AnyEnvelope } | { letter: Letter } {
    const undecodable = (message as KafkaMessage & { undecodableBatch?: UndecodableBatch }).undecodableBatch;
    if (undecodable) {
      return {
        letter: {
          topic,
          partition,
          message,
          reason: `undecodable record batch (compression codec ${undecodable.compressionCodec}): ${undecodable.reason}; offsets ${undecodable.firstOffset}-${undecodable.lastOffset} skipped`,
          range: { first: undecodable.firstOffset, last: undecodable.lastOffset },
        },
      };
    }
    try {
      const envelope = parseEnvelope(topic, message.value, this.options.dataClassOf);
      checkKey(envelope, message.key);
      return { envelope };
    } catch (e) {
      const invalid = e instanceof InvalidMessageError ? e : new InvalidMessageError(describeError(e));
      return { letter: { topic, partition, message, reason: invalid.message, errors: invalid.errors } };
    }
  }

  /**
   * Applies `pending` until each event is applied or dead-lettered. Rule rejections are
   * dead-lettered at once; infrastructure failures are retried until they pass (the event is valid
   * and must not be lost); other errors `maxAttempts` times. Returns false when the consumer stops
   * or the batch goes stale first.
   */
  private async applyInOrder(
    topic: Topic,
    partition: number,
    pending: PendingEvent[],
    heartbeat: () => Promise<void>,
    live: () => boolean,
  ): Promise<boolean> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    const base = this.options.retryBaseMs ?? 200;
    const context: BatchContext = { topic, partition, heartbeat };
    for (let round = 1; pending.length > 0; round++) {
      const outcomes = await this.options.dispatch(
        pending.map((p) => ({ envelope: p.envelope, offset: p.message.offset, traceparent: traceparentHeader(p.message) })),
        context,
      );
      const applied: PendingEvent[] = [];
      const letters: Letter[] = [];
      const again: PendingEvent[] = [];
      const failures: { event: PendingEvent; error: unknown; infrastructure: boolean }[] = [];
      pending.forEach((event, i) => {
        const outcome = outcomes[i] ?? { kind: 'failed', error: new Error('the handler returned no outcome for this event') };
        if (outcome.kind === 'applied') return applied.push(event);
        if (outcome.kind === 'blocked') return again.push(event);
        const error = outcome.error;
        const base = { topic, partition, message: event.message, envelope: event.envelope };
        if (this.options.isPermanent(error)) return letters.push({ ...base, reason: `rejected: ${describeError(error)}` });
        const infrastructure = isInfrastructureError(error);
        if (!infrastructure) event.attempts++;
        if (!infrastructure && event.attempts >= maxAttempts) {
          return letters.push({ ...base, reason: `handler failed ${event.attempts} times: ${describeError(error)}` });
        }
        failures.push({ event, error, infrastructure });
        again.push(event);
      });
      await this.options.idempotency.rememberAll(
        applied.filter((p) => this.remembersApplied(p.envelope)).map((p) => ({ id: p.envelope.id, type: p.envelope.type })),
      );
      this.stats.processed += applied.length;
      this.count(
        topic,
        'processed',
        applied.map((p) => p.envelope.type),
      );
      await this.deadLetterAll(letters);
      pending = again;
      if (pending.length === 0) break;
      if (failures.length > 0) {
        this.stats.retries += failures.length;
        this.count(
          topic,
          'retried',
          failures.map((f) => f.event.envelope.type),
        );
        const first = failures[0]!;
        const delay = Math.min(base * 2 ** Math.min(round - 1, 6), 5_000);
        this.logger.warn(
          `${failures.length} event(s) of ${topic}[${partition}] failed (round ${round}; ${first.infrastructure ? 'infrastructure, retrying until it recovers' : 'retrying'}), ` +
            `first: ${first.event.envelope.id} (${first.event.envelope.type}): ${describeError(first.error)}; ${pending.length - failures.length} later event(s) of the same keys wait`,
        );
        await sleep(delay);
      }
      if (!live()) return false;
      await heartbeat().catch(() => undefined);
    }
    return true;
  }

  /** Writes dead letters in one producer call; if it fails, nothing is committed and the batch comes again. */
  private async deadLetterAll(inputs: readonly Letter[]): Promise<void> {
    if (inputs.length === 0) return;
    const byTopic = new Map<Topic, { key: Buffer | null; value: string; headers: Record<string, string> }[]>();
    for (const input of inputs) {
      const record = deadLetterRecord({ ...input, consumerGroup: this.options.groupId });
      const where = record.offset === record.lastOffset ? record.offset : `${record.offset}-${record.lastOffset}`;
      this.logger.warn(
        `dead-lettering ${input.topic}[${input.partition}]@${where}: ${record.reason}${record.errors.length ? ` (${record.errors.join('; ')})` : ''}`,
      );
      const list = byTopic.get(input.topic) ?? [];
      list.push({ key: input.message.key ?? null, value: JSON.stringify(record), headers: { 'dlq-reason': record.reason.slice(0, 200) } });
      byTopic.set(input.topic, list);
    }
    for (const [topic, messages] of byTopic) await this.publisher.sendRaw(this.connection.names.deadLetter(topic), messages);
    this.stats.deadLettered += inputs.length;
    for (const [topic] of byTopic) {
      this.count(
        topic,
        'dead_lettered',
        inputs.filter((i) => i.topic === topic).map((i) => i.envelope?.type ?? NO_TYPE),
      );
    }
  }
}
