import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { INestApplication } from '@nestjs/common';
import type { Connection } from 'mongoose';
import { SERVICE_CONFIG, type ServiceConfig } from '@lifecycle/config';
import { AggregateLock } from './aggregate-lock';
import { ConsumerRegistry } from './consumer-registry';
import { EventPublisher } from './event-publisher';
import { MongoIdempotencyStore } from './idempotency-store';
import { KafkaConnection } from './kafka-connection';
import { connectEventConsumer, KafkaEventServer } from './kafka-event.server';

@Injectable()
class KafkaShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(KafkaConnection) private readonly connection: KafkaConnection,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.publisher.close();
    await this.connection.close();
  }
}

/** Kafka for one service: the connection (topics, health) and the typed publisher. */
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
        // One per service process: writers and the outbox relay serialize on it per aggregate.
        { provide: AggregateLock, useValue: new AggregateLock() },
      ],
      exports: [KafkaConnection, EventPublisher, AggregateLock, ConsumerRegistry],
    };
  }
}

export interface ConsumerSettings {
  /** Rule rejections that go to the dead-letter topic without retry. */
  isPermanent: (error: unknown) => boolean;
  /** Read from the beginning when the group is new (replicas built from event-carried state). */
  fromBeginning: boolean;
  partitionsConsumedConcurrently?: number;
}

/** Attaches the service's `@OnEvent` handlers to Kafka, with idempotency in its own database. */
export function attachEventConsumer(app: INestApplication, settings: ConsumerSettings): KafkaEventServer {
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  const mongo = app.get<Connection>(getConnectionToken());
  const server = new KafkaEventServer(app.get(KafkaConnection), app.get(EventPublisher), {
    groupId: config.kafka.groupId,
    fromBeginning: settings.fromBeginning,
    idempotency: new MongoIdempotencyStore(mongo, config.kafka.groupId),
    isPermanent: settings.isPermanent,
    partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
    maxReadyLag: config.kafka.readyMaxLag,
  });
  connectEventConsumer(app, server);
  app.get(ConsumerRegistry).add(server);
  return server;
}
