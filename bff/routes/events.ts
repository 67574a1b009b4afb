/** POST /events (scope ingest): one event or a batch of up to 5,000, stored and evaluated atomically. */
import { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { requireScope, tenantOf } from '../http/auth.ts';
import { badRequest } from '../http/problem.ts';
import { parseEventBody } from '../services/ingest/index.ts';
import type { Services } from '../services/index.ts';
import { evaluationArea } from '../wiring/evaluation.ts';

/** POST /events: 202 {accepted, duplicates}; 400 unreadable JSON, 413 too large, 422 naming every bad index. */
export function eventRoutes(deps: AppDeps, services: Services) {
  const { clock, config } = deps;
  const { ingestor } = evaluationArea(services);
  return new Hono<AppEnv>().post('/events', requireScope('ingest'), async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch (error) {
      throw badRequest(`The body is not valid JSON (${(error as Error).message}); send one event object or {"events": [...]}.`);
    }
    const now = clock();
    const events = parseEventBody(body, now, config.clockSkewMs);
    return c.json(await ingestor.ingest(tenantOf(c.get('auth')), events, now), 202);
  });
}
