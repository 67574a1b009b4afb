/**
 * API keys (random, shown once, stored as sha256) and embed tokens (short-lived,
 * HMAC-signed with the tenant's secret, optionally limited to one client).
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { integrationKeyIssue } from '../../core/integration-key.ts';
import type { Database } from '../db/client.ts';
import type { AuthContext, Clock, Scope } from '../context.ts';
import { CredentialRevisions } from './credential-revisions.ts';
import { TtlCache } from './ttl-cache.ts';

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

/** A cached lookup and the tenant's credentials revision it was read at. */
interface Cached<T> {
  value: T;
  tenantId: string;
  revision: number;
}

interface TenantSecrets {
  secret: string;
  /** The secret before the last rotation: tokens it signed are told apart as revoked. */
  previous: string | null;
}

/** Most lookups of each kind held per process (caches of credentials are bounded: docs/security.md). */
export const CREDENTIAL_CACHE_ENTRIES = 10_000;
/** Longer than any token this server mints: a longer one is refused before it is parsed. */
const MAX_TOKEN_LENGTH = 4096;
/** Tenant ids are short; a claim of a longer one is forged and is refused before any lookup. */
const MAX_TENANT_ID_LENGTH = 200;

const API_KEY_SQL = `SELECT k.key_hash, k.tenant_id, k.name, k.scopes, k.revoked_at, t.credentials_revision AS revision
  FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.key_hash = ?`;
const SECRETS_SQL = 'SELECT token_secret, previous_token_secret, credentials_revision AS revision FROM tenants WHERE id = ?';
// The PSA's key authenticates only while the integration is enabled (docs/security.md).
const INTEGRATION_SQL = `SELECT t.id FROM tenants t JOIN settings s ON s.tenant_id = t.id AND s.key = 'psa'
  WHERE t.psa_key_hash = ? AND json_extract(s.value, '$.enabled') = 1`;
const REVOKE_KEY_SQL = 'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE tenant_id = ? AND id = ?';
const ROTATE_SECRET_SQL = 'UPDATE tenants SET previous_token_secret = token_secret, token_secret = ? WHERE id = ?';
const RAISE_REVISION_SQL = 'UPDATE tenants SET credentials_revision = credentials_revision + 1 WHERE id = ?';

/**
 * Resolves keys and tokens to an AuthContext. Lookups of existing credentials are
 * cached in bounded LRUs (30 s for keys, 60 s for signing secrets) and each use of a
 * cached one is confirmed against the tenant's credentials revision, so a revocation
 * on any instance holds at once on all. Unknown keys and tenants are never cached:
 * forged credentials cannot fill memory (finding 5 of #18).
 */
export class CredentialResolver {
  private readonly keys: TtlCache<Cached<AuthContext>>;
  private readonly secrets: TtlCache<Cached<TenantSecrets>>;
  private readonly revisions: CredentialRevisions;

  constructor(private readonly db: Database, clock: Clock = Date.now) {
    this.keys = new TtlCache(clock, 30_000, CREDENTIAL_CACHE_ENTRIES);
    this.secrets = new TtlCache(clock, 60_000, CREDENTIAL_CACHE_ENTRIES);
    this.revisions = new CredentialRevisions(db);
  }

  /** Lookups held in the caches (for tests and metrics). */
  get cachedEntries(): number {
    return this.keys.size + this.secrets.size;
  }

  async apiKey(key: string, _now: number): Promise<AuthContext | null> {
    if (key.length > MAX_TOKEN_LENGTH) return null;
    const hash = sha256(key);
    const cached = await this.confirmed(this.keys, hash);
    if (cached) return cached;
    type KeyRow = { key_hash: string; tenant_id: string; name: string; scopes: string; revoked_at: number | null; revision: number };
    // A key minted on another instance may not have reached this one's replica yet: a miss asks the primary.
    const row = (await this.db.get<KeyRow>(API_KEY_SQL, [hash])) ?? (this.db.primary && (await this.db.primary.get<KeyRow>(API_KEY_SQL, [hash])));
    if (!row || row.revoked_at !== null || !safeEqual(row.key_hash, hash)) return null;
    const auth: AuthContext = { kind: 'api-key', tenantId: row.tenant_id, scopes: JSON.parse(row.scopes) as Scope[], clientId: null, expiresAt: null, actor: `key:${row.name}` };
    this.keys.set(hash, { value: auth, tenantId: row.tenant_id, revision: Number(row.revision) });
    return auth;
  }

  /**
   * The PSA calling with its integration key gets `read` on the matching tenant,
   * while that tenant's PSA integration is enabled. A key that breaks the key rule
   * (a legacy short one) is refused without a lookup.
   */
  async integrationKey(key: string): Promise<AuthContext | null> {
    if (key.length > 512 || integrationKeyIssue(key)) return null;
    const row = await this.db.get<{ id: string }>(INTEGRATION_SQL, [sha256(key)]);
    return row ? { kind: 'integration', tenantId: row.id, scopes: ['read'], clientId: null, expiresAt: null } : null;
  }

  /** A cached value still valid: read at the tenant's current credentials revision. */
  private async confirmed<T>(cache: TtlCache<Cached<T>>, key: string): Promise<T | undefined> {
    const cached = cache.get(key);
    if (!cached) return undefined;
    if ((await this.revisions.current(cached.tenantId)) === cached.revision) return cached.value;
    cache.delete(key);
    return undefined;
  }

  private async tenantSecrets(tenantId: string): Promise<TenantSecrets | null> {
    const cached = await this.confirmed(this.secrets, tenantId);
    if (cached) return cached;
    type SecretsRow = { token_secret: string; previous_token_secret: string | null; revision: number };
    const row = (await this.db.get<SecretsRow>(SECRETS_SQL, [tenantId])) ?? (this.db.primary && (await this.db.primary.get<SecretsRow>(SECRETS_SQL, [tenantId])));
    if (!row) return null;
    const secrets = { secret: row.token_secret, previous: row.previous_token_secret };
    this.secrets.set(tenantId, { value: secrets, tenantId, revision: Number(row.revision) });
    return secrets;
  }

  /** `subject` (optional) names the person the token acts for: acknowledgements and silences record it. */
  async mintToken(tenantId: string, scopes: Scope[], clientId: string | null, ttlSeconds: number, now: number, subject: string | null = null) {
    const secrets = await this.tenantSecrets(tenantId);
    if (!secrets) throw new Error(`tenant ${tenantId} has no token secret`);
    const expiresAt = now + ttlSeconds * 1000;
    const payload = Buffer.from(JSON.stringify({ t: tenantId, c: clientId, s: scopes, e: expiresAt, ...(subject ? { u: subject } : {}) })).toString('base64url');
    const signature = createHmac('sha256', secrets.secret).update(payload).digest('base64url');
    return { token: `${EMBED_TOKEN_PREFIX}${payload}.${signature}`, expiresAt };
  }

  /**
   * 'expired' and 'invalid' are told apart so a widget can ask its host for a new
   * token; 'revoked' is a token signed with the secret `revokeAllTokens` replaced.
   */
  async verifyToken(token: string, now: number): Promise<AuthContext | 'expired' | 'revoked' | 'invalid'> {
    if (token.length > MAX_TOKEN_LENGTH) return 'invalid';
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
    if (typeof claims !== 'object' || claims === null) return 'invalid';
    if (typeof claims.t !== 'string' || claims.t.length > MAX_TENANT_ID_LENGTH || typeof claims.e !== 'number' || !Array.isArray(claims.s)) return 'invalid';
    const secrets = await this.tenantSecrets(claims.t);
    if (!secrets) return 'invalid';
    const signature = body.slice(dot + 1);
    const signedWith = (secret: string) => safeEqual(createHmac('sha256', secret).update(payload).digest('base64url'), signature);
    if (!signedWith(secrets.secret)) return secrets.previous !== null && signedWith(secrets.previous) ? 'revoked' : 'invalid';
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

  /** Revokes one of the tenant's API keys, on every instance at once; false when the tenant has no such key. */
  async revokeApiKey(tenantId: string, id: string, now: number): Promise<boolean> {
    const changed = await this.db.transaction(async (tx) => {
      const result = await tx.run(REVOKE_KEY_SQL, [now, tenantId, id]);
      if (result.changes === 0) return false;
      await tx.run(RAISE_REVISION_SQL, [tenantId]);
      return true;
    });
    this.forget();
    return changed;
  }

  /** Rotates the tenant's signing secret: every embed token minted before answers 401 `token-revoked`. */
  async revokeAllTokens(tenantId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(ROTATE_SECRET_SQL, [newSecret(), tenantId]);
      await tx.run(RAISE_REVISION_SQL, [tenantId]);
    });
    this.forget();
  }

  /** Marks the tenant's credentials changed (a PSA key was set): other instances drop what they cached. */
  async changed(tenantId: string): Promise<void> {
    await this.db.run(RAISE_REVISION_SQL, [tenantId]);
    this.forget();
  }

  /** Forget this instance's cached lookups (other instances notice the revision). */
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
