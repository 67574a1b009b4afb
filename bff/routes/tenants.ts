/** `/tenants` (platform key): create a tenant; its admin key is answered once. */
import { CreatedTenantSchema, TenantBodySchema } from '../../contract/credentials.ts';
import type { AppDeps } from '../context.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { createTenant } from '../services/tenants.ts';

export const createTenantRoute = apiRoute('platform', [400, 415, 422], {
  method: 'post',
  path: '/',
  summary: 'Create a tenant (platform key); answers its admin key once.',
  request: { body: { required: true, content: { 'application/json': { schema: TenantBodySchema } } } },
  responses: { 201: json('Created.', CreatedTenantSchema) },
});

export function tenantRoutes(deps: AppDeps) {
  return router().openapi(createTenantRoute, async (c) => c.json(await createTenant(deps.db, c.req.valid('json').name, deps.clock()), 201));
}
