/** `/me`: who the bearer is (any credential). */
import { MeSchema } from '../../contract/resources.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { notFound } from '../http/problem.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { getTenant, viewTimeZone } from '../services/tenants.ts';

export const meRoute = apiRoute('any', [403], {
  method: 'get',
  path: '/',
  summary: 'Who the bearer is.',
  responses: { 200: json('The credential.', MeSchema) },
});

export function meRoutes(deps: AppDeps) {
  return router().openapi(meRoute, async (c) => {
    const auth = c.get('auth');
    const tenant = await getTenant(deps.db, tenantOf(auth));
    if (!tenant) throw notFound('The tenant');
    return c.json(
      {
        tenant: { id: tenant.id, name: tenant.name },
        scopes: auth.scopes,
        clientId: auth.clientId,
        expiresAt: auth.expiresAt ? new Date(auth.expiresAt).toISOString() : null,
        timezone: auth.clientId ? await viewTimeZone(deps.db, tenant.id, auth.clientId) : tenant.timezone,
      },
      200,
    );
  });
}
