/**
 * Credentials (docs/security.md): listing and revoking API keys, revoking every embed token
 * by rotating the signing secret — immediate on a second instance that had them
 * cached — bounded caches that never hold forged credentials, PSA keys that follow
 * the key rule and authenticate only while the integration is enabled, and 429
 * after repeated failures.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../bff/app.ts';
import { openDatabase } from '../../bff/db/client.ts';
import { CREDENTIAL_CACHE_ENTRIES, CredentialResolver, EMBED_TOKEN_PREFIX } from '../../bff/services/credentials.ts';
import { createTenant } from '../../bff/services/tenants.ts';
import { testApp, type TestApp } from './harness.ts';

const PSA_KEY = 'credentials-test-psa-key-0123456789';
const forgedToken = (tenantId: string) => `${EMBED_TOKEN_PREFIX}${Buffer.from(JSON.stringify({ t: tenantId, c: null, s: ['read'], e: Date.now() + 3_600_000 })).toString('base64url')}.${'A'.repeat(43)}`;

describe('credentials', () => {
  let dir: string;
  let t: TestApp;
  /** A second instance over the same database file, with caches of its own. */
  let other: ReturnType<typeof createApp>;
  let otherDb: ReturnType<typeof openDatabase>;

  const otherRequest = async (method: string, path: string, token: string) => {
    const response = await other.app.request(`/api/v1/${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, json: response.headers.get('content-type')?.includes('json') ? ((await response.json()) as any) : undefined };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bh-credentials-'));
    const url = `file:${join(dir, 'db.sqlite')}`;
    t = await testApp({ url });
    otherDb = openDatabase({ url });
    other = createApp({ ...t.deps, db: otherDb, instanceId: 'other-instance' });
  });
  after(async () => {
    await otherDb.close();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('GET /api-keys lists names, scopes and dates, never a key, page by page', async () => {
    for (const name of ['one', 'two', 'three']) assert.equal((await t.request('POST', 'api-keys', { body: { name, scopes: ['read'] } })).status, 201);
    const first = await t.request('GET', 'api-keys?limit=2');
    assert.equal(first.status, 200);
    assert.equal(first.json.items.length, 2);
    assert.ok(first.json.nextCursor);
    const rest = await t.request('GET', `api-keys?limit=500&cursor=${first.json.nextCursor}`);
    const all = [...first.json.items, ...rest.json.items];
    assert.deepEqual(all.map((k: { name: string }) => k.name).sort(), ['admin (created with tenant)', 'one', 'three', 'two'].sort());
    assert.doesNotMatch(JSON.stringify(all), /bhk_/, 'no key material in the list');
    assert.ok(all.every((k: { revokedAt: unknown }) => k.revokedAt === null));
  });

  test('a revoked key is refused at once, also by an instance that had it cached', async () => {
    const { id, key } = (await t.request('POST', 'api-keys', { body: { name: 'ci', scopes: ['read'] } })).json;
    assert.equal((await otherRequest('GET', 'me', key)).status, 200, 'the other instance has it cached now');
    assert.equal((await t.request('DELETE', `api-keys/${id}`)).status, 204);
    assert.equal((await otherRequest('GET', 'me', key)).status, 401);
    assert.equal((await t.request('GET', 'me', { token: key })).status, 401);
    const listed = (await t.request('GET', 'api-keys?limit=500')).json.items.find((k: { id: string }) => k.id === id);
    assert.ok(listed.revokedAt, 'the list shows when it was revoked');
    assert.equal((await t.request('DELETE', `api-keys/${id}`)).status, 204, 'revoking twice is harmless');
  });

  test("a tenant cannot revoke another tenant's key: 404, and the key keeps working", async () => {
    const stranger = await createTenant(t.db, 'Stranger MSP', t.clock());
    const own = (await t.request('POST', 'api-keys', { body: { name: 'mine', scopes: ['read'] } })).json;
    assert.equal((await t.request('DELETE', `api-keys/${own.id}`, { token: stranger.adminKey })).status, 404);
    assert.equal((await t.request('GET', 'me', { token: own.key })).status, 200);
  });

  test('revoke-all: tokens minted before answer 401 token-revoked on every instance; new ones work', async () => {
    const old = (await t.request('POST', 'embed-tokens', { body: { scopes: ['read'] } })).json.token;
    assert.equal((await otherRequest('GET', 'devices', old)).status, 200, 'the other instance has the secret cached now');
    assert.equal((await t.request('POST', 'embed-tokens/revoke-all')).status, 204);
    for (const answer of [await otherRequest('GET', 'devices', old), await t.request('GET', 'devices', { token: old })]) {
      assert.equal(answer.status, 401);
      assert.equal(answer.json.type, 'https://backup-health.dev/problems/token-revoked');
    }
    const fresh = (await t.request('POST', 'embed-tokens', { body: { scopes: ['read'] } })).json.token;
    assert.equal((await otherRequest('GET', 'devices', fresh)).status, 200);
  });

  test('forged tokens for unknown tenants are never cached, and the caches are bounded', async () => {
    const resolver = new CredentialResolver(t.db, t.clock);
    for (let i = 0; i < 500; i++) assert.equal(await resolver.verifyToken(forgedToken(`tenant-${i}-${'x'.repeat(100)}`), t.clock()), 'invalid');
    assert.equal(await resolver.verifyToken(forgedToken('y'.repeat(12_000)), t.clock()), 'invalid');
    assert.equal(resolver.cachedEntries, 0);
    assert.ok(CREDENTIAL_CACHE_ENTRIES <= 10_000);
  });

  test('a PSA key must be at least 24 characters of some variety (422 naming the field)', async () => {
    for (const integrationKey of ['password', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'passwordpasswordpassword']) {
      const answer = await t.request('PUT', 'settings/integrations/psa', { body: { integrationKey } });
      assert.equal(answer.status, 422, integrationKey);
      assert.equal(answer.json.errors[0].path, 'integrationKey');
    }
  });

  test('the PSA key authenticates only while the integration is enabled', async () => {
    const psa = { token: null, headers: { 'x-integration-key': PSA_KEY } };
    assert.equal((await t.request('PUT', 'settings/integrations/psa', { body: { enabled: false, baseUrl: 'http://127.0.0.1:9', integrationKey: PSA_KEY } })).status, 200);
    assert.equal((await t.request('GET', 'devices', psa)).status, 401);
    assert.equal((await t.request('PUT', 'settings/integrations/psa', { body: { enabled: true } })).status, 200);
    assert.equal((await t.request('GET', 'devices', psa)).status, 200);
    assert.equal((await t.request('PUT', 'settings/integrations/psa', { body: { enabled: false } })).status, 200);
    assert.equal((await t.request('GET', 'devices', psa)).status, 401);
  });

  test('repeated failures with one credential prefix answer 429 with Retry-After, as a problem', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await t.request('GET', 'me', { token: `bhk_guessing-${i}` })).status);
    assert.ok(statuses.includes(401) && statuses.at(-1) === 429, statuses.join(','));
    const limited = await t.request('GET', 'me', { token: 'bhk_guessing-x' });
    assert.equal(limited.status, 429);
    assert.match(limited.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    t.clock.advance(60_000);
    assert.equal((await t.request('GET', 'me', { token: 'bhk_guessing-y' })).status, 401, 'the limit refills with time');
  });
});
