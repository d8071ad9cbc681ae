import type { NextFunction, Request, Response } from 'express';
import { metrics } from './metrics';

/** Where a request without a matched route of its own is counted (404s, refusals before routing). */
export const UNMATCHED_ROUTE = 'unmatched';
/** `res.locals` key under which a middleware that answers itself names the route to count (the gateway's upstream). */
export const METRICS_ROUTE = 'metricsRoute';

/**
 * The route template a request was served by (`/v1/accounts/:accountId/statuses/:attributeKey`),
 * the name a middleware that answered itself gave (`res.locals[METRICS_ROUTE]`), or `unmatched`.
 * A wildcard route is Nest's not-found handler (or a catch-all): no template to name.
 */
export function routeTemplateOf(req: Request, res: Response): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string' && !route.includes('*')) return `${req.baseUrl}${route}`;
  return (res.locals[METRICS_ROUTE] as string | undefined) ?? UNMATCHED_ROUTE;
}

/**
 * Observes every request once, when its answer is finished (or the client went away): method,
 * route template (`/v1/accounts/:accountId/statuses/:attributeKey` — never the raw path, whose ids
 * would make a series per account) and status.
 */
export function httpMetrics(): (req: Request, res: Response, next: NextFunction) => void {
  const duration = metrics().httpDuration;
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let done = false;
    const observe = () => {
      if (done) return;
      done = true;
      duration.observe(
        {
          method: req.method,
          route: routeTemplateOf(req, res),
          status: res.headersSent || res.writableEnded ? String(res.statusCode) : '499',
        },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    };
    res.once('finish', observe);
    res.once('close', observe);
    next();
  };
}
