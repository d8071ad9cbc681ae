// First: registers every Kafka compression codec with kafkajs before any client exists.
export * from './compression';
export * from './message-errors';
export * from './envelope-validation';
export * from './topic-names';
export * from './kafka-connection';
export * from './event-publisher';
export * from './idempotency-store';
export * from './event-consumer';
export * from './kafka-event.server';
export * from './batch-dispatch';
export * from './messaging.module';
export * from './attribute-replica';
export * from './dead-letter';
export * from './consumer-registry';
export * from './calendar-replica';
export * from './replica-memo';
export * from './name-based-id';
