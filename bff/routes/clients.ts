/** `/clients`: per-client roll-ups (status counts, compliance) and the client upsert (scope ingest). */
import { ClientItemSchema, ClientPageSchema, ClientRecordSchema } from '../../contract/resources.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { cursorParam, idParam, limitParam, resourceIdParam } from '../http/params.ts';
import { notFound } from '../http/problem.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { z } from '@hono/zod-openapi';
import { getClient, listClients } from '../services/client-queries.ts';
import type { Services } from '../services/index.ts';
import { clientBody } from '../services/inventory-schema.ts';

export const listClientsRoute = apiRoute('read', [400, 422], {
  method: 'get',
  path: '/',
  summary: 'Clients by name with health counts and SLA compliance.',
  request: { query: z.object({ limit: limitParam(100), cursor: cursorParam }) },
  responses: { 200: json('A page of clients.', ClientPageSchema) },
});

export const getClientRoute = apiRoute('read', [404], {
  method: 'get',
  path: '/{id}',
  summary: "One client's roll-up.",
  request: { params: idParam },
  responses: { 200: json('The client.', ClientItemSchema) },
});

export const putClientRoute = apiRoute('ingest', [400, 415, 422], {
  method: 'put',
  path: '/{id}',
  summary: 'Create (201) or update (200) a client.',
  request: { params: resourceIdParam, body: { required: true, content: { 'application/json': { schema: clientBody } } } },
  responses: { 200: json('Updated.', ClientRecordSchema), 201: json('Created.', ClientRecordSchema) },
});

export function clientRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  return router()
    .openapi(listClientsRoute, async (c) => {
      const auth = c.get('auth');
      return c.json(await listClients(db, tenantOf(auth), auth.clientId, c.req.valid('query')), 200);
    })
    .openapi(getClientRoute, async (c) => {
      const auth = c.get('auth');
      const { id } = c.req.valid('param');
      const client = auth.clientId === null || auth.clientId === id ? await getClient(db, tenantOf(auth), id) : null;
      if (!client) throw notFound(`Client "${id}"`);
      return c.json(client, 200);
    })
    .openapi(putClientRoute, async (c) => {
      const { created, value } = await services.inventory.upsertClient(tenantOf(c.get('auth')), c.req.valid('param').id, c.req.valid('json'), clock());
      return created ? c.json(value, 201) : c.json(value, 200);
    });
}
