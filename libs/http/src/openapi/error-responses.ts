import type { ResponseObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { HTTP_ERRORS, INVALID_REQUEST } from '../error-response';

/** The statuses a refusal can take, each with one shared response in `components.responses`. */
export const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 415, 422, 429, 503] as const;
export type ErrorStatus = (typeof ERROR_STATUSES)[number];

/** `ErrorBody` (error-response.ts) as a schema: the one error shape of every operation. */
export const ERROR_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Every refusal, from every service and the gateway. Never a stack trace.',
  required: ['statusCode', 'error', 'message', 'details'],
  properties: {
    statusCode: { type: 'integer', minimum: 400, maximum: 599, example: 404 },
    error: { type: 'string', description: 'The reason phrase of the status.', example: 'Not Found' },
    message: {
      type: 'string',
      description: 'What was wrong and what is allowed, for a person.',
      example: 'Attribute "renewal" does not exist',
    },
    details: {
      type: 'object',
      description: 'For programs: `code` says which refusal it is; the other fields name the ids or fields involved.',
      required: ['code'],
      properties: { code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', example: 'ATTRIBUTE_NOT_FOUND' } },
      additionalProperties: true,
    },
  },
};

const example = (status: ErrorStatus, message: string, details: Record<string, unknown> = {}) => ({
  statusCode: status,
  error: HTTP_ERRORS[status]!.error,
  message,
  details: { code: HTTP_ERRORS[status]!.code, ...details },
});

const RESPONSES: Readonly<Record<ErrorStatus, { name: string; description: string; examples: Record<string, unknown> }>> = {
  400: {
    name: 'BadRequest',
    description: 'The request does not match this document: `details.fields` names every offending field and what is allowed.',
    examples: {
      invalidField: example(
        400,
        'Invalid request: key: key must be a lowercase slug (letters, digits, single dashes), e.g. onboarding-status',
        {
          code: INVALID_REQUEST,
          fields: [{ field: 'key', errors: ['key must be a lowercase slug (letters, digits, single dashes), e.g. onboarding-status'] }],
        },
      ),
      malformedJson: example(400, 'Malformed JSON body'),
    },
  },
  401: {
    name: 'Unauthorized',
    description: 'No API key, or not a valid one: send `Authorization: Bearer <api key>`.',
    examples: { missingKey: example(401, 'Missing API key: send Authorization: Bearer <api key>') },
  },
  403: {
    name: 'Forbidden',
    description: 'The key’s role may not do this (a viewer may only read).',
    examples: { viewerWrite: example(403, 'The viewer role may only read; POST /v1/attributes needs the admin role') },
  },
  404: {
    name: 'NotFound',
    description: 'What the request names does not exist; `details.code` says which kind of thing.',
    examples: {
      attribute: example(404, 'Attribute "renewal-status" does not exist', { code: 'ATTRIBUTE_NOT_FOUND', key: 'renewal-status' }),
    },
  },
  409: {
    name: 'Conflict',
    description: 'The current state refuses the change (a rule such as A4), or another writer changed it first: reload and retry.',
    examples: {
      locked: example(409, 'The stage order of an active attribute cannot change (A4)', {
        code: 'STAGE_ORDER_LOCKED',
        key: 'onboarding-status',
      }),
    },
  },
  413: {
    name: 'PayloadTooLarge',
    description: 'The body is over the limit (1 MB of JSON; the CSV import has its own limit).',
    examples: { tooLarge: example(413, 'Request body too large') },
  },
  415: {
    name: 'UnsupportedMediaType',
    description: 'The body is not in the media type this operation reads.',
    examples: { notJson: example(415, 'The request body must be application/json (got "text/plain")') },
  },
  422: {
    name: 'UnprocessableEntity',
    description: 'The request has the documented shape, but a rule refuses its content; the message names the rule and what is allowed.',
    examples: {
      unknownStage: example(
        422,
        'Stage "Launch" is not a stage of attribute "onboarding-status"; allowed stages: Kickoff, Configuration, Go Live',
        {
          code: 'STAGE_UNKNOWN',
          attributeKey: 'onboarding-status',
          value: 'Launch',
          allowedStages: ['Kickoff', 'Configuration', 'Go Live'],
        },
      ),
    },
  },
  429: {
    name: 'TooManyRequests',
    description: 'Over the API key’s requests per minute; retry after `Retry-After` seconds.',
    examples: { limited: example(429, 'Rate limit of 6000 requests per minute for this API key exceeded; retry in 12 s') },
  },
  503: {
    name: 'ServiceUnavailable',
    description: 'The service that owns the operation is not reachable now; retry shortly.',
    examples: { down: example(503, 'The cycle-planning service is unavailable; retry shortly') },
  },
};

export function errorResponseName(status: ErrorStatus): string {
  return RESPONSES[status].name;
}

/** `components.responses` of every document: one response per error status, with examples. */
export function errorResponseComponents(): Record<string, ResponseObject> {
  const out: Record<string, ResponseObject> = {};
  for (const status of ERROR_STATUSES) {
    const { name, description, examples } = RESPONSES[status];
    out[name] = {
      description,
      ...(status === 429
        ? {
            headers: {
              'Retry-After': {
                description: 'Seconds until the key may call again.',
                required: true,
                schema: { type: 'integer', minimum: 1 },
              },
            },
          }
        : {}),
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/ErrorResponse' },
          examples: Object.fromEntries(Object.entries(examples).map(([key, value]) => [key, { value }])),
        },
      },
    };
  }
  return out;
}
