/**
 * API JSON is compressed above 1 KB per Accept-Encoding (docs/security.md); small answers,
 * event streams and downloads are not. (Widget files: test/reliability/attack-auth.test.ts.)
 */
import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from './harness.ts';

describe('response compression', () => {
  let t: TestApp;
  const get = (path: string, headers: Record<string, string>) => t.app.request(path, { headers: { authorization: `Bearer ${t.adminKey}`, ...headers } });

  before(async () => {
    t = await testApp();
  });
  after(async () => {
    for (const hook of t.services.onShutdown) await hook();
    await t.close();
  });

  test('JSON above 1 KB is brotli- or gzip-compressed as the client prefers, and decompresses to the same document', async () => {
    const plain = await (await get('/api/v1/openapi.json', {})).text();
    assert.ok(plain.length > 1024);
    const br = await get('/api/v1/openapi.json', { 'accept-encoding': 'gzip, br' });
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.equal(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString('utf8'), plain);
    const gz = await get('/api/v1/openapi.json', { 'accept-encoding': 'gzip;q=1, br;q=0.5' });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8'), plain);
    assert.match(gz.headers.get('vary') ?? '', /accept-encoding/i);
  });

  test('JSON under 1 KB, or for a client that accepts no encoding, goes out as is (with Vary)', async () => {
    const small = await get('/api/v1/me', { 'accept-encoding': 'gzip, br' });
    assert.equal(small.headers.get('content-encoding'), null);
    const identity = await get('/api/v1/openapi.json', {});
    assert.equal(identity.headers.get('content-encoding'), null);
    assert.match(identity.headers.get('vary') ?? '', /accept-encoding/i);
  });

  test('the event stream and downloads are never compressed', async () => {
    const stream = await get('/api/v1/stream', { 'accept-encoding': 'gzip, br' });
    assert.equal(stream.headers.get('content-encoding'), null);
    await stream.body?.cancel();
    const download = await get('/api/v1/compliance/export?format=csv', { 'accept-encoding': 'gzip, br' });
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-encoding'), null);
    await download.body?.cancel();
  });
});
