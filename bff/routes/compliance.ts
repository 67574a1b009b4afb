/** `GET /compliance?client`: rules in force, every device's SLA state, the summary. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv, AuthContext } from '../context.ts';
import { requireScope, tenantOf } from '../http/auth.ts';
import { notFound } from '../http/problem.ts';
import { validate } from '../http/validate.ts';
import { buildComplianceReport } from '../services/compliance.ts';
import type { Services } from '../services/index.ts';

export const clientQuery = z.object({ client: z.string().min(1).max(200).optional() });

/**
 * The client a read of tenant-wide or per-client data is about: a client-scoped
 * token is always about its own client (asking for another is a 404, as if it did
 * not exist); otherwise the `client` parameter, or null for the whole tenant.
 */
export function clientInScope(auth: AuthContext, requested: string | undefined): string | null {
  if (auth.clientId === null) return requested ?? null;
  if (requested !== undefined && requested !== auth.clientId) throw notFound(`Client "${requested}"`);
  return auth.clientId;
}

export function complianceRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  return new Hono<AppEnv>().get('/compliance', requireScope('read'), validate('query', clientQuery), async (c) => {
    const auth = c.get('auth');
    const clientId = clientInScope(auth, c.req.valid('query').client);
    return c.json(await buildComplianceReport(db, services.settings, tenantOf(auth), clientId, clock()));
  });
}
