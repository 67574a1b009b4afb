/**
 * `/alerts`: the alert feed (scope read), one alert with its history, and the
 * acknowledgement workflow (scope operate): acknowledge with a note, unacknowledge,
 * acknowledge several at once. The actor is `actorOf(auth)`: `key:<name>` or the token's subject.
 */
import { z } from '@hono/zod-openapi';
import { AlertItemSchema, AlertPageSchema, BulkAcknowledgeSchema } from '../../contract/resources.ts';
import { ALERT_TYPES, type AlertType } from '../../core/types.ts';
import type { AppDeps } from '../context.ts';
import { actorOf } from '../http/actor.ts';
import { tenantOf } from '../http/auth.ts';
import type { AuthContext } from '../context.ts';
import { cursorParam, idParam, limitParam } from '../http/params.ts';
import { badRequest, conflict, notFound, notJson, unprocessable } from '../http/problem.ts';
import { issuesToErrors } from '../http/validate.ts';
import { apiRoute, documentedOnly, json, router } from '../http/route.ts';
import { getAlert, listAlerts } from '../services/alert-feed.ts';
import { withSilencedBy } from '../services/quiet-views.ts';
import { ACKNOWLEDGE_NOTE_MAX } from '../../core/acknowledgement.ts';
import { acknowledgeMany, stepAlert, type WorkflowActor, type WorkflowResult } from '../services/alert-workflow.ts';
import type { Services } from '../services/index.ts';
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

/** The acknowledge and unacknowledge body is optional: nothing, `{}` or `{note}` (line breaks allowed). */
const acknowledgeBody = z.object({ note: z.string().trim().max(ACKNOWLEDGE_NOTE_MAX).optional() });

const bulkBody = z.object({
  ids: z.array(resourceId).min(1, 'name at least one alert').max(100, 'at most 100 alerts at once'),
  note: z.string().trim().max(ACKNOWLEDGE_NOTE_MAX).optional(),
});

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

export const acknowledgeAlertRoute = apiRoute('operate', [400, 404, 409, 415, 422], {
  method: 'post',
  path: '/{id}/acknowledge',
  summary: 'Acknowledge an alert.',
  request: { params: idParam, body: { required: false, content: { 'application/json': { schema: documentedOnly(acknowledgeBody) } } } },
  responses: { 200: json('The acknowledged alert.', AlertItemSchema) },
});

export const unacknowledgeAlertRoute = apiRoute('operate', [400, 404, 409, 415, 422], {
  method: 'post',
  path: '/{id}/unacknowledge',
  summary: 'Undo an acknowledgement: the alert is open again and reminds from now.',
  request: { params: idParam, body: { required: false, content: { 'application/json': { schema: documentedOnly(acknowledgeBody) } } } },
  responses: { 200: json('The alert, open again.', AlertItemSchema) },
});

export const bulkAcknowledgeRoute = apiRoute('operate', [400, 415, 422], {
  method: 'post',
  path: '/acknowledge',
  summary: 'Acknowledge several alerts at once; each alert answers for itself.',
  request: { body: { required: true, content: { 'application/json': { schema: bulkBody } } } },
  responses: { 200: json('The outcome per alert, in the order asked; an id given twice is answered once.', BulkAcknowledgeSchema) },
});

export function alertRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  const actor = async (auth: AuthContext): Promise<WorkflowActor> => {
    const tenantId = tenantOf(auth);
    const { reminderHours } = await services.settings.get(tenantId, 'alerts');
    return { tenantId, clientScope: auth.clientId, by: actorOf(auth), reminderHours };
  };
  // The answer shows the silences muting the alert, like the feed and the detail.
  const answer = async (tenantId: string, id: string, result: WorkflowResult) => {
    if (result.outcome === 'not-found') throw notFound(`Alert "${id}"`);
    if (result.outcome === 'resolved') throw conflict(`Alert "${id}" was resolved at ${result.item.resolvedAt}. ${result.message}`);
    return (await withSilencedBy(db, tenantId, [result.item], clock()))[0]!;
  };
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
    .openapi(bulkAcknowledgeRoute, async (c) => {
      const who = await actor(c.get('auth'));
      const { ids, note } = c.req.valid('json');
      const results = await db.transaction((tx) => acknowledgeMany(tx, who, ids, note || null, clock()));
      const alerts = await withSilencedBy(db, who.tenantId, results.flatMap((result) => ('alert' in result ? [result.alert] : [])), clock());
      let next = 0;
      return c.json({ results: results.map((result) => ('alert' in result ? { ...result, alert: alerts[next++]! } : result)) }, 200);
    })
    .openapi(acknowledgeAlertRoute, async (c) => {
      const who = await actor(c.get('auth'));
      const { id } = c.req.valid('param');
      const note = optionalNote(c.req.header('content-type'), await c.req.text());
      const result = await db.transaction((tx) => stepAlert(tx, who, id, { action: 'acknowledge', by: who.by, note, at: clock() }));
      return c.json(await answer(who.tenantId, id, result), 200);
    })
    .openapi(unacknowledgeAlertRoute, async (c) => {
      const who = await actor(c.get('auth'));
      const { id } = c.req.valid('param');
      const note = optionalNote(c.req.header('content-type'), await c.req.text());
      const result = await db.transaction((tx) => stepAlert(tx, who, id, { action: 'unacknowledge', by: who.by, note, at: clock() }));
      return c.json(await answer(who.tenantId, id, result), 200);
    });
}

/** What zod-openapi's media-type gate accepts as JSON on the routes it guards. */
const JSON_MEDIA_TYPE = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

/**
 * The optional `{note}` read as the validated routes read a body, so both answer alike:
 * another media type is a 415, a note that is not a string or too long a 422 naming `note`.
 */
function optionalNote(contentType: string | undefined, text: string): string | null {
  if (text.trim() === '') return null;
  if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType)) throw notJson();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON; send nothing, or {"note": "…"}.');
  }
  const parsed = acknowledgeBody.safeParse(body);
  if (!parsed.success) throw unprocessable(`The body has ${parsed.error.issues.length} invalid field(s).`, issuesToErrors(parsed.error.issues));
  return parsed.data.note || null;
}
