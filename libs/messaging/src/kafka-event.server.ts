import { Catch, type ArgumentsHost, type INestApplication, type RpcExceptionFilter } from '@nestjs/common';
import { BaseRpcContext, EventPattern, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom, throwError, type Observable } from 'rxjs';
import { EVENTS, isEventType, type EventEnvelope, type EventType, type PayloadOf, type Topic } from '@lifecycle/contracts';
import {
  addScrapeSource,
  contextOfTraceparent,
  inSpan,
  linkTo,
  metrics,
  SpanKind,
  tracingEnabled,
  type Metrics,
} from '@lifecycle/observability';
import type { ConsumerStatusSource } from './consumer-registry';
import { dispatchInRuns, type RunHandler, type SingleHandler } from './batch-dispatch';
import {
  EventConsumer,
  type BatchContext,
  type ConsumedContext,
  type ConsumedEvent,
  type ConsumerStatus,
  type EventConsumerOptions,
  type EventOutcome,
} from './event-consumer';
import type { EventPublisher } from './event-publisher';
import type { KafkaConnection } from './kafka-connection';

const RUN_PREFIX = 'run:';

export interface HandlerOptions {
  /**
   * A redelivered event changes nothing through this handler: it writes each effect under a key
   * made of the event id and recognizes the event by it (status-tracking's `crm:<event id>`
   * idempotency keys), or its effect is idempotent (an SLA look reads the current state). The
   * consumer then keeps no applied-id record of these events: one read and one write per event fewer.
   */
  redeliverySafe?: boolean;
  /**
   * The fields of the event's data this handler reads, as a class with their validation (a
   * tolerant reader): the consumer validates and passes these fields only, not the type's whole
   * data. An event whose other fields are invalid is still applied here; what is read is checked.
   * For events read back for a few keys (the SLA triggers read a `status.changed`'s pair only).
   */
  reads?: new () => object;
}

/** Marks a method as the handler of one event type; the payload is the validated envelope. */
export const OnEvent = (type: EventType, options: HandlerOptions = {}): MethodDecorator => EventPattern(type, { ...options });

/**
 * Marks a method as the handler of whole runs of one event type: it receives the consecutive
 * events of one partition batch (`ConsumedEvent[]`, in partition order) and returns one
 * `EventOutcome` per event. It must keep the events of one key in order and report the events of
 * a key after one that failed as `blocked` (see `applyPerKey` for the shape).
 */
export const OnEventRun = (type: EventType, options: HandlerOptions = {}): MethodDecorator =>
  EventPattern(`${RUN_PREFIX}${type}`, { ...options });

/** What a handler receives: the validated envelope of its event type. */
export type Envelope<T extends EventType> = EventEnvelope<T, PayloadOf<T>>;

export class ConsumedEventContext extends BaseRpcContext<[ConsumedContext]> {
  get kafka(): ConsumedContext {
    return this.getArgByIndex(0);
  }
}

export class ConsumedRunContext extends BaseRpcContext<[BatchContext]> {
  get kafka(): BatchContext {
    return this.getArgByIndex(0);
  }
}

/**
 * Nest's default RPC filter replaces every error with "Internal server error"; the consumer path
 * must see the original error to tell a rule rejection (dead-letter) from an outage (retry).
 */
@Catch()
export class RethrowRpcErrorsFilter implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

export type KafkaEventServerOptions = Omit<EventConsumerOptions, 'topics' | 'dispatch'> & {
  /** The service the consumer belongs to (names its spans). */
  serviceName?: string;
};

/**
 * A Nest transport over `EventConsumer` (instead of Nest's stock Kafka server, which awaits one
 * message at a time and retries a throwing handler forever): handlers are `@OnEvent(type)`
 * methods; the topics to subscribe to follow from the handled event types.
 */
export class KafkaEventServer extends Server implements CustomTransportStrategy, ConsumerStatusSource {
  private consumer: EventConsumer | null = null;
  private removeScrapeSource: (() => void) | null = null;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly publisher: EventPublisher,
    private readonly options: KafkaEventServerOptions,
  ) {
    super();
  }

  get consumerStats() {
    return this.consumer?.stats ?? null;
  }

  async consumerStatus(): Promise<ConsumerStatus | null> {
    return this.consumer ? this.consumer.status() : null;
  }

  listen(callback: (error?: unknown) => void): void {
    const patterns = [...this.messageHandlers.keys()];
    const types = patterns.map((p) => (p.startsWith(RUN_PREFIX) ? p.slice(RUN_PREFIX.length) : p));
    const unknown = types.filter((t) => !isEventType(t));
    if (unknown.length > 0) {
      callback(new Error(`@OnEvent/@OnEventRun handlers for unknown event types: ${unknown.join(', ')}`));
      return;
    }
    const both = types.filter((t) => patterns.includes(t) && patterns.includes(`${RUN_PREFIX}${t}`));
    if (both.length > 0) {
      callback(new Error(`event types with both an @OnEvent and an @OnEventRun handler: ${both.join(', ')}`));
      return;
    }
    const topics = [...new Set(types.map((t) => EVENTS[t as EventType].topic))] as Topic[];
    if (topics.length === 0) {
      callback();
      return;
    }
    // Nest resolves a pattern by trying JSON.parse on it (a throw for every plain event type):
    // each handler is looked up once, not per event.
    const found = new Map<string, ReturnType<typeof this.getHandlerByPattern>>();
    const handlerOf = (pattern: string) => {
      if (!found.has(pattern)) found.set(pattern, this.getHandlerByPattern(pattern));
      return found.get(pattern) ?? null;
    };
    const duration = metrics().handlerDuration;
    const group = this.options.groupId;
    const service = this.options.serviceName ?? group;
    /**
     * Times one handler call (a run, or one event), whatever its outcome, inside a CONSUMER span:
     * the child of the trace its (first) event carried; a run's other events are its links.
     */
    const timed = async <T>(
      type: EventType,
      context: BatchContext,
      traced: readonly { traceparent?: string | null; offset: string }[],
      work: () => Promise<T>,
    ): Promise<T> => {
      const started = process.hrtime.bigint();
      try {
        if (!tracingEnabled()) return await work();
        return await inSpan(
          `process ${type}`,
          {
            service,
            kind: SpanKind.CONSUMER,
            parent: contextOfTraceparent(traced[0]?.traceparent),
            links: traced.slice(1).flatMap((e) => linkTo(e.traceparent ?? null)),
            attributes: {
              'messaging.system': 'kafka',
              'messaging.operation.type': 'process',
              'messaging.destination.name': context.topic,
              'messaging.destination.partition.id': String(context.partition),
              'messaging.consumer.group.name': group,
              'messaging.batch.message_count': traced.length,
              'messaging.kafka.offset': traced[0]?.offset ?? '',
            },
          },
          work,
        );
      } finally {
        duration.observe({ group, type }, Number(process.hrtime.bigint() - started) / 1e9);
      }
    };
    const handlers = {
      run: (type: EventType): RunHandler | undefined => {
        const handler = handlerOf(`${RUN_PREFIX}${type}`);
        if (!handler) return undefined;
        return (events: readonly ConsumedEvent[], context: BatchContext) =>
          timed(type, context, events, async () => {
            const result = await handler(events, new ConsumedRunContext([context]));
            return lastValueFrom(this.transformToObservable(result)) as Promise<EventOutcome[]>;
          });
      },
      single: (type: EventType): SingleHandler | undefined => {
        const handler = handlerOf(type);
        if (!handler) return undefined;
        return (envelope, context) =>
          timed(type, context, [context], async () => {
            const result = await handler(envelope, new ConsumedEventContext([context]));
            await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
          });
      },
    };
    this.consumer = new EventConsumer(this.connection, this.publisher, {
      ...this.options,
      topics,
      // A type this service has no handler for is ignored, so a redelivery of it changes nothing either.
      redeliverySafe: (type) => {
        const run = handlerOf(`${RUN_PREFIX}${type}`);
        if (run) return (run.extras as HandlerOptions | undefined)?.redeliverySafe === true;
        const single = handlerOf(type);
        return single === null || (single.extras as HandlerOptions | undefined)?.redeliverySafe === true;
      },
      dataClassOf: (type) => {
        const handler = handlerOf(`${RUN_PREFIX}${type}`) ?? handlerOf(type);
        if (handler === null) return null;
        return (handler.extras as HandlerOptions | undefined)?.reads ?? (EVENTS[type].data as new () => object);
      },
      dispatch: (events, context) => dispatchInRuns(events, context, handlers),
    });
    this.removeScrapeSource = addScrapeSource(`consumer:${group}`, (m) => this.fillMetrics(m));
    this.consumer.start().then(
      () => callback(),
      (e: unknown) => callback(e),
    );
  }

  /** The consumer's lag, committed offsets, readiness and restarts, as `/health` reads them. */
  private async fillMetrics(m: Metrics): Promise<void> {
    const status = await this.consumer?.status();
    if (!status) return;
    const group = status.groupId;
    m.consumerReady.set({ group }, status.ready ? 1 : 0);
    m.consumerRestarts.set({ group }, status.restarts);
    for (const p of status.lag) {
      const labels = { group, topic: p.topic, partition: String(p.partition) };
      m.consumerLag.set(labels, p.lag);
      m.consumerCommitted.set(labels, p.committed === null ? -1 : Number(p.committed));
    }
  }

  async close(): Promise<void> {
    this.removeScrapeSource?.();
    this.removeScrapeSource = null;
    await this.consumer?.stop();
    this.consumer = null;
  }

  on(): void {
    // No transport-level events are exposed.
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}

/**
 * Connects the event consumer to a Nest app (hybrid app: HTTP + events). Initialization is
 * deferred so the filter below is in place when the handlers are registered; the lifecycle hooks
 * (onModuleInit, onApplicationBootstrap) stay the app's own: a deferred microservice would run
 * them a second time on the shared container (twice the BullMQ workers, schedulers, timers).
 * Call `app.init()` before `app.startAllMicroservices()` so they run before consumption starts.
 */
export function connectEventConsumer(app: INestApplication, server: KafkaEventServer): void {
  const microservice = app.connectMicroservice({ strategy: server }, { inheritAppConfig: false, deferInitialization: true });
  microservice.useGlobalFilters(new RethrowRpcErrorsFilter());
  (microservice as unknown as { setIsInitHookCalled(called: boolean): void }).setIsInitHookCalled(true);
}
