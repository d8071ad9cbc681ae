export * from './job-snapshot';
export * from './job.response';
export * from './job-errors';
export * from './jobs.request';
export * from './job-status.controller';
export * from './job-status.module';
export * from './job-outage';
