/** The alert feed (scope read), one alert with its history, and acknowledgement (scope operate). */
import { Hono } from 'hono';
import { z } from 'zod';
import { ALERT_TYPES, type AlertType } from '../../core/types.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { requireScope, tenantOf } from '../http/auth.ts';
import { badRequest, conflict, notFound } from '../http/problem.ts';
import { validate } from '../http/validate.ts';
import { getAlert, listAlerts } from '../services/alert-feed.ts';
import { acknowledgeAlert } from '../services/alerts.ts';
import type { Services } from '../services/index.ts';
import { resourceId } from '../services/inventory-schema.ts';

const listQuery = z.object({
  state: z.enum(['open', 'acknowledged', 'resolved', 'active']).optional(),
  severity: z.enum(['warning', 'critical']).optional(),
  type: z.enum(ALERT_TYPES as [AlertType, ...AlertType[]]).optional(),
  client: resourceId.optional(),
  device: resourceId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(2_048).optional(),
});
const idParam = z.object({ id: z.string().min(1).max(200) });
const acknowledgeBody = z.object({ note: z.string().trim().max(1_000).optional() });

/** GET /alerts, GET /alerts/:id, POST /alerts/:id/acknowledge. */
export function alertRoutes(deps: AppDeps, services: Services) {
  void services;
  const { db, clock } = deps;
  return new Hono<AppEnv>()
    .get('/alerts', requireScope('read'), validate('query', listQuery), async (c) => {
      const auth = c.get('auth');
      return c.json(await listAlerts(db, tenantOf(auth), auth.clientId, c.req.valid('query')));
    })
    .get('/alerts/:id', requireScope('read'), validate('param', idParam), async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const alert = await getAlert(db, tenantOf(auth), auth.clientId, id);
      if (!alert) throw notFound(`Alert "${id}"`);
      return c.json(alert);
    })
    .post('/alerts/:id/acknowledge', requireScope('operate'), validate('param', idParam), async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const note = await optionalNote(await c.req.text());
      const result = await db.transaction((tx) => acknowledgeAlert(tx, tenantOf(auth), auth.clientId, id, note, clock()));
      if (result.outcome === 'not-found') throw notFound(`Alert "${id}"`);
      if (result.outcome === 'resolved') throw conflict(`Alert "${id}" was resolved at ${result.item.resolvedAt}; only open alerts can be acknowledged.`);
      return c.json(result.item);
    });
}

/** The acknowledge body is optional: nothing, `{}` or `{note}`. */
async function optionalNote(text: string): Promise<string | null> {
  if (text.trim() === '') return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON; send nothing, or {"note": "…"}.');
  }
  const parsed = acknowledgeBody.safeParse(body);
  if (!parsed.success) throw badRequest('Send nothing, or {"note": "…"} with at most 1,000 characters.');
  return parsed.data.note || null;
}
