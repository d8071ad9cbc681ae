import {
  BadRequestException,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
  type ValidationError,
} from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, type ErrorKind } from '@lifecycle/contracts';

/** `details` of every error body: a machine-readable code, then the ids or fields involved. */
export interface ErrorDetails {
  code: string;
  [key: string]: unknown;
}

/** The one error body of every service and the gateway (SPEC 5.3). Never a stack trace. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: ErrorDetails;
}

/** `Retry-After` of a 503 for a service that is not ready yet. */
const RETRY_AFTER_SECONDS = 5;

/** The one mapping of a domain error's kind to HTTP (see `DomainError`). */
export const ERROR_KIND_STATUS: Readonly<Record<ErrorKind, number>> = {
  malformed: 400,
  invalid: 422,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  unavailable: 503,
};

/** Reason phrase and the code of errors that carry none of their own (framework, gateway). */
export const HTTP_ERRORS: Readonly<Record<number, { error: string; code: string }>> = {
  400: { error: 'Bad Request', code: 'BAD_REQUEST' },
  401: { error: 'Unauthorized', code: 'UNAUTHENTICATED' },
  403: { error: 'Forbidden', code: 'FORBIDDEN' },
  404: { error: 'Not Found', code: 'NOT_FOUND' },
  405: { error: 'Method Not Allowed', code: 'METHOD_NOT_ALLOWED' },
  409: { error: 'Conflict', code: 'CONFLICT' },
  413: { error: 'Payload Too Large', code: 'PAYLOAD_TOO_LARGE' },
  415: { error: 'Unsupported Media Type', code: 'UNSUPPORTED_MEDIA_TYPE' },
  422: { error: 'Unprocessable Entity', code: 'UNPROCESSABLE' },
  429: { error: 'Too Many Requests', code: 'RATE_LIMITED' },
  500: { error: 'Internal Server Error', code: 'INTERNAL' },
  502: { error: 'Bad Gateway', code: 'BAD_GATEWAY' },
  503: { error: 'Service Unavailable', code: 'UNAVAILABLE' },
};

/** The code of a validation failure; `details.fields` names every offending field. */
export const INVALID_REQUEST = 'INVALID_REQUEST';

export interface FieldError {
  field: string;
  errors: string[];
}

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    // Two checks of one field may share a message (`IsIsoDate`): each is said once.
    const own = e.constraints ? [{ field, errors: [...new Set(Object.values(e.constraints))] }] : [];
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** The ValidationPipe's error: names every offending field and what is allowed. */
export function validationException(errors: ValidationError[]): BadRequestException {
  const fields = flattenValidationErrors(errors);
  const message = `Invalid request: ${fields.map((d) => `${d.field}: ${d.errors.join(', ')}`).join('; ')}`;
  return new BadRequestException({ message, details: { code: INVALID_REQUEST, fields } });
}

/** An error body; `details` gets the status's generic code unless it brings its own. */
export function errorBody(status: number, message: string, details: Partial<ErrorDetails> = {}): ErrorBody {
  const known = HTTP_ERRORS[status];
  const code = typeof details.code === 'string' ? details.code : (known?.code ?? (status >= 500 ? 'INTERNAL' : 'ERROR'));
  return { statusCode: status, error: known?.error ?? 'Error', message, details: { ...details, code } };
}

function isHealthReport(exception: unknown): exception is HttpException {
  if (!(exception instanceof HttpException)) return false;
  const res = exception.getResponse();
  return typeof res === 'object' && res !== null && 'status' in res && 'details' in res && 'info' in res;
}

const BODY_PARSER_MESSAGES: Readonly<Record<string, string>> = {
  'entity.parse.failed': 'Malformed JSON body',
  'entity.too.large': 'Request body too large',
};

/** The one HTTP exception filter: domain errors, Nest exceptions, body-parser errors, the rest. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (isHealthReport(exception)) {
      // Terminus' 503 report keeps its own shape: which dependency is down and why.
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const body = this.toBody(exception);
    const unavailable = exception instanceof DomainError && exception.kind === 'unavailable';
    // Not ready yet (an index still loading): the client is told when to ask again; no error to log.
    if (unavailable && !response.headersSent) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    if (body.statusCode >= 500 && !unavailable) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      return errorBody(ERROR_KIND_STATUS[exception.kind], exception.message, { ...exception.details, code: exception.code });
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      if (typeof res === 'string') return errorBody(status, res);
      const r = res as { message?: unknown; details?: unknown };
      const message = Array.isArray(r.message) ? r.message.join('; ') : typeof r.message === 'string' ? r.message : exception.message;
      const details = typeof r.details === 'object' && r.details !== null ? (r.details as Partial<ErrorDetails>) : undefined;
      return errorBody(status, message, details);
    }
    // body-parser errors (malformed JSON, too large, bad charset) carry a 4xx `status` and a `type`.
    const e = exception as { status?: unknown; type?: unknown };
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string') {
      return errorBody(e.status, BODY_PARSER_MESSAGES[e.type] ?? `Unreadable request body (${e.type})`);
    }
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}
