export * from './test-config';
export * from './wait-for';
export * from './topic-recorder';
export * from './process-system';
export * from './seeded-random';
