import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import type { KafkaCompression } from '@lifecycle/config';
import {
  aggregateKey,
  dataHeaders,
  envelopeBytes,
  EVENTS,
  type AnyEnvelope,
  type EventEnvelope,
  type EventType,
  type PayloadOf,
  type Topic,
} from '@lifecycle/contracts';
import {
  contextOfTraceparent,
  metrics,
  SpanKind,
  startSpan,
  traceparentOf,
  traceparentOfSpan,
  TRACEPARENT,
  tracingEnabled,
  type Span,
} from '@lifecycle/observability';
import { COMPRESSION_TYPE } from './compression';
import { KeyPartitioner } from './key-partitioner';
import type { KafkaConnection } from './kafka-connection';

export interface PublishOptions {
  /** Idempotency key; a new UUID when omitted. */
  id?: string;
  occurredAt?: Date;
}

export type { AnyEnvelope };

/**
 * An envelope as written to an outbox while tracing: it also holds the `traceparent` of the work
 * that wrote it, which the publisher moves into the record's headers (never into the value).
 */
type TracedEnvelope = AnyEnvelope & { [TRACEPARENT]?: string };

/**
 * Builds the SPEC 5.1 envelope of a typed event (no I/O), e.g. to keep it in an outbox. While
 * tracing, it remembers the active trace context, so the event continues the trace of the request
 * or event that caused it, however much later the outbox publishes it.
 */
export function buildEnvelope<T extends EventType>(
  source: string,
  type: T,
  data: PayloadOf<T>,
  options: PublishOptions = {},
): EventEnvelope<T, PayloadOf<T>> {
  const envelope: EventEnvelope<T, PayloadOf<T>> = {
    id: options.id ?? randomUUID(),
    type,
    version: EVENTS[type].version,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    source,
    data,
  };
  const traceparent = tracingEnabled() ? traceparentOf() : null;
  return traceparent === null ? envelope : Object.assign(envelope, { [TRACEPARENT]: traceparent });
}

export function keyOf(envelope: AnyEnvelope): string {
  return aggregateKey(envelope);
}

/**
 * Bytes of records one producer call carries at most (values, keys and headers, uncompressed).
 * kafkajs sends a call's records of one partition as one record batch, and the broker refuses a
 * batch over its `message.max.bytes` (1 MiB by default) whole; uncompressed, a burst's events of
 * one partition pass that long before any other limit. One record of the largest value a
 * consumer accepts (`RECORD_POLICY.maxValueBytes`) still goes alone.
 */
export const MAX_SEND_BYTES = 900_000;

type OutgoingRecord = { key: string; value: Buffer; headers: Record<string, string> };
type TopicRecords = { topic: string; messages: OutgoingRecord[] };

/** The records of `byTopic` in producer calls of at most `MAX_SEND_BYTES`, in their order. */
function sendsOf(byTopic: ReadonlyMap<Topic, OutgoingRecord[]>, physical: (topic: Topic) => string): TopicRecords[][] {
  const sends: TopicRecords[][] = [];
  let current: TopicRecords[] = [];
  let bytes = 0;
  for (const [topic, records] of byTopic) {
    let group: OutgoingRecord[] | null = null;
    for (const record of records) {
      let size = record.value.length + Buffer.byteLength(record.key);
      for (const name in record.headers) size += name.length + Buffer.byteLength(record.headers[name]!);
      if (bytes > 0 && bytes + size > MAX_SEND_BYTES) {
        sends.push(current);
        current = [];
        group = null;
        bytes = 0;
      }
      if (group === null) current.push({ topic: physical(topic), messages: (group = []) });
      group.push(record);
      bytes += size;
    }
  }
  if (current.length > 0) sends.push(current);
  return sends;
}

/**
 * Typed producer: the topic and the key come from the event registry, never from the caller.
 * Idempotent producer with one request in flight per connection: per-key order is kept across
 * retries.
 */
export class EventPublisher {
  private readonly logger = new Logger(EventPublisher.name);
  private readonly published = metrics().published;
  private producer: Producer | null = null;
  private connecting: Promise<Producer> | null = null;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly source: string,
    /** Compression of every record this publisher writes (`KAFKA_COMPRESSION`). */
    private readonly compression: KafkaCompression = 'none',
  ) {}

  private async ready(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= (async () => {
      const producer = this.connection.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // kafkajs's default partitioning (Java's murmur2 of the key) without its allocations.
        createPartitioner: KeyPartitioner,
        retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5_000 },
      });
      producer.on(producer.events.DISCONNECT, () => {
        this.producer = null;
        this.connecting = null;
      });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().catch((e: unknown) => {
      this.connecting = null;
      throw e;
    });
    return this.connecting;
  }

  /**
   * Connects the producer now rather than at the first publish (an idempotent producer's first
   * send also waits for its producer id), and loads the metadata of `physicalTopics` (a send of
   * no records: kafkajs asks the broker where a topic's partitions are at its first send to it): a
   * service calls it before it reports ready, so its first event out is not slower than the others.
   */
  async connect(physicalTopics: readonly string[] = []): Promise<void> {
    const producer = await this.ready();
    if (physicalTopics.length > 0)
      await producer.sendBatch({ acks: -1, topicMessages: physicalTopics.map((topic) => ({ topic, messages: [] })) });
  }

  async publish<T extends EventType>(type: T, data: PayloadOf<T>, options: PublishOptions = {}): Promise<EventEnvelope<T, PayloadOf<T>>> {
    const envelope = buildEnvelope(this.source, type, data, options);
    await this.publishEnvelopes([envelope as AnyEnvelope]);
    return envelope;
  }

  /**
   * Publishes already-built envelopes (an outbox relay), in order, grouped by topic. While
   * tracing, the envelopes of one topic written in one trace context (a request, an event, a run
   * of events) get one PRODUCER span, its child, whose `traceparent` their records carry.
   */
  async publishEnvelopes(envelopes: readonly AnyEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    const byTopic = new Map<Topic, OutgoingRecord[]>();
    const spans = tracingEnabled() ? new Map<string, { span: Span | null; traceparent: string | null; count: number }>() : null;
    for (const e of envelopes) {
      const topic = EVENTS[e.type].topic;
      const list = byTopic.get(topic) ?? [];
      const writtenIn = (e as TracedEnvelope)[TRACEPARENT];
      const headers: Record<string, string> = { 'event-type': e.type, 'event-id': e.id, ...dataHeaders(e) };
      if (spans !== null) {
        const parent = writtenIn ?? traceparentOf() ?? '';
        let producer = spans.get(`${topic}|${parent}`);
        if (producer === undefined) {
          const span = this.producerSpan(topic, parent);
          producer = { span, traceparent: span === null ? null : traceparentOfSpan(span), count: 0 };
          spans.set(`${topic}|${parent}`, producer);
        }
        producer.count++;
        if (producer.traceparent !== null) headers[TRACEPARENT] = producer.traceparent;
      }
      // The envelope's own fields, serialized once if its outbox packed it (`envelopeBytes`).
      list.push({ key: keyOf(e), value: envelopeBytes(e), headers });
      byTopic.set(topic, list);
    }
    try {
      const producer = await this.ready();
      for (const topicMessages of sendsOf(byTopic, (topic) => this.connection.names.physical(topic))) {
        await producer.sendBatch({ acks: -1, compression: COMPRESSION_TYPE[this.compression], topicMessages });
      }
    } finally {
      for (const { span, count } of spans?.values() ?? []) {
        span?.setAttribute('messaging.batch.message_count', count);
        span?.end();
      }
    }
    for (const [topic, messages] of byTopic) this.published.inc({ topic }, messages.length);
  }

  /** `publish <topic>`, child of the trace its envelopes were written in (a root without one). */
  private producerSpan(topic: Topic, parent: string): Span | null {
    return startSpan(`publish ${topic}`, {
      service: this.source,
      kind: SpanKind.PRODUCER,
      ...(parent ? { parent: contextOfTraceparent(parent) } : {}),
      attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': topic },
    });
  }

  /** Raw send, for dead letters and for tests that must produce malformed input. */
  async sendRaw(
    physicalTopic: string,
    messages: { key: string | Buffer | null; value: string | Buffer | null; headers?: Record<string, string | Buffer> }[],
  ): Promise<void> {
    const producer = await this.ready();
    await producer.send({ topic: physicalTopic, acks: -1, compression: COMPRESSION_TYPE[this.compression], messages });
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    this.connecting = null;
    if (producer) await producer.disconnect().catch((e: unknown) => this.logger.warn(`producer disconnect: ${String(e)}`));
  }
}
