import { HttpException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { Request } from 'express';
import { errorBody } from './error-response';

/**
 * A request body must be in a media type its operation reads: JSON unless the handler declares
 * others with `@ApiConsumes(...)` (the CSV import), so the document and the server agree. Anything
 * else is a 415 before validation, instead of a body silently read as empty.
 */
@Injectable()
export class MediaTypeGuard implements CanActivate {
  constructor(private readonly reflector = new Reflector()) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const length = req.headers['content-length'];
    const hasBody = (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return true;
    const accepted = this.reflector.get<string[] | undefined>(DECORATORS.API_CONSUMES, context.getHandler()) ?? ['application/json'];
    const given = req.headers['content-type'];
    if (given !== undefined && req.is(accepted) !== false && req.is(accepted) !== null) return true;
    throw new HttpException(
      errorBody(
        415,
        `The request body must be ${accepted.join(' or ')} (got ${given === undefined ? 'no Content-Type' : JSON.stringify(given)})`,
      ),
      415,
    );
  }
}
