/**
 * Serves the built widget module (`/widgets/backup-health.js`) and its chunks to any
 * origin: compressed per Accept-Encoding, with an ETag and 304 on revalidation.
 */
import { join, normalize } from 'node:path';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppDeps, AppEnv } from '../context.ts';
import { matchesEtag, StaticFiles, type Representation } from '../http/static-file.ts';

export function widgetRoutes(deps: AppDeps) {
  const root = normalize(deps.config.widgetsDir);
  const files = new StaticFiles();
  return new Hono<AppEnv>().use('*', cors({ origin: '*' })).get('/:file{[A-Za-z0-9._-]+\\.js(\\.map)?}', async (c) => {
    const file = c.req.param('file');
    let representation: Representation;
    try {
      representation = await files.get(join(root, file), c.req.header('accept-encoding'));
    } catch {
      return c.json({ type: 'https://backup-health.dev/problems/not-found', title: 'Not found', status: 404, detail: `Widget file ${file} is not built; run "npm run build".` }, 404, {
        'Content-Type': 'application/problem+json',
      });
    }
    // The entry keeps its name (short cache); lazily loaded chunks carry a content hash.
    const immutable = file !== 'backup-health.js' && /-[A-Za-z0-9_-]{6,}\.js$/.test(file);
    const headers: Record<string, string> = {
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      ETag: representation.etag,
      Vary: 'Accept-Encoding',
    };
    if (matchesEtag(c.req.header('if-none-match'), representation.etag)) return c.body(null, 304, headers);
    return c.body(representation.body, 200, {
      ...headers,
      'Content-Type': file.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8',
      ...(representation.encoding ? { 'Content-Encoding': representation.encoding } : {}),
    });
  });
}
