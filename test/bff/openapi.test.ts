import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TICKET_PRIORITIES, WEEKDAYS } from '../../core/api.ts';
import { testApp, type TestApp } from './harness.ts';

type Doc = { openapi: string; paths: Record<string, Record<string, any>>; components: Record<string, Record<string, any>> };

/** Hono's `/devices/:id` and `/widgets/:file{regex}` as OpenAPI paths. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*(\}[^}]*)*\})?/g, (_, name) => `{${name}}`);

describe('GET /api/v1/openapi.json', () => {
  let t: TestApp;
  let doc: Doc;
  before(async () => {
    t = await testApp();
    const response = await t.request('GET', '/api/v1/openapi.json', { token: null });
    assert.equal(response.status, 200);
    doc = response.json;
  });
  after(() => t.close());

  test('is a public OpenAPI 3.1 document', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.components.securitySchemes.bearer);
    assert.ok(doc.components.securitySchemes.integrationKey);
  });

  test('describes every route the app mounts', () => {
    const mounted = new Set(
      t.app.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method.toLowerCase()} ${openApiPath(route.path)}`),
    );
    const missing = [...mounted].filter((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return !doc.paths[path]?.[method];
    });
    assert.deepEqual(missing, []);
  });

  test('describes every endpoint of the spec', () => {
    const spec = [
      'post /tenants', 'post /api-keys', 'post /embed-tokens', 'put /clients/{id}', 'put /policies/{id}', 'put /devices/{id}',
      'delete /devices/{id}', 'post /import/devices', 'post /events', 'get /devices', 'get /devices/{id}', 'get /clients',
      'get /clients/{id}', 'get /alerts', 'post /alerts/{id}/acknowledge', 'get /compliance', 'get /compliance/export',
      'get /reports/weekly', 'post /reports/weekly/send', 'get /stream', 'get /settings/sla', 'put /settings/sla',
      'get /settings/reports', 'put /settings/reports', 'get /settings/integrations/psa', 'put /settings/integrations/psa',
      'get /settings/integrations/oncall', 'put /settings/integrations/oncall', 'post /admin/evaluate', 'get /me',
    ];
    const missing = spec.filter((route) => {
      const [method, path] = route.split(' ') as [string, string];
      return !doc.paths[`/api/v1${path}`]?.[method];
    });
    assert.deepEqual(missing, []);
    assert.ok(doc.paths['/healthz']?.get && doc.paths['/readyz']?.get);
  });

  test('every error response is problem+json (the readiness probe answers its own JSON to load balancers)', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      // Ping URLs answer in plain text, as Healthchecks' ping API does, for the tools that speak it.
      if (path.startsWith('/ping/')) continue;
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
          if (Number(status) < 400 || (path === '/readyz' && status === '503')) continue;
          const resolved = response.$ref ? doc.components.responses[response.$ref.split('/').at(-1)] : response;
          assert.ok(resolved?.content?.['application/problem+json'], `${method} ${path} ${status}`);
        }
      }
    }
  });

  test('every protected operation declares its security and a 401', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation['x-required-scope'] === 'public') continue;
        assert.ok(operation.security.length > 0, `${method} ${path}`);
        assert.ok(operation.responses['401'], `${method} ${path}`);
      }
    }
  });

  test('every $ref resolves', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const [, section, name] = /#\/components\/(\w+)\/(\w+)/.exec(ref)!;
      assert.ok(doc.components[section!]?.[name!], ref);
    }
  });
});

describe('each rule of the contract is defined once and answered the same everywhere', () => {
  let t: TestApp;
  let doc: Doc;
  before(async () => {
    t = await testApp();
    doc = (await t.request('GET', '/api/v1/openapi.json', { token: null })).json;
    await t.request('PUT', 'clients/acme', { body: { name: 'Acme' } });
  });
  after(() => t.close());

  const schema = (name: string) => doc.components.schemas[name];

  test('the export format is optional and defaults to csv, in the document and in the answer', async () => {
    const format = doc.paths['/api/v1/compliance/export']!.get.parameters.find((p: any) => p.name === 'format');
    assert.equal(format.required, false);
    assert.equal(format.schema.default, 'csv');
    const response = await t.request('GET', 'compliance/export');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/csv/);
  });

  test('PUT /clients/{id} documents 201 for a new client and 200 for an update, and answers so', async () => {
    assert.deepEqual(['200', '201'].map((status) => status in doc.paths['/api/v1/clients/{id}']!.put.responses), [true, true]);
    assert.equal((await t.request('PUT', 'clients/new-co', { body: { name: 'New' } })).status, 201);
    assert.equal((await t.request('PUT', 'clients/new-co', { body: { name: 'New Co' } })).status, 200);
  });

  test('ticket priorities and weekdays are the vocabularies of core/api.ts in every schema', () => {
    assert.deepEqual(schema('TicketMapping').properties.priority.enum, [...TICKET_PRIORITIES]);
    const psaBody = doc.paths['/api/v1/settings/integrations/psa']!.put.requestBody.content['application/json'].schema;
    assert.deepEqual(JSON.stringify(psaBody).match(/"enum":\["Critical"[^\]]*\]/)?.[0], `"enum":${JSON.stringify(TICKET_PRIORITIES)}`);
    assert.deepEqual(schema('ReportSettings').properties.deliveryDay.enum, [...WEEKDAYS]);
    const reportBody = doc.paths['/api/v1/settings/reports']!.put.requestBody.content['application/json'].schema;
    assert.deepEqual(reportBody.properties.deliveryDay.enum, [...WEEKDAYS]);
  });

  test('an unknown time zone is refused alike for a client, the weekly report and On-Call business hours', async () => {
    const answers = await Promise.all([
      t.request('PUT', 'clients/acme', { body: { name: 'Acme', timezone: 'Mars/Olympus' } }),
      t.request('PUT', 'settings/reports', { body: { timezone: 'Mars/Olympus' } }),
      t.request('PUT', 'settings/integrations/oncall', { body: { businessHours: { timezone: 'Mars/Olympus' } } }),
    ]);
    assert.deepEqual(answers.map((answer) => answer.status), [422, 422, 422]);
    assert.deepEqual(answers.map((answer) => answer.json.errors[0].path), ['timezone', 'timezone', 'businessHours.timezone']);
  });

  test('"24:00" (the end of the day) is accepted and "24:01" refused for both the weekly send time and business hours', async () => {
    const put = (section: string, body: object) => t.request('PUT', `settings/${section}`, { body });
    assert.equal((await put('reports', { deliveryTime: '24:00' })).status, 200);
    assert.equal((await put('integrations/oncall', { businessHours: { start: '00:00', end: '24:00' } })).status, 200);
    assert.equal((await put('reports', { deliveryTime: '24:01' })).status, 422);
    assert.equal((await put('integrations/oncall', { businessHours: { end: '24:01' } })).status, 422);
    assert.equal((await t.request('GET', 'settings/reports')).json.deliveryTime, '24:00');
    assert.deepEqual(schema('ReportSettings').properties.deliveryTime.pattern, schema('BusinessHours').properties.end.pattern);
  });
});
