/** Liveness and readiness for load balancers (and for watching the watcher). */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import type { Services } from '../services/index.ts';

export function healthRoutes(deps: AppDeps, services: Services) {
  return new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      try {
        await deps.db.get('SELECT 1 AS ok');
      } catch (error) {
        return c.json({ status: 'unavailable', database: 'unreachable', detail: String(error) }, 503);
      }
      return c.json({ status: 'ready', database: 'ok', ...(await services.readiness()) });
    });
}
