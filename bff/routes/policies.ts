/** `/policies`: backup policy upsert (scope ingest). */
import { PolicyRecordSchema } from '../../contract/resources.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { resourceIdParam } from '../http/params.ts';
import { apiRoute, json, router } from '../http/route.ts';
import type { Services } from '../services/index.ts';
import { policyBody } from '../services/inventory-schema.ts';

export const putPolicyRoute = apiRoute('ingest', [400, 415, 422], {
  method: 'put',
  path: '/{id}',
  summary: 'Create (201) or update (200) a backup policy.',
  request: { params: resourceIdParam, body: { required: true, content: { 'application/json': { schema: policyBody } } } },
  responses: { 200: json('Updated.', PolicyRecordSchema), 201: json('Created.', PolicyRecordSchema) },
});

export function policyRoutes(deps: AppDeps, services: Services) {
  return router().openapi(putPolicyRoute, async (c) => {
    const { created, value } = await services.inventory.upsertPolicy(tenantOf(c.get('auth')), c.req.valid('param').id, c.req.valid('json'), deps.clock());
    return created ? c.json(value, 201) : c.json(value, 200);
  });
}
