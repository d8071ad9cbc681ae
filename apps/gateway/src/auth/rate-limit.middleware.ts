import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import { GATEWAY_CONFIG, type GatewayConfig } from '@lifecycle/config';
import { errorBody } from '@lifecycle/http';
import { metrics } from '@lifecycle/observability';
import type { AuthenticatedRequest } from './auth.middleware';

/**
 * Per-API-key limit over a one-minute window (the key's own `ratePerMinute` from `API_KEYS`, else
 * `RATE_LIMIT_PER_MINUTE`): 429 with `Retry-After` and `RateLimit-*` headers.
 * The counter lives in this gateway instance (one instance here); several instances would share
 * a Redis store.
 */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  private readonly limiter: RateLimitRequestHandler;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    const rejected = metrics().rateLimited;
    this.limiter = rateLimit({
      windowMs: 60_000,
      limit: (req) => (req as AuthenticatedRequest).principal?.ratePerMinute ?? config.rateLimitPerMinute,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      skip: (req) => !(req as AuthenticatedRequest).principal,
      keyGenerator: (req) => (req as AuthenticatedRequest).principal?.keyId ?? 'anonymous',
      handler: (req, res) => {
        const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const seconds = reset ? Math.max(1, Math.ceil((reset.getTime() - Date.now()) / 1000)) : 60;
        res.setHeader('Retry-After', String(seconds));
        const principal = (req as AuthenticatedRequest).principal;
        rejected.inc({ key_id: principal?.keyId ?? 'anonymous' });
        const limit = principal?.ratePerMinute ?? config.rateLimitPerMinute;
        res.status(429).json(errorBody(429, `Rate limit of ${limit} requests per minute for this API key exceeded; retry in ${seconds} s`));
      },
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    void this.limiter(req, res, next);
  }
}
