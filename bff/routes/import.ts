/** `/import/devices` (scope ingest): bulk device upsert from CSV, atomic, with per-row errors. */
import { z } from '@hono/zod-openapi';
import { ImportResultSchema } from '../../contract/resources.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { ProblemError } from '../http/problem.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { importDevices, parseDeviceCsv } from '../services/device-import.ts';
import type { Services } from '../services/index.ts';

export const importDevicesRoute = apiRoute('ingest', [413, 415, 422], {
  method: 'post',
  path: '/devices',
  summary: 'Bulk upsert devices from CSV (atomic; per-row errors).',
  request: { body: { required: true, content: { 'text/csv': { schema: z.string().openapi({ description: 'Header row: id,name,clientId,kind,policyId,quotaBytes.' }) } } } },
  responses: { 200: json('What the import created and updated.', ImportResultSchema) },
});

export function importRoutes(deps: AppDeps, services: Services) {
  return router().openapi(importDevicesRoute, async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^text\/csv\b/i.test(type)) {
      throw new ProblemError(415, 'unsupported-media-type', 'Unsupported media type', 'Send the devices as CSV with "Content-Type: text/csv" and a header row: id,name,clientId,kind,policyId,quotaBytes.');
    }
    const rows = parseDeviceCsv(await c.req.text());
    return c.json(await importDevices(deps.db, services.inventory, tenantOf(c.get('auth')), rows, deps.clock()), 200);
  });
}
