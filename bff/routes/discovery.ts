/**
 * `/discovery` (scope admin): devices that reported by ping (`?create=1`) before they
 * were enrolled. Approve one to enrol it with that ping slug and replay its held
 * pings; ignore one to stop holding its pings.
 */
import { z } from '@hono/zod-openapi';
import { ApproveDiscoveredBodySchema, ApprovedDeviceSchema, DiscoveredDeviceSchema, DiscoveredListSchema } from '../../contract/discovery.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { notFound, unprocessable } from '../http/problem.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { forgetDiscovered, getDiscovered, ignoreDiscovered, listDiscovered } from '../inbound/ping/discovery.ts';
import { PingIngest } from '../inbound/ping/ping-ingest.ts';
import { pingKeyOf } from '../inbound/ping/ping-keys.ts';
import { deviceBody, resourceId } from '../services/inventory-schema.ts';
import type { Services } from '../services/index.ts';

const slugParam = z.object({ slug: z.string().max(200).openapi({ param: { name: 'slug', in: 'path' } }) });

export const listDiscoveredRoute = apiRoute('admin', [422], {
  method: 'get',
  path: '/',
  summary: 'Devices that pinged with ?create=1 before being enrolled (newest first); `state=ignored` lists the ignored ones.',
  request: { query: z.object({ state: z.enum(['pending', 'ignored'], { error: 'state must be pending or ignored' }).default('pending') }) },
  responses: { 200: json('The discovered devices.', DiscoveredListSchema) },
});

export const approveDiscoveredRoute = apiRoute('admin', [400, 404, 409, 415, 422], {
  method: 'post',
  path: '/{slug}/approve',
  summary: 'Enrol a discovered device with its ping slug and replay its held pings in order.',
  request: { params: slugParam, body: { required: true, content: { 'application/json': { schema: ApproveDiscoveredBodySchema } } } },
  responses: { 201: json('Enrolled; its held pings are recorded.', ApprovedDeviceSchema) },
});

export const ignoreDiscoveredRoute = apiRoute('admin', [404], {
  method: 'post',
  path: '/{slug}/ignore',
  summary: 'Stop holding pings of a discovered slug (they answer "not found" from now on).',
  request: { params: slugParam },
  responses: { 200: json('Ignored.', DiscoveredDeviceSchema) },
});

export function discoveryRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  const pings = new PingIngest(db, services.ingestor);
  return router()
    .openapi(listDiscoveredRoute, async (c) => c.json({ items: await listDiscovered(db, tenantOf(c.get('auth')), c.req.valid('query').state) }, 200))
    .openapi(approveDiscoveredRoute, async (c) => {
      const tenantId = tenantOf(c.get('auth'));
      const { slug } = c.req.valid('param');
      const discovered = await getDiscovered(db, tenantId, slug);
      if (!discovered) throw notFound(`Discovered device "${slug}"`);
      const { deviceId = slug, ...fields } = c.req.valid('json');
      const id = resourceId.safeParse(deviceId);
      const body = deviceBody.safeParse({ ...fields, pingSlug: slug });
      if (!id.success || !body.success) {
        const issues = [
          ...(id.success ? [] : [{ path: 'deviceId', message: id.error.issues[0]!.message }]),
          ...(body.success ? [] : body.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))),
        ];
        throw unprocessable('The device to enrol is not valid.', issues);
      }
      const now = clock();
      await services.inventory.upsertDevice(tenantId, id.data, body.data, now);
      // Replayed as they came, each at its own time, through the ordinary ping path.
      const pingKey = await pingKeyOf(db, tenantId);
      let replayed = 0;
      for (const action of discovered.held) if ((await pings.apply(pingKey, slug, action, now, { wait: true })).applied) replayed += 1;
      await forgetDiscovered(db, tenantId, slug);
      return c.json({ deviceId: id.data, replayed }, 201);
    })
    .openapi(ignoreDiscoveredRoute, async (c) => {
      const { slug } = c.req.valid('param');
      const item = await ignoreDiscovered(db, tenantOf(c.get('auth')), slug);
      if (!item) throw notFound(`Discovered device "${slug}"`);
      return c.json(item, 200);
    });
}
