export * from './environment';
export * from './service-config';
export * from './internal-auth';
