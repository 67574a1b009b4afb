/** Inventory upserts (scope ingest): clients, policies, devices, and the CSV device import. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../context.ts';
import { requireScope, tenantOf } from '../http/auth.ts';
import { notFound, ProblemError } from '../http/problem.ts';
import { validate } from '../http/validate.ts';
import { importDevices, parseDeviceCsv } from '../services/device-import.ts';
import type { Services } from '../services/index.ts';
import { clientBody, deviceBody, policyBody, resourceId } from '../services/inventory-schema.ts';
import { evaluationArea } from '../wiring/evaluation.ts';

const idParam = z.object({ id: resourceId });

/** PUT /clients/:id, PUT /policies/:id, PUT and DELETE /devices/:id, POST /import/devices. */
export function inventoryRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  const { inventory } = evaluationArea(services);
  return new Hono<AppEnv>()
    .put('/clients/:id', requireScope('ingest'), validate('param', idParam), validate('json', clientBody), async (c) => {
      const { created, value } = await inventory.upsertClient(tenantOf(c.get('auth')), c.req.valid('param').id, c.req.valid('json'), clock());
      return c.json(value, created ? 201 : 200);
    })
    .put('/policies/:id', requireScope('ingest'), validate('param', idParam), validate('json', policyBody), async (c) => {
      const { created, value } = await inventory.upsertPolicy(tenantOf(c.get('auth')), c.req.valid('param').id, c.req.valid('json'), clock());
      return c.json(value, created ? 201 : 200);
    })
    .put('/devices/:id', requireScope('ingest'), validate('param', idParam), validate('json', deviceBody), async (c) => {
      const { created, value } = await inventory.upsertDevice(tenantOf(c.get('auth')), c.req.valid('param').id, c.req.valid('json'), clock());
      return c.json(value, created ? 201 : 200);
    })
    .delete('/devices/:id', requireScope('ingest'), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      if (!(await inventory.retireDevice(tenantOf(c.get('auth')), id, clock()))) throw notFound(`Device "${id}"`);
      return c.body(null, 204);
    })
    .post('/import/devices', requireScope('ingest'), async (c) => {
      const type = c.req.header('content-type') ?? '';
      if (!/^text\/csv\b/i.test(type)) {
        throw new ProblemError(415, 'unsupported-media-type', 'Unsupported media type', 'Send the devices as CSV with "Content-Type: text/csv" and a header row: id,name,clientId,kind,policyId,quotaBytes.');
      }
      const rows = parseDeviceCsv(await c.req.text());
      return c.json(await importDevices(db, inventory, tenantOf(c.get('auth')), rows, clock()));
    });
}
