import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, NotFoundException, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { createProxyMiddleware, type RequestHandler } from 'http-proxy-middleware';
import { GATEWAY_CONFIG, type GatewayConfig } from '@lifecycle/config';
import { errorBody, REQUEST_ID_HEADER } from '@lifecycle/http';
import { METRICS_ROUTE, requestTraceContext, traceHeaders } from '@lifecycle/observability';
import type { AuthenticatedRequest } from '../auth/auth.middleware';
import { InternalCredential } from '../auth/internal-credential';
import { routeOf, type Upstream } from './route-table';
import { UPSTREAM_AGENT } from './upstream-http';

const SERVICE_NAMES: Record<Upstream, string> = {
  catalog: 'attribute-catalog',
  tracking: 'status-tracking',
  cycles: 'cycle-planning',
  segments: 'segment-evaluation',
};

/** Forwards `/v1/…` to the owning service (streamed, bodies untouched; CSV imports stream through). */
@Injectable()
export class ProxyMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Proxy');
  private readonly proxies: Record<Upstream, RequestHandler<Request, Response>>;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, credential: InternalCredential) {
    const make = (upstream: Upstream): RequestHandler<Request, Response> =>
      createProxyMiddleware<Request, Response>({
        target: config.upstreams[upstream],
        changeOrigin: false,
        agent: UPSTREAM_AGENT,
        proxyTimeout: 120_000,
        // Express strips the mount path; keep the full original path.
        pathRewrite: (_path: string, req: Request) => req.originalUrl,
        on: {
          proxyReq: (proxyReq: ClientRequest, req: IncomingMessage) => {
            const r = req as AuthenticatedRequest & { id?: string };
            proxyReq.removeHeader('authorization');
            const requestId = r.id === undefined ? null : String(r.id);
            if (requestId !== null) proxyReq.setHeader(REQUEST_ID_HEADER, requestId);
            const principal = InternalCredential.principalOf(r.principal);
            if (r.principal) proxyReq.setHeader('x-actor', principal);
            const added = { ...credential.headers(principal, requestId), ...traceHeaders(requestTraceContext(r)) };
            for (const [name, value] of Object.entries(added)) proxyReq.setHeader(name, value);
          },
          error: (err: Error, _req: IncomingMessage, res: ServerResponse | import('node:net').Socket) => {
            this.logger.warn(`${SERVICE_NAMES[upstream]} unreachable: ${err.message}`);
            if (!('writeHead' in res) || res.headersSent) return;
            res.writeHead(503, { 'content-type': 'application/json' });
            res.end(JSON.stringify(errorBody(503, `The ${SERVICE_NAMES[upstream]} service is unavailable; retry shortly`)));
          },
        },
      });
    this.proxies = { catalog: make('catalog'), tracking: make('tracking'), cycles: make('cycles'), segments: make('segments') };
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const path = req.originalUrl.split('?', 1)[0] ?? '';
    const route = routeOf(req.method, path);
    if (route.kind === 'local') return next();
    if (route.kind === 'none') throw new NotFoundException(`No route for ${req.method} ${path}`);
    if (route.kind === 'method-not-allowed') {
      res.setHeader('Allow', route.allow.join(', '));
      res.status(405).json(errorBody(405, `${req.method} is not allowed on ${path}; allowed: ${route.allow.join(', ')}`));
      return;
    }
    // Counted per upstream here; each service counts its own requests per route template.
    res.locals[METRICS_ROUTE] = `upstream:${SERVICE_NAMES[route.upstream]}`;
    void this.proxies[route.upstream](req, res, next);
  }
}
