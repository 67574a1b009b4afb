/** `/api-keys` (admin): create an API key; the key is answered once. */
import { ApiKeyBodySchema, CreatedApiKeySchema } from '../../contract/credentials.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { createApiKey } from '../services/credentials.ts';

export const createApiKeyRoute = apiRoute('admin', [400, 415, 422], {
  method: 'post',
  path: '/',
  summary: 'Create an API key; the key is shown once.',
  request: { body: { required: true, content: { 'application/json': { schema: ApiKeyBodySchema } } } },
  responses: { 201: json('Created.', CreatedApiKeySchema) },
});

export function apiKeyRoutes(deps: AppDeps) {
  return router().openapi(createApiKeyRoute, async (c) => {
    const body = c.req.valid('json');
    return c.json(await createApiKey(deps.db, tenantOf(c.get('auth')), body.name, [...new Set(body.scopes)], deps.clock()), 201);
  });
}
