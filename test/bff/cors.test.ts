/**
 * CORS for the API (SPEC §16, BHM_CORS_ORIGINS): preflights are answered, and every
 * answer — errors included, so a browser can read the problem — names the allowed
 * origin and the headers a page may read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from './harness.ts';

describe('CORS', () => {
  let t: TestApp;
  let open: TestApp;

  before(async () => {
    t = await testApp({ config: { corsOrigins: ['https://psa.example'] } });
    open = await testApp({ config: { corsOrigins: ['*'] } });
  });
  after(async () => {
    for (const app of [t, open]) {
      for (const hook of app.services.onShutdown) await hook();
      await app.close();
    }
  });

  test('a preflight from an allowed origin is answered 204 with the methods, headers and max age', async () => {
    const res = await t.app.request('/api/v1/devices', {
      method: 'OPTIONS',
      headers: { origin: 'https://psa.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://psa.example');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /GET/);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /Authorization/i);
    assert.equal(res.headers.get('access-control-max-age'), '600');
  });

  test('an answer to an allowed origin names it and the exposed headers, and varies on Origin', async () => {
    const res = await t.app.request('/api/v1/devices', { headers: { origin: 'https://psa.example', authorization: `Bearer ${t.adminKey}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://psa.example');
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    assert.match(res.headers.get('vary') ?? '', /Origin/);
    await res.text();
  });

  test('an error answer carries the same headers', async () => {
    const res = await t.app.request('/api/v1/devices', { headers: { origin: 'https://psa.example' } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://psa.example');
    assert.match(res.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
  });

  test('another origin is not allowed; "*" allows every origin', async () => {
    const other = await t.app.request('/api/v1/devices', { headers: { origin: 'https://evil.example', authorization: `Bearer ${t.adminKey}` } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    await other.text();
    const any = await open.app.request('/api/v1/devices', { headers: { origin: 'https://evil.example', authorization: `Bearer ${open.adminKey}` } });
    assert.equal(any.headers.get('access-control-allow-origin'), '*');
    await any.text();
  });
});
