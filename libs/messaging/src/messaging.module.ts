import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import { OUTBOX_SINK, Storage } from '@lifecycle/storage';
import { ConsumerRegistry } from './consumer-registry';
import { EventPublisher } from './event-publisher';
import { HeaderFilters } from './header-filters';
import { MongoIdempotencyStore } from './idempotency-store';
import { KafkaConnection } from './kafka-connection';
import { connectEventConsumer, KafkaEventServer } from './kafka-event.server';

@Injectable()
class KafkaShutdown implements OnApplicationShutdown {
  constructor(@Inject(EventPublisher) private readonly publisher: EventPublisher) {}
  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
  }
}

/** Kafka for one service: the connection (topics, health), the typed publisher, and the outbox's sink. */
@Module({})
export class MessagingModule {
  static forService(): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        {
          provide: KafkaConnection,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) =>
            new KafkaConnection({ brokers: config.kafka.brokers, clientId: config.kafka.clientId, topicPrefix: config.kafka.topicPrefix }),
        },
        {
          provide: EventPublisher,
          inject: [KafkaConnection, SERVICE_CONFIG],
          useFactory: (connection: KafkaConnection, config: ServiceConfig) =>
            new EventPublisher(connection, config.serviceName, config.kafka.compression),
        },
        KafkaShutdown,
        { provide: ConsumerRegistry, useValue: new ConsumerRegistry() },
        HeaderFilters,
        // The service's `Outbox` (libs/storage) publishes what writes left through this publisher.
        { provide: OUTBOX_SINK, useExisting: EventPublisher },
      ],
      exports: [KafkaConnection, EventPublisher, OUTBOX_SINK, ConsumerRegistry, HeaderFilters],
    };
  }
}

export interface ConsumerSettings {
  /** Rule rejections that go to the dead-letter topic without retry. */
  isPermanent: (error: unknown) => boolean;
  /** Read from the beginning when the group is new (replicas built from event-carried state). */
  fromBeginning: boolean;
  partitionsConsumedConcurrently?: number;
  /** Events applied per step of a fetched batch (default 1 000; see `EventConsumer.eachBatch`). */
  maxEventsPerStep?: number;
  /** The wait after a small fetch before the next one (`FetchLinger`). */
  lingerMs?: number;
}

/** Attaches the service's `@OnEvent` handlers to Kafka, with idempotency in its own database. */
export function attachEventConsumer(app: INestApplication, settings: ConsumerSettings): KafkaEventServer {
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  const storage = app.get(Storage);
  const filters = app.get(HeaderFilters);
  const server = new KafkaEventServer(app.get(KafkaConnection), app.get(EventPublisher), {
    serviceName: config.serviceName,
    groupId: config.kafka.groupId,
    fromBeginning: settings.fromBeginning,
    idempotency: new MongoIdempotencyStore(storage, config.kafka.groupId),
    isPermanent: settings.isPermanent,
    partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
    maxEventsPerStep: settings.maxEventsPerStep,
    lingerMs: settings.lingerMs,
    maxReadyLag: config.kafka.readyMaxLag,
    // Handlers register their filters when constructed, before the consumer starts.
    ...(filters.empty ? {} : { passOver: (messages) => filters.passedOver(messages) }),
  });
  connectEventConsumer(app, server);
  app.get(ConsumerRegistry).add(server);
  return server;
}
