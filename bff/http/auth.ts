/**
 * Authentication and scope checks. `Authorization: Bearer <api key | embed token |
 * platform key>`; without it, `X-Integration-Key` is the PSA calling (read only).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppConfig, AppEnv, AuthContext, Scope } from '../context.ts';
import { CredentialResolver, EMBED_TOKEN_PREFIX, hasScope, safeEqual } from '../services/credentials.ts';
import type { Clock } from '../context.ts';
import { forbidden, unauthorized } from './problem.ts';

export function authenticate(options: { resolver: CredentialResolver; config: AppConfig; clock: Clock }): MiddlewareHandler<AppEnv> {
  const { resolver, config, clock } = options;
  return async (c, next) => {
    const header = c.req.header('authorization');
    const now = clock();
    let auth: AuthContext | null = null;
    if (header) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw unauthorized('Use "Authorization: Bearer <key or token>".');
      const credential = match[1]!;
      if (config.platformKey && safeEqual(credential, config.platformKey)) {
        auth = { kind: 'platform', tenantId: null, scopes: [], clientId: null, expiresAt: null };
      } else if (credential.startsWith(EMBED_TOKEN_PREFIX)) {
        const verified = await resolver.verifyToken(credential, now);
        if (verified === 'expired') throw unauthorized('The embed token has expired; mint a new one with POST /api/v1/embed-tokens.', 'token-expired');
        if (verified === 'invalid') throw unauthorized('The embed token is not valid.');
        auth = verified;
      } else {
        auth = await resolver.apiKey(credential, now);
        if (!auth) throw unauthorized('The API key is not valid or was revoked.');
      }
    } else {
      const integrationKey = c.req.header('x-integration-key');
      if (integrationKey) {
        auth = await resolver.integrationKey(integrationKey);
        if (!auth) throw unauthorized('The X-Integration-Key does not match any PSA integration.');
      }
    }
    if (!auth) throw unauthorized('Send "Authorization: Bearer <key or token>".');
    c.set('auth', auth);
    await next();
  };
}

/** Requires a tenant credential with `scope` (admin implies all). */
export function requireScope(scope: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get('auth');
    if (!hasScope(auth, scope)) throw forbidden(`This needs the "${scope}" scope; the credential has ${auth.scopes.length ? auth.scopes.join(', ') : 'none'}.`);
    await next();
  };
}

export function requirePlatform(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('auth').kind !== 'platform') throw forbidden('Only the platform key (BHM_PLATFORM_KEY) can do this.');
    await next();
  };
}

/**
 * Who is acting, as records name them: the API key's name, the embed token's subject,
 * or (a token minted without one) "embed token" and its client.
 */
export function actorOf(auth: AuthContext): string {
  if (auth.actor) return auth.actor;
  if (auth.kind === 'embed-token') return auth.clientId ? `embed token (client ${auth.clientId})` : 'embed token';
  return auth.kind === 'integration' ? 'PSA integration' : 'platform';
}

/** The tenant of a tenant credential (every tenant route runs after requireScope). */
export function tenantOf(auth: AuthContext): string {
  if (!auth.tenantId) throw forbidden('This needs a tenant credential, not the platform key.');
  return auth.tenantId;
}
