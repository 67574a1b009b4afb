/** `/embed-tokens` (admin): mint a short-lived token for widgets, optionally for one client; revoke them all. */
import { z } from '@hono/zod-openapi';
import { EmbedTokenSchema } from '../../contract/credentials.ts';
import type { AppDeps } from '../context.ts';
import { tenantOf } from '../http/auth.ts';
import { notFound } from '../http/problem.ts';
import { apiRoute, json, router } from '../http/route.ts';
import { clientExists } from '../services/client-queries.ts';
import { DEFAULT_TOKEN_TTL_S, MAX_TOKEN_TTL_S } from '../services/credentials.ts';
import type { Services } from '../services/index.ts';

const embedTokenBody = z.object({
  clientId: z.string().min(1).max(200).optional(),
  scopes: z.array(z.enum(['read', 'operate'])).min(1).max(2).optional(),
  ttlSeconds: z.number().int().min(60).max(MAX_TOKEN_TTL_S).optional(),
  /** Who the token acts for (an e-mail, a user name): acknowledgements and silences record it. */
  subject: z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f\u007f\u2028\u2029]*$/, 'the subject is one line of text').optional(),
});

export const mintEmbedTokenRoute = apiRoute('admin', [400, 404, 415, 422], {
  method: 'post',
  path: '/',
  summary: 'Mint a short-lived embed token for widgets, optionally for one client.',
  request: { body: { required: true, content: { 'application/json': { schema: embedTokenBody } } } },
  responses: { 201: json('Minted.', EmbedTokenSchema) },
});

export const revokeAllEmbedTokensRoute = apiRoute('admin', [], {
  method: 'post',
  path: '/revoke-all',
  summary: "Revoke every embed token of the tenant: rotates its signing secret; older tokens answer 401 token-revoked on every instance.",
  responses: { 204: { description: 'Revoked; mint new tokens for the widgets.' } },
});

export function embedTokenRoutes(deps: AppDeps, services: Services) {
  const { db, clock } = deps;
  return router()
    .openapi(revokeAllEmbedTokensRoute, async (c) => {
      await services.credentials.revokeAllTokens(tenantOf(c.get('auth')));
      return c.body(null, 204);
    })
    .openapi(mintEmbedTokenRoute, async (c) => {
    const body = c.req.valid('json');
    const tenantId = tenantOf(c.get('auth'));
    if (body.clientId && !(await clientExists(db, tenantId, body.clientId))) throw notFound(`Client "${body.clientId}"`);
    const scopes = [...new Set(body.scopes ?? (['read'] as const))];
    const minted = await services.credentials.mintToken(tenantId, scopes, body.clientId ?? null, body.ttlSeconds ?? DEFAULT_TOKEN_TTL_S, clock(), body.subject ?? null);
    return c.json({ token: minted.token, expiresAt: new Date(minted.expiresAt).toISOString() }, 201);
  });
}
