/** Serves the built widget module (`/widgets/backup-health.js`) to any origin. */
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppDeps, AppEnv } from '../context.ts';

export function widgetRoutes(deps: AppDeps) {
  const root = normalize(deps.config.widgetsDir);
  return new Hono<AppEnv>().use('*', cors({ origin: '*' })).get('/:file{[A-Za-z0-9._-]+\\.js(\\.map)?}', async (c) => {
    const file = c.req.param('file');
    let body: Buffer;
    try {
      body = await readFile(join(root, file));
    } catch {
      return c.json({ type: 'https://backup-health.dev/problems/not-found', title: 'Not found', status: 404, detail: `Widget file ${file} is not built; run "npm run build".` }, 404, {
        'Content-Type': 'application/problem+json',
      });
    }
    // The entry keeps its name (short cache); lazily loaded chunks carry a content hash.
    const immutable = file !== 'backup-health.js' && /-[A-Za-z0-9_-]{6,}\.js$/.test(file);
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': file.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    });
  });
}
