export * from './engine';
export * from './storage';
export * from './storage.module';
export * from './query-guard';
export * from './indexes';
export * from './guarded-writes';
export * from './aggregate-lock';
export * from './outbox';
