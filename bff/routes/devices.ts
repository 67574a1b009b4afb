/** `/devices`: the per-device view, detail, upsert (scope ingest) and retirement. */
import { z } from '@hono/zod-openapi';
import { DeviceDetailSchema, DeviceItemSchema, DevicePageSchema, JobItemSchema, ManualResultBodySchema, RetireBodySchema } from '../../contract/resources.ts';
import { textIssues } from '../../core/index.ts';
import { actorOf } from '../http/actor.ts';
import { DEVICE_KINDS, HEALTH_STATUSES } from '../../core/types.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { clientQuery, commaList, cursorParam, idParam, limitParam, resourceIdParam } from '../http/params.ts';
import { notFound, unprocessable } from '../http/problem.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { DEVICE_SORTS, getDeviceDetail, listDevices } from '../services/device-queries.ts';
import type { Services } from '../services/index.ts';
import { deviceBody } from '../services/inventory-schema.ts';
import { recordManualResult } from '../services/manual-result.ts';
import { pingKeyOf } from '../inbound/ping/ping-keys.ts';
import { deviceReporting } from '../inbound/ping/reporting.ts';

const listQuery = clientQuery.extend({
  status: commaList(HEALTH_STATUSES, 'status'),
  kind: commaList(DEVICE_KINDS, 'kind'),
  q: z.string().trim().max(200, 'q must be at most 200 characters').optional().openapi({ description: 'Case-insensitive substring of the name or id.' }),
  sort: z.enum(DEVICE_SORTS, { error: `sort must be one of ${DEVICE_SORTS.join(', ')}` }).default('score').openapi({ description: 'Default score (worst first). Ties by id.' }),
  order: z.enum(['asc', 'desc'], { error: 'order must be asc or desc' }).default('asc'),
  limit: limitParam(50),
  cursor: cursorParam,
  include: commaList(['schedule', 'runs'] as const, 'include').openapi({
    description: '`schedule`: each item carries schedule, nextDueAt, lateSince, offlineSince (derived from its state); `runs`: those and its last 14 runs (reads the page\'s recent jobs). The device table asks for `runs`.',
  }),
});

export const listDevicesRoute = apiRoute('read', [400, 422], {
  method: 'get',
  path: '/',
  summary: 'The per-device view: persisted health, filtered, sorted, keyset-paginated.',
  request: { query: listQuery },
  responses: { 200: json('A page of devices.', DevicePageSchema) },
});

export const getDeviceRoute = apiRoute('read', [404], {
  method: 'get',
  path: '/{id}',
  summary: 'Device detail: components, reasons, SLA, jobs, DR tests, storage history, open alerts.',
  request: { params: idParam },
  responses: { 200: json('The device.', DeviceDetailSchema) },
});

export const putDeviceRoute = apiRoute('ingest', [400, 415, 422], {
  method: 'put',
  path: '/{id}',
  summary: 'Create (201) or update (200) a device.',
  request: { params: resourceIdParam, body: { required: true, content: { 'application/json': { schema: deviceBody } } } },
  responses: { 200: json('Updated.', DeviceItemSchema), 201: json('Created.', DeviceItemSchema) },
});

export const deleteDeviceRoute = apiRoute('ingest', [400, 404, 415, 422], {
  method: 'delete',
  path: '/{id}',
  summary: 'Retire a device (history kept), optionally saying why: {reason}.',
  request: { params: resourceIdParam, body: { required: false, content: { 'application/json': { schema: RetireBodySchema } } } },
  responses: { 204: { description: 'Retired.' } },
});

export const manualResultRoute = apiRoute('operate', [400, 404, 415, 422], {
  method: 'post',
  path: '/{id}/manual-result',
  summary: 'Record a backup result by hand (a copy made outside the tools, a lost report), with who and why; it counts like a job.',
  request: { params: idParam, body: { required: true, content: { 'application/json': { schema: ManualResultBodySchema } } } },
  responses: { 201: json('Recorded (and the device evaluated).', JobItemSchema) },
});

/** Longest retirement reason kept. */
const RETIRE_REASON_MAX = 500;

export function deviceRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  const { inventory, settings } = services;
  return router()
    .openapi(listDevicesRoute, async (c) => {
      const auth = c.get('auth');
      return c.json(await listDevices(db, tenantOf(auth), auth.clientId, c.req.valid('query'), clock()), 200);
    })
    .openapi(getDeviceRoute, async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const detail = await getDeviceDetail(db, settings, tenantOf(auth), auth.clientId, id, clock());
      if (!detail) throw notFound(`Device "${id}"`);
      // The ping key is a credential: only admins see URLs that carry it.
      if (!auth.scopes.includes('admin')) return c.json(detail, 200);
      const reporting = deviceReporting(deps.config.publicUrl, await pingKeyOf(db, tenantOf(auth)), detail.pingSlug, detail.client.id);
      return c.json({ ...detail, reporting }, 200);
    })
    .openapi(putDeviceRoute, async (c) => {
      const { created, value } = await inventory.upsertDevice(tenantOf(c.get('auth')), c.req.valid('param').id, c.req.valid('json'), clock());
      return created ? c.json(value, 201) : c.json(value, 200);
    })
    .openapi(deleteDeviceRoute, async (c) => {
      const { id } = c.req.valid('param');
      const reason = (c.req.valid('json') as { reason?: string } | undefined)?.reason;
      if (reason !== undefined) {
        const errors = textIssues('reason', reason, RETIRE_REASON_MAX);
        if (errors.length > 0) throw unprocessable('The retirement reason is not valid.', errors);
      }
      if (!(await inventory.retireDevice(tenantOf(c.get('auth')), id, clock(), reason?.trim() ?? null))) throw notFound(`Device "${id}"`);
      return c.body(null, 204);
    })
    .openapi(manualResultRoute, async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const scope = { tenantId: tenantOf(auth), clientId: auth.clientId };
      const job = await recordManualResult(db, services.ingestor, scope, id, c.req.valid('json'), actorOf(auth), clock(), deps.config.clockSkewMs);
      if (!job) throw notFound(`Device "${id}"`);
      return c.json(job, 201);
    });
}
