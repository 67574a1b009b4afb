/**
 * An in-memory stand-in for the Backup Health BFF, served by @web/test-runner as koa
 * middleware until the real BFF can run beside the widget tests. It answers the
 * endpoints the widgets use with data in exactly the `core/api.ts` shapes: four
 * clients, ~50 devices, alerts, compliance, the weekly report, settings, `POST /events`
 * (job and storage events, enough to drive live updates) and `GET /stream` (SSE).
 *
 * Everything a test must know about this fixture (tokens, which client a scoped token
 * sees) is served at `GET /__bh-test-env`, so swapping in the real BFF means replacing
 * this one file. Widget tests rely only on behaviour any correct BFF shows.
 */
import { PassThrough } from 'node:stream';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PROBLEM_BASE = 'https://backup-health.dev/problems/';

// ------------------------------------------------------------------ credentials

const TOKENS = {
  'fixture-admin': { scopes: ['admin'], clientId: null },
  'fixture-operate': { scopes: ['read', 'operate'], clientId: null },
  'fixture-read': { scopes: ['read'], clientId: null },
  'fixture-client': { scopes: ['read'], clientId: 'c-acme' },
};

const TEST_ENV = {
  apiBase: '',
  tokens: { admin: 'fixture-admin', operate: 'fixture-operate', read: 'fixture-read', expired: 'expired' },
  clientScoped: { token: 'fixture-client', clientId: 'c-acme' },
};

// ------------------------------------------------------------------ seed data

/** A small deterministic PRNG (mulberry32): the same fleet on every run. */
function seeded(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLIENTS = [
  { id: 'c-acme', name: 'Acme Dental', timezone: 'America/New_York', prefix: 'ACME' },
  { id: 'c-birch', name: 'Birch & Co Accounting', timezone: 'Europe/London', prefix: 'BIRCH' },
  { id: 'c-cobalt', name: 'Cobalt Logistics', timezone: 'Europe/Berlin', prefix: 'COBALT' },
  { id: 'c-delta', name: 'Delta Architects', timezone: 'Australia/Sydney', prefix: 'DELTA' },
];

const POLICIES = {
  workstation: { id: 'p-4h', name: 'Workstations 4-hourly', intervalHours: 4 },
  server: { id: 'p-1h', name: 'Servers hourly', intervalHours: 1 },
  saas: { id: 'p-daily', name: 'SaaS daily', intervalHours: 24 },
};

const BANDS = { healthy: [90, 100], warning: [70, 89], critical: [40, 69], unknown: [0, 0] };
const WEIGHTS = { recency: 0.35, successRate: 0.3, drTest: 0.2, storage: 0.15 };
const SLA_DEFAULT = { workstationHours: 24, serverHours: 12, saasHours: 36 };
const ALERT_ACTIONS = {
  backup_failed: "Check the agent's job log for the error; fix the cause (disk, VSS, credentials) and re-run the backup.",
  backup_missed_schedule: 'Check that the device is online and the agent service is running; trigger a backup.',
  backup_overdue: 'Contact the user or site: bring the device online and run a backup now.',
  storage_quota_exceeded: 'Raise the quota or prune retention before backups start failing.',
  saas_backup_overdue: 'Check the SaaS connector status and the provider API limits; re-run the backup.',
  saas_consent_expired: 'Ask a tenant admin to re-authorize the backup app (OAuth consent expired).',
  dr_test_failed: 'Review the restore test log, fix the restore path and repeat the DR test.',
};

function createFleet(now) {
  const random = seeded(42);
  const devices = [];
  const alerts = [];
  let deviceNumber = 0;
  let alertNumber = 0;
  const pick = (list) => list[Math.floor(random() * list.length)];
  const iso = (ms) => new Date(ms).toISOString();

  for (const [clientIndex, client] of CLIENTS.entries()) {
    const count = [14, 12, 13, 11][clientIndex];
    for (let i = 1; i <= count; i++) {
      deviceNumber += 1;
      const kind = i <= 3 ? 'server' : i === count ? 'saas' : 'workstation';
      const roll = random();
      const status = roll < 0.6 ? 'healthy' : roll < 0.8 ? 'warning' : roll < 0.92 ? 'critical' : 'unknown';
      const policy = POLICIES[kind];
      const interval = policy.intervalHours * HOUR;
      const ageMs =
        status === 'healthy' ? random() * interval : status === 'warning' ? interval * (1.1 + random()) : status === 'critical' ? interval + 50 * HOUR + random() * 40 * HOUR : null;
      const quota = kind === 'saas' ? null : pick([250e9, 500e9, 1e12, 2e12]);
      const used = status === 'unknown' ? null : Math.round((quota ?? 300e9) * (0.2 + random() * (status === 'warning' && random() < 0.3 ? 0.78 : 0.6)));
      const [low, high] = BANDS[status];
      const score = status === 'unknown' ? 0 : Math.round(low + random() * (high - low));
      const name =
        kind === 'server' ? `${client.prefix}-SRV-${String(i).padStart(2, '0')}` : kind === 'saas' ? `${client.prefix.toLowerCase()}.onmicrosoft.com` : `${client.prefix}-WS-${String(i).padStart(2, '0')}`;
      const id = `dev-${String(deviceNumber).padStart(3, '0')}`;
      const lastSuccess = ageMs === null ? null : now - ageMs;
      const consecutiveFailures = status === 'critical' && random() < 0.5 ? 3 : status === 'warning' && random() < 0.5 ? 1 : 0;
      const jobs = [];
      if (lastSuccess !== null) {
        for (let j = 0; j < consecutiveFailures; j++) {
          const end = now - (j + 1) * interval * 0.5;
          jobs.push({ id: `job-${id}-f${j}`, status: 'failed', startedAt: iso(end - 20 * 60_000), endedAt: iso(end), bytes: null, message: 'VSS snapshot failed (0x8004230f)', logUrl: `https://rmm.example.com/jobs/${id}-f${j}` });
        }
        for (let j = 0; j < 6; j++) {
          const end = lastSuccess - j * interval;
          jobs.push({ id: `job-${id}-${j}`, status: j === 2 ? 'warning' : 'success', startedAt: iso(end - 15 * 60_000), endedAt: iso(end), bytes: Math.round(1e9 + random() * 9e9), message: j === 2 ? '3 files skipped (locked)' : null, logUrl: `https://rmm.example.com/jobs/${id}-${j}` });
        }
      }
      const storageHistory = used === null ? [] : Array.from({ length: 14 }, (_, d) => ({ at: iso(now - (13 - d) * DAY), usedBytes: Math.round(used * (0.85 + (d / 13) * 0.15)), quotaBytes: quota }));
      const drFailed = status === 'critical' && consecutiveFailures === 0 && random() < 0.5;
      const drTests = status === 'unknown' ? [] : [{ id: `dr-${id}`, at: iso(now - 5 * DAY), result: drFailed ? 'failed' : 'passed', message: drFailed ? 'Restored VM did not boot' : null }];
      devices.push({
        id,
        name,
        kind,
        client: { id: client.id, name: client.name },
        policy: { ...policy },
        status,
        score,
        lastSuccessAt: lastSuccess === null ? null : iso(lastSuccess),
        lastJobStatus: lastSuccess === null ? null : consecutiveFailures > 0 ? 'failed' : 'success',
        consecutiveFailures,
        storage: { usedBytes: used, quotaBytes: quota },
        enrolledAt: iso(now - 120 * DAY),
        retiredAt: null,
        jobs,
        drTests,
        storageHistory,
      });
      const open = (type, severity, reason, conditionSince, state = 'open') => {
        alertNumber += 1;
        // A condition noticed by the sweep never triggers in the future.
        const triggeredAt = Math.min(conditionSince, now - 10 * 60_000 - alertNumber * 60_000);
        alerts.push({
          id: `alert-${String(alertNumber).padStart(3, '0')}`,
          type,
          severity,
          state,
          device: { id, name },
          client: { id: client.id, name: client.name },
          triggeredAt: iso(triggeredAt),
          updatedAt: iso(triggeredAt),
          resolvedAt: state === 'resolved' ? iso(Math.min(now, triggeredAt + 2 * HOUR)) : null,
          acknowledgedAt: state === 'acknowledged' ? iso(Math.min(now, triggeredAt + 5 * 60_000)) : null,
          reason,
          recommendedAction: ALERT_ACTIONS[type],
        });
      };
      if (consecutiveFailures > 0) open('backup_failed', consecutiveFailures >= 3 ? 'critical' : 'warning', `${consecutiveFailures} consecutive failures`, now - consecutiveFailures * interval * 0.5);
      if (status === 'warning' && consecutiveFailures === 0) open('backup_missed_schedule', 'warning', 'No successful backup within 1.5 × the policy interval', lastSuccess + 1.5 * interval, random() < 0.3 ? 'acknowledged' : 'open');
      if (status === 'critical' && consecutiveFailures === 0) {
        if (drFailed) open('dr_test_failed', 'critical', 'The newest DR test failed', now - 5 * DAY);
        else open('backup_overdue', 'critical', `No successful backup for ${Math.round(ageMs / HOUR)} h`, lastSuccess + 12 * HOUR);
      }
      if (i === 2 && clientIndex % 2 === 0) open('storage_quota_exceeded', 'warning', 'Storage above 95 % of quota', now - 9 * DAY, 'resolved');
    }
  }
  return { devices, alerts, nextAlert: alertNumber };
}

function defaultSettings() {
  return {
    sla: { tenant: { ...SLA_DEFAULT }, clients: { 'c-birch': { serverHours: 8 } } },
    reports: { weeklyEnabled: true, recipients: ['noc@msp.example'], deliveryDay: 'monday', deliveryTime: '08:00', timezone: 'Europe/London' },
    psa: {
      enabled: true,
      baseUrl: 'https://psa.example.com/api',
      integrationKey: 'psa-secret',
      failureThreshold: 3,
      mapping: {
        backup_failed: { ticketType: 'Backup Failure', priority: 'Critical' },
        backup_overdue: { ticketType: 'Backup Overdue', priority: 'High' },
        saas_consent_expired: { ticketType: 'SaaS Connection Error', priority: 'Critical' },
        dr_test_failed: { ticketType: 'DR Test Failure', priority: 'High' },
      },
    },
    oncall: {
      enabled: false,
      baseUrl: '',
      integrationKey: '',
      escalationPolicy: '',
      breachHoursThreshold: 6,
      deviceKinds: ['server'],
      businessHours: { timezone: 'UTC', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
    },
  };
}

// ------------------------------------------------------------------ helpers

class HttpProblem extends Error {
  constructor(status, slug, title, detail) {
    super(detail);
    this.problem = { type: PROBLEM_BASE + slug, title, status, detail };
  }
}
const badRequest = (detail) => new HttpProblem(400, 'bad-request', 'The request could not be read', detail);
const notFound = (what) => new HttpProblem(404, 'not-found', 'Not found', `${what} does not exist.`);
const forbidden = (scope) => new HttpProblem(403, 'forbidden', 'Not allowed', `This needs the "${scope}" scope.`);

const isPlainObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
function merge(current, patch) {
  if (!isPlainObject(current) || !isPlainObject(patch)) return patch === undefined ? current : patch;
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    merged[key] = isPlainObject(value) && isPlainObject(merged[key]) ? merge(merged[key], value) : value;
  }
  return merged;
}
/** Drops `null` entries: in an SLA override, null means "use the tenant rule". */
function withoutNulls(object) {
  const result = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === null) continue;
    result[key] = isPlainObject(value) ? withoutNulls(value) : value;
  }
  return result;
}

function paginate(items, query, defaultLimit = 50) {
  const limit = query.limit === undefined ? defaultLimit : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw badRequest('limit must be an integer from 1 to 500.');
  let offset = 0;
  if (query.cursor) {
    offset = Number(Buffer.from(String(query.cursor), 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw badRequest('The cursor is not valid.');
  }
  const page = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
  return { items: page, nextCursor: next };
}

/** As the BFF sorts: status worst first, text by code point, missing values first ascending. */
const STATUS_RANK = { critical: 0, warning: 1, unknown: 2, healthy: 3 };
const SORT_KEYS = {
  score: (d) => d.score,
  name: (d) => d.name,
  lastSuccessAt: (d) => (d.lastSuccessAt ? Date.parse(d.lastSuccessAt) : -Infinity),
  storage: (d) => d.storage.usedBytes ?? -Infinity,
  status: (d) => STATUS_RANK[d.status],
  client: (d) => d.client.name,
  kind: (d) => d.kind,
  policy: (d) => d.policy.name,
};

const deviceItem = (d) => ({
  id: d.id,
  name: d.name,
  kind: d.kind,
  client: d.client,
  policy: d.policy,
  status: d.status,
  score: d.score,
  lastSuccessAt: d.lastSuccessAt,
  lastJobStatus: d.lastJobStatus,
  consecutiveFailures: d.consecutiveFailures,
  storage: { ...d.storage },
});

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON.');
  }
}

// ------------------------------------------------------------------ the fake BFF

export function createFixtureApi() {
  const now = Date.now();
  const fleet = createFleet(now);
  const devices = fleet.devices;
  const alerts = fleet.alerts;
  let alertCounter = fleet.nextAlert;
  let settings = defaultSettings();
  const streams = new Set();
  /** Recent changes with their ids, replayed to a stream that resumes with ?lastEventId. */
  const changeLog = [];
  let nextChangeId = 1;

  const slaHours = (clientId) => ({ ...settings.sla.tenant, ...(settings.sla.clients[clientId] ?? {}) });
  const maxHoursFor = (device) => slaHours(device.client.id)[`${device.kind}Hours`];

  function slaState(device, at = Date.now()) {
    const maxHours = maxHoursFor(device);
    if (!device.lastSuccessAt) return { state: 'pending', maxHours, breachSince: null };
    const deadline = Date.parse(device.lastSuccessAt) + maxHours * HOUR;
    return at > deadline ? { state: 'breach', maxHours, breachSince: new Date(deadline).toISOString() } : { state: 'meeting', maxHours, breachSince: null };
  }

  function complianceSummary(list) {
    const summary = { meeting: 0, breach: 0, pending: 0, percent: null };
    for (const device of list) summary[slaState(device).state] += 1;
    const counted = summary.meeting + summary.breach;
    summary.percent = counted === 0 ? null : Math.round((summary.meeting / counted) * 1000) / 10;
    return summary;
  }

  function clientItem(client) {
    const own = devices.filter((d) => d.client.id === client.id);
    const counts = { healthy: 0, warning: 0, critical: 0, unknown: 0 };
    for (const device of own) counts[device.status] += 1;
    return { id: client.id, name: client.name, timezone: client.timezone, total: own.length, counts, compliance: complianceSummary(own) };
  }

  function deviceDetail(d) {
    const components = {};
    const values = { recency: d.status === 'healthy' ? 1 : d.status === 'warning' ? 0.6 : d.status === 'critical' ? 0.1 : 0, successRate: d.consecutiveFailures ? 0.7 : 1, drTest: d.drTests[0]?.result === 'failed' ? 0 : d.drTests.length ? 1 : 0.5, storage: 1 };
    for (const [name, weight] of Object.entries(WEIGHTS)) components[name] = { value: values[name], weight, points: Math.round(values[name] * weight * 1000) / 10 };
    const reasons = [];
    if (d.consecutiveFailures) reasons.push(`${d.consecutiveFailures} consecutive failures`);
    if (d.drTests[0]?.result === 'failed') reasons.push('The newest DR test failed');
    if (d.status === 'unknown') reasons.push('No backup job has completed yet');
    if (reasons.length === 0) reasons.push(d.status === 'healthy' ? 'Last backup succeeded within the policy schedule' : 'The last successful backup is overdue');
    return {
      ...deviceItem(d),
      enrolledAt: d.enrolledAt,
      retiredAt: d.retiredAt,
      components,
      reasons,
      sla: slaState(d),
      jobs: d.jobs.slice(0, 20),
      drTests: d.drTests,
      storageHistory: d.storageHistory,
      openAlerts: alerts.filter((a) => a.device.id === d.id && a.state !== 'resolved'),
    };
  }

  function broadcast(event, data, clientId) {
    const change = { id: nextChangeId++, clientId, frame: `id: ${nextChangeId - 1}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n` };
    changeLog.push(change);
    if (changeLog.length > 500) changeLog.shift();
    for (const stream of streams) if (!stream.clientId || stream.clientId === clientId) stream.out.write(change.frame);
  }

  function authenticate(ctx) {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const credential = match ? TOKENS[match[1]] : undefined;
    if (!credential) {
      throw new HttpProblem(401, match ? 'token-expired' : 'unauthorized', 'Authentication required', match ? 'The embed token has expired; mint a new one with POST /api/v1/embed-tokens.' : 'Send "Authorization: Bearer <key or token>".');
    }
    return credential;
  }
  const has = (auth, scope) => auth.scopes.includes('admin') || auth.scopes.includes(scope);
  const requireScope = (auth, scope) => {
    if (!has(auth, scope)) throw forbidden(scope);
  };
  const visible = (auth, clientId) => !auth.clientId || auth.clientId === clientId;

  function findDevice(auth, id) {
    const device = devices.find((d) => d.id === id);
    if (!device || !visible(auth, device.client.id)) throw notFound(`Device ${id}`);
    return device;
  }

  function applyEvent(event) {
    const device = devices.find((d) => d.id === event.deviceId);
    if (!device) throw new HttpProblem(422, 'validation-failed', 'The request is not valid', `Unknown device ${event.deviceId}.`);
    if (event.type === 'storage') {
      device.storage = { usedBytes: event.usedBytes, quotaBytes: event.quotaBytes ?? device.storage.quotaBytes };
      device.storageHistory.push({ at: event.at, usedBytes: event.usedBytes, quotaBytes: device.storage.quotaBytes });
    } else if (event.type === 'job' && event.status !== 'running') {
      device.jobs.unshift({ id: event.id, status: event.status, startedAt: event.startedAt, endedAt: event.endedAt ?? event.startedAt, bytes: event.bytes ?? null, message: event.message ?? null, logUrl: event.logUrl ?? null });
      device.lastJobStatus = event.status;
      const active = alerts.find((a) => a.device.id === device.id && a.type === 'backup_failed' && a.state !== 'resolved');
      const at = event.endedAt ?? event.startedAt;
      if (event.status === 'failed') {
        device.consecutiveFailures += 1;
        const critical = device.consecutiveFailures >= 3;
        // A failure makes a device at least Warning; the third in a row makes it Critical.
        if (critical || device.status !== 'critical') device.status = critical ? 'critical' : 'warning';
        device.score = device.status === 'critical' ? 55 : 80;
        const reason = `${device.consecutiveFailures} consecutive failure${device.consecutiveFailures === 1 ? '' : 's'}`;
        if (active) {
          Object.assign(active, { severity: critical ? 'critical' : active.severity, reason, updatedAt: at });
          broadcast('alert.updated', active, device.client.id);
        } else {
          alertCounter += 1;
          const alert = { id: `alert-${String(alertCounter).padStart(3, '0')}`, type: 'backup_failed', severity: critical ? 'critical' : 'warning', state: 'open', device: { id: device.id, name: device.name }, client: device.client, triggeredAt: at, updatedAt: at, resolvedAt: null, acknowledgedAt: null, reason, recommendedAction: ALERT_ACTIONS.backup_failed };
          alerts.push(alert);
          broadcast('alert.opened', alert, device.client.id);
        }
      } else {
        device.consecutiveFailures = 0;
        device.lastSuccessAt = at;
        device.status = 'healthy';
        device.score = 96;
        if (active) {
          Object.assign(active, { state: 'resolved', resolvedAt: at, updatedAt: at });
          broadcast('alert.resolved', active, device.client.id);
        }
      }
    }
    broadcast('device.updated', deviceItem(device), device.client.id);
  }

  function complianceReport(auth, clientId) {
    const client = clientId ? CLIENTS.find((c) => c.id === clientId && visible(auth, c.id)) : null;
    if (clientId && !client) throw notFound(`Client ${clientId}`);
    const list = devices.filter((d) => visible(auth, d.client.id) && (!client || d.client.id === client.id));
    return {
      generatedAt: new Date().toISOString(),
      client: client ? { id: client.id, name: client.name } : null,
      rules: { tenant: { ...settings.sla.tenant }, client: client ? (settings.sla.clients[client.id] ?? null) : null, effective: client ? slaHours(client.id) : null },
      summary: complianceSummary(list),
      devices: list.map((d) => {
        const sla = slaState(d);
        return {
          device: { id: d.id, name: d.name, kind: d.kind },
          client: d.client,
          maxHours: sla.maxHours,
          state: sla.state,
          lastSuccessAt: d.lastSuccessAt,
          breachSince: sla.breachSince,
          breachHours: sla.breachSince ? Math.round(((Date.now() - Date.parse(sla.breachSince)) / HOUR) * 10) / 10 : null,
        };
      }),
    };
  }

  function publicSettings(key) {
    const value = structuredClone(settings[key]);
    if (key === 'psa' || key === 'oncall') {
      value.integrationKeySet = Boolean(value.integrationKey);
      delete value.integrationKey;
      value.status = key === 'psa' ? { lastSuccessAt: new Date(now - 2 * HOUR).toISOString(), lastError: { at: new Date(now - 30 * 60_000).toISOString(), message: 'PSA answered 503 Service Unavailable' }, queueDepth: 2, failed: 0 } : { lastSuccessAt: null, lastError: null, queueDepth: 0, failed: 0 };
    }
    if (key === 'reports') {
      value.lastSentAt = new Date(now - 3 * DAY).toISOString();
      value.nextDeliveryAt = new Date(now + 4 * DAY).toISOString();
    }
    return value;
  }

  const SETTINGS_ROUTES = { '/settings/sla': 'sla', '/settings/reports': 'reports', '/settings/integrations/psa': 'psa', '/settings/integrations/oncall': 'oncall' };

  async function route(ctx, path, query) {
    const method = ctx.method;
    const auth = authenticate(ctx);
    const send = (body, status = 200) => {
      ctx.status = status;
      ctx.body = body;
    };

    if (method === 'GET' && path === '/me') {
      return send({ tenant: { id: 't-fixture', name: 'Fixture MSP' }, scopes: auth.scopes, clientId: auth.clientId, expiresAt: auth.clientId ? new Date(Date.now() + HOUR).toISOString() : null });
    }
    if (method === 'GET' && path === '/devices') {
      const sort = query.sort ?? 'score';
      const order = query.order ?? 'asc';
      if (!SORT_KEYS[sort]) throw badRequest(`sort must be one of ${Object.keys(SORT_KEYS).join(', ')}.`);
      if (order !== 'asc' && order !== 'desc') throw badRequest('order must be asc or desc.');
      const q = (query.q ?? '').toLowerCase();
      const key = SORT_KEYS[sort];
      const list = devices
        .filter((d) => visible(auth, d.client.id))
        .filter((d) => (!query.client || d.client.id === query.client) && (!query.status || d.status === query.status) && (!query.kind || d.kind === query.kind))
        .filter((d) => !q || d.name.toLowerCase().includes(q) || d.id.toLowerCase().includes(q))
        .sort((a, b) => {
          const ka = key(a);
          const kb = key(b);
          const primary = ka < kb ? -1 : ka > kb ? 1 : 0;
          const result = primary || (a.id < b.id ? -1 : 1);
          return order === 'desc' ? -result : result;
        });
      return send(paginate(list.map(deviceItem), query));
    }
    let match = /^\/devices\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) return send(deviceDetail(findDevice(auth, decodeURIComponent(match[1]))));

    if (method === 'GET' && path === '/clients') return send(paginate(CLIENTS.filter((c) => visible(auth, c.id)).map(clientItem), query));
    match = /^\/clients\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) {
      const client = CLIENTS.find((c) => c.id === decodeURIComponent(match[1]) && visible(auth, c.id));
      if (!client) throw notFound(`Client ${decodeURIComponent(match[1])}`);
      return send(clientItem(client));
    }

    if (method === 'GET' && path === '/alerts') {
      const state = query.state;
      const list = alerts
        .filter((a) => visible(auth, a.client.id))
        .filter((a) => !state || (state === 'active' ? a.state !== 'resolved' : a.state === state))
        .filter((a) => (!query.severity || a.severity === query.severity) && (!query.type || a.type === query.type) && (!query.client || a.client.id === query.client) && (!query.device || a.device.id === query.device))
        .sort((a, b) => Date.parse(b.triggeredAt) - Date.parse(a.triggeredAt) || (a.id < b.id ? 1 : -1));
      return send(paginate(list, query));
    }
    match = /^\/alerts\/([^/]+)\/acknowledge$/.exec(path);
    if (method === 'POST' && match) {
      requireScope(auth, 'operate');
      const alert = alerts.find((a) => a.id === decodeURIComponent(match[1]) && visible(auth, a.client.id));
      if (!alert) throw notFound(`Alert ${decodeURIComponent(match[1])}`);
      if (alert.state === 'resolved') throw new HttpProblem(409, 'conflict', 'Conflict', 'The alert is already resolved.');
      if (alert.state === 'open') {
        const at = new Date().toISOString();
        Object.assign(alert, { state: 'acknowledged', acknowledgedAt: at, updatedAt: at });
        broadcast('alert.updated', alert, alert.client.id);
      }
      return send(alert);
    }

    if (method === 'GET' && path === '/compliance') return send(complianceReport(auth, query.client));
    if (method === 'GET' && path === '/compliance/export') {
      const report = complianceReport(auth, query.client);
      const name = `backup-compliance-${report.client?.id ?? 'all-clients'}`;
      if (query.format === 'csv') {
        const lines = ['Device,Client,Kind,SLA hours,State,Last successful backup,Breach since', ...report.devices.map((d) => [d.device.name, d.client.name, d.device.kind, d.maxHours, d.state, d.lastSuccessAt ?? '', d.breachSince ?? ''].map((v) => `"${String(v).replaceAll('"', '""')}"`).join(','))];
        ctx.set('Content-Disposition', `attachment; filename="${name}.csv"`);
        ctx.type = 'text/csv';
        return send(lines.join('\r\n') + '\r\n');
      }
      if (query.format === 'pdf') {
        ctx.set('Content-Disposition', `attachment; filename="${name}.pdf"`);
        ctx.type = 'application/pdf';
        return send(Buffer.from('%PDF-1.4\n% fixture compliance report\n%%EOF\n'));
      }
      throw badRequest('format must be csv or pdf.');
    }

    if (method === 'GET' && path === '/reports/weekly') {
      const visibleDevices = devices.filter((d) => visible(auth, d.client.id));
      const totals = { devices: visibleDevices.length, healthy: 0, warning: 0, critical: 0, unknown: 0 };
      for (const d of visibleDevices) totals[d.status] += 1;
      return send({
        periodStart: new Date(now - 7 * DAY).toISOString(),
        periodEnd: new Date(now).toISOString(),
        totals,
        jobSuccessRate: 0.962,
        newCriticalAlerts: alerts.filter((a) => a.severity === 'critical' && visible(auth, a.client.id)),
        lowestScores: visibleDevices.filter((d) => d.status !== 'unknown').sort((a, b) => a.score - b.score).slice(0, 5).map((d) => ({ device: { id: d.id, name: d.name }, client: d.client, score: d.score, status: d.status })),
        storageTrend: Array.from({ length: 7 }, (_, i) => ({ date: new Date(now - (6 - i) * DAY).toISOString().slice(0, 10), usedBytes: 12e12 + i * 5e10 })),
      });
    }
    if (method === 'POST' && path === '/reports/weekly/send') {
      requireScope(auth, 'admin');
      ctx.status = 202;
      return;
    }

    const settingsKey = SETTINGS_ROUTES[path];
    if (settingsKey && (method === 'GET' || method === 'PUT')) {
      requireScope(auth, 'admin');
      if (method === 'PUT') {
        const patch = await readJson(ctx.req);
        if (!isPlainObject(patch)) throw badRequest('Send a JSON object with the fields to change.');
        let next = merge(settings[settingsKey], patch);
        if (settingsKey === 'sla') {
          const clients = {};
          for (const [id, override] of Object.entries(next.clients ?? {})) {
            if (override === null) continue;
            const kept = withoutNulls(override);
            if (Object.keys(kept).length) clients[id] = kept;
          }
          next = { ...next, clients };
        }
        settings = { ...settings, [settingsKey]: next };
      }
      return send(publicSettings(settingsKey));
    }

    if (method === 'POST' && path === '/events') {
      requireScope(auth, 'ingest');
      const body = await readJson(ctx.req);
      const events = Array.isArray(body?.events) ? body.events : [body];
      for (const event of events) applyEvent(event);
      return send({ accepted: events.length, duplicates: 0 }, 202);
    }

    if (method === 'GET' && path === '/stream') {
      requireScope(auth, 'read');
      ctx.req.socket.setTimeout(0);
      ctx.req.socket.setNoDelay(true);
      ctx.status = 200;
      ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      const out = new PassThrough();
      const stream = { out, clientId: auth.clientId };
      streams.add(stream);
      out.write(': ping\n\n');
      const resumeAfter = Number(query.lastEventId);
      if (query.lastEventId !== undefined) {
        for (const change of changeLog) if (change.id > resumeAfter && (!auth.clientId || auth.clientId === change.clientId)) out.write(change.frame);
      }
      // One event right after connect: the current state of a visible device (no change).
      const first = devices.find((d) => visible(auth, d.client.id));
      const greeting = setTimeout(() => first && out.write(`event: device.updated\ndata: ${JSON.stringify(deviceItem(first))}\n\n`), 50);
      const heartbeat = setInterval(() => out.write(': ping\n\n'), 15_000);
      ctx.req.on('close', () => {
        clearTimeout(greeting);
        clearInterval(heartbeat);
        streams.delete(stream);
        out.end();
      });
      ctx.body = out;
      return;
    }

    throw notFound(`${method} ${path}`);
  }

  /** Koa middleware for @web/test-runner's dev server. */
  return async function fixtureApi(ctx, next) {
    if (ctx.path === '/__bh-test-env') {
      ctx.body = TEST_ENV;
      return;
    }
    if (!ctx.path.startsWith('/api/v1/')) return next();
    const path = ctx.path.slice('/api/v1'.length);
    try {
      await route(ctx, path, ctx.query);
    } catch (error) {
      const problem = error instanceof HttpProblem ? error.problem : { type: 'about:blank', title: 'Internal error', status: 500, detail: String(error) };
      ctx.status = problem.status;
      ctx.type = 'application/problem+json';
      ctx.body = JSON.stringify(problem);
    }
  };
}
