import { Catch, type ArgumentsHost, type INestApplication, type RpcExceptionFilter } from '@nestjs/common';
import { BaseRpcContext, EventPattern, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom, throwError, type Observable } from 'rxjs';
import { EVENTS, isEventType, type EventEnvelope, type EventType, type PayloadOf, type Topic } from '@lifecycle/contracts';
import type { ConsumerStatusSource } from './consumer-registry';
import { EventConsumer, type ConsumedContext, type ConsumerStatus, type EventConsumerOptions } from './event-consumer';
import type { EventPublisher } from './event-publisher';
import type { KafkaConnection } from './kafka-connection';

/** Marks a method as the handler of one event type; the payload is the validated envelope. */
export const OnEvent = (type: EventType): MethodDecorator => EventPattern(type);

/** What a handler receives: the validated envelope of its event type. */
export type Envelope<T extends EventType> = EventEnvelope<T, PayloadOf<T>>;

export class ConsumedEventContext extends BaseRpcContext<[ConsumedContext]> {
  get kafka(): ConsumedContext {
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

export type KafkaEventServerOptions = Omit<EventConsumerOptions, 'topics' | 'dispatch'>;

/**
 * A Nest transport over `EventConsumer` (instead of Nest's stock Kafka server, which awaits one
 * message at a time and retries a throwing handler forever): handlers are `@OnEvent(type)`
 * methods; the topics to subscribe to follow from the handled event types.
 */
export class KafkaEventServer extends Server implements CustomTransportStrategy, ConsumerStatusSource {
  private consumer: EventConsumer | null = null;

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
    const types = [...this.messageHandlers.keys()];
    const unknown = types.filter((t) => !isEventType(t));
    if (unknown.length > 0) {
      callback(new Error(`@OnEvent handlers for unknown event types: ${unknown.join(', ')}`));
      return;
    }
    const topics = [...new Set(types.map((t) => EVENTS[t as EventType].topic))] as Topic[];
    if (topics.length === 0) {
      callback();
      return;
    }
    this.consumer = new EventConsumer(this.connection, this.publisher, {
      ...this.options,
      topics,
      dispatch: async (envelope, context) => {
        const handler = this.getHandlerByPattern(envelope.type);
        // Another event type on a subscribed topic, which this service does not handle.
        if (!handler) return;
        const result = await handler(envelope, new ConsumedEventContext([context]));
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      },
    });
    this.consumer.start().then(
      () => callback(),
      (e: unknown) => callback(e),
    );
  }

  async close(): Promise<void> {
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
