import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { errorBody } from '@lifecycle/http';

export const CONSOLE_PATH = '/console';

/** Where `npm run build:console` writes the console, relative to the working directory. */
export const DEFAULT_CONSOLE_DIR = join('dist', 'console');

/**
 * Headers of every answer under /console. The built console is files only: its scripts are
 * modules loaded from /console/assets, so no inline script runs (`script-src 'self'`). Styles
 * allow 'unsafe-inline' because the component library sets its theme as CSS variables in a
 * <style> element and positions popovers with style attributes; no script can be injected that way.
 * The API calls go to the same origin (`connect-src 'self'`).
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** File names under assets/ carry a content hash: a changed file is a new URL. */
const ASSETS = '/assets/';

/**
 * Serves the built console at /console: its files, and index.html for every other GET under
 * /console (the console's own routes, such as /console/accounts/acme), except under
 * /console/assets/, where a missing file is a 404. No key is asked for the files: they hold no
 * data, and every API call of the console carries the user's key.
 */
export function serveConsole(app: NestExpressApplication, dir: string): void {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  app.use(CONSOLE_PATH, (_req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of Object.entries(CONSOLE_SECURITY_HEADERS)) res.setHeader(name, value);
    next();
  });
  app.useStaticAssets(root, {
    prefix: CONSOLE_PATH,
    index: false,
    redirect: false,
    setHeaders: (res: Response, path: string) => {
      const immutable = path.startsWith(join(root, 'assets'));
      res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use(CONSOLE_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path.startsWith(ASSETS)) {
      res.status(404).json(errorBody(404, `No console file ${CONSOLE_PATH}${req.path}`));
      return;
    }
    if (!existsSync(index)) {
      res.status(404).json(errorBody(404, `The console is not built (${index} is missing); npm run build:console builds it`));
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
