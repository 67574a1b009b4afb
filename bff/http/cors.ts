/**
 * CORS for the API: Hono's `cors` answers preflights; on every other request the
 * headers are added to the final answer after the handler. (Hono's sets them on
 * `c.res` before the handler runs, which makes Hono rebuild the handler's response
 * around a body stream and costs @hono/node-server its direct write of a string
 * body: about a tenth of a `GET /devices`.)
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

export interface CorsOptions {
  /** The allowed origin for a request's `Origin` ('' when absent): '*', the origin itself, or null (no CORS headers). */
  origin: (origin: string) => string | null;
  allowHeaders: string[];
  allowMethods: string[];
  exposeHeaders: string[];
  maxAge: number;
}

export function apiCors(options: CorsOptions): MiddlewareHandler {
  const preflight = cors(options);
  const exposed = options.exposeHeaders.join(',');
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    const headers = c.res.headers;
    const allowed = options.origin(c.req.header('origin') || '');
    if (allowed) headers.set('Access-Control-Allow-Origin', allowed);
    headers.set('Access-Control-Expose-Headers', exposed);
    headers.append('Vary', 'Origin');
  };
}
