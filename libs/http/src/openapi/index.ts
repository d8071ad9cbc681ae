export * from './api-refusals.decorator';
export * from './error-responses';
export * from './request-schemas';
export * from './service-document';
export * from './merge';
