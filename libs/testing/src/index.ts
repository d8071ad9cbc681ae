export * from './test-config';
export * from './wait-for';
export * from './topic-recorder';
export * from './process-system';
export * from './seeded-random';
// The typed API client lives with the contracts (the demo seed uses it too); tests take it from here.
export * from '@lifecycle/contracts/api';
export * from './attribute.fixture';
export * from './http-call';
export * from './metrics-reader';
