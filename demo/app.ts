/**
 * The demo's front app: demo pages, their assets and small JSON endpoints, and
 * everything else (`/api/v1`, `/widgets`, `/healthz`, …) handed to the BFF's own app
 * in-process, so the browser sees one origin.
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import type { DemoContext } from './context.ts';
import { demoApiRoutes } from './demo-api.ts';
import { pageRoutes } from './pages/routes.ts';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };

export function createDemoApp(context: DemoContext): Hono {
  const app = new Hono();
  app.get('/demo/assets/:file{[a-z0-9-]+\\.(css|js|svg)}', async (c) => {
    const file = c.req.param('file');
    try {
      const body = await readFile(join(PUBLIC_DIR, file));
      return c.body(new Uint8Array(body), 200, { 'Content-Type': TYPES[extname(file)]!, 'Cache-Control': 'no-cache' });
    } catch {
      return c.text('Not found', 404);
    }
  });
  app.route('/demo', demoApiRoutes(context));
  app.route('/', pageRoutes(context));
  app.all('*', (c) => {
    if (!context.bff) {
      return c.json({ type: 'https://backup-health.dev/problems/starting', title: 'The demo is starting', status: 503, detail: 'Retry in a few seconds.' }, 503, {
        'Content-Type': 'application/problem+json',
        'Retry-After': '2',
      });
    }
    return context.bff.app.fetch(c.req.raw, c.env);
  });
  return app;
}
