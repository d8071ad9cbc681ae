import 'reflect-metadata';
import { memoizeValidationMetadata } from './validation-metadata';

// Before any validation: every process that validates loads the contracts.
memoizeValidationMetadata();

export * from './topics';
export * from './envelope';
export * from './event-registry';
export * from './events/crm.events';
export * from './events/attribute.events';
export * from './events/calendar.events';
export * from './events/status.events';
export * from './events/cycle.events';
export * from './events/segment.events';
export * from './events/play.events';
export * from './events/sla.events';
export * from './queues';
export * from './asyncapi';
export * from './record-policy';
export * from './domain-error';
