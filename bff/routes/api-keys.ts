/** `/api-keys` (admin): create an API key (the key is answered once), list the keys, revoke one. */
import { z } from '@hono/zod-openapi';
import { ApiKeyBodySchema, ApiKeyPageSchema, CreatedApiKeySchema } from '../../contract/credentials.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { cursorParam, idParam, limitParam } from '../http/params.ts';
import { notFound } from '../http/problem.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { listApiKeys } from '../services/api-keys.ts';
import { createApiKey } from '../services/credentials.ts';
import type { Services } from '../services/index.ts';

export const createApiKeyRoute = apiRoute('admin', [400, 415, 422], {
  method: 'post',
  path: '/',
  summary: 'Create an API key; the key is shown once.',
  request: { body: { required: true, content: { 'application/json': { schema: ApiKeyBodySchema } } } },
  responses: { 201: json('Created.', CreatedApiKeySchema) },
});

export const listApiKeysRoute = apiRoute('admin', [422], {
  method: 'get',
  path: '/',
  summary: "The tenant's API keys (names, scopes, dates; never the keys), revoked ones with revokedAt.",
  request: { query: z.object({ limit: limitParam(100), cursor: cursorParam }) },
  responses: { 200: json('A page of keys.', ApiKeyPageSchema) },
});

export const revokeApiKeyRoute = apiRoute('admin', [404], {
  method: 'delete',
  path: '/{id}',
  summary: 'Revoke an API key: refused at once on every instance (revoking twice is harmless).',
  request: { params: idParam },
  responses: { 204: { description: 'Revoked.' } },
});

export function apiKeyRoutes(deps: AppDeps, services: Services) {
  return router()
    .openapi(createApiKeyRoute, async (c) => {
      const body = c.req.valid('json');
      return c.json(await createApiKey(deps.db, tenantOf(c.get('auth')), body.name, [...new Set(body.scopes)], deps.clock()), 201);
    })
    .openapi(listApiKeysRoute, async (c) => c.json(await listApiKeys(deps.db, tenantOf(c.get('auth')), c.req.valid('query')), 200))
    .openapi(revokeApiKeyRoute, async (c) => {
      const { id } = c.req.valid('param');
      if (!(await services.credentials.revokeApiKey(tenantOf(c.get('auth')), id, deps.clock()))) throw notFound(`API key "${id}"`);
      return c.body(null, 204);
    });
}
