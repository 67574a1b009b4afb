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

  test('the 413 suggests splitting the batch only on /events; elsewhere it names the limit', async () => {
    const big = JSON.stringify({ comment: 'x'.repeat(100 * 1024) });
    const send = (path: string) =>
      t.app.request(`http://localhost/api/v1/${path}`, { method: 'POST', body: big, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminKey}` } });
    const events = await send('events');
    assert.equal(events.status, 413);
    assert.equal((await events.json()).detail, 'Bodies are limited to 65,536 bytes; split the batch (at most 5,000 events).');
    const silences = await send('silences');
    assert.equal(silences.status, 413);
    assert.equal((await silences.json()).detail, 'Bodies are limited to 65,536 bytes.');
  });

  test('a JSON route sent a body without "Content-Type: application/json" answers 415 saying how to send it', async () => {
    const body = JSON.stringify({ matchers: { clientId: 'contoso' }, endsAt: '2030-01-01T10:00:00Z', comment: 'Firmware update' });
    const asSent = [
      ['no Content-Type', new TextEncoder().encode(body), {}],
      ['form-encoded (curl -d)', body, { 'content-type': 'application/x-www-form-urlencoded' }],
      ['text/plain', body, { 'content-type': 'text/plain' }],
    ] as const;
    for (const [how, payload, headers] of asSent) {
      const response = await t.app.request('http://localhost/api/v1/silences', { method: 'POST', body: payload, headers: { ...headers, authorization: `Bearer ${t.adminKey}` } });
      assert.equal(response.status, 415, how);
      assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
      const problem = await response.json();
      assert.equal(problem.type, 'https://backup-health.dev/problems/unsupported-media-type', how);
      assert.equal(problem.title, 'Unsupported media type', how);
      assert.equal(problem.detail, 'Send the body as JSON with "Content-Type: application/json".', how);
    }
  });
});
