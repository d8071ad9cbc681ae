export * from './error-response';
export * from './logging';
export * from './redis-health';
export * from './kafka-health';
export * from './health.controller';
export * from './service-kit.module';
export * from './bootstrap';
export * from './json-depth';
