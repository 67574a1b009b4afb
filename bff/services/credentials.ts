/**
 * API keys (random, shown once, stored as sha256) and embed tokens (short-lived,
 * HMAC-signed with the tenant's secret, optionally limited to one client).
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/client.ts';
import type { AuthContext, Scope } from '../context.ts';

export const API_KEY_PREFIX = 'bhk_';
export const EMBED_TOKEN_PREFIX = 'bhe_';
export const DEFAULT_TOKEN_TTL_S = 3600;
export const MAX_TOKEN_TTL_S = 7 * 24 * 3600;

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
export const newSecret = () => randomBytes(32).toString('base64url');
export const newId = () => randomUUID();

/** Constant-time string comparison (lengths may differ). */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}

/** Creates a key for the tenant; the returned `key` is the only time it is visible. */
export async function createApiKey(db: Database, tenantId: string, name: string, scopes: Scope[], now: number) {
  const id = newId();
  const key = API_KEY_PREFIX + newSecret();
  await db.run('INSERT INTO api_keys (id, tenant_id, name, key_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
    id,
    tenantId,
    name,
    sha256(key),
    JSON.stringify(scopes),
    now,
  ]);
  return { id, key };
}

interface CachedKey {
  auth: AuthContext | null;
  until: number;
}

/** Resolves keys and tokens to an AuthContext. Key lookups are cached for 30 s. */
export class CredentialResolver {
  private readonly keys = new Map<string, CachedKey>();
  private readonly secrets = new Map<string, { secret: string | null; until: number }>();

  constructor(private readonly db: Database) {}

  async apiKey(key: string, now: number): Promise<AuthContext | null> {
    const hash = sha256(key);
    const cached = this.keys.get(hash);
    if (cached && cached.until > now) return cached.auth;
    const row = await this.db.get<{ key_hash: string; tenant_id: string; name: string; scopes: string; revoked_at: number | null }>(
      'SELECT key_hash, tenant_id, name, scopes, revoked_at FROM api_keys WHERE key_hash = ?',
      [hash],
    );
    const auth: AuthContext | null =
      row && row.revoked_at === null && safeEqual(row.key_hash, hash)
        ? { kind: 'api-key', tenantId: row.tenant_id, scopes: JSON.parse(row.scopes) as Scope[], clientId: null, expiresAt: null, actor: row.name }
        : null;
    if (this.keys.size > 10_000) this.keys.clear();
    this.keys.set(hash, { auth, until: now + 30_000 });
    return auth;
  }

  /** The PSA calling with its integration key gets `read` on the matching tenant. */
  async integrationKey(key: string): Promise<AuthContext | null> {
    const row = await this.db.get<{ id: string }>('SELECT id FROM tenants WHERE psa_key_hash = ?', [sha256(key)]);
    return row ? { kind: 'integration', tenantId: row.id, scopes: ['read'], clientId: null, expiresAt: null } : null;
  }

  private async tenantSecret(tenantId: string, now: number): Promise<string | null> {
    const cached = this.secrets.get(tenantId);
    if (cached && cached.until > now) return cached.secret;
    const row = await this.db.get<{ token_secret: string }>('SELECT token_secret FROM tenants WHERE id = ?', [tenantId]);
    const secret = row?.token_secret ?? null;
    this.secrets.set(tenantId, { secret, until: now + 60_000 });
    return secret;
  }

  /** `subject` (optional) names the person the token acts for: acknowledgements record it. */
  async mintToken(tenantId: string, scopes: Scope[], clientId: string | null, ttlSeconds: number, now: number, subject: string | null = null) {
    const secret = await this.tenantSecret(tenantId, now);
    if (!secret) throw new Error(`tenant ${tenantId} has no token secret`);
    const expiresAt = now + ttlSeconds * 1000;
    const payload = Buffer.from(JSON.stringify({ t: tenantId, c: clientId, s: scopes, e: expiresAt, ...(subject ? { u: subject } : {}) })).toString('base64url');
    const signature = createHmac('sha256', secret).update(payload).digest('base64url');
    return { token: `${EMBED_TOKEN_PREFIX}${payload}.${signature}`, expiresAt };
  }

  /** 'expired' and 'invalid' are told apart so a widget can ask its host for a new token. */
  async verifyToken(token: string, now: number): Promise<AuthContext | 'expired' | 'invalid'> {
    const body = token.slice(EMBED_TOKEN_PREFIX.length);
    const dot = body.indexOf('.');
    if (dot <= 0) return 'invalid';
    const payload = body.slice(0, dot);
    let claims: { t?: unknown; c?: unknown; s?: unknown; e?: unknown; u?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return 'invalid';
    }
    if (typeof claims.t !== 'string' || typeof claims.e !== 'number' || !Array.isArray(claims.s)) return 'invalid';
    const secret = await this.tenantSecret(claims.t, now);
    if (!secret) return 'invalid';
    const expected = createHmac('sha256', secret).update(payload).digest('base64url');
    if (!safeEqual(expected, body.slice(dot + 1))) return 'invalid';
    if (claims.e <= now) return 'expired';
    const scopes = (claims.s as unknown[]).filter((s): s is Scope => s === 'read' || s === 'operate');
    return {
      kind: 'embed-token',
      tenantId: claims.t,
      scopes,
      clientId: typeof claims.c === 'string' ? claims.c : null,
      expiresAt: claims.e,
      ...(typeof claims.u === 'string' ? { actor: claims.u } : {}),
    };
  }

  /** Forget cached lookups for a tenant (after a PSA key or key revocation changes). */
  forget(): void {
    this.keys.clear();
    this.secrets.clear();
  }
}

/** Whether the credential carries `scope` (admin implies every tenant scope). */
export function hasScope(auth: AuthContext, scope: Scope): boolean {
  if (auth.kind === 'platform') return false;
  if (auth.scopes.includes('admin')) return true;
  if (scope === 'read') return auth.scopes.includes('read') || auth.scopes.includes('operate');
  return auth.scopes.includes(scope);
}
