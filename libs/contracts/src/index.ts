import 'reflect-metadata';
export * from './topics';
export * from './envelope';
export * from './event-registry';
export * from './events/crm.events';
export * from './events/attribute.events';
export * from './events/status.events';
export * from './events/cycle.events';
export * from './events/segment.events';
