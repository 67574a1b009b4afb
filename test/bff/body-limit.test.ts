/**
 * Bodies are read only after authentication and are limited while they stream
 * (docs/security.md): a chunked body over the limit is a 413 problem, an unauthenticated
 * request is answered without reading its body.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from './harness.ts';

/** A body of `chunks` × 16 KiB with no declared length, counting what was read of it. */
function countedBody(chunks: number) {
  const read = { bytes: 0 };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ >= chunks) return controller.close();
      const chunk = new Uint8Array(16 * 1024).fill(0x20);
      if (sent === 1) chunk[0] = 0x5b; // '['
      read.bytes += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, read };
}

describe('request bodies', () => {
  let t: TestApp;
  const post = (body: ReadableStream<Uint8Array>, token: string | null) =>
    t.app.request(
      new Request('http://localhost/api/v1/events', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        duplex: 'half',
      } as RequestInit),
    );

  before(async () => {
    t = await testApp({ config: { bodyLimitBytes: 64 * 1024 } });
  });
  after(() => t.close());

  test('a request without a credential is answered 401 without its body being read', async () => {
    const { stream, read } = countedBody(1_000);
    const response = await post(stream, null);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.ok(read.bytes <= 16 * 1024, `read ${read.bytes} bytes of a 16 MB body`);
  });

  test('a chunked body is refused with 413 as soon as it passes the limit, not after it ends', async () => {
    const { stream, read } = countedBody(1_000);
    const response = await post(stream, t.adminKey);
    assert.equal(response.status, 413);
    assert.equal((await response.json()).type, 'https://backup-health.dev/problems/payload-too-large');
    assert.ok(read.bytes <= 64 * 1024 + 3 * 16 * 1024, `read ${read.bytes} bytes of a 16 MB body`);
  });

  test('a chunked body under the limit reaches the handler whole', async () => {
    const events = JSON.stringify({ events: [] });
    const response = await post(new Blob([events]).stream(), t.adminKey);
    assert.equal(response.status, 422, 'read and validated (an empty batch is refused by validation)');
  });
});
