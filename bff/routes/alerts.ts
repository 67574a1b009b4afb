/** `/alerts`: the alert feed (scope read), one alert with its history, and acknowledgement (scope operate). */
import { z } from '@hono/zod-openapi';
import { AlertItemSchema, AlertPageSchema } from '../../contract/resources.ts';
import { ALERT_TYPES, type AlertType } from '../../core/types.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { cursorParam, idParam, limitParam } from '../http/params.ts';
import { badRequest, conflict, notFound } from '../http/problem.ts';
import { apiRoute, documentedOnly, json, router } from '../http/route.ts';
import { getAlert, listAlerts } from '../services/alert-feed.ts';
import { acknowledgeAlert } from '../services/alerts.ts';
import { resourceId } from '../services/inventory-schema.ts';

const listQuery = z.object({
  state: z.enum(['open', 'acknowledged', 'resolved', 'active']).optional().openapi({ description: '`active` = open + acknowledged.' }),
  severity: z.enum(['warning', 'critical']).optional(),
  type: z.enum(ALERT_TYPES as [AlertType, ...AlertType[]]).optional(),
  client: resourceId.optional(),
  device: resourceId.optional(),
  limit: limitParam(100),
  cursor: cursorParam,
});

/** The acknowledge body is optional: nothing, `{}` or `{note}`. */
const acknowledgeBody = z.object({ note: z.string().trim().max(1_000).optional() });

export const listAlertsRoute = apiRoute('read', [400, 422], {
  method: 'get',
  path: '/',
  summary: 'The alert feed, newest first.',
  request: { query: listQuery },
  responses: { 200: json('A page of alerts.', AlertPageSchema) },
});

export const getAlertRoute = apiRoute('read', [404, 422], {
  method: 'get',
  path: '/{id}',
  summary: 'One alert with its history.',
  request: { params: idParam },
  responses: { 200: json('The alert.', AlertItemSchema) },
});

// The body is parsed by the handler (it may be absent), so it is documented as JSON Schema.

export const acknowledgeAlertRoute = apiRoute('operate', [400, 404, 409, 422], {
  method: 'post',
  path: '/{id}/acknowledge',
  summary: 'Acknowledge an alert.',
  request: { params: idParam, body: { required: false, content: { 'application/json': { schema: documentedOnly(acknowledgeBody) } } } },
  responses: { 200: json('The acknowledged alert.', AlertItemSchema) },
});

export function alertRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return router()
    .openapi(listAlertsRoute, async (c) => {
      const auth = c.get('auth');
      return c.json(await listAlerts(db, tenantOf(auth), auth.clientId, c.req.valid('query'), clock()), 200);
    })
    .openapi(getAlertRoute, async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const alert = await getAlert(db, tenantOf(auth), auth.clientId, id, clock());
      if (!alert) throw notFound(`Alert "${id}"`);
      return c.json(alert, 200);
    })
    .openapi(acknowledgeAlertRoute, async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const note = await optionalNote(await c.req.text());
      const result = await db.transaction((tx) => acknowledgeAlert(tx, tenantOf(auth), auth.clientId, id, note, clock()));
      if (result.outcome === 'not-found') throw notFound(`Alert "${id}"`);
      if (result.outcome === 'resolved') throw conflict(`Alert "${id}" was resolved at ${result.item.resolvedAt}; only open alerts can be acknowledged.`);
      return c.json(result.item, 200);
    });
}

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
