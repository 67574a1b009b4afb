/**
 * The OpenAPI 3.1 description of the HTTP API (SPEC §9), served at
 * `GET /api/v1/openapi.json`. Hand-written documentation: a test checks that every
 * route the app mounts is described here and that errors are problem+json.
 */
import { ALERT_TYPES, DEVICE_KINDS, HEALTH_STATUSES } from '../core/types.ts';
import { ingestOpenApiPaths } from './routes/ingest-openapi.ts';
import { DEVICE_SORTS } from './services/device-queries.ts';

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const num = (extra: Schema = {}): Schema => ({ type: 'number', ...extra });
const int = (extra: Schema = {}): Schema => ({ type: 'integer', ...extra });
const bool: Schema = { type: 'boolean' };
const time: Schema = { type: 'string', format: 'date-time' };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const array = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', items, ...extra });
const enumOf = (values: readonly string[]): Schema => ({ type: 'string', enum: [...values] });
/** An object whose listed properties are all required unless named in `optional`. */
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
});
/** A PUT body: every field optional (the rest keep their values). */
const patch = (properties: Record<string, Schema>): Schema => ({ type: 'object', properties });
const page = (item: string): Schema => object({ items: array(ref(item)), nextCursor: nullable(str({ description: 'Opaque; pass as `cursor` for the next page.' })) });

const hours = num({ exclusiveMinimum: 0, maximum: 8760 });
const slaHours = object({ workstationHours: hours, serverHours: hours, saasHours: hours });
const component = object({ value: num({ minimum: 0, maximum: 1 }), weight: num(), points: num() });
const ticketMapping = object({ ticketType: str(), priority: enumOf(['Critical', 'High', 'Medium', 'Low']) });
const integrationStatus = object({
  lastSuccessAt: nullable(time),
  lastError: nullable(object({ at: time, message: str() })),
  queueDepth: int(),
  failed: int(),
});
const businessHours = object({ timezone: str(), days: array(int({ minimum: 1, maximum: 7 })), start: str({ pattern: '^\\d{2}:\\d{2}$' }), end: str({ pattern: '^\\d{2}:\\d{2}$' }) });
const weekday = enumOf(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

const schemas: Record<string, Schema> = {
  Problem: {
    ...object({ type: str({ format: 'uri' }), title: str(), status: int(), detail: str(), errors: array(object({ index: int(), row: int(), path: str(), message: str() }, ['index', 'row', 'path'])) }, ['detail', 'errors']),
    description: 'RFC 9457 problem details.',
  },
  Ref: object({ id: str(), name: str() }),
  DeviceItem: object({
    id: str(),
    name: str(),
    kind: enumOf(DEVICE_KINDS),
    client: ref('Ref'),
    policy: object({ id: str(), name: str(), intervalHours: num() }),
    status: enumOf(HEALTH_STATUSES),
    score: int({ minimum: 0, maximum: 100 }),
    lastSuccessAt: nullable(time),
    lastJobStatus: nullable(enumOf(['success', 'warning', 'failed', 'running'])),
    consecutiveFailures: int(),
    storage: object({ usedBytes: nullable(int()), quotaBytes: nullable(int()) }),
  }),
  JobItem: object({ id: str(), status: enumOf(['success', 'warning', 'failed', 'running']), startedAt: time, endedAt: nullable(time), bytes: nullable(int()), message: nullable(str()), logUrl: nullable(str()) }),
  DrTestItem: object({ id: str(), at: time, result: enumOf(['passed', 'failed']), message: nullable(str()) }),
  AlertItem: object(
    {
      id: str(),
      type: enumOf(ALERT_TYPES),
      severity: enumOf(['warning', 'critical']),
      state: enumOf(['open', 'acknowledged', 'resolved']),
      device: ref('Ref'),
      client: ref('Ref'),
      triggeredAt: time,
      updatedAt: time,
      resolvedAt: nullable(time),
      acknowledgedAt: nullable(time),
      reason: str(),
      recommendedAction: str(),
      history: array(object({ action: enumOf(['opened', 'escalated', 'acknowledged', 'resolved']), at: time, severity: enumOf(['warning', 'critical']), note: nullable(str()) })),
    },
    ['history'],
  ),
  DeviceDetail: {
    allOf: [
      ref('DeviceItem'),
      object({
        enrolledAt: time,
        retiredAt: nullable(time),
        components: object({ recency: component, successRate: component, drTest: component, storage: component }),
        reasons: array(str()),
        sla: object({ state: enumOf(['meeting', 'breach', 'pending']), maxHours: num(), breachSince: nullable(time) }),
        jobs: array(ref('JobItem'), { description: 'Newest first, at most 50.' }),
        drTests: array(ref('DrTestItem'), { description: 'Newest first, at most 20.' }),
        storageHistory: array(object({ at: time, usedBytes: int(), quotaBytes: nullable(int()) }), { description: 'The last 90 reports, oldest first.' }),
        openAlerts: array(ref('AlertItem')),
      }),
    ],
  },
  ComplianceSummary: object({ meeting: int(), breach: int(), pending: int(), percent: nullable(num({ description: 'meeting / (meeting + breach) × 100, one decimal.' })) }),
  ClientItem: object({
    id: str(),
    name: str(),
    timezone: str(),
    total: int(),
    counts: object({ healthy: int(), warning: int(), critical: int(), unknown: int() }),
    compliance: ref('ComplianceSummary'),
  }),
  ComplianceReport: object({
    generatedAt: time,
    client: nullable(ref('Ref')),
    rules: object({ tenant: ref('SlaHours'), client: nullable(ref('SlaOverride')), effective: nullable(ref('SlaHours')) }),
    summary: ref('ComplianceSummary'),
    devices: array(
      object({
        device: object({ id: str(), name: str(), kind: enumOf(DEVICE_KINDS) }),
        client: ref('Ref'),
        maxHours: num(),
        state: enumOf(['meeting', 'breach', 'pending']),
        lastSuccessAt: nullable(time),
        breachSince: nullable(time),
        breachHours: nullable(num()),
      }),
    ),
  }),
  WeeklyReport: object({
    periodStart: time,
    periodEnd: time,
    totals: object({ devices: int(), healthy: int(), warning: int(), critical: int(), unknown: int() }),
    jobSuccessRate: nullable(num()),
    newCriticalAlerts: array(ref('AlertItem')),
    lowestScores: array(object({ device: ref('Ref'), client: ref('Ref'), score: int(), status: enumOf(HEALTH_STATUSES) })),
    storageTrend: array(object({ date: str({ format: 'date' }), usedBytes: int() })),
  }),
  SlaHours: slaHours,
  SlaOverride: patch({ workstationHours: hours, serverHours: hours, saasHours: hours }),
  SlaSettings: object({ tenant: ref('SlaHours'), clients: { type: 'object', additionalProperties: ref('SlaOverride') } }),
  ReportSettings: object(
    { weeklyEnabled: bool, recipients: array(str({ format: 'email' }), { maxItems: 50 }), deliveryDay: weekday, deliveryTime: str({ pattern: '^\\d{2}:\\d{2}$' }), timezone: str(), lastSentAt: nullable(time), nextDeliveryAt: nullable(time) },
    ['lastSentAt', 'nextDeliveryAt'],
  ),
  PsaSettings: object(
    { enabled: bool, baseUrl: str(), integrationKeySet: bool, failureThreshold: int({ minimum: 1 }), mapping: { type: 'object', additionalProperties: nullable(ticketMapping) }, status: integrationStatus },
    ['integrationKeySet', 'status'],
  ),
  OnCallSettings: object(
    { enabled: bool, baseUrl: str(), integrationKeySet: bool, escalationPolicy: str(), breachHoursThreshold: num(), deviceKinds: array(enumOf(DEVICE_KINDS)), businessHours, status: integrationStatus },
    ['integrationKeySet', 'status'],
  ),
  Event: {
    oneOf: [
      object({ type: { const: 'job' }, id: str(), deviceId: str(), status: enumOf(['success', 'warning', 'failed', 'running']), startedAt: time, endedAt: time, bytes: int(), message: str(), logUrl: str() }, ['endedAt', 'bytes', 'message', 'logUrl']),
      object({ type: { const: 'dr_test' }, id: str(), deviceId: str(), at: time, result: enumOf(['passed', 'failed']), message: str() }, ['message']),
      object({ type: { const: 'checkin' }, deviceId: str(), at: time }),
      object({ type: { const: 'storage' }, deviceId: str(), at: time, usedBytes: int(), quotaBytes: int() }, ['quotaBytes']),
      object({ type: { const: 'saas_consent' }, deviceId: str(), at: time, state: enumOf(['ok', 'expired']) }),
    ],
    discriminator: { propertyName: 'type' },
  },
  Me: object({ tenant: ref('Ref'), scopes: array(enumOf(['admin', 'ingest', 'read', 'operate'])), clientId: nullable(str()), expiresAt: nullable(time) }),
};

// ---------------------------------------------------------------- operations

type Scope = 'public' | 'platform' | 'admin' | 'ingest' | 'read' | 'operate' | 'any';
interface Operation {
  summary: string;
  scope: Scope;
  params?: Schema[];
  body?: Schema | { content: string; schema: Schema };
  ok: number;
  /** Response body: a schema for JSON, `{ content, schema }` for anything else, omitted for none. */
  response?: Schema | { content: string; schema: Schema };
  errors?: number[];
}

const ERROR_TEXT: Record<number, string> = {
  400: 'The request could not be read (malformed JSON, invalid cursor).',
  401: 'Missing, invalid or expired credential.',
  403: 'The credential lacks the required scope.',
  404: 'Not found (or belongs to another tenant or client).',
  409: 'Conflicts with the current state.',
  413: 'Request body too large.',
  422: 'Validation failed; `errors` names each invalid field.',
  503: 'Not ready.',
};
const idPath = (name = 'id'): Schema => ({ name, in: 'path', required: true, schema: str({ maxLength: 200 }) });
const query = (name: string, schema: Schema, description?: string): Schema => ({ name, in: 'query', required: false, schema, ...(description ? { description } : {}) });
const limit = (fallback: number) => query('limit', int({ minimum: 1, maximum: 500, default: fallback }));
const cursor = query('cursor', str(), 'nextCursor of the previous page.');
const clientFilter = query('client', str(), 'Restrict to one client (a client-scoped token is always restricted to its own).');
const isContent = (value: Operation['body']): value is { content: string; schema: Schema } => !!value && 'content' in value && typeof value.content === 'string';

function operation(op: Operation): Schema {
  const security = op.scope === 'public' ? [] : op.scope === 'read' ? [{ bearer: [] }, { integrationKey: [] }] : [{ bearer: [] }];
  const defaultErrors = op.scope === 'public' ? [] : op.scope === 'any' ? [401] : [401, 403];
  const errors = [...new Set([...defaultErrors, ...(op.errors ?? [])])].sort();
  const responses: Record<string, Schema> = {};
  const content = (body: NonNullable<Operation['response']>) =>
    isContent(body) ? { [body.content]: { schema: body.schema } } : { 'application/json': { schema: body } };
  responses[String(op.ok)] = { description: op.summary, ...(op.response ? { content: content(op.response) } : {}) };
  for (const status of errors) responses[String(status)] = { $ref: `#/components/responses/E${status}` };
  return {
    summary: op.summary,
    'x-required-scope': op.scope,
    security,
    ...(op.params ? { parameters: op.params } : {}),
    ...(op.body ? { requestBody: { required: true, content: content(op.body) } } : {}),
    responses,
  };
}

const idBody = (properties: Record<string, Schema>, optional: string[] = []) => object(properties, optional);
const settingsOps = (name: string, schema: string, body: Schema) => ({
  get: operation({ summary: `The ${name} settings (secrets are never returned).`, scope: 'admin', ok: 200, response: ref(schema) }),
  put: operation({ summary: `Change the ${name} settings: send only the fields to change.`, scope: 'admin', body, ok: 200, response: ref(schema), errors: [400, 422] }),
});

const paths: Record<string, Record<string, Schema>> = {
  '/healthz': { get: operation({ summary: 'Liveness.', scope: 'public', ok: 200, response: object({ status: str() }) }) },
  '/readyz': { get: operation({ summary: 'Readiness: the database answers.', scope: 'public', ok: 200, response: { type: 'object' }, errors: [503] }) },
  '/widgets/{file}': { get: operation({ summary: 'The widget module (backup-health.js) and its chunks.', scope: 'public', params: [idPath('file')], ok: 200, response: { content: 'text/javascript', schema: str() }, errors: [404] }) },
  '/api/v1/openapi.json': { get: operation({ summary: 'This document.', scope: 'public', ok: 200, response: { type: 'object' } }) },
  '/api/v1/tenants': { post: operation({ summary: 'Create a tenant (platform key); answers its admin key once.', scope: 'platform', body: idBody({ name: str() }), ok: 201, response: object({ id: str(), name: str(), adminKey: str() }), errors: [422] }) },
  '/api/v1/api-keys': { post: operation({ summary: 'Create an API key; the key is shown once.', scope: 'admin', body: idBody({ name: str(), scopes: array(enumOf(['admin', 'ingest', 'read'])) }), ok: 201, response: object({ id: str(), key: str() }), errors: [422] }) },
  '/api/v1/embed-tokens': {
    post: operation({ summary: 'Mint a short-lived embed token for widgets, optionally for one client.', scope: 'admin', body: idBody({ clientId: str(), scopes: array(enumOf(['read', 'operate'])), ttlSeconds: int() }, ['clientId', 'scopes', 'ttlSeconds']), ok: 201, response: object({ token: str(), expiresAt: time }), errors: [404, 422] }),
  },
  '/api/v1/me': { get: operation({ summary: 'Who the bearer is.', scope: 'any', ok: 200, response: ref('Me') }) },
  '/api/v1/clients': { get: operation({ summary: 'Clients by name with health counts and SLA compliance.', scope: 'read', params: [limit(100), cursor], ok: 200, response: page('ClientItem'), errors: [400, 422] }) },
  '/api/v1/clients/{id}': {
    get: operation({ summary: "One client's roll-up.", scope: 'read', params: [idPath()], ok: 200, response: ref('ClientItem'), errors: [404] }),
    put: operation({ summary: 'Create or update a client.', scope: 'ingest', params: [idPath()], body: idBody({ name: str(), timezone: str() }, ['timezone']), ok: 200, response: { type: 'object' }, errors: [422] }),
  },
  '/api/v1/policies/{id}': { put: operation({ summary: 'Create or update a backup policy.', scope: 'ingest', params: [idPath()], body: idBody({ name: str(), intervalHours: num({ exclusiveMinimum: 0 }) }), ok: 200, response: { type: 'object' }, errors: [422] }) },
  '/api/v1/devices': {
    get: operation({
      summary: 'The per-device view: persisted health, filtered, sorted, keyset-paginated.',
      scope: 'read',
      params: [
        clientFilter,
        query('status', str(), `Comma list of ${HEALTH_STATUSES.join(', ')}.`),
        query('kind', str(), `Comma list of ${DEVICE_KINDS.join(', ')}.`),
        query('q', str({ maxLength: 200 }), 'Case-insensitive substring of the name or id.'),
        query('sort', enumOf(DEVICE_SORTS), 'Default score (worst first). Ties by id.'),
        query('order', enumOf(['asc', 'desc'])),
        limit(50),
        cursor,
      ],
      ok: 200,
      response: page('DeviceItem'),
      errors: [400, 422],
    }),
  },
  '/api/v1/devices/{id}': {
    get: operation({ summary: 'Device detail: components, reasons, SLA, jobs, DR tests, storage history, open alerts.', scope: 'read', params: [idPath()], ok: 200, response: ref('DeviceDetail'), errors: [404] }),
    put: operation({
      summary: 'Create (201) or update (200) a device.',
      scope: 'ingest',
      params: [idPath()],
      body: idBody({ clientId: str(), name: str(), kind: enumOf(DEVICE_KINDS), policyId: str(), quotaBytes: nullable(int()), pingSlug: str({ pattern: '^[a-z0-9._:@-]{1,200}$', description: 'Names the device in its ping URL (default: its id lowercased); unique per tenant (409 when taken).' }) }, ['quotaBytes', 'pingSlug']),
      ok: 200,
      response: { type: 'object' },
      errors: [422],
    }),
    delete: operation({ summary: 'Retire a device (history kept).', scope: 'ingest', params: [idPath()], ok: 204, errors: [404] }),
  },
  '/api/v1/import/devices': {
    post: operation({ summary: 'Bulk upsert devices from CSV (atomic; per-row errors).', scope: 'ingest', body: { content: 'text/csv', schema: str() }, ok: 200, response: object({ created: int(), updated: int(), total: int() }), errors: [400, 413, 422] }),
  },
  '/api/v1/events': {
    post: operation({ summary: 'Ingest one event or a batch of up to 5,000 (atomic, idempotent).', scope: 'ingest', body: { oneOf: [ref('Event'), object({ events: array(ref('Event'), { maxItems: 5000 }) })] }, ok: 202, response: object({ accepted: int(), duplicates: int() }), errors: [400, 413, 422] }),
  },
  '/api/v1/alerts': {
    get: operation({
      summary: 'The alert feed, newest first.',
      scope: 'read',
      params: [query('state', enumOf(['open', 'acknowledged', 'resolved', 'active'])), query('severity', enumOf(['warning', 'critical'])), query('type', enumOf(ALERT_TYPES)), clientFilter, query('device', str()), limit(100), cursor],
      ok: 200,
      response: page('AlertItem'),
      errors: [400, 422],
    }),
  },
  '/api/v1/alerts/{id}': { get: operation({ summary: 'One alert with its history.', scope: 'read', params: [idPath()], ok: 200, response: ref('AlertItem'), errors: [404] }) },
  '/api/v1/alerts/{id}/acknowledge': { post: operation({ summary: 'Acknowledge an alert.', scope: 'operate', params: [idPath()], ok: 200, response: ref('AlertItem'), errors: [404, 409] }) },
  '/api/v1/compliance': { get: operation({ summary: 'SLA compliance: rules in force, every device, the summary.', scope: 'read', params: [clientFilter], ok: 200, response: ref('ComplianceReport'), errors: [404, 422] }) },
  '/api/v1/compliance/export': {
    get: operation({ summary: 'The compliance report as CSV or PDF (QBR/audit).', scope: 'read', params: [{ ...query('format', enumOf(['csv', 'pdf'])), required: true }, clientFilter], ok: 200, response: { content: 'text/csv', schema: str() }, errors: [404, 422] }),
  },
  '/api/v1/reports/weekly': { get: operation({ summary: 'The weekly summary for the 7 days ending now.', scope: 'read', params: [clientFilter], ok: 200, response: ref('WeeklyReport'), errors: [404, 422] }) },
  '/api/v1/reports/weekly/send': { post: operation({ summary: 'Send the weekly e-mail now.', scope: 'admin', ok: 202, response: object({ queued: bool, recipients: array(str()) }), errors: [422] }) },
  '/api/v1/stream': {
    get: operation({
      summary: 'Server-Sent Events: device.updated, alert.opened, alert.updated, alert.resolved (resume with Last-Event-ID).',
      scope: 'read',
      params: [{ name: 'Last-Event-ID', in: 'header', required: false, schema: str({ pattern: '^\\d+$' }) }, query('lastEventId', str({ pattern: '^\\d+$' }))],
      ok: 200,
      response: { content: 'text/event-stream', schema: str() },
      errors: [400],
    }),
  },
  '/api/v1/settings/sla': settingsOps('SLA', 'SlaSettings', patch({ tenant: patch({ workstationHours: hours, serverHours: hours, saasHours: hours }), clients: { type: 'object', additionalProperties: nullable(ref('SlaOverride')), description: 'null removes a client override.' } })),
  '/api/v1/settings/reports': settingsOps('weekly report', 'ReportSettings', patch({ weeklyEnabled: bool, recipients: array(str({ format: 'email' }), { maxItems: 50 }), deliveryDay: weekday, deliveryTime: str(), timezone: str() })),
  '/api/v1/settings/integrations/psa': settingsOps('PSA', 'PsaSettings', patch({ enabled: bool, baseUrl: str(), integrationKey: str({ writeOnly: true }), failureThreshold: int(), mapping: { type: 'object', additionalProperties: nullable(ticketMapping) } })),
  '/api/v1/settings/integrations/oncall': settingsOps('On-Call', 'OnCallSettings', patch({ enabled: bool, baseUrl: str(), integrationKey: str({ writeOnly: true }), escalationPolicy: str(), breachHoursThreshold: num(), deviceKinds: array(enumOf(DEVICE_KINDS)), businessHours })),
  '/api/v1/settings/integrations/mail': {
    get: operation({ summary: 'Weekly e-mail delivery status (read-only).', scope: 'admin', ok: 200, response: object({ smtpConfigured: bool, from: str(), status: integrationStatus }) }),
  },
  '/api/v1/admin/evaluate': {
    post: operation({ summary: "Evaluate every active device of the tenant now; answers what changed.", scope: 'admin', ok: 200, response: object({ evaluated: int(), devicesChanged: array(object({ id: str(), from: str(), to: str() })), alertsOpened: array(ref('AlertItem')), alertsEscalated: array(ref('AlertItem')), alertsResolved: array(ref('AlertItem')) }) }),
  },
};

const problemResponses = Object.fromEntries(
  Object.entries(ERROR_TEXT).map(([status, description]) => [`E${status}`, { description, content: { 'application/problem+json': { schema: ref('Problem') } } }]),
);

/** The document (a fresh object each call). */
export function openApiDocument(): object {
  return structuredClone({
    openapi: '3.1.0',
    info: {
      title: 'Backup Health API',
      version: '1',
      description: 'Backup health monitoring for MSPs. Times are ISO-8601 UTC; errors are application/problem+json (RFC 9457); lists answer {items, nextCursor}.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A tenant API key (scopes admin, ingest, read), an embed token (read, operate; optionally one client) or the platform key.' },
        integrationKey: { type: 'apiKey', in: 'header', name: 'X-Integration-Key', description: 'The PSA calling: read access to the tenant whose PSA integration key matches.' },
      },
      schemas,
      responses: problemResponses,
    },
    paths: { ...paths, ...ingestOpenApiPaths() },
  });
}
