import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { InternalAuthConfig } from '@lifecycle/config';
import { isLoopback, metrics } from '@lifecycle/observability';
import { errorBody } from './error-response';
import { REQUEST_ID_HEADER } from './logging';
import { InternalTokenVerifier } from './internal-token';

/** Probes (`/health`, `/health/live`) answer anyone; `/metrics` has its own rule (`MetricsAccessGuard`). */
const OPEN = /^\/(health(\/live)?|metrics)\/?$/;

/** The header the gateway's internal credential travels in (the client's own `Authorization` never reaches a service). */
export const INTERNAL_AUTH_HEADER = 'authorization';

function bearer(req: Request): string | null {
  const header = req.headers[INTERNAL_AUTH_HEADER];
  if (typeof header !== 'string') return null;
  const [scheme, value] = header.split(' ', 2);
  return scheme?.toLowerCase() === 'bearer' && value ? value.trim() : '';
}

/**
 * Trusted calls: a request from off this machine is served only with the gateway's internal
 * credential (`InternalTokenVerifier`); anything else gets 401, is logged and counted
 * (`lifecycle_internal_auth_refused_total`). A caller on loopback is trusted (a service bound
 * to loopback is reachable from this machine only) unless the config says `verified` or it
 * presents a credential that does not verify. A verified credential decides who the actor and the request
 * id are (`x-actor`, `x-request-id`), whatever headers came with it.
 */
export function internalAuth(config: InternalAuthConfig | null): (req: Request, res: Response, next: NextFunction) => void {
  const logger = new Logger('InternalAuth');
  const verifier = config === null ? null : new InternalTokenVerifier(config.keys);
  const trustLoopback = config?.loopback !== 'verified';
  const refused = metrics().internalAuthRefused;
  return (req, res, next) => {
    if (OPEN.test(req.path)) return next();
    const token = bearer(req);
    if (token === null && trustLoopback && isLoopback(req.socket.remoteAddress)) return next();
    const verdict = verifier ? verifier.verify(token) : ({ ok: false, reason: token === null ? 'missing' : 'unknown_key' } as const);
    if (verdict.ok) {
      req.headers['x-actor'] = verdict.claims.sub;
      if (verdict.claims.rid !== null) req.headers[REQUEST_ID_HEADER] = verdict.claims.rid;
      return next();
    }
    refused.inc({ reason: verdict.reason });
    logger.warn(
      `refused ${req.method} ${req.path} from ${req.socket.remoteAddress ?? 'an unknown address'}: ${verdict.reason === 'missing' ? 'no internal credential' : `internal credential ${verdict.reason.replace('_', ' ')}`}`,
    );
    res
      .status(401)
      .json(errorBody(401, 'Services answer only calls through the gateway: send the request to the gateway with an API key', {}));
  };
}
