import { ForbiddenException, Injectable, UnauthorizedException, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiKeyService, type Principal } from './api-key.service';

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/**
 * Paths open without a key. Everything else (`/v1/…`, `/admin/…`) needs one. `/metrics` has its
 * own rule (loopback or `METRICS_TOKEN`, `MetricsAccessGuard`).
 */
const PUBLIC = [/^\/health$/, /^\/docs(\/|-json|$)/, /^\/metrics$/];

function presentedKey(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const [scheme, value] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer' && value) return value.trim();
  // The queue dashboard is opened in a browser: Basic auth with the API key as the password.
  if (scheme?.toLowerCase() === 'basic' && value && req.originalUrl.startsWith('/admin/')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1) || null;
  }
  return null;
}

@Injectable()
export class AuthMiddleware implements NestMiddleware {
  constructor(private readonly keys: ApiKeyService) {}

  use(req: AuthenticatedRequest, res: Response, next: NextFunction): void {
    const path = req.originalUrl.split('?', 1)[0] ?? '';
    if (PUBLIC.some((p) => p.test(path))) return next();
    const key = presentedKey(req);
    const principal = key ? this.keys.authenticate(key) : null;
    if (!principal) {
      if (path.startsWith('/admin/')) res.setHeader('WWW-Authenticate', 'Basic realm="lifecycle admin"');
      throw new UnauthorizedException(key ? 'Invalid API key' : 'Missing API key: send Authorization: Bearer <api key>');
    }
    const adminOnly = path.startsWith('/admin/');
    if ((adminOnly && principal.role !== 'admin') || !ApiKeyService.mayCall(principal.role, req.method)) {
      throw new ForbiddenException(`The ${principal.role} role may only read; ${req.method} ${path} needs the admin role`);
    }
    req.principal = principal;
    next();
  }
}
