import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * SPEC 5.4: status tracking's `AccountResponse` (facts, every lifecycle state) plus cycle
 * planning's primary cycle, composed here. The parts are the services' schemas (merged into the
 * public document), referred to by name.
 */
export const ACCOUNT_OVERVIEW_SCHEMA: SchemaObject = {
  allOf: [
    { $ref: '#/components/schemas/AccountResponse' },
    {
      type: 'object',
      required: ['primaryCycle'],
      properties: {
        primaryCycle: {
          type: 'object',
          allOf: [{ $ref: '#/components/schemas/PrimaryCycleSummaryResponse' }],
          nullable: true,
          description: 'Null without a primary cycle, or while cycle planning is unavailable (then `degraded` names it).',
        },
        degraded: {
          type: 'array',
          items: { type: 'string', enum: ['cycle-planning'] },
          description: 'Services whose part is missing from this answer.',
        },
      },
    },
  ],
};
