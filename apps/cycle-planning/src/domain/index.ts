/** The cycle-planning domain (SPEC section 3, C1–C13): pure rules, no Nest, no mongoose, no I/O. */
export * from './account-cycle';
export * from './bulk-primary';
export * from './cycle-chaining';
export * from './cycle-errors';
export * from './cycle-progress';
export * from './cycle-template';
export * from './due-dates';
export * from './primary-cycle';
export * from './recalculation';
export * from './refusals';
export * from './tasks-view';
export * from './template-diff';
export * from './template-propagation';
export * from './dependent-due-dates';
export * from './play';
