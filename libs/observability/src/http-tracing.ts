import { context, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { routeTemplateOf, UNMATCHED_ROUTE } from './http-metrics';
import { contextOfTraceparent, startSpan, TRACEPARENT, tracingEnabled } from './tracing';

const REQUEST_CONTEXT = Symbol('traceContext');

/** The trace context of a request's server span (for calls it makes: the gateway's proxy and reads). */
export function requestTraceContext(req: Request): Context {
  return (req as Request & { [REQUEST_CONTEXT]?: Context })[REQUEST_CONTEXT] ?? context.active();
}

/**
 * One SERVER span per request, the child of the caller's `traceparent` when it sent one, active for
 * everything the request does (the request's streams are bound to it, so work after the body is
 * read keeps it). Named `METHOD route template` once the route is known. Nothing when tracing is off.
 */
export function httpTracing(service: string): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    if (!tracingEnabled()) return next();
    const header = req.headers[TRACEPARENT];
    const parent = contextOfTraceparent(typeof header === 'string' ? header : null);
    const span = startSpan(`${req.method}`, {
      service,
      kind: SpanKind.SERVER,
      parent,
      attributes: { 'http.request.method': req.method, 'url.path': req.path },
    });
    if (span === null) return next();
    const ctx = trace.setSpan(parent, span);
    (req as Request & { [REQUEST_CONTEXT]?: Context })[REQUEST_CONTEXT] = ctx;
    context.bind(ctx, req);
    context.bind(ctx, res);
    res.once('finish', () => {
      const route = routeTemplateOf(req, res);
      span.updateName(`${req.method} ${route}`);
      if (route !== UNMATCHED_ROUTE) span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(ctx, next);
  };
}
