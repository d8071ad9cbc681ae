/**
 * The platform's error body (SPEC 5.3: `{ statusCode, error, message, details? }`) as the console
 * reads it, and the messages per field it carries: every service names offending fields, each in
 * its own shape of `details`, and a form shows each message next to the field it concerns.
 */
import type { ErrorResponse } from './schemas';

export type ErrorBody = Omit<ErrorResponse, 'details'> & {
  /** The platform's `{ code, … }`; absent when the answer was not the platform's body (a proxy's page). */
  details?: unknown;
};

/** Messages by field path, in one spelling: `stages[1].name`, `criteria.all[0].isOneOf`. */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly fields: FieldErrors;

  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    /** The answer's `Retry-After` in seconds (429, 503), null without one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(body.message);
    this.fields = fieldErrorsOf(body.details, body.message);
  }

  /** `details.code` (ATTRIBUTE_NOT_FOUND, STAGE_DISABLED …) when the service sends one. */
  get code(): string | null {
    const details = this.body.details;
    if (isRecord(details) && typeof details.code === 'string') return details.code;
    return null;
  }

  /** The messages about one field (exact path) or anything inside it (`stages[1]` covers `stages[1].name`). */
  about(path: string): string[] {
    return Object.entries(this.fields)
      .filter(([field]) => field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`))
      .flatMap(([, messages]) => messages);
  }
}

/** Any answer that is not 2xx, whatever its body (a proxy's HTML page, nothing at all). */
export function errorBodyOf(status: number, statusText: string, raw: unknown): ErrorBody {
  if (isRecord(raw) && typeof raw.message === 'string') {
    return {
      statusCode: typeof raw.statusCode === 'number' ? raw.statusCode : status,
      error: typeof raw.error === 'string' ? raw.error : statusText,
      message: raw.message,
      ...(raw.details === undefined ? {} : { details: raw.details }),
    };
  }
  return { statusCode: status, error: statusText, message: `${status} ${statusText}`.trim() };
}

/** `Retry-After` in seconds; the HTTP-date form (which no service sends) reads as absent. */
export function retryAfterOf(header: string | null): number | null {
  if (header === null || !/^\d+$/.test(header.trim())) return null;
  return Number(header.trim());
}

/**
 * Reads the shapes of `details` the services send:
 * - request validation: `[{ field: 'stages.1.name', errors: [...] }]`, or the same list as `details.fields`;
 * - segment criteria: `[{ path: 'criteria.all[0].isOneOf', message }]`, or as `details.issues`;
 * - a rule about one field: `{ code, field: 'stages[1].name' }` (the message is the body's).
 */
export function fieldErrorsOf(details: unknown, message?: string): FieldErrors {
  const out: Record<string, string[]> = {};
  const add = (path: unknown, messages: readonly unknown[]) => {
    if (typeof path !== 'string' || path === '') return;
    const key = normalizePath(path);
    for (const m of messages) if (typeof m === 'string') (out[key] ??= []).push(m);
  };
  const readList = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const entry of list) {
      if (!isRecord(entry)) continue;
      if (Array.isArray(entry.errors)) add(entry.field, entry.errors);
      else if (typeof entry.message === 'string') add(entry.path ?? entry.field, [entry.message]);
    }
  };
  readList(details);
  if (isRecord(details)) {
    readList(details.fields);
    readList(details.issues);
    if (typeof details.field === 'string' && message !== undefined) add(details.field, [message]);
  }
  return out;
}

/** `stages.1.name` and `stages[1].name` are the same field. */
export function normalizePath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|\[|$)/g, '[$1]');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
