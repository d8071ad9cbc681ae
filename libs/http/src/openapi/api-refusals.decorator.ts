import type { ErrorStatus } from './error-responses';

const REFUSALS = 'lifecycle:refusals';

/**
 * The statuses an operation's own rules can answer besides what every operation of its kind can
 * (400 for input off the document, 401, 403 for writes, 413/415 for bodies, 429, 503 are added by
 * the document builder): 404 for what it names, 409 for state conflicts, 422 for rule refusals.
 */
export function ApiRefusals(...statuses: ErrorStatus[]): MethodDecorator {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(REFUSALS, statuses, descriptor.value as object);
    return descriptor;
  };
}

export function refusalsOf(handler: unknown): readonly ErrorStatus[] {
  return typeof handler === 'function' ? ((Reflect.getMetadata(REFUSALS, handler) as ErrorStatus[] | undefined) ?? []) : [];
}
