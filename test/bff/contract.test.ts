/**
 * The contract test: a representative request for every route and every status the
 * generated OpenAPI document declares, each answer checked against the document
 * (status declared, media type declared, JSON body valid against its schema with
 * ajv's JSON Schema 2020-12). The last test fails when a declared status was never
 * produced, so the document cannot promise an answer the API does not give.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { job, storage } from './fleet.ts';
import { T0, testApp, type TestApp } from './harness.ts';
import { fixture } from './mail-support.ts';

type Operation = { responses: Record<string, { content?: Record<string, { schema?: object }> }>; 'x-required-scope'?: string };
type Doc = { paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };

const PLATFORM = 'platform-key-for-tests-0123456789';

describe('every route answers as the generated OpenAPI document says', () => {
  let t: TestApp;
  let doc: Doc;
  let widgetsDir: string;
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const validators = new Map<string, ValidateFunction>();
  const seen = new Set<string>();
  const keys = { read: '', ingest: '' };

  /** The documented path of a concrete one (`/api/v1/devices/srv-1` → `/api/v1/devices/{id}`). */
  const templateOf = (method: string, path: string) => {
    const bare = path.split('?')[0]!;
    const match = Object.keys(doc.paths).find((template) => {
      if (!doc.paths[template]![method]) return false;
      const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      return pattern.test(bare);
    });
    assert.ok(match, `${method.toUpperCase()} ${bare} is not in the document`);
    return match;
  };

  const validatorFor = (schema: object, key: string): ValidateFunction => {
    let validate = validators.get(key);
    if (!validate) {
      // Component references (#/components/schemas/…) resolve inside each compiled schema.
      validate = ajv.compile({ ...schema, components: doc.components });
      validators.set(key, validate);
    }
    return validate;
  };

  /** Sends a request and checks the answer against the document; answers the status and JSON body. */
  async function check(method: string, path: string, expected: number, options: Parameters<TestApp['request']>[2] = {}) {
    const full = path.startsWith('/') ? path : `/api/v1/${path}`;
    const response = await t.request(method, full, options);
    assert.equal(response.status, expected, `${method} ${full}: ${JSON.stringify(response.json)}`);
    const template = templateOf(method.toLowerCase(), full);
    const declared = doc.paths[template]![method.toLowerCase()]!.responses[String(response.status)];
    assert.ok(declared, `${method} ${template} answered ${response.status}, which the document does not declare`);
    seen.add(`${method.toLowerCase()} ${template} ${response.status}`);
    const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (!declared.content) {
      assert.equal(await response.response.text(), '', `${method} ${template} ${response.status} declares no body`);
      return response;
    }
    const media = declared.content[type];
    assert.ok(media, `${method} ${template} ${response.status} answered ${type}, declared ${Object.keys(declared.content).join(', ')}`);
    if (type.endsWith('json')) {
      const validate = validatorFor(media.schema!, `${method} ${template} ${response.status} ${type}`);
      assert.ok(validate(response.json), `${method} ${template} ${response.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(response.json).slice(0, 500)}`);
    } else {
      await response.response.body?.cancel();
    }
    return response;
  }

  before(async () => {
    widgetsDir = await mkdtemp(join(tmpdir(), 'bh-widgets-'));
    await writeFile(join(widgetsDir, 'backup-health.js'), 'export {};\n');
    // One stream per credential and one render per tenant at a time: the 429s are reachable.
    t = await testApp({
      config: { widgetsDir, bodyLimitBytes: 64 * 1024, streamLimits: { perToken: 1, perTenant: 100, perProcess: 100 }, heavyWork: { workers: 1, perTenant: 1, perProcess: 4 } },
    });
    doc = (await t.request('GET', '/api/v1/openapi.json', { token: null })).json;
    keys.read = (await t.request('POST', 'api-keys', { body: { name: 'reader', scopes: ['read'] } })).json.key;
    keys.ingest = (await t.request('POST', 'api-keys', { body: { name: 'feeder', scopes: ['ingest'] } })).json.key;
  });
  after(async () => {
    for (const hook of t.services.onShutdown) await hook();
    await t.close();
    await rm(widgetsDir, { recursive: true, force: true });
  });

  test('system routes: liveness, readiness, the document and the widget files', async () => {
    await check('GET', '/healthz', 200, { token: null });
    await check('GET', '/readyz', 200, { token: null });
    await check('GET', '/metrics', 200, { token: null });
    await check('GET', '/api/v1/openapi.json', 200, { token: null });
    const module = await check('GET', '/widgets/backup-health.js', 200, { token: null });
    await check('GET', '/widgets/backup-health.js', 304, { token: null, headers: { 'if-none-match': module.headers.get('etag')! } });
    await check('GET', '/widgets/missing.js', 404, { token: null });
  });

  test('credentials: tenants, API keys, embed tokens and /me', async () => {
    await check('POST', 'tenants', 201, { token: PLATFORM, body: { name: 'Other MSP' } });
    await check('POST', 'tenants', 422, { token: PLATFORM, body: { name: '' } });
    await check('POST', 'tenants', 400, { token: PLATFORM, raw: '{', headers: { 'content-type': 'application/json' } });
    await check('POST', 'tenants', 415, { token: PLATFORM, raw: 'name=x', headers: { 'content-type': 'text/plain' } });
    await check('POST', 'api-keys', 201, { body: { name: 'ci', scopes: ['read'] } });
    await check('POST', 'api-keys', 422, { body: { name: 'ci', scopes: ['everything'] } });
    await check('POST', 'api-keys', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('POST', 'api-keys', 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    const doomed = (await check('POST', 'api-keys', 201, { body: { name: 'doomed', scopes: ['read'] } })).json.id as string;
    await check('GET', 'api-keys?limit=2', 200);
    await check('GET', 'api-keys?limit=0', 422);
    await check('DELETE', `api-keys/${doomed}`, 204);
    await check('DELETE', 'api-keys/nobody', 404);
    await check('PUT', 'clients/acme', 201, { body: { name: 'Acme', timezone: 'Europe/Berlin' } });
    await check('POST', 'embed-tokens', 201, { body: { clientId: 'acme', scopes: ['read', 'operate'] } });
    await check('POST', 'embed-tokens', 404, { body: { clientId: 'nobody' } });
    await check('POST', 'embed-tokens', 422, { body: { ttlSeconds: 1 } });
    await check('POST', 'embed-tokens', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('POST', 'embed-tokens', 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('POST', 'embed-tokens/revoke-all', 204);
    await check('GET', 'me', 200);
  });

  test('inventory: clients, policies, devices and the CSV import', async () => {
    await check('PUT', 'clients/acme', 200, { body: { name: 'Acme GmbH' } });
    await check('PUT', 'clients/acme', 422, { body: { name: 'Acme', timezone: 'Mars/Olympus' } });
    await check('PUT', 'clients/acme', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('PUT', 'clients/acme', 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('PUT', 'policies/nightly', 201, { body: { name: 'Nightly', intervalHours: 24 } });
    await check('PUT', 'policies/nightly', 200, { body: { name: 'Nightly', intervalHours: 24 } });
    await check('PUT', 'policies/nightly', 422, { body: { name: 'Nightly', intervalHours: 0 } });
    await check('PUT', 'policies/workdays', 201, { body: { name: 'Workdays', schedule: { kind: 'cron', expression: '0 22 * * 1-5' }, graceHours: 4 } });
    await check('PUT', 'policies/workdays', 422, { body: { name: 'Workdays', schedule: { kind: 'cron', expression: '0 22 * *' } } });
    await check('PUT', 'policies/nightly', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('PUT', 'policies/nightly', 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('GET', 'policies', 200);
    await check('POST', 'policies/schedule-preview', 200, { body: { schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] }, timezone: 'Europe/Berlin' } });
    await check('POST', 'policies/schedule-preview', 422, { body: { schedule: { kind: 'cron', expression: '0 22 * *' }, timezone: 'UTC' } });
    await check('POST', 'policies/schedule-preview', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('POST', 'policies/schedule-preview', 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    const device = { clientId: 'acme', name: 'File server', kind: 'server', policyId: 'nightly', quotaBytes: 1_000_000 };
    await check('PUT', 'devices/srv-1', 201, { body: device });
    await check('PUT', 'devices/srv-1', 200, { body: device });
    await check('PUT', 'devices/srv-2', 201, { body: { ...device, name: 'Spare' } });
    await check('PUT', 'devices/srv-1', 422, { body: { ...device, kind: 'toaster' } });
    await check('PUT', 'devices/srv-1', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('PUT', 'devices/srv-1', 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    const csv = 'id,name,clientId,kind,policyId,quotaBytes\nws-1,Laptop,acme,workstation,nightly,\n';
    await check('POST', 'import/devices', 200, { raw: csv, headers: { 'content-type': 'text/csv' } });
    await check('POST', 'import/devices', 422, { raw: 'id,name\nws-2,Laptop\n', headers: { 'content-type': 'text/csv' } });
    await check('POST', 'import/devices', 415, { raw: csv, headers: { 'content-type': 'application/json' } });
    await check('POST', 'import/devices', 413, { raw: csv + 'x'.repeat(70 * 1024), headers: { 'content-type': 'text/csv' } });
    await check('POST', 'devices/srv-2/manual-result', 201, { body: { status: 'success', note: 'Copied by hand.' } });
    await check('POST', 'devices/srv-2/manual-result', 422, { body: { status: 'success', note: '' } });
    await check('POST', 'devices/nobody/manual-result', 404, { body: { status: 'success', note: 'x' } });
    await check('POST', 'devices/srv-1/manual-result', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('POST', 'devices/srv-1/manual-result', 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('DELETE', 'devices/srv-2', 204, { body: { reason: 'Replaced.' } });
    await check('DELETE', 'devices/nobody', 404);
    await check('DELETE', 'devices/bad%20id', 422);
    await check('DELETE', 'devices/srv-2', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('DELETE', 'devices/srv-2', 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
  });

  test('events and the per-device reads', async () => {
    t.clock.set(T0);
    const failures = [1, 2, 3].map((n) => job('srv-1', 'failed', T0 - n * 3_600_000));
    await check('POST', 'events', 202, { body: { events: [job('srv-1', 'success', T0 - 30 * 3_600_000), ...failures, storage('srv-1', T0 - 60_000, 990_000, 1_000_000)] } });
    await check('POST', 'events', 422, { body: { events: [{ type: 'job', deviceId: 'srv-1' }] } });
    await check('POST', 'events', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('POST', 'events', 413, { raw: JSON.stringify({ events: [], pad: 'x'.repeat(70 * 1024) }), headers: { 'content-type': 'application/json' } });
    await check('GET', 'devices?status=critical,warning,healthy,unknown&sort=name&limit=1', 200);
    await check('GET', 'devices?limit=0', 422);
    await check('GET', 'devices?cursor=not-a-cursor', 400);
    await check('GET', 'devices/srv-1', 200);
    await check('GET', 'devices/nobody', 404);
    await check('GET', 'clients', 200);
    await check('GET', 'clients?limit=501', 422);
    await check('GET', 'clients?cursor=not-a-cursor', 400);
    await check('GET', 'clients/acme', 200);
    await check('GET', 'clients/nobody', 404);
    await check('POST', 'admin/evaluate', 200);
  });

  test('alerts: feed, one alert, acknowledgement', async () => {
    const page = (await check('GET', 'alerts?state=active', 200)).json;
    const open = page.items[0];
    assert.ok(open, 'the failures opened an alert');
    await check('GET', 'alerts?limit=0', 422);
    await check('GET', 'alerts?cursor=not-a-cursor', 400);
    await check('GET', `alerts/${open.id}`, 200);
    await check('GET', 'alerts/nobody', 404);
    await check('GET', `alerts/${'x'.repeat(201)}`, 422);
    await check('POST', `alerts/${open.id}/acknowledge`, 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('POST', `alerts/${open.id}/acknowledge`, 200, { body: { note: 'On it' } });
    await check('POST', 'alerts/nobody/acknowledge', 404);
    await check('POST', `alerts/${'x'.repeat(201)}/acknowledge`, 422);
    await check('POST', `alerts/${open.id}/acknowledge`, 422, { body: { note: 42 } });
    await check('POST', `alerts/${open.id}/acknowledge`, 415, { raw: 'note=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await check('POST', `alerts/${open.id}/unacknowledge`, 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('POST', `alerts/${open.id}/unacknowledge`, 200, { body: { note: 'Not mine after all' } });
    await check('POST', 'alerts/nobody/unacknowledge', 404);
    await check('POST', `alerts/${'x'.repeat(201)}/unacknowledge`, 422);
    await check('POST', `alerts/${open.id}/unacknowledge`, 422, { body: { note: 'x'.repeat(2_001) } });
    await check('POST', `alerts/${open.id}/unacknowledge`, 415, { raw: 'note=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await check('POST', 'alerts/acknowledge', 200, { body: { ids: [open.id, 'nobody'], note: 'Both' } });
    await check('POST', 'alerts/acknowledge', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('POST', 'alerts/acknowledge', 415, { raw: 'ids=1', headers: { 'content-type': 'text/plain' } });
    await check('POST', 'alerts/acknowledge', 422, { body: { ids: [] } });
    await check('POST', 'events', 202, { body: job('srv-1', 'success', T0 - 60_000) });
    const resolved = (await check('GET', 'alerts?state=resolved', 200)).json.items[0];
    await check('POST', `alerts/${resolved.id}/acknowledge`, 409);
    await check('POST', `alerts/${resolved.id}/unacknowledge`, 409);
  });

  test('maintenance windows and silences', async () => {
    const weekly = { name: 'Patch night', scope: { clientId: 'acme' }, weekly: { days: [2, 4], start: '22:00', durationMinutes: 120 }, timezone: 'Europe/Berlin' };
    await check('PUT', 'maintenance/patch-night', 201, { body: weekly });
    await check('PUT', 'maintenance/patch-night', 200, { body: { ...weekly, weekly: { ...weekly.weekly, days: [3] } } });
    await check('PUT', 'maintenance/move', 201, { body: { name: 'Server move', scope: { deviceIds: ['srv-1'] }, start: new Date(T0 + 86_400_000).toISOString(), end: new Date(T0 + 90_000_000).toISOString() } });
    await check('PUT', 'maintenance/patch-night', 422, { body: { ...weekly, timezone: 'Mars/Olympus' } });
    await check('PUT', 'maintenance/patch-night', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('PUT', 'maintenance/patch-night', 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('PUT', 'maintenance/globex-window', 201, { body: { ...weekly, scope: { clientId: 'globex' } } });
    const acmeToken = (await t.request('POST', 'embed-tokens', { body: { clientId: 'acme', scopes: ['read', 'operate'] } })).json.token;
    await check('PUT', 'maintenance/globex-window', 404, { token: acmeToken, body: weekly });
    await check('GET', 'maintenance', 200);
    await check('GET', 'maintenance?limit=0', 422);
    await check('GET', 'maintenance?cursor=not-a-cursor', 400);
    await check('GET', 'maintenance/patch-night', 200);
    await check('GET', 'maintenance/nobody', 404);
    await check('GET', `maintenance/${'x'.repeat(201)}`, 422);
    await check('DELETE', 'maintenance/globex-window', 204);
    await check('DELETE', 'maintenance/nobody', 404);
    await check('DELETE', `maintenance/${'x'.repeat(201)}`, 422);
    const silence = { matchers: { clientId: 'acme', type: 'backup_failed' }, endsAt: new Date(t.clock() + 3_600_000).toISOString(), comment: 'Known NAS outage' };
    const created = (await check('POST', 'silences', 201, { body: silence })).json;
    await check('POST', 'silences', 422, { body: { ...silence, matchers: {} } });
    await check('POST', 'silences', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('POST', 'silences', 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('GET', 'silences', 200);
    await check('GET', 'silences?state=active', 200);
    await check('GET', 'silences?state=forever', 422);
    await check('GET', 'silences?cursor=not-a-cursor', 400);
    await check('DELETE', `silences/${created.id}`, 200);
    await check('DELETE', 'silences/nobody', 404);
    await check('DELETE', `silences/${'x'.repeat(201)}`, 422);
  });

  test('compliance, its export, the trends and the weekly report', async () => {
    await check('GET', 'compliance', 200);
    await check('GET', 'compliance?client=acme', 200);
    await check('GET', 'compliance?period=30d', 200);
    await check('GET', 'compliance?client=acme&period=month', 200);
    await check('GET', 'compliance?period=year', 422);
    await check('GET', 'compliance?client=nobody', 404);
    await check('GET', 'compliance?client=', 422);
    await check('GET', 'compliance/export', 200);
    await check('GET', 'compliance/export?format=pdf&client=acme', 200);
    await check('GET', 'compliance/export?client=nobody', 404);
    await check('GET', 'compliance/export?format=xls', 422);
    // A second render of the tenant while one runs is a 429.
    const running = t.request('GET', 'compliance/export?format=pdf');
    const busy = await check('GET', 'compliance/export?format=pdf', 429);
    assert.ok(Number(busy.headers.get('retry-after')) > 0);
    assert.equal((await running).status, 200);
    await check('GET', 'trends', 200);
    await check('GET', 'trends?client=acme&weeks=12', 200);
    await check('GET', 'trends?days=400', 422);
    await check('GET', 'trends?client=nobody', 404);
    await check('GET', 'reports/weekly', 200);
    await check('GET', 'reports/weekly?client=nobody', 404);
    await check('GET', 'reports/weekly?client=', 422);
    await check('POST', 'reports/weekly/send', 422);
    await check('PUT', 'settings/reports', 200, { body: { recipients: ['ops@example.com'] } });
    await check('POST', 'reports/weekly/send', 202);
  });

  test('settings: SLA, weekly report, PSA, On-Call and mail', async () => {
    for (const section of ['sla', 'reports', 'alerts', 'branding', 'client-reports', 'integrations/psa', 'integrations/oncall', 'integrations/mail']) await check('GET', `settings/${section}`, 200);
    const changes: Record<string, [object, object]> = {
      sla: [{ tenant: { serverHours: 8 }, clients: { acme: { serverHours: 6 } } }, { tenant: { serverHours: 0 } }],
      reports: [{ deliveryDay: 'friday', deliveryTime: '24:00', timezone: 'Europe/Berlin' }, { deliveryTime: '24:30' }],
      alerts: [{ reminderHours: 12, reopenDays: 7 }, { reminderHours: -1 }],
      branding: [{ mspName: 'Acme IT', accentColor: '#0b4f6c' }, { accentColor: 'blue' }],
      'client-reports': [{ enabled: true, day: 2, hour: 7, recipientsByClient: { acme: ['it@acme.example'] } }, { day: 29 }],
      'integrations/psa': [{ mapping: { backup_failed: { ticketType: 'Backup', priority: 'High' } } }, { mapping: { backup_failed: { ticketType: 'Backup', priority: 'Urgent' } } }],
      'integrations/oncall': [{ businessHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '24:00', timezone: 'America/New_York' } }, { businessHours: { timezone: 'Nowhere/Special' } }],
    };
    for (const [section, [good, bad]] of Object.entries(changes)) {
      await check('PUT', `settings/${section}`, 200, { body: good });
      await check('PUT', `settings/${section}`, 422, { body: bad });
      await check('PUT', `settings/${section}`, 400, { raw: '{', headers: { 'content-type': 'application/json' } });
      await check('PUT', `settings/${section}`, 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    }
  });

  test('the stream answers text/event-stream, and a bad Last-Event-ID is a 400', async () => {
    await check('GET', 'stream', 200);
    await check('GET', 'stream?lastEventId=abc', 400);
    // A second stream of the same credential beyond its cap (1 here) is a 429.
    while (t.services.changeTail.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const held = await t.request('GET', 'stream');
    assert.equal(held.status, 200);
    const refused = await check('GET', 'stream', 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    await held.response.body?.cancel();
  });

  test('ingest: ping URLs and their settings', async () => {
    const { pingKey } = (await check('GET', 'settings/ingest', 200)).json;
    await check('GET', `/ping/${pingKey}/srv-1`, 200, { token: null });
    await check('POST', `/ping/${pingKey}/srv-1`, 200, { token: null, raw: 'backup done', headers: { 'content-type': 'text/plain' } });
    await check('GET', `/ping/${pingKey}/srv-1/start`, 200, { token: null });
    await check('POST', `/ping/${pingKey}/srv-1/0`, 200, { token: null, raw: '', headers: { 'content-type': 'text/plain' } });
    await check('GET', `/ping/${pingKey}/nobody`, 404, { token: null });
    await check('POST', `/ping/${pingKey}/nobody/fail`, 404, { token: null, raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('GET', `/ping/${pingKey}/srv-1/256`, 400, { token: null });
    await check('GET', `/ping/${pingKey}/srv-1?rid=not-a-uuid`, 400, { token: null });
    await check('POST', `/ping/${pingKey}/srv-1?rid=not-a-uuid`, 400, { token: null, raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('POST', `/ping/${pingKey}/nobody`, 404, { token: null, raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('GET', `/ping/${pingKey}/nobody/start`, 404, { token: null });
    await check('POST', `/ping/${pingKey}/srv-1/999`, 400, { token: null, raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('POST', `/ping/${pingKey}/srv-1`, 413, { token: null, raw: 'x'.repeat(70 * 1024), headers: { 'content-type': 'text/plain' } });
    await check('POST', `/ping/${pingKey}/srv-1/fail`, 413, { token: null, raw: 'x'.repeat(70 * 1024), headers: { 'content-type': 'text/plain' } });
    // The discovery inbox: ?create=1 holds an unknown slug (201, then 200) until it is approved or ignored.
    await check('GET', `/ping/${pingKey}/found-1?create=1`, 201, { token: null });
    await check('GET', `/ping/${pingKey}/found-1/start?create=1`, 200, { token: null });
    await check('POST', `/ping/${pingKey}/found-2?create=1`, 201, { token: null, raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('POST', `/ping/${pingKey}/found-2/0?create=1`, 200, { token: null, raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('GET', `/ping/${pingKey}/found-3/fail?create=1`, 201, { token: null });
    await check('POST', `/ping/${pingKey}/found-3/fail?create=1`, 200, { token: null, raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('GET', `/ping/${pingKey}/found-4?create=1`, 201, { token: null });
    await check('POST', `/ping/${pingKey}/found-4?create=1`, 200, { token: null, raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('POST', `/ping/${pingKey}/found-5/fail?create=1`, 201, { token: null, raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('GET', 'discovery', 200);
    await check('GET', 'discovery?state=lost', 422);
    const device = { clientId: 'acme', name: 'Found', kind: 'server', policyId: 'nightly' };
    await check('POST', 'discovery/found-1/approve', 422, { body: { ...device, name: '' } });
    await check('POST', 'discovery/found-1/approve', 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('POST', 'discovery/found-1/approve', 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('POST', 'discovery/found-1/approve', 201, { body: device });
    await check('POST', 'discovery/found-1/approve', 404, { body: device });
    await check('PUT', 'devices/holder', 201, { body: { ...device, pingSlug: 'found-2' } });
    await check('POST', 'discovery/found-2/approve', 409, { body: device });
    await check('POST', 'discovery/found-3/ignore', 200);
    await check('POST', 'discovery/nobody/ignore', 404);
    // The rate limit counts per key before anything is looked up: a burst on one unknown key runs into it.
    const flood = 'f'.repeat(32);
    let limited = null;
    for (let i = 0; i < 2_000 && !limited; i++) {
      const response = await t.request('GET', `/ping/${flood}/x`, { token: null });
      if (response.status === 429) limited = response;
    }
    assert.ok(limited, 'a burst of pings on one key is rate-limited');
    for (const [method, path] of [['GET', `/ping/${flood}/x`], ['POST', `/ping/${flood}/x`], ['GET', `/ping/${flood}/x/start`], ['POST', `/ping/${flood}/x/fail`]] as const) {
      await check(method, path, 429, { token: null, ...(method === 'POST' ? { raw: 'x', headers: { 'content-type': 'text/plain' } } : {}) });
    }
    await check('POST', 'settings/ingest/rotate-ping-key', 200);
    await check('GET', `/ping/${pingKey}/srv-1`, 404, { token: null });
  });

  test('report mail and keyword rules', async () => {
    const { id } = await t.services.mailInbox.receive(t.tenant.id, fixture('keyword-synology-success.eml'));
    const rules = [{ match: { subject: 'task .+ on (\\S+) has' }, device: '$1', successKeywords: ['has completed'] }];
    await check('GET', 'mail?state=unmatched', 200);
    await check('GET', 'mail?state=lost', 422);
    await check('GET', 'mail?cursor=nonsense', 400);
    await check('POST', `mail/${id}/preview`, 200, { body: { rules } });
    await check('POST', `mail/${id}/preview`, 422, { body: { rules: [{ match: {}, device: 'x' }] } });
    await check('POST', 'mail/nobody/preview', 404, { body: { rules } });
    await check('POST', `mail/${id}/preview`, 400, { raw: '{', headers: { 'content-type': 'application/json' } });
    await check('POST', `mail/${id}/preview`, 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('PUT', 'settings/ingest/keyword-rules', 200, { body: rules });
    await check('PUT', 'settings/ingest/keyword-rules', 422, { body: [{ match: { subject: '(' }, device: 'x', successKeywords: ['ok'] }] });
    await check('PUT', 'settings/ingest/keyword-rules', 400, { raw: '[', headers: { 'content-type': 'application/json' } });
    await check('PUT', 'settings/ingest/keyword-rules', 415, { raw: 'x', headers: { 'content-type': 'text/plain' } });
    await check('POST', `mail/${id}/reparse`, 200);
    await check('POST', 'mail/nobody/reparse', 404);
    await check('POST', `mail/${'x'.repeat(201)}/reparse`, 422);
  });

  test('every protected operation answers 401 without a credential and 403 without its scope', async () => {
    const denied: Record<string, string> = { read: keys.ingest, operate: keys.ingest, ingest: keys.read, admin: keys.read, platform: t.adminKey, any: PLATFORM };
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const access = operation['x-required-scope']!;
        if (access === 'public') continue;
        const path = template.replace(/\{[^}]+\}/g, 'x');
        await check(method.toUpperCase(), path, 401, { token: null });
        await check(method.toUpperCase(), path, 403, { token: denied[access]! });
      }
    }
  });

  test('every protected operation answers 429 once a credential prefix has failed too often', async () => {
    // In-process requests have no client address: the per-prefix count is the one that trips.
    const guess = (i: number) => `bhk_contract-guess-${i}`;
    for (let i = 0; i < 50; i++) if ((await t.request('GET', 'me', { token: guess(i) })).status === 429) break;
    for (const [template, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation['x-required-scope'] === 'public') continue;
        const response = await check(method.toUpperCase(), template.replace(/\{[^}]+\}/g, 'x'), 429, { token: guess(0) });
        assert.ok(Number(response.headers.get('retry-after')) >= 1, 'Retry-After says when to try again');
      }
    }
  });

  test('readiness answers 503 when the database does not answer', async () => {
    const down = await testApp();
    await down.close();
    const response = await down.request('GET', '/readyz', { token: null });
    assert.equal(response.status, 503);
    const declared = doc.paths['/readyz']!.get!.responses['503']!.content!['application/json']!.schema!;
    const validate = validatorFor(declared, 'get /readyz 503 application/json');
    assert.ok(validate(response.json), ajv.errorsText(validate.errors));
    seen.add('get /readyz 503');
  });

  test('every status the document declares was produced by a request above', () => {
    const declared = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) => Object.keys(operation.responses).map((status) => `${method} ${path} ${status}`)),
    );
    assert.deepEqual(declared.filter((entry) => !seen.has(entry)), []);
  });
});
