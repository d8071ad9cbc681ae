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

/** SPEC 5.3's error body. Never a stack trace. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: unknown;
}

/** Maps a service's typed domain errors (rule violations) to HTTP; null = not mine. */
export type DomainErrorMapper = (error: unknown) => { status: number; message: string; details?: unknown } | null;

export interface FieldError {
  field: string;
  errors: string[];
}

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, errors: Object.values(e.constraints) }] : [];
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** The ValidationPipe's error: names every offending field and what is allowed. */
export function validationException(errors: ValidationError[]): BadRequestException {
  const details = flattenValidationErrors(errors);
  const message = `Invalid request: ${details.map((d) => `${d.field}: ${d.errors.join(', ')}`).join('; ')}`;
  return new BadRequestException({ message, details });
}

const STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function errorBody(status: number, message: string, details?: unknown): ErrorBody {
  return { statusCode: status, error: STATUS_NAMES[status] ?? 'Error', message, ...(details === undefined ? {} : { details }) };
}

function isHealthReport(exception: unknown): exception is HttpException {
  if (!(exception instanceof HttpException)) return false;
  const res = exception.getResponse();
  return typeof res === 'object' && res !== null && 'status' in res && 'details' in res && 'info' in res;
}

/** The one HTTP exception filter: domain errors, Nest exceptions, body-parser errors, the rest. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  constructor(private readonly mappers: readonly DomainErrorMapper[] = []) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (isHealthReport(exception)) {
      // Terminus' 503 report keeps its own shape: which dependency is down and why.
      response.status(exception.getStatus()).json(exception.getResponse());
      return;
    }
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ErrorBody {
    for (const map of this.mappers) {
      const mapped = map(exception);
      if (mapped) return errorBody(mapped.status, mapped.message, mapped.details);
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      if (typeof res === 'string') return errorBody(status, res);
      const r = res as { message?: unknown; details?: unknown };
      const message = Array.isArray(r.message) ? r.message.join('; ') : typeof r.message === 'string' ? r.message : exception.message;
      return errorBody(status, message, r.details);
    }
    // body-parser errors (malformed JSON, too large, bad charset) carry a 4xx `status` and a `type`.
    const e = exception as { status?: unknown; type?: unknown; message?: unknown };
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string') {
      const message =
        e.type === 'entity.parse.failed'
          ? 'Malformed JSON body'
          : e.type === 'entity.too.large'
            ? 'Request body too large'
            : `Unreadable request body (${e.type})`;
      return errorBody(e.status, message);
    }
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}
