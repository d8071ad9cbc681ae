export * from './metrics';
export * from './scrape';
export * from './loopback';
export * from './http-metrics';
export * from './metrics.controller';
export * from './observability.module';
export * from './tracing';
export * from './http-tracing';
