/**
 * The isolation sweep's view of the app: every route of a Hono app (`app.routes`,
 * path parameters normalized as OpenAPI names them), a valid request for each aimed
 * at someone else's objects (so only authorization can stop it), and tampered
 * variants of an embed token.
 */
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import type { AppEnv } from '../../../bff/context.ts';
import { HOUR, T0 } from '../../bff/harness.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** The objects an attempt is aimed at. */
export interface Target {
  client: string;
  device: string;
  policy: string;
  alert: string;
  /** A maintenance window and a silence of the target's client (default: the alert id, which names neither). */
  window?: string;
  silence?: string;
}

let sequence = 0;
/** Three failed jobs ending 3, 2 and 1 h before `at`: enough to open a critical alert. */
export const failures = (deviceId: string, at = T0) =>
  [3, 2, 1].map((hours) => ({ type: 'job', id: `iso-${++sequence}`, deviceId, status: 'failed', startedAt: iso(at - hours * HOUR - 600_000), endedAt: iso(at - hours * HOUR) }));

export interface Route {
  method: string;
  path: string;
}

/** Routes anyone may call. */
export const PUBLIC = new Set([
  'GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /widgets/:file', 'GET /api/v1/openapi.json',
  // Ping URLs ignore bearers: their ping key is the credential (test/bff/ping-route.test.ts).
  ...['GET', 'POST'].flatMap((method) => [`${method} /ping/:pingKey/:slug`, `${method} /ping/:pingKey/:slug/:signal`]),
]);
export const normalize = (path: string) => path.replace(/\{(\w+)\}/g, ':$1').replace(/:(\w+)\{[^}]*\}(\??)/g, ':$1');

/**
 * The routes of the app, reads first, then deletes and acknowledgements, then the
 * rest: an upsert that lands in the caller's own namespace (a tenant may use the same
 * ids as another) comes after every attempt on the other's objects.
 */
export function appRoutes(app: Hono<AppEnv>): Route[] {
  const seen = new Map<string, Route>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    const path = normalize(route.path);
    seen.set(`${route.method} ${path}`, { method: route.method, path });
  }
  const rank = (route: Route) => (route.method === 'GET' ? 0 : route.method === 'DELETE' || route.path.endsWith('/acknowledge') ? 1 : 2);
  return [...seen.values()].sort((a, b) => rank(a) - rank(b));
}

/** A valid request for the route aimed at `target`'s objects, so only authorization can stop it. */
export function attempt(route: Route, target: Target): { path: string; body?: unknown; raw?: string; headers?: Record<string, string> } {
  const key = `${route.method} ${route.path}`;
  const id = route.path.startsWith('/api/v1/clients') ? target.client : route.path.startsWith('/api/v1/devices') ? target.device : route.path.startsWith('/api/v1/policies') ? target.policy
    : route.path.startsWith('/api/v1/maintenance') ? target.window ?? target.alert : route.path.startsWith('/api/v1/silences') ? target.silence ?? target.alert : target.alert;
  const path = route.path.replace(':id', encodeURIComponent(id));
  const query = `client=${target.client}`;
  const bodies: Record<string, () => ReturnType<typeof attempt>> = {
    'POST /api/v1/tenants': () => ({ path, body: { name: 'Evil MSP' } }),
    'POST /api/v1/api-keys': () => ({ path, body: { name: 'evil', scopes: ['admin'] } }),
    'POST /api/v1/embed-tokens': () => ({ path, body: { clientId: target.client, scopes: ['read', 'operate'] } }),
    'POST /api/v1/embed-tokens/revoke-all': () => ({ path }),
    // Aimed at an id of someone else's (an alert's): only the caller's own keys can be revoked (test/bff/credentials.test.ts).
    'DELETE /api/v1/api-keys/:id': () => ({ path }),
    'PUT /api/v1/clients/:id': () => ({ path, body: { name: 'Evil client' } }),
    'PUT /api/v1/policies/:id': () => ({ path, body: { name: 'Evil policy', intervalHours: 1 } }),
    // Reads no tenant's data (a pure computation over the body): any tenant may ask.
    'POST /api/v1/policies/schedule-preview': () => ({ path, body: { schedule: { kind: 'cron', expression: '0 22 * * 1-5' }, timezone: 'UTC' } }),
    'PUT /api/v1/devices/:id': () => ({ path, body: { clientId: target.client, name: 'Evil device', kind: 'server', policyId: target.policy } }),
    'DELETE /api/v1/devices/:id': () => ({ path, body: { reason: 'evil' } }),
    'POST /api/v1/devices/:id/manual-result': () => ({ path, body: { status: 'success', note: 'evil' } }),
    'POST /api/v1/import/devices': () => ({ path, raw: `id,name,clientId,kind,policyId\n${target.device},Evil,${target.client},server,${target.policy}\n`, headers: { 'content-type': 'text/csv' } }),
    'POST /api/v1/events': () => ({ path, body: { events: failures(target.device, T0 + HOUR) } }),
    'POST /api/v1/alerts/:id/acknowledge': () => ({ path, body: { note: 'evil' } }),
    'POST /api/v1/alerts/:id/unacknowledge': () => ({ path, body: { note: 'evil' } }),
    'POST /api/v1/alerts/acknowledge': () => ({ path, body: { ids: [target.alert], note: 'evil' } }),
    'PUT /api/v1/settings/alerts': () => ({ path, body: { reminderHours: 1, reopenDays: 30 } }),
    'PUT /api/v1/maintenance/:id': () => ({ path, body: { name: 'Evil window', scope: { clientId: target.client }, start: iso(T0), end: iso(T0 + HOUR) } }),
    'DELETE /api/v1/maintenance/:id': () => ({ path }),
    'POST /api/v1/silences': () => ({ path, body: { matchers: { clientId: target.client }, endsAt: iso(T0 + 30 * 24 * HOUR), comment: 'evil' } }),
    'DELETE /api/v1/silences/:id': () => ({ path }),
    'POST /api/v1/admin/evaluate': () => ({ path }),
    'POST /api/v1/mail/:id/reparse': () => ({ path }),
    'POST /api/v1/discovery/:slug/approve': () => ({ path: route.path.replace(':slug', encodeURIComponent(target.device)), body: { clientId: target.client, name: 'Evil', kind: 'server', policyId: target.policy } }),
    'POST /api/v1/discovery/:slug/ignore': () => ({ path: route.path.replace(':slug', encodeURIComponent(target.device)) }),
    'POST /api/v1/mail/:id/preview': () => ({ path, body: { rules: [] } }),
    'PUT /api/v1/settings/ingest/keyword-rules': () => ({ path, body: [] }),
    'POST /api/v1/reports/weekly/send': () => ({ path }),
    'POST /api/v1/settings/ingest/rotate-ping-key': () => ({ path }),
    'PUT /api/v1/settings/sla': () => ({ path, body: { tenant: { serverHours: 1 }, clients: { [target.client]: { serverHours: 2 } } } }),
    'PUT /api/v1/settings/reports': () => ({ path, body: { recipients: ['evil@evil.example'] } }),
    'PUT /api/v1/settings/branding': () => ({ path, body: { mspName: 'Evil MSP' } }),
    'PUT /api/v1/settings/client-reports': () => ({ path, body: { enabled: true, recipientsByClient: { [target.client]: ['evil@evil.example'] } } }),
    'PUT /api/v1/settings/integrations/psa': () => ({ path, body: { enabled: false, baseUrl: 'http://evil.example', integrationKey: 'evil-psa-integration-key-0123456789' } }),
    'PUT /api/v1/settings/integrations/oncall': () => ({ path, body: { enabled: false, baseUrl: 'http://evil.example', integrationKey: 'evil-integration-key' } }),
  };
  if (route.method === 'GET') {
    const filters = route.path === '/api/v1/alerts' ? `${query}&device=${target.device}` : route.path === '/api/v1/compliance/export' ? `${query}&format=csv` : query;
    return { path: `${path}?${filters}` };
  }
  const body = bodies[key];
  assert.ok(body, `the isolation sweep has no request for ${key}: add one`);
  return body();
}

export const isWrite = (route: Route) => route.method !== 'GET';
export const ADMIN_READS = new Set(['GET /api/v1/api-keys', 'GET /api/v1/settings/sla', 'GET /api/v1/settings/reports', 'GET /api/v1/settings/integrations/psa', 'GET /api/v1/settings/integrations/oncall', 'GET /api/v1/settings/integrations/mail', 'GET /api/v1/settings/ingest', 'GET /api/v1/settings/alerts', 'GET /api/v1/mail', 'GET /api/v1/discovery', 'GET /api/v1/settings/branding', 'GET /api/v1/settings/client-reports', 'GET /api/v1/policies']);
/** Acting on one alert by its id: another tenant's or client's alert is a 404. */
export const ALERT_STEPS = new Set(['POST /api/v1/alerts/:id/acknowledge', 'POST /api/v1/alerts/:id/unacknowledge']);
/** Routes that take an id of one object (another tenant's or client's id is a 404). */
export const TARGETS_ONE = (route: Route) => route.path.includes(':id');

/** `token` with one part changed; 'tenant' claims `otherTenantId` under the original signature. */
export function tamper(token: string, how: 'signature' | 'tenant' | 'scopes' | 'client' | 'expiry' | 'truncated' | 'garbage', otherTenantId: string): string {
  const [prefix, rest] = [token.slice(0, 4), token.slice(4)];
  const [payload, signature] = rest.split('.') as [string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const resign = (changed: object) => `${prefix}${Buffer.from(JSON.stringify({ ...claims, ...changed })).toString('base64url')}.${signature}`;
  switch (how) {
    case 'signature':
      return `${prefix}${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    case 'tenant':
      return resign({ t: otherTenantId });
    case 'scopes':
      return resign({ s: ['read', 'operate', 'admin'] });
    case 'client':
      return resign({ c: null });
    case 'expiry':
      return resign({ e: claims.e + 365 * 24 * HOUR });
    case 'truncated':
      return token.slice(0, token.length - 10);
    case 'garbage':
      return `${prefix}${'A'.repeat(40)}.${'B'.repeat(43)}`;
  }
}
