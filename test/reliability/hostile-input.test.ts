/**
 * Hostile input (issue #8 §4): fast-check generates events, settings bodies, CSV
 * imports, inventory bodies and list queries — wrong types, huge strings, deep
 * nesting, NaN/Infinity, unicode, prototype-pollution keys, SQL and HTML payloads.
 * Never a 500; a rejected request changes no row of any table (the whole database is
 * compared before and after); an accepted batch or import is stored whole; the
 * process's own Object.prototype stays clean; and a real server keeps answering.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { log } from '../../bff/log.ts';
import { HOUR, T0, testApp, type TestApp } from '../bff/harness.ts';
import { call, startBff, tempDatabase, type Instance } from './support/bff-process.ts';
import { rawRequest, refusedEarlyAs413 } from './support/raw-request.ts';
import { figures } from './support/figures.ts';
import { CLIENTS, csvFile, csvMostlyValid, eventBody, listQuery, settingsBodies } from './support/hostile-bodies.ts';
import { hostileString, hostileValue, InputCounter, mutated, PROTOTYPE_KEYS, serialize, type Json } from './support/hostile.ts';
import { snapshot } from './support/snapshot.ts';

const report = figures('hostile-input');
const inputs = new InputCounter();
const SEED = 0x5eed_f00d;
/** `RELIABILITY_FUZZ_SCALE=5` (npm run test:soak) tries five times as many inputs. */
const SCALE = Number(process.env.RELIABILITY_FUZZ_SCALE ?? 1);
const runs = (n: number) => Math.round(n * SCALE);

let t: TestApp;

before(async () => {
  log.setLevel('error');
  t = await testApp();
  t.clock.set(T0 - 10 * 24 * HOUR);
  for (const id of CLIENTS) {
    const reply = t.request('PUT', `clients/${id}`, { body: { name: `Client ${id}` } });
    // JavaScript's own keys are refused as ids (they would be keys of settings documents).
    if ((PROTOTYPE_KEYS as readonly string[]).includes(id)) assert.equal((await reply).status, 422);
    else await ok(reply);
  }
  await ok(t.request('PUT', 'policies/daily', { body: { name: 'Daily', intervalHours: 24 } }));
  await ok(t.request('PUT', 'devices/srv-1', { body: { clientId: 'contoso', name: 'SRV-1', kind: 'server', policyId: 'daily' } }));
  await ok(t.request('PUT', 'devices/ws-1', { body: { clientId: 'fabrikam', name: 'WS-1', kind: 'workstation', policyId: 'daily', quotaBytes: 1e9 } }));
  await ok(t.request('PUT', 'devices/saas-1', { body: { clientId: 'fabrikam', name: 'SaaS-1', kind: 'saas', policyId: 'daily' } }));
  t.clock.set(T0);
});
after(() => t.close());

async function ok(reply: Promise<{ status: number; json: any }>) {
  const { status, json } = await reply;
  assert.ok(status >= 200 && status < 300, `HTTP ${status}: ${JSON.stringify(json)}`);
  return json;
}

/** Sends a raw body; returns status and parsed answer. */
async function send(method: string, path: string, body: string | undefined, contentType = 'application/json') {
  const response = await t.app.request(path, {
    method,
    headers: { authorization: `Bearer ${t.adminKey}`, ...(body === undefined ? {} : { 'content-type': contentType }) },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, type: response.headers.get('content-type') ?? '' };
}

/** A server error is never an answer; a refusal is a problem document. */
function assertHandled(reply: { status: number; text: string; type: string }, what: string, accepted: number[]) {
  assert.ok(reply.status < 500, `${what} → ${reply.status}: ${reply.text.slice(0, 300)}`);
  if (!accepted.includes(reply.status)) {
    assert.ok([400, 404, 413, 415, 422].includes(reply.status), `${what} → unexpected ${reply.status}: ${reply.text.slice(0, 300)}`);
    assert.match(reply.type, /application\/problem\+json/);
  }
}

function assertPrototypeClean() {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), OBJECT_PROTOTYPE_NAMES, 'Object.prototype was not polluted');
  const probe = {} as Record<string, unknown>;
  for (const key of ['isAdmin', 'tenantId', 'enabled', 'serverHours', 'a', 'admin']) assert.equal(probe[key], undefined, `({}).${key} is undefined`);
}
const OBJECT_PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

/** Requests a rejected input must leave the database exactly as it was. */
async function expectUnchangedUnless(accepted: boolean, before: Awaited<ReturnType<typeof snapshot>>, what: string) {
  if (accepted) return;
  const after = await snapshot(t.db);
  assert.deepEqual(after.counts, before.counts, `${what}: row counts changed although it was refused`);
  assert.equal(after.digest, before.digest, `${what}: rows changed although it was refused`);
}

/** Percent-encodes a path segment; lone surrogates become bytes that are not UTF-8 at all. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const encodePathSegment = (value: string) =>
  LONE_SURROGATE.test(value) ? `${encodeURIComponent(value.replace(new RegExp(LONE_SURROGATE, 'g'), ''))}%ED%A0%80%FF` : encodeURIComponent(value);

// ------------------------------------------------------------------ events

/** Parses like the server does, to know which events a 202 stored. */
function parsedEvents(text: string): Record<string, unknown>[] {
  const body = JSON.parse(text);
  return Array.isArray(body?.events) ? body.events : [body];
}

async function assertStoredWhole(events: Record<string, unknown>[], answer: { accepted: number; duplicates: number }) {
  assert.equal(answer.accepted + answer.duplicates, events.length, 'every event is accepted or a duplicate');
  for (const e of events) {
    const tenant = t.tenant.id;
    const at = typeof e.at === 'string' ? Date.parse(e.at) : null;
    const found =
      e.type === 'job' ? await t.db.get('SELECT 1 FROM jobs WHERE tenant_id = ? AND id = ?', [tenant, e.id as string])
      : e.type === 'dr_test' ? await t.db.get('SELECT 1 FROM dr_tests WHERE tenant_id = ? AND id = ?', [tenant, e.id as string])
      : e.type === 'storage' ? await t.db.get('SELECT 1 FROM storage_reports WHERE tenant_id = ? AND device_id = ? AND at = ?', [tenant, e.deviceId as string, at])
      : e.type === 'saas_consent' ? await t.db.get('SELECT 1 FROM consent_events WHERE tenant_id = ? AND device_id = ? AND at = ?', [tenant, e.deviceId as string, at])
      : true;
    assert.ok(found, `accepted ${e.type} event is stored`);
  }
}

describe('hostile input never breaks the BFF', () => {
  test('POST /events: generated batches are accepted whole or refused with nothing stored, never a 500', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(eventBody, async ({ body, truncate }) => {
        inputs.add('events');
        let text = serialize(body);
        if (truncate !== null) text = text.slice(0, truncate % Math.max(1, text.length));
        const before = await snapshot(t.db);
        const reply = await send('POST', '/api/v1/events', text);
        assertHandled(reply, `events ${text.slice(0, 200)}`, [202]);
        await expectUnchangedUnless(reply.status === 202, before, 'POST /events');
        if (reply.status === 202) {
          accepted += 1;
          await assertStoredWhole(parsedEvents(text), JSON.parse(reply.text));
        }
        assertPrototypeClean();
      }),
      { numRuns: runs(300), seed: SEED },
    );
    report.set('eventBatchesAccepted', accepted);
    assert.ok(accepted > 0, 'some generated batches are valid');
  });

  for (const [name, arbitrary] of Object.entries(settingsBodies)) {
    test(`PUT /settings/${name}: generated bodies are stored or refused whole, never a 500, and evaluation still works`, async () => {
      let stored = 0;
      await fc.assert(
        fc.asyncProperty(arbitrary, async (body) => {
          inputs.add(`settings/${name}`);
          const text = serialize(body);
          const before = await snapshot(t.db);
          const reply = await send('PUT', `/api/v1/settings/${name}`, text);
          assertHandled(reply, `settings/${name} ${text.slice(0, 200)}`, [200]);
          await expectUnchangedUnless(reply.status === 200, before, `PUT /settings/${name}`);
          assertPrototypeClean();
          if (reply.status !== 200) return;
          stored += 1;
          assert.doesNotMatch(reply.text, /integrationKey"\s*:\s*"/, 'secrets are never returned');
          // Whatever was accepted, the product keeps working with it.
          for (const [method, path] of [['GET', `/api/v1/settings/${name}`], ['POST', '/api/v1/admin/evaluate'], ['GET', '/api/v1/compliance'], ['GET', '/api/v1/reports/weekly']] as const) {
            const check = await send(method, path, undefined);
            assert.equal(check.status, 200, `${method} ${path} after settings/${name} ${text.slice(0, 200)}: ${check.text.slice(0, 300)}`);
          }
        }),
        { numRuns: runs(80), seed: SEED },
      );
      report.add('settingsStored', stored);
    });
  }

  test('POST /import/devices: generated CSV files import whole or not at all, never a 500', async () => {
    let imported = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(csvFile, csvMostlyValid), fc.constantFrom('text/csv', 'text/csv; charset=utf-8', 'application/json'), async (csv, type) => {
        inputs.add('csv');
        const before = await snapshot(t.db);
        const reply = await send('POST', '/api/v1/import/devices', csv, type);
        assertHandled(reply, `csv ${JSON.stringify(csv.slice(0, 200))}`, [200]);
        await expectUnchangedUnless(reply.status === 200, before, 'POST /import/devices');
        assertPrototypeClean();
        if (reply.status !== 200) return;
        imported += 1;
        const result = JSON.parse(reply.text) as { created: number; updated: number; total: number };
        const after = await snapshot(t.db);
        assert.equal(after.counts.devices! - before.counts.devices!, result.created, 'every created device is there');
        assert.equal(result.created + result.updated, result.total);
      }),
      { numRuns: runs(150), seed: SEED },
    );
    report.set('csvImported', imported);
    assert.ok(imported > 0, 'some generated files are valid');
  });

  test('PUT /clients, /policies, /devices: generated ids and bodies are upserted or refused, never a 500', async () => {
    const resource = fc.constantFrom(
      { path: 'clients', valid: { name: 'Client', timezone: 'Europe/Berlin' } as Record<string, Json> },
      { path: 'policies', valid: { name: 'Policy', intervalHours: 4 } as Record<string, Json> },
      { path: 'devices', valid: { clientId: 'contoso', name: 'Device', kind: 'server', policyId: 'daily', quotaBytes: 1000 } as Record<string, Json> },
    );
    await fc.assert(
      fc.asyncProperty(resource.chain((r) => fc.record({ path: fc.constant(r.path), id: fc.oneof(fc.constantFrom('fuzz-1', 'srv-1', ...PROTOTYPE_KEYS), hostileString), body: fc.oneof(mutated(r.valid), hostileValue) })), async ({ path, id, body }) => {
        inputs.add('inventory');
        const text = serialize(body);
        const before = await snapshot(t.db);
        const reply = await send('PUT', `/api/v1/${path}/${encodePathSegment(id).slice(0, 4000)}`, text);
        assertHandled(reply, `PUT ${path}/${id.slice(0, 50)} ${text.slice(0, 200)}`, [200, 201]);
        await expectUnchangedUnless(reply.status === 200 || reply.status === 201, before, `PUT /${path}`);
        assertPrototypeClean();
      }),
      { numRuns: runs(150), seed: SEED },
    );
  });

  test('list, export and report queries with generated parameters and cursors answer or refuse, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(listQuery, async ({ path, params, cursor }) => {
        inputs.add('queries');
        const search = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, v.replace(/\u0000/g, '')]));
        if (cursor !== null) search.set('cursor', cursor);
        const reply = await send('GET', `/api/v1/${path}?${search}`, undefined);
        assertHandled(reply, `GET ${path}?${search.toString().slice(0, 300)}`, [200]);
      }),
      { numRuns: runs(250), seed: SEED },
    );
  });

  test('an SLA override for a client whose id is "__proto__", "constructor" or "prototype" is kept or refused openly, never dropped in silence; Object.prototype is untouched', async () => {
    for (const client of PROTOTYPE_KEYS) {
      inputs.add('settings/sla');
      const reply = await send('PUT', '/api/v1/settings/sla', `{"clients":{${JSON.stringify(client)}:{"serverHours":7}}}`);
      assertHandled(reply, `override for ${client}`, [200]);
      const { json } = await t.request('GET', 'settings/sla');
      if (reply.status === 200) {
        assert.ok(Object.hasOwn(json.clients, client), `the override of "${client}" answered 200, so it is stored: ${JSON.stringify(json.clients)}`);
        assert.equal(json.clients[client].serverHours, 7);
      } else {
        assert.equal(reply.status, 422);
        assert.match(reply.text, new RegExp(client.replace(/_/g, '_')));
        assert.ok(!Object.hasOwn(json.clients, client));
      }
      assertPrototypeClean();
    }
  });
});

describe('a real server under hostile bodies', () => {
  let bff: Instance;
  const database = tempDatabase();
  before(async () => {
    bff = await startBff(database, { BHM_BODY_LIMIT_BYTES: String(2 * 1024 * 1024) });
  });
  after(async () => {
    await bff.kill9();
    database.remove();
  });

  test('oversized, deeply nested, non-UTF-8, NaN-laden and malformed bodies are refused and the server keeps answering', async () => {
    // One connection per request (agent: false): an oversized body answered early must not poison a kept-alive connection.
    const post = (path: string, body: string | Uint8Array) => rawRequest(bff.url, 'POST', path, body);
    const bodies: [string, string | Uint8Array, number[]][] = [
      ['3 MB batch over a 2 MB limit', JSON.stringify({ events: Array.from({ length: 15_000 }, (_, i) => ({ type: 'checkin', deviceId: 'x'.repeat(180), at: `2026-01-01T00:00:${i}Z` })) }), [413]],
      ['nesting 500 000 deep', '['.repeat(500_000) + ']'.repeat(500_000), [400, 413, 422]],
      ['object nesting 200 000 deep', '{"events":'.repeat(200_000) + '1' + '}'.repeat(200_000), [400, 413, 422]],
      ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), [400, 422]],
      ['NaN and Infinity', '{"events":[{"type":"storage","deviceId":"d","at":"2026-01-01T00:00:00Z","usedBytes":NaN,"quotaBytes":Infinity}]}', [400]],
      ['1e999', '{"events":[{"type":"storage","deviceId":"d","at":"2026-01-01T00:00:00Z","usedBytes":1e999}]}', [422]],
      ['empty', '', [400, 422]],
      ['truncated', '{"events":[{"type":"job"', [400]],
      ['a string', '"events"', [422]],
      ['a number', '42', [422]],
      ['5 001 events', JSON.stringify({ events: Array.from({ length: 5_001 }, () => ({ type: 'checkin', deviceId: 'd', at: '2026-01-01T00:00:00Z' })) }), [422]],
    ];
    for (const [what, body, statuses] of bodies) {
      inputs.add('raw-bodies');
      const response = await post('/api/v1/events', body).catch(refusedEarlyAs413);
      assert.ok(statuses.includes(response.status), `${what}: ${response.status} ${response.text.slice(0, 200)}`);
      const health = await fetch(`${bff.url}/healthz`);
      assert.equal(health.status, 200, `still live after ${what}`);
    }
    for (const path of ['/api/v1/settings/sla', '/api/v1/settings/integrations/psa', '/api/v1/embed-tokens', '/api/v1/api-keys']) {
      for (const [what, body] of bodies.slice(1, 6)) {
        inputs.add('raw-bodies');
        const response = await post(path, body).catch(refusedEarlyAs413);
        assert.ok(response.status < 500, `${path} ${what}: ${response.status}`);
      }
    }
    // A header far beyond Node's limit, and a request line with a huge path.
    inputs.add('raw-bodies');
    // Node answers 431 and closes while the client may still be writing the header (then a reset is all it sees).
    const huge = await rawRequest(bff.url, 'GET', '/api/v1/devices', undefined, { authorization: `Bearer ${'k'.repeat(100_000)}` }).catch((error: Error) => error);
    assert.ok(huge instanceof Error ? /ECONNRESET|EPIPE|socket hang up/.test(huge.message) : huge.status === 431, String(huge instanceof Error ? huge.message : huge.status));
    inputs.add('raw-bodies');
    const longPath = await call(bff, 'GET', `devices/${'a'.repeat(60_000)}`);
    assert.ok(longPath.status < 500);

    assert.ok(bff.alive);
    assert.equal((await call(bff, 'GET', 'devices')).status, 200);
    const errors = bff.logs().filter((line) => line.level === 'error');
    assert.deepEqual(errors, [], 'no request failed with an internal error');
    report.set('inputsTried', inputs.total);
    report.set('byCategory', [...inputs.counts].map(([k, v]) => `${k}:${v}`).join(','));
  });
});

