/**
 * Isolation sweep (issue #8 §5): every route of the app (`app.routes` of createApp,
 * checked against the OpenAPI paths) is tried with another tenant's admin key, a
 * client-scoped token of another client, read-only credentials on write and admin
 * routes, an ingest key on read routes, an expired token, tampered tokens and
 * keys, the platform key, a PSA integration key and no credential. Every attempt is
 * refused (401/403/404) or answers with the caller's own data only: no response
 * carries a marker of the other tenant or client, the other tenant's rows stay
 * byte for byte the same, and no secret ever appears. The live stream (including a
 * Last-Event-ID replay) and the compliance exports are covered the same way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { log } from '../../bff/log.ts';
import { HOUR, T0, testApp, type TestApp } from '../bff/harness.ts';
import { figures } from './support/figures.ts';
import { ADMIN_READS, ALERT_STEPS, appRoutes, attempt, failures, isWrite, normalize, PUBLIC, tamper, TARGETS_ONE, type Route, type Target } from './support/route-sweep.ts';

const report = figures('isolation');
const PLATFORM_KEY = 'platform-key-for-tests-0123456789';
const iso = (ms: number) => new Date(ms).toISOString();

let t: TestApp;
/** Tenant B, the victim of the cross-tenant attempts. */
let bravo: { id: string; adminKey: string };
const A_PSA_KEY = 'ALPHA-PSA-SECRET-KEY-0123456789';
const B_PSA_KEY = 'BRAVO-PSA-SECRET-KEY-0123456789';
/** Strings only tenant B's data contains. */
const bravoMarkers = ['BRAVO-PRIVATE-CLIENT', 'BRAVO-PRIVATE-DEVICE', 'BRAVO-SHADOW-DEVICE', 'bravo-secret@bravo.example', B_PSA_KEY];
/** Strings only client alpha-2's data contains. */
const alphaTwoMarkers = ['ALPHA-TWO-PRIVATE', 'A2-SRV-PRIVATE'];
/** Secrets that no response may ever carry. */
let secrets: string[];

let bravoTarget: Target;
let alphaTwoTarget: Target;

async function as(token: string | null, method: string, path: string, options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  let body = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await t.app.request(path, { method, headers, body });
  let text: string;
  if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    // A stream that was let in: read its first message, then hang up.
    const reader = response.body!.getReader();
    const first = await reader.read();
    text = new TextDecoder().decode(first.value ?? new Uint8Array());
    await reader.cancel();
  } else text = Buffer.from(await response.arrayBuffer()).toString('latin1');
  return { status: response.status, text };
}

async function ok(reply: Promise<{ status: number; text: string }>) {
  const result = await reply;
  assert.ok(result.status >= 200 && result.status < 300, `${result.status}: ${result.text.slice(0, 300)}`);
  return result.text ? JSON.parse(result.text) : null;
}

/** Every row of a tenant, for "nothing changed" checks. */
async function tenantRows(tenantId: string): Promise<string> {
  const tables = (await t.db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name")).map((r) => r.name);
  const parts: unknown[] = [];
  for (const table of tables) {
    const columns = (await t.db.all<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`)).map((c) => c.name);
    const key = columns.includes('tenant_id') ? 'tenant_id' : table === 'tenants' ? 'id' : null;
    if (key) parts.push(table, await t.db.all(`SELECT * FROM "${table}" WHERE ${key} = ? ORDER BY rowid`, [tenantId]));
  }
  return JSON.stringify(parts);
}

// ------------------------------------------------------------------ fleet

before(async () => {
  log.setLevel('error');
  // Every wrong credential here must reach the authorizer: throttling failed
  // authentication is attack-auth.test.ts's subject, so its limit is out of reach.
  t = await testApp({ config: { platformKey: PLATFORM_KEY, authFailuresPerMinute: 1e9 } });
  bravo = await ok(as(PLATFORM_KEY, 'POST', '/api/v1/tenants', { body: { name: 'Bravo MSP' } }));
  const seed = async (key: string, clients: [string, string][], devices: [string, string, string][]) => {
    t.clock.set(T0 - 3 * 24 * HOUR);
    for (const [id, name] of clients) await ok(as(key, 'PUT', `/api/v1/clients/${id}`, { body: { name } }));
    await ok(as(key, 'PUT', '/api/v1/policies/daily', { body: { name: 'Daily', intervalHours: 24 } }));
    for (const [id, client, name] of devices) await ok(as(key, 'PUT', `/api/v1/devices/${id}`, { body: { clientId: client, name, kind: 'server', policyId: 'daily' } }));
    t.clock.set(T0);
    await ok(as(key, 'POST', '/api/v1/events?wait=evaluated', { body: { events: devices.flatMap(([id]) => failures(id)) } }));
  };
  await seed(t.adminKey, [['alpha-1', 'Alpha One'], ['alpha-2', 'ALPHA-TWO-PRIVATE']], [['a1-srv', 'alpha-1', 'A1 SRV'], ['a2-srv', 'alpha-2', 'A2-SRV-PRIVATE']]);
  // Tenant B reuses A's device id "a1-srv": ids are per tenant.
  await seed(bravo.adminKey, [['bravo', 'BRAVO-PRIVATE-CLIENT']], [['b-srv', 'bravo', 'BRAVO-PRIVATE-DEVICE'], ['a1-srv', 'bravo', 'BRAVO-SHADOW-DEVICE']]);
  // A's PSA integration is enabled (its key authenticates only then), B's is not.
  await ok(as(t.adminKey, 'PUT', '/api/v1/settings/integrations/psa', { body: { enabled: true, baseUrl: 'http://127.0.0.1:9', integrationKey: A_PSA_KEY } }));
  await ok(as(bravo.adminKey, 'PUT', '/api/v1/settings/integrations/psa', { body: { enabled: false, baseUrl: 'http://127.0.0.1:9', integrationKey: B_PSA_KEY } }));
  await ok(as(bravo.adminKey, 'PUT', '/api/v1/settings/reports', { body: { recipients: ['bravo-secret@bravo.example'] } }));
  const alertOf = async (key: string, device: string) => (await ok(as(key, 'GET', `/api/v1/alerts?device=${device}`))).items[0].id as string;
  // A maintenance window and a silence each, named with the private markers.
  const quiet = async (key: string, client: string, marker: string) => {
    const window = `${client}-window`;
    await ok(as(key, 'PUT', `/api/v1/maintenance/${window}`, { body: { name: `${marker} window`, scope: { clientId: client }, weekly: { days: [6], start: '02:00', durationMinutes: 60 }, timezone: 'UTC' } }));
    const silence = await ok(as(key, 'POST', '/api/v1/silences', { body: { matchers: { clientId: client }, endsAt: iso(T0 + 30 * 24 * HOUR), comment: `${marker} silence` } }));
    return { window, silence: silence.id as string };
  };
  bravoTarget = { client: 'bravo', device: 'b-srv', policy: 'daily', alert: await alertOf(bravo.adminKey, 'b-srv'), ...(await quiet(bravo.adminKey, 'bravo', 'BRAVO-PRIVATE-CLIENT')) };
  alphaTwoTarget = { client: 'alpha-2', device: 'a2-srv', policy: 'daily', alert: await alertOf(t.adminKey, 'a2-srv'), ...(await quiet(t.adminKey, 'alpha-2', 'ALPHA-TWO-PRIVATE')) };
  bravoMarkers.push(bravoTarget.alert, await alertOf(bravo.adminKey, 'a1-srv'), bravoTarget.silence!);
  alphaTwoMarkers.push(alphaTwoTarget.alert, alphaTwoTarget.silence!);
  secrets = [A_PSA_KEY, B_PSA_KEY, t.adminKey, bravo.adminKey, PLATFORM_KEY];
});
after(async () => {
  for (const hook of t.services.onShutdown) await hook();
  await t.close();
});

// ------------------------------------------------------------------ routes

interface Outcome {
  status: number;
  text: string;
}

async function sweep(name: string, token: string | null, target: Target, expect: (route: Route, reply: Outcome) => void, options: { headers?: Record<string, string>; markers?: string[] } = {}) {
  let attempts = 0;
  const leaks: string[] = [];
  for (const route of appRoutes(t.app)) {
    if (PUBLIC.has(`${route.method} ${route.path}`)) continue;
    const request = attempt(route, target);
    const reply = await as(token, route.method, request.path, { body: request.body, raw: request.raw, headers: { ...request.headers, ...options.headers } });
    attempts += 1;
    const what = `${name}: ${route.method} ${request.path} → ${reply.status} ${reply.text.slice(0, 200)}`;
    assert.ok(reply.status < 500, what);
    // An id the caller sent may be echoed back ("Alert X does not exist"): only what it did not send counts.
    const sent = `${request.path} ${JSON.stringify(request.body ?? '')} ${request.raw ?? ''}`;
    for (const marker of options.markers ?? []) if (reply.text.includes(marker) && !sent.includes(marker)) leaks.push(`${what}\nleaks "${marker}"`);
    for (const secret of secrets) if (reply.text.includes(secret)) leaks.push(`${what}\nleaks a secret`);
    expect(route, reply);
  }
  report.add('attempts', attempts);
  report.add('leaks', leaks.length);
  assert.deepEqual(leaks, [], 'nothing leaks');
  return attempts;
}

const refused = (statuses: number[]) => (route: Route, reply: Outcome) =>
  assert.ok(statuses.includes(reply.status), `${route.method} ${route.path}: expected ${statuses.join('/')}, got ${reply.status} ${reply.text.slice(0, 200)}`);

// ------------------------------------------------------------------ tests

describe('the live stream', () => {
  /** Opens /stream in-process and collects event payloads as text. */
  async function open(token: string, headers: Record<string, string> = {}) {
    const response = await t.app.request('/api/v1/stream', { headers: { authorization: `Bearer ${token}`, ...headers } });
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    return {
      /** Reads until `marker` arrives; returns everything read so far. */
      async until(marker: string) {
        const deadline = Date.now() + 10_000;
        while (!text.includes(marker)) {
          assert.ok(Date.now() < deadline, `no "${marker}" on the stream; got ${text.slice(0, 500)}`);
          const { value, done } = await reader.read();
          assert.ok(!done, 'the stream ended');
          text += decoder.decode(value, { stream: true });
        }
        return text;
      },
      close: () => reader.cancel(),
    };
  }

  test("a tenant's stream never carries another tenant's changes; a client's stream (live or replayed from Last-Event-ID 0) never another client's", async () => {
    const clientToken = (await ok(as(t.adminKey, 'POST', '/api/v1/embed-tokens', { body: { clientId: 'alpha-1' } }))).token;
    const tenantStream = await open(t.adminKey);
    const clientStream = await open(clientToken);
    const replayStream = await open(clientToken, { 'last-event-id': '0' });
    const bravoStream = await open(bravo.adminKey);
    try {
      // Changes of B, of alpha-2, then of alpha-1 last: once alpha-1's arrives, the others had their chance.
      t.clock.set(T0 + 2 * HOUR);
      await ok(as(bravo.adminKey, 'POST', '/api/v1/events?wait=evaluated', { body: { events: [{ type: 'job', id: 'iso-b-ok', deviceId: 'b-srv', status: 'success', startedAt: iso(T0 + HOUR), endedAt: iso(T0 + HOUR + 60_000) }] } }));
      await ok(as(t.adminKey, 'POST', '/api/v1/events?wait=evaluated', { body: { events: [{ type: 'job', id: 'iso-a2-ok', deviceId: 'a2-srv', status: 'success', startedAt: iso(T0 + HOUR), endedAt: iso(T0 + HOUR + 60_000) }] } }));
      await ok(as(t.adminKey, 'POST', '/api/v1/events?wait=evaluated', { body: { events: [{ type: 'job', id: 'iso-a1-ok', deviceId: 'a1-srv', status: 'success', startedAt: iso(T0 + HOUR), endedAt: iso(T0 + HOUR + 60_000) }] } }));
      const sentinel = '"id":"a1-srv"';
      const tenantSeen = await tenantStream.until(sentinel);
      for (const marker of bravoMarkers) assert.ok(!tenantSeen.includes(marker), `tenant stream leaks ${marker}`);
      assert.ok(tenantSeen.includes('A2-SRV-PRIVATE'), "the tenant-wide stream carries all of the tenant's clients");
      for (const [name, stream] of [['client stream', clientStream], ['replayed client stream', replayStream]] as const) {
        const seen = await stream.until(sentinel);
        for (const marker of [...bravoMarkers, ...alphaTwoMarkers, '"a2-srv"']) assert.ok(!seen.includes(marker), `${name} leaks ${marker}`);
      }
      const bravoSeen = await bravoStream.until('"id":"b-srv"');
      for (const marker of ['A1 SRV', ...alphaTwoMarkers]) assert.ok(!bravoSeen.includes(marker), `tenant B's stream leaks ${marker}`);
      report.add('streamsChecked', 4);
    } finally {
      t.clock.set(T0);
      await Promise.all([tenantStream.close(), clientStream.close(), replayStream.close(), bravoStream.close()]);
    }
  });
});

describe('isolation sweep over every route', () => {
  test('the enumerated routes are the documented ones (OpenAPI)', async () => {
    const doc = JSON.parse((await as(null, 'GET', '/api/v1/openapi.json')).text) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).filter((m) => ['get', 'put', 'post', 'delete', 'patch'].includes(m)).map((m) => `${m.toUpperCase()} ${normalize(path)}`),
    );
    const served = appRoutes(t.app).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual([...served].sort(), [...new Set(documented)].sort());
    report.set('routes', served.length);
  });

  test('no credential, a garbage key, a revoked-looking key and a wrong integration key: 401 everywhere', async () => {
    await sweep('no credential', null, alphaTwoTarget, refused([401]));
    await sweep('unknown key', 'bhk_not-a-real-key-0123456789', alphaTwoTarget, refused([401]));
    await sweep('key with one character changed', t.adminKey.slice(0, -1) + (t.adminKey.endsWith('A') ? 'B' : 'A'), alphaTwoTarget, refused([401]));
    await sweep('malformed header', null, alphaTwoTarget, refused([401]), { headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` } });
    await sweep('wrong integration key', null, alphaTwoTarget, refused([401]), { headers: { 'x-integration-key': 'not-the-psa-key-0123456789' } });
  });

  test('an expired embed token: 401 (token-expired) everywhere, including /stream and the exports', async () => {
    const { token } = await ok(as(t.adminKey, 'POST', '/api/v1/embed-tokens', { body: { scopes: ['read', 'operate'], ttlSeconds: 60 } }));
    t.clock.advance(61_000);
    try {
      await sweep('expired token', token, alphaTwoTarget, (route, reply) => {
        refused([401])(route, reply);
        assert.match(reply.text, /token-expired/);
      });
    } finally {
      t.clock.set(T0);
    }
  });

  test('tampered embed tokens (signature, tenant, scopes, client, expiry, truncated, garbage): 401 everywhere', async () => {
    const { token } = await ok(as(t.adminKey, 'POST', '/api/v1/embed-tokens', { body: { clientId: 'alpha-1', scopes: ['read'] } }));
    for (const how of ['signature', 'tenant', 'scopes', 'client', 'expiry', 'truncated', 'garbage'] as const) {
      await sweep(`token with ${how} tampered`, tamper(token, how, bravo.id), alphaTwoTarget, refused([401]), { markers: [...bravoMarkers, ...alphaTwoMarkers] });
    }
  });

  test("a client-scoped token cannot reach another client's objects: 404 for its objects, 403 for writes and settings, lists and exports show its own client only", async () => {
    const { token } = await ok(as(t.adminKey, 'POST', '/api/v1/embed-tokens', { body: { clientId: 'alpha-1', scopes: ['read', 'operate'] } }));
    await sweep('client token (alpha-1) → alpha-2', token, alphaTwoTarget, (route, reply) => {
      const key = `${route.method} ${route.path}`;
      // Operate actions on one object of another client: not there.
      if (ALERT_STEPS.has(key) || key === 'POST /api/v1/devices/:id/manual-result' || (route.method === 'GET' && TARGETS_ONE(route))) refused([404])(route, reply);
      // Acknowledging several: each alert of another client answers "not-found", the request itself is allowed.
      else if (key === 'POST /api/v1/alerts/acknowledge') refused([200])(route, reply);
      // It may plan maintenance and silence alerts, for its own client only; another client's are not there.
      else if (key === 'DELETE /api/v1/maintenance/:id' || key === 'DELETE /api/v1/silences/:id') refused([404])(route, reply);
      else if (key === 'PUT /api/v1/maintenance/:id' || key === 'POST /api/v1/silences') refused([422])(route, reply);
      else if (isWrite(route) || ADMIN_READS.has(key)) refused([403])(route, reply);
      else if (key === 'GET /api/v1/me') refused([200])(route, reply);
      // Lists: another client as a filter is "no such client" (404), or an empty page of one's own.
      else refused([200, 404])(route, reply);
    }, { markers: [...alphaTwoMarkers, ...bravoMarkers] });
    // Without a filter, the lists and the export are its own client's only.
    for (const path of ['/api/v1/devices', '/api/v1/clients', '/api/v1/alerts', '/api/v1/compliance', '/api/v1/reports/weekly', '/api/v1/compliance/export?format=csv', '/api/v1/compliance/export?format=pdf']) {
      const reply = await as(token, 'GET', path);
      assert.equal(reply.status, 200, `${path}: ${reply.text.slice(0, 200)}`);
      for (const marker of [...alphaTwoMarkers, ...bravoMarkers, 'a2-srv']) assert.ok(!reply.text.includes(marker), `${path} leaks ${marker}`);
      report.add('attempts');
    }
    assert.match((await as(token, 'GET', '/api/v1/compliance/export?format=csv')).text, /A1 SRV/);
  });

  test('read-only credentials on write and admin routes, and an ingest key on read routes: 403', async () => {
    const readToken = (await ok(as(t.adminKey, 'POST', '/api/v1/embed-tokens', { body: { scopes: ['read'] } }))).token;
    const readKey = (await ok(as(t.adminKey, 'POST', '/api/v1/api-keys', { body: { name: 'reader', scopes: ['read'] } }))).key;
    const ingestKey = (await ok(as(t.adminKey, 'POST', '/api/v1/api-keys', { body: { name: 'agent', scopes: ['ingest'] } }))).key;
    const before = await tenantRows(t.tenant.id);
    for (const [name, credential] of [['read embed token', readToken], ['read API key', readKey]] as const) {
      await sweep(name, credential, { ...alphaTwoTarget, client: 'alpha-1', device: 'a1-srv' }, (route, reply) => {
        if (isWrite(route) || ADMIN_READS.has(`${route.method} ${route.path}`)) refused([403])(route, reply);
      }, { markers: bravoMarkers });
    }
    // The PSA calling with its integration key reads its tenant, writes nothing.
    await sweep('PSA integration key', null, { ...alphaTwoTarget, client: 'alpha-1', device: 'a1-srv' }, (route, reply) => {
      if (isWrite(route) || ADMIN_READS.has(`${route.method} ${route.path}`)) refused([403])(route, reply);
    }, { headers: { 'x-integration-key': A_PSA_KEY }, markers: bravoMarkers });
    assert.equal(await tenantRows(t.tenant.id), before, 'read-only credentials changed nothing');
    // The ingest key may write: aim it at objects of its own, created by the sweep itself.
    await sweep('ingest key', ingestKey, { client: 'scratch', device: 'scratch-srv', policy: 'scratch-policy', alert: alphaTwoTarget.alert }, (route, reply) => {
      const key = `${route.method} ${route.path}`;
      const ingestRoutes = ['PUT /api/v1/clients/:id', 'PUT /api/v1/policies/:id', 'PUT /api/v1/devices/:id', 'DELETE /api/v1/devices/:id', 'POST /api/v1/import/devices', 'POST /api/v1/events', 'POST /api/v1/policies/schedule-preview'];
      if (key === 'GET /api/v1/me') return;
      if (!ingestRoutes.includes(key)) refused([403])(route, reply);
    }, { markers: bravoMarkers });
  });

  test("the platform key is refused on every tenant route (403), and creating a tenant does not reach another tenant's data", async () => {
    await sweep('platform key', PLATFORM_KEY, bravoTarget, (route, reply) => {
      if (`${route.method} ${route.path}` === 'POST /api/v1/tenants') refused([201])(route, reply);
      else refused([403])(route, reply);
    }, { markers: bravoMarkers });
  });

  test("another tenant's admin key: 404 for the other tenant's objects, its lists show its own data only, and the other tenant's rows do not change", async () => {
    const before = await tenantRows(bravo.id);
    await sweep("tenant A's admin key → tenant B", t.adminKey, bravoTarget, (route, reply) => {
      const key = `${route.method} ${route.path}`;
      if (key === 'POST /api/v1/tenants') refused([403])(route, reply);
      else if ((route.method === 'GET' || route.method === 'DELETE' || ALERT_STEPS.has(key)) && TARGETS_ONE(route)) refused([404])(route, reply);
      // Everything else (upserts, events, settings) lands in tenant A's own namespace, where the same ids may exist.
    }, { markers: bravoMarkers });
    // A's key on B's shared device id sees A's device.
    const shared = JSON.parse((await as(t.adminKey, 'GET', '/api/v1/devices/a1-srv')).text);
    assert.equal(shared.name, 'A1 SRV');
    assert.equal(await tenantRows(bravo.id), before, "tenant B's rows are exactly as they were");
  });
});
