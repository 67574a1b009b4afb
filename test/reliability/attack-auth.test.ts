/**
 * Attack suite, authentication and HTTP (issue #18, findings 1, 5, 7, 8, 10, 11;
 * docs/security.md): each test replays one finding against real `bff/server.ts` processes
 * on loopback and states the figure it holds. Two processes share one database
 * file: `guarded` has short timeouts (1 s headers, 2 s request) and no practical
 * failed-auth limit, so the other findings reach the code under attack; `capped`
 * has the default failed-auth limit and at most 20 connections.
 *
 * `npm test` runs the bounded form (well under a minute); `BHM_SOAK=1` (npm run
 * test:soak) replays the findings at the sizes of the issue.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { BOOTSTRAP_KEY, call, rssBytes, startBff, tempDatabase, type Instance } from './support/bff-process.ts';
import { endlessChunkedBody, endlessHeaders, firstBytes, healthLatency, hold, rawGet, type HeldSocket } from './support/attack-auth-sockets.ts';
import { figures } from './support/figures.ts';
import { expectStatus } from './support/process-fleet.ts';
import { eventually } from './support/wait.ts';

const SOAK = process.env.BHM_SOAK === '1';
const report = figures('attack-auth');
const MB = 1024 * 1024;
const PLATFORM_KEY = 'attack-platform-key-0123456789abcdef';
const database = tempDatabase('bh-attack-');
const widgetsDir = mkdtempSync(join(tmpdir(), 'bh-attack-widgets-'));
let guarded: Instance;
let capped: Instance;

/** A widget bundle of about 110 KB that compresses as real minified code does (many repeated identifiers). */
function fakeBundle(bytes: number): string {
  const parts: string[] = [];
  for (let i = 0; parts.join('').length < bytes; i++) parts.push(`export const widget${i % 700}=(e,t)=>{const n=e.querySelector("bh-${i % 97}");return n?.setAttribute("data-v","${(i * 2654435761) % 100000}"),t(n)};\n`);
  return parts.join('').slice(0, bytes);
}

before(async () => {
  writeFileSync(join(widgetsDir, 'backup-health.js'), fakeBundle(110 * 1024));
  const common = { BHM_PLATFORM_KEY: PLATFORM_KEY, BHM_WIDGETS_DIR: widgetsDir };
  guarded = await startBff(database, { ...common, BHM_HEADERS_TIMEOUT_S: '1', BHM_REQUEST_TIMEOUT_S: '2', BHM_AUTH_FAILURES_PER_MINUTE: '10000000' }, 'guarded');
  capped = await startBff(database, { ...common, BHM_MAX_CONNECTIONS: '20' }, 'capped');
});
after(async () => {
  await Promise.allSettled([guarded?.kill9(), capped?.kill9()]);
  database.remove();
  rmSync(widgetsDir, { recursive: true, force: true });
});

const settle = (sockets: HeldSocket[]) => sockets.forEach((held) => held.destroy());

describe('finding 1: no unauthenticated request or slow client holds the server', () => {
  test(`#1 60 endless chunked bodies of ${SOAK ? 9 : 2} MiB without credentials: each answered 401 within 2 s (never on main), unread; /healthz p99 ≤ 100 ms while they are held; RSS grows < 40 MB`, async () => {
    const sockets = 60;
    const totalBytes = (SOAK ? 9 : 2) * MB;
    const rssBefore = rssBytes(guarded.process.pid!);
    const held = await Promise.all(Array.from({ length: sockets }, () => hold(guarded.url)));
    const sending = held.map((socket) => endlessChunkedBody(socket, '/api/v1/events', { totalBytes, chunkBytes: 64 * 1024, intervalMs: 5 }));
    try {
      const answers = await Promise.all(held.map((socket) => Promise.race([socket.answered, new Promise<null>((r) => setTimeout(() => r(null), 5_000))])));
      await Promise.all(sending);
      // The bodies stay open (never finished): the server must not care.
      const health = healthLatency(guarded.url);
      await new Promise((resolve) => setTimeout(resolve, SOAK ? 10_000 : 2_000));
      const latency = await health.stop();
      const rssGrowth = rssBytes(guarded.process.pid!) - rssBefore;
      const slowest = Math.max(...answers.map((a) => a?.ms ?? Infinity));
      report.set('f1_slowest_401_ms', slowest);
      report.set('f1_rss_growth_mb', Math.round(rssGrowth / MB));
      report.set('f1_healthz_p99_ms', Math.round(latency.p99));
      assert.ok(answers.every((a) => a !== null && a.status === 401), `every body was answered 401 without being read: ${answers.map((a) => a?.status ?? 'none').join(',')}`);
      assert.ok(answers.every((a) => /application\/problem\+json/i.test(a!.text)), 'as problem+json');
      // Typically under 1 s; the bound leaves room for a machine shared with other test runs.
      assert.ok(slowest < 2_000, `answered within 2 s (slowest ${slowest} ms)`);
      assert.ok(rssGrowth < 40 * MB, `RSS grew ${Math.round(rssGrowth / MB)} MB for ${sockets} × ${totalBytes / MB} MiB bodies`);
      // Measured from this process, which shares two cores with the server: 100 ms, not 50.
      assert.ok(latency.p99 <= 100, `/healthz p99 ${Math.round(latency.p99)} ms`);
    } finally {
      settle(held);
    }
  });

  test('#1 headers sent one line every 200 ms are cut after the 1 s header timeout; a body trickling in after the 2 s request timeout, as problem+json', async () => {
    const slowHeaders = await hold(guarded.url);
    const slowBody = await hold(guarded.url);
    void endlessHeaders(slowHeaders, 200);
    void endlessChunkedBody(slowBody, '/api/v1/events', { totalBytes: MB, chunkBytes: 16, intervalMs: 200, headers: { Authorization: `Bearer ${BOOTSTRAP_KEY}` } });
    const limit = (socket: HeldSocket) => Promise.race([socket.closed, new Promise<number>((r) => setTimeout(() => r(Infinity), 8_000))]);
    try {
      const [headersCut, bodyCut] = await Promise.all([limit(slowHeaders), limit(slowBody)]);
      report.set('f1_slow_headers_cut_ms', headersCut);
      report.set('f1_slow_body_cut_ms', bodyCut);
      assert.ok(headersCut < 3_500, `slow headers cut after ${headersCut} ms`);
      assert.ok(bodyCut < 4_500, `slow body cut after ${bodyCut} ms`);
      const answer = await Promise.race([slowBody.answered, Promise.resolve(null)]);
      if (answer) assert.match(answer.text, /application\/problem\+json/i, 'the timeout answer is a problem');
    } finally {
      settle([slowHeaders, slowBody]);
    }
  });

  test('#1 with BHM_MAX_CONNECTIONS=20, 40 idle sockets: the server holds at most 20 and closes the rest at once', async () => {
    const held = await Promise.all(Array.from({ length: 40 }, () => hold(capped.url)));
    try {
      const closedEarly = await Promise.all(held.map((socket) => Promise.race([socket.closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 1_500))])));
      const kept = closedEarly.filter((closed) => !closed).length;
      report.set('f1_connections_held_of_40', kept);
      assert.ok(kept <= 20, `${kept} of 40 idle sockets held`);
    } finally {
      settle(held);
    }
    // Once the sockets are gone, the server takes connections again.
    await eventually(async () => (await call(capped, 'GET', 'me').catch(() => ({ status: 0 }))).status === 200, 'a connection after the idle ones closed', 5_000);
  });
});

describe('finding 5: forged embed tokens cannot grow memory', () => {
  test(`#5 ${SOAK ? '10,000' : '2,500'} forged tokens with random 8 KB tenant ids: all 401, RSS grows < ${SOAK ? 25 : 10} MB`, async () => {
    const count = SOAK ? 10_000 : 2_500;
    const limitMb = SOAK ? 25 : 10;
    const forged = (i: number) => {
      const tenant = `${i}-${Math.random().toString(36).slice(2)}`.padEnd(8 * 1024, 'x');
      return `bhe_${Buffer.from(JSON.stringify({ t: tenant, c: null, s: ['read'], e: Date.now() + 3_600_000 })).toString('base64url')}.${'A'.repeat(43)}`;
    };
    const send = async (from: number, to: number) => {
      const statuses = new Map<number, number>();
      const lanes = 8;
      await Promise.all(
        Array.from({ length: lanes }, async (_, lane) => {
          for (let i = from + lane; i < to; i += lanes) {
            const response = await fetch(`${guarded.url}/api/v1/me`, { headers: { authorization: `Bearer ${forged(i)}` } });
            await response.arrayBuffer();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          }
        }),
      );
      return statuses;
    };
    await send(0, 500); // warm the allocator and the connection pool
    const rssBefore = rssBytes(guarded.process.pid!);
    const statuses = await send(500, 500 + count);
    const growth = rssBytes(guarded.process.pid!) - rssBefore;
    report.set('f5_rss_growth_mb', Math.round(growth / MB));
    assert.deepEqual([...statuses.keys()], [401], `every forged token is refused: ${JSON.stringify([...statuses])}`);
    assert.ok(growth < limitMb * MB, `RSS grew ${Math.round(growth / MB)} MB over ${count} forged tokens`);
  });
});

describe('finding 8: error lists are capped', () => {
  test('#8 a CSV of 50,000 bad rows: 422 listing the first 100 errors plus their count, under 64 KB, in under 10 s', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => `dev-${i},Device ${i},acme,toaster,daily`);
    const csv = ['id,name,clientId,kind,policyId', ...rows].join('\n');
    const started = Date.now();
    const reply = await call(guarded, 'POST', 'import/devices', { raw: csv, headers: { 'content-type': 'text/csv' } });
    const ms = Date.now() - started;
    report.set('f8_csv_kb', Math.round(csv.length / 1024));
    report.set('f8_answer_bytes', reply.text.length);
    report.set('f8_ms', ms);
    assert.equal(reply.status, 422);
    assert.equal(reply.json.errors.length, 100);
    assert.ok(reply.json.errorCount >= 50_000, `errorCount ${reply.json.errorCount}`);
    assert.deepEqual(reply.json.errors.slice(0, 3).map((e: { row: number }) => e.row), [1, 2, 3], 'the first rows come first');
    assert.ok(reply.text.length < 64 * 1024, `answer of ${reply.text.length} bytes`);
    assert.ok(ms < 10_000, `answered in ${ms} ms`);
  });
});

describe('finding 10: credentials can be revoked, at once on every instance', () => {
  test('#10 an API key revoked on one instance is refused by the other at once, and GET /api-keys lists it revoked', async () => {
    const { id, key } = await expectStatus(call(guarded, 'POST', 'api-keys', { body: { name: 'attack-ci', scopes: ['read'] } }), 201);
    await expectStatus(call(capped, 'GET', 'me', { token: key }), 200); // now cached there
    await expectStatus(call(guarded, 'DELETE', `api-keys/${id}`), 204);
    const refused = await call(capped, 'GET', 'me', { token: key });
    assert.equal(refused.status, 401);
    const listed = (await expectStatus(call(capped, 'GET', 'api-keys?limit=500'), 200)).items.find((k: { id: string }) => k.id === id);
    assert.ok(listed?.revokedAt, 'listed with revokedAt');
  });

  test('#10 revoke-all rotates the signing secret: older embed tokens answer 401 token-revoked on both instances', async () => {
    const { token } = await expectStatus(call(guarded, 'POST', 'embed-tokens', { body: { scopes: ['read'] } }), 201);
    await expectStatus(call(capped, 'GET', 'devices', { token }), 200);
    await expectStatus(call(capped, 'POST', 'embed-tokens/revoke-all'), 204);
    for (const instance of [guarded, capped]) {
      const reply = await call(instance, 'GET', 'devices', { token });
      assert.equal(reply.status, 401);
      assert.equal(reply.json.type, 'https://backup-health.dev/problems/token-revoked');
    }
  });
});

describe('finding 11: compression and revalidation', () => {
  test('#11 the 110 KB widget bundle: brotli under 30% of its size, gzip for gzip-only clients, ETag, 304 on If-None-Match', async () => {
    const plain = await rawGet(guarded.url, '/widgets/backup-health.js');
    const br = await rawGet(guarded.url, '/widgets/backup-health.js', { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await rawGet(guarded.url, '/widgets/backup-health.js', { 'accept-encoding': 'gzip' });
    report.set('f11_bundle_bytes', plain.body.length);
    report.set('f11_br_bytes', br.body.length);
    report.set('f11_gzip_bytes', gz.body.length);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(br.body.length < plain.body.length * 0.3, `br ${br.body.length} of ${plain.body.length}`);
    assert.deepEqual(brotliDecompressSync(br.body), plain.body);
    assert.deepEqual(gunzipSync(gz.body), plain.body);
    assert.match(String(br.headers.vary), /accept-encoding/i);
    const etag = String(br.headers.etag);
    assert.match(etag, /^"[^"]+"$/);
    const revalidated = await rawGet(guarded.url, '/widgets/backup-health.js', { 'accept-encoding': 'gzip, deflate, br', 'if-none-match': etag });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.body.length, 0);
  });

  test('#11 API JSON above 1 KB is gzip-compressed; small JSON and the event stream are not, and the stream is not held back', async () => {
    const document = await rawGet(guarded.url, '/api/v1/openapi.json', { 'accept-encoding': 'gzip' });
    assert.equal(document.headers['content-encoding'], 'gzip');
    const json = JSON.parse(gunzipSync(document.body).toString('utf8'));
    assert.ok(json.paths, 'the document decompresses to JSON');
    report.set('f11_openapi_gzip_ratio', Math.round((document.body.length / gunzipSync(document.body).length) * 100) / 100);
    const small = await rawGet(guarded.url, '/healthz', { 'accept-encoding': 'gzip' });
    assert.equal(small.headers['content-encoding'], undefined);
    const stream = await firstBytes(guarded.url, '/api/v1/stream', { authorization: `Bearer ${BOOTSTRAP_KEY}`, 'accept-encoding': 'gzip, br' });
    assert.equal(stream.status, 200);
    assert.equal(stream.headers['content-encoding'], undefined);
    assert.match(stream.first, /^[:a-z]/, 'plain text/event-stream bytes');
    assert.ok(stream.ms < 2_000, `first bytes after ${stream.ms} ms`);
  });
});

// Last: the `capped` process then refuses every credential from this address for a while.
describe('finding 7: failed authentication is rate-limited; integration keys are real keys', () => {
  test(`#7 ${SOAK ? '1,000' : '300'} wrong platform keys from one address: at most 20 answered 401, the rest 429 with Retry-After, as problems`, async () => {
    const count = SOAK ? 1_000 : 300;
    const statuses = new Map<number, number>();
    let retryAfter = 0;
    let problems = true;
    await Promise.all(
      Array.from({ length: 10 }, async (_, lane) => {
        for (let i = lane; i < count; i += 10) {
          const response = await fetch(`${capped.url}/api/v1/tenants`, { method: 'POST', headers: { authorization: `Bearer wrong-platform-key-${i}-0123456789`, 'content-type': 'application/json' }, body: '{"name":"x"}' });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status === 429) retryAfter = Math.max(retryAfter, Number(response.headers.get('retry-after')));
          problems &&= /application\/problem\+json/.test(response.headers.get('content-type') ?? '');
        }
      }),
    );
    report.set('f7_401', statuses.get(401) ?? 0);
    report.set('f7_429', statuses.get(429) ?? 0);
    assert.deepEqual([...statuses.keys()].sort(), [401, 429], JSON.stringify([...statuses]));
    assert.ok((statuses.get(401) ?? 0) <= 20, `${statuses.get(401)} guesses were checked`);
    assert.ok(retryAfter >= 1, 'Retry-After says when to try again');
    assert.ok(problems, 'every answer is a problem');
  });

  test('#7 a PSA key "password" is refused (422); a guess list never authenticates against a disabled integration', async () => {
    const weak = await call(guarded, 'PUT', 'settings/integrations/psa', { body: { enabled: false, baseUrl: 'http://127.0.0.1:9', integrationKey: 'password' } });
    assert.equal(weak.status, 422);
    assert.equal(weak.json.errors[0].path, 'integrationKey');
    const real = 'attack-psa-integration-key-0123456789';
    await expectStatus(call(guarded, 'PUT', 'settings/integrations/psa', { body: { enabled: false, baseUrl: 'http://127.0.0.1:9', integrationKey: real } }), 200);
    const guesses = ['password', 'letmein', 'changeme', 'integration', real, 'psa-key-0123456789'];
    const statuses = [];
    for (const guess of guesses) statuses.push((await call(guarded, 'GET', 'devices', { token: null, headers: { 'x-integration-key': guess } })).status);
    assert.ok(statuses.every((status) => status === 401 || status === 429), statuses.join(','));
  });
});
