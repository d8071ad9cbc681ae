import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { errorBody } from './error-response';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * 405 with `Allow` for a method a documented path does not have (instead of Express's 404), so
 * a client learns the path exists and what it takes. The routes are the service's OpenAPI paths:
 * the same list the document shows. HEAD is allowed wherever GET is.
 */
export function methodNotAllowed(doc: OpenAPIObject): (req: Request, res: Response, next: NextFunction) => void {
  const routes = Object.entries(doc.paths).map(([path, item]) => {
    const methods = METHODS.filter((m) => (item as Record<string, unknown>)[m] !== undefined).map((m) => m.toUpperCase());
    if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
    const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}/?$`);
    return { pattern, methods };
  });
  return (req, res, next) => {
    const path = req.path;
    const route = routes.find((r) => r.pattern.test(path));
    if (route === undefined || route.methods.includes(req.method)) return next();
    res.setHeader('Allow', route.methods.join(', '));
    res.status(405).json(errorBody(405, `${req.method} is not allowed on ${path}; allowed: ${route.methods.join(', ')}`));
  };
}
