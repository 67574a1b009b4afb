/**
 * Authentication and scope checks. `Authorization: Bearer <api key | embed token |
 * platform key>`; without it, `X-Integration-Key` is the PSA calling (read only).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppConfig, AppEnv, AuthContext, Scope } from '../context.ts';
import { CredentialResolver, EMBED_TOKEN_PREFIX, hasScope, safeEqual } from '../services/credentials.ts';
import type { Clock } from '../context.ts';
import { authFailureLimits, FailedAuthThrottle } from './auth-throttle.ts';
import { clientAddress } from './client-address.ts';
import { forbidden, ProblemError, tooManyRequests, unauthorized } from './problem.ts';
import { closeInsteadOfReading } from './unread-body.ts';

export function authenticate(options: { resolver: CredentialResolver; config: AppConfig; clock: Clock }): MiddlewareHandler<AppEnv> {
  const { resolver, config, clock } = options;
  const throttle = new FailedAuthThrottle(clock, authFailureLimits(config.authFailuresPerMinute));
  return async (c, next) => {
    const header = c.req.header('authorization');
    const integrationKey = header ? undefined : c.req.header('x-integration-key');
    if (!header && !integrationKey) throw refused(c, unauthorized('Send "Authorization: Bearer <key or token>".'));
    let credential: string;
    if (header) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw refused(c, unauthorized('Use "Authorization: Bearer <key or token>".'));
      credential = match[1]!;
    } else {
      credential = integrationKey!;
    }
    const address = clientAddress(c, config.trustedProxies);
    const wait = throttle.retryAfter(address, credential);
    if (wait > 0) throw refused(c, tooManyRequests(`Too many failed authentications from this address or with this credential; retry after ${wait} s.`, wait));
    let auth: AuthContext;
    try {
      auth = await resolve(resolver, config, credential, header ? 'bearer' : 'integration', clock());
    } catch (error) {
      // An expired token is a real one: a widget asking its host for a new one is not guessing.
      if (error instanceof ProblemError && error.status === 401 && !error.problem.type.endsWith('/token-expired')) throttle.failed(address, credential);
      throw error instanceof ProblemError ? refused(c, error) : error;
    }
    c.set('auth', auth);
    await next();
  };
}

/** `error`, with the connection closed after it rather than the body read. */
function refused(c: Context, error: ProblemError): ProblemError {
  closeInsteadOfReading(c);
  return error;
}

/** The AuthContext of a presented credential, or a 401 problem saying what is wrong with it. */
async function resolve(resolver: CredentialResolver, config: AppConfig, credential: string, via: 'bearer' | 'integration', now: number): Promise<AuthContext> {
  if (via === 'integration') {
    const auth = await resolver.integrationKey(credential);
    if (!auth) throw unauthorized('The X-Integration-Key does not match any enabled PSA integration.');
    return auth;
  }
  if (config.platformKey && safeEqual(credential, config.platformKey)) {
    return { kind: 'platform', tenantId: null, scopes: [], clientId: null, expiresAt: null };
  }
  if (credential.startsWith(EMBED_TOKEN_PREFIX)) {
    const verified = await resolver.verifyToken(credential, now);
    if (verified === 'expired') throw unauthorized('The embed token has expired; mint a new one with POST /api/v1/embed-tokens.', 'token-expired');
    if (verified === 'revoked') throw unauthorized('The embed token was revoked (POST /api/v1/embed-tokens/revoke-all); mint a new one.', 'token-revoked');
    if (verified === 'invalid') throw unauthorized('The embed token is not valid.');
    return verified;
  }
  const auth = await resolver.apiKey(credential, now);
  if (!auth) throw unauthorized('The API key is not valid or was revoked.');
  return auth;
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

/** The tenant of a tenant credential (every tenant route runs after requireScope). */
export function tenantOf(auth: AuthContext): string {
  if (!auth.tenantId) throw forbidden('This needs a tenant credential, not the platform key.');
  return auth.tenantId;
}
