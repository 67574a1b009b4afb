/**
 * `/events` (scope ingest): one event or a batch of up to 5,000, stored atomically and
 * answered once durable; the evaluation queue evaluates the devices right after.
 * `Prefer: wait=evaluated` (or `?wait=evaluated`) answers after the evaluation instead.
 */
import { z } from '@hono/zod-openapi';
import { IngestResultSchema } from '../../contract/resources.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { badRequest } from '../http/problem.ts';
import { apiRoute, documentedOnly, json, router } from '../http/route.ts';
import { eventSchema, MAX_BATCH, parseEventBody } from '../services/ingest/schema.ts';
import type { Services } from '../services/index.ts';

// The body is documented from the ingest schema but parsed by `parseEventBody`, which
// names each bad event by its index and checks times against the clock.
const eventBody = documentedOnly(z.union([eventSchema, z.object({ events: z.array(eventSchema).max(MAX_BATCH) })]));

export const postEventsRoute = apiRoute('ingest', [400, 413, 422], {
  method: 'post',
  path: '/',
  summary: 'Ingest one event or a batch of up to 5,000 (atomic, idempotent). 202 once stored; `Prefer: wait=evaluated` answers after the devices are evaluated.',
  request: {
    query: z.object({ wait: z.enum(['evaluated']).optional().openapi({ description: 'Same as the header `Prefer: wait=evaluated`.' }) }),
    headers: z.object({ prefer: z.string().optional().openapi({ description: '`wait=evaluated`: answer after the devices are evaluated (read-your-writes).' }) }),
    body: { required: true, content: { 'application/json': { schema: eventBody } } } },
  responses: { 202: json('Stored (and evaluated when asked to wait).', IngestResultSchema) },
});

export function eventRoutes(deps: AppDeps, services: Services) {
  const { clock, config } = deps;
  return router().openapi(postEventsRoute, async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch (error) {
      throw badRequest(`The body is not valid JSON (${(error as Error).message}); send one event object or {"events": [...]}.`);
    }
    const now = clock();
    const events = parseEventBody(body, now, config.clockSkewMs);
    const wait = waitsForEvaluation(c.req.query('wait'), c.req.header('prefer'));
    if (wait) c.header('Preference-Applied', 'wait=evaluated');
    return c.json(await services.ingestor.ingest(tenantOf(c.get('auth')), events, now, { wait }), 202);
  });
}

/** RFC 7240 preferences are a comma-separated list; `wait=evaluated` is ours (the standard `wait` takes seconds). */
export function waitsForEvaluation(query: string | undefined, prefer: string | undefined): boolean {
  if (query === 'evaluated') return true;
  return (prefer ?? '').split(',').some((preference) => preference.trim().toLowerCase().replace(/\s+/g, '') === 'wait=evaluated');
}
