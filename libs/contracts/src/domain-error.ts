/**
 * The one shape of a refusal, whatever the service: a typed error with a code (one enum per
 * service), a kind and the ids or fields involved. Domain code throws these; the HTTP filter maps
 * the kind to a status and answers `{ statusCode, error, message, details: { code, …details } }`
 * (libs/http), the Kafka consumer dead-letters them as rule rejections.
 *
 * Kinds, and the status each one answers over HTTP:
 * - `malformed` (400): the input cannot be read at all (a header in the wrong syntax);
 * - `invalid` (422): the input has the documented shape but a rule refuses its content (an unknown
 *   stage name, a date in the future, a criteria tree naming a stage that does not exist);
 * - `not-found` (404), `conflict` (409: the current state refuses the change, or a concurrent
 *   writer won), `too-large` (413), `unsupported-media-type` (415), `unavailable` (503: not ready
 *   to answer yet, e.g. an index still loading; the answer carries `Retry-After`).
 */
export type ErrorKind = 'malformed' | 'invalid' | 'not-found' | 'conflict' | 'too-large' | 'unsupported-media-type' | 'unavailable';

export abstract class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** From the subclass's `Record<Code, ErrorKind>`, so a new code without a kind does not compile. */
  abstract get kind(): ErrorKind;
}
