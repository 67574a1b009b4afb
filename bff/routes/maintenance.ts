/**
 * `/maintenance`: planned maintenance windows (read to list, operate to plan). A
 * client-scoped credential sees the windows of its client and plans only for it.
 */
import { z } from '@hono/zod-openapi';
import { MaintenanceWindowBodySchema, MaintenanceWindowPageSchema, MaintenanceWindowSchema } from '../../contract/maintenance.ts';
import { maintenanceWindowIssues, type MaintenanceWindowInput } from '../../core/index.ts';
import type { AuthContext } from '../context.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { cursorParam, idParam, limitParam, resourceIdParam } from '../http/params.ts';
import { notFound, unprocessable } from '../http/problem.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { deleteWindow, getWindow, listWindows, putWindow } from '../services/maintenance-windows.ts';

type WindowBody = z.infer<typeof MaintenanceWindowBodySchema>;

export const putMaintenanceRoute = apiRoute('operate', [400, 404, 415, 422], {
  method: 'put',
  path: '/{id}',
  summary: 'Plan (201) or replace (200) a maintenance window: one-off, or weekly / monthly in a timezone.',
  request: { params: resourceIdParam, body: { required: true, content: { 'application/json': { schema: MaintenanceWindowBodySchema } } } },
  responses: { 200: json('Replaced.', MaintenanceWindowSchema), 201: json('Created.', MaintenanceWindowSchema) },
});

export const listMaintenanceRoute = apiRoute('read', [400, 422], {
  method: 'get',
  path: '/',
  summary: 'The maintenance windows in id order, each with its next occurrences.',
  request: { query: z.object({ limit: limitParam(100), cursor: cursorParam }) },
  responses: { 200: json('A page of windows.', MaintenanceWindowPageSchema) },
});

export const getMaintenanceRoute = apiRoute('read', [404, 422], {
  method: 'get',
  path: '/{id}',
  summary: 'One maintenance window with its next occurrences.',
  request: { params: idParam },
  responses: { 200: json('The window.', MaintenanceWindowSchema) },
});

export const deleteMaintenanceRoute = apiRoute('operate', [404, 422], {
  method: 'delete',
  path: '/{id}',
  summary: 'Delete a maintenance window; its devices are evaluated again at the next sweep.',
  request: { params: idParam },
  responses: { 204: { description: 'Deleted.' } },
});

/** The window as core validates it, or a 422 naming each field it breaks. */
function windowInput(body: WindowBody, auth: AuthContext): MaintenanceWindowInput {
  const errors: { path: string; message: string }[] = [];
  const kinds = [body.start !== undefined || body.end !== undefined, body.weekly !== undefined, body.monthly !== undefined].filter(Boolean).length;
  if (kinds !== 1) errors.push({ path: 'start', message: 'give either start and end (one-off), or weekly, or monthly (with timezone)' });
  if (auth.clientId !== null && body.scope.clientId !== auth.clientId) {
    errors.push({ path: 'scope.clientId', message: `this credential plans maintenance for client "${auth.clientId}" only: scope.clientId must be "${auth.clientId}"` });
  }
  let input: MaintenanceWindowInput;
  if (body.weekly || body.monthly) {
    if (body.timezone === undefined) errors.push({ path: 'timezone', message: 'a recurring window needs a timezone such as "Europe/Berlin"' });
    const timezone = body.timezone ?? 'UTC';
    input = body.weekly ? { name: body.name, scope: body.scope, weekly: body.weekly, timezone } : { name: body.name, scope: body.scope, monthly: body.monthly!, timezone };
  } else {
    if (body.start === undefined) errors.push({ path: 'start', message: 'start is required for a one-off window' });
    if (body.end === undefined) errors.push({ path: 'end', message: 'end is required for a one-off window' });
    input = { name: body.name, scope: body.scope, start: Date.parse(body.start ?? ''), end: Date.parse(body.end ?? '') };
  }
  if (errors.length === 0) errors.push(...maintenanceWindowIssues(input));
  if (errors.length > 0) throw unprocessable(`The window has ${errors.length} invalid field(s).`, errors);
  return input;
}

export function maintenanceRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  return router()
    .openapi(listMaintenanceRoute, async (c) => {
      const auth = c.get('auth');
      return c.json(await listWindows(db, tenantOf(auth), auth.clientId, c.req.valid('query'), clock()), 200);
    })
    .openapi(getMaintenanceRoute, async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const window = await getWindow(db, tenantOf(auth), auth.clientId, id, clock());
      if (!window) throw notFound(`Maintenance window "${id}"`);
      return c.json(window, 200);
    })
    .openapi(putMaintenanceRoute, async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const input = windowInput(c.req.valid('json'), auth);
      const now = clock();
      const result = await db.transaction((tx) => putWindow(tx, tenantOf(auth), auth.clientId, id, input, now));
      if (result.outcome === 'hidden') throw notFound(`Maintenance window "${id}"`);
      return result.outcome === 'created' ? c.json(result.item, 201) : c.json(result.item, 200);
    })
    .openapi(deleteMaintenanceRoute, async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const now = clock();
      if (!(await db.transaction((tx) => deleteWindow(tx, tenantOf(auth), auth.clientId, id, now)))) throw notFound(`Maintenance window "${id}"`);
      return c.body(null, 204);
    });
}
