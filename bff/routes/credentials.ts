/** Tenants (platform key), API keys and embed tokens (admin), and `GET /me`. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Me } from '../../core/api.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { requirePlatform, requireScope, tenantOf } from '../http/auth.ts';
import { notFound } from '../http/problem.ts';
import { validate } from '../http/validate.ts';
import { createApiKey, type CredentialResolver, DEFAULT_TOKEN_TTL_S, MAX_TOKEN_TTL_S } from '../services/credentials.ts';
import { createTenant, getTenant } from '../services/tenants.ts';

const name = z.string().trim().min(1).max(200);

export function credentialRoutes(deps: AppDeps, resolver: CredentialResolver) {
  const { db, clock } = deps;
  return new Hono<AppEnv>()
    .post('/tenants', requirePlatform(), validate('json', z.object({ name })), async (c) => {
      const tenant = await createTenant(db, c.req.valid('json').name, clock());
      return c.json(tenant, 201);
    })
    .post(
      '/api-keys',
      requireScope('admin'),
      validate('json', z.object({ name, scopes: z.array(z.enum(['admin', 'ingest', 'read'])).min(1).max(3) })),
      async (c) => {
        const body = c.req.valid('json');
        const key = await createApiKey(db, tenantOf(c.get('auth')), body.name, [...new Set(body.scopes)], clock());
        return c.json(key, 201);
      },
    )
    .post(
      '/embed-tokens',
      requireScope('admin'),
      validate(
        'json',
        z.object({
          clientId: z.string().min(1).max(200).optional(),
          scopes: z.array(z.enum(['read', 'operate'])).min(1).max(2).optional(),
          ttlSeconds: z.number().int().min(60).max(MAX_TOKEN_TTL_S).optional(),
        }),
      ),
      async (c) => {
        const body = c.req.valid('json');
        const tenantId = tenantOf(c.get('auth'));
        if (body.clientId) {
          const client = await db.get('SELECT id FROM clients WHERE tenant_id = ? AND id = ?', [tenantId, body.clientId]);
          if (!client) throw notFound(`Client "${body.clientId}"`);
        }
        const scopes = [...new Set(body.scopes ?? ['read'])] as ('read' | 'operate')[];
        const minted = await resolver.mintToken(tenantId, scopes, body.clientId ?? null, body.ttlSeconds ?? DEFAULT_TOKEN_TTL_S, clock());
        return c.json({ token: minted.token, expiresAt: new Date(minted.expiresAt).toISOString() }, 201);
      },
    )
    .get('/me', async (c) => {
      const auth = c.get('auth');
      const tenant = await getTenant(db, tenantOf(auth));
      if (!tenant) throw notFound('The tenant');
      const me: Me = {
        tenant: { id: tenant.id, name: tenant.name },
        scopes: auth.scopes,
        clientId: auth.clientId,
        expiresAt: auth.expiresAt ? new Date(auth.expiresAt).toISOString() : null,
      };
      return c.json(me);
    });
}
