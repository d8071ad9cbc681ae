/**
 * The "Days in" rules (SPEC section 2, L2–L11), shared by every service that counts them:
 * the fold over one (account, attribute)'s history, the counters it shows at an instant, the
 * cycles it went through, and the day arithmetic. Pure TypeScript: no framework, no I/O.
 */
export * from './clock';
export * from './coded-fold';
export * from './counters';
export * from './cycle-trace';
export * from './days';
export * from './fold';
export * from './history';
export * from './stages';
export * from './transition-diff';
export * from './business-calendar';
export * from './business-days';
export * from './civil-date';
export * from './time-zone';
export * from './business-counters';
export * from './stage-sla';
