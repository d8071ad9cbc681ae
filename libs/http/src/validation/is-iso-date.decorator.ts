import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';

/**
 * An ISO-8601 date (`2025-03-01`) or date-time with its zone (`2025-03-01T09:00:00Z`), year 1000
 * or later. Strict ISO-8601 checks that the day exists; the year bound is explicit because the
 * check cannot read years before 1000. Both parts land in the OpenAPI schema (anyOf date /
 * date-time formats and the year pattern), so the document accepts what the server accepts.
 */
export function IsIsoDate(message: string): PropertyDecorator {
  return applyDecorators(IsISO8601({ strict: true }, { message }), Matches(/^[1-9]\d{3}-/, { message }));
}
