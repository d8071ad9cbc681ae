/**
 * The public REST API as TypeScript: the types generated from docs/openapi.json and a typed client
 * over them. Imported as `@lifecycle/contracts/api` (not from the contracts index, so the services
 * do not load the client).
 */
export * from './api-client';
export type { components, operations, paths } from './openapi';
