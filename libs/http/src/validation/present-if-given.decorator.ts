import { ValidateIf } from 'class-validator';

/**
 * Optional, but not nullable: an absent field is skipped, an explicit `null` is validated (and
 * fails). `@IsOptional()` would let `{ "name": null }` through as if the field were absent.
 */
export function PresentIfGiven(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
