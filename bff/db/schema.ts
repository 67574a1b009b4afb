/**
 * The database schema (drizzle, SQLite dialect). Migrations are generated from it
 * with `npm run db:generate` into bff/db/migrations and applied on start.
 *
 * Times are stored as epoch milliseconds (INTEGER). Every tenant-owned table leads its
 * primary key or indexes with tenant_id: every query filters by tenant.
 */
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('UTC'),
  /** HMAC secret for embed tokens (base64url). Never leaves the server. */
  tokenSecret: text('token_secret').notNull(),
  /** The signing secret before the last rotation: tokens it signed answer 401 `token-revoked`. */
  previousTokenSecret: text('previous_token_secret'),
  /** Raised by every revocation, rotation and PSA key change: cached credentials read at an older one are dropped on every instance. */
  credentialsRevision: integer('credentials_revision').notNull().default(0),
  /** sha256 of the PSA integration key, to recognise inbound PSA calls. */
  psaKeyHash: text('psa_key_hash'),
  createdAt: integer('created_at').notNull(),
  /** The credential of the tenant's ping URLs (/ping/{pingKey}/{slug}); set by a trigger on insert, rotatable. */
  pingKey: text('ping_key'),
}, (t) => [uniqueIndex('tenants_psa_key_hash').on(t.psaKeyHash), uniqueIndex('tenants_ping_key').on(t.pingKey)]);

export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  name: text('name').notNull(),
  /** sha256 of the key; the key itself is shown once and never stored. */
  keyHash: text('key_hash').notNull(),
  scopes: text('scopes').notNull(),
  createdAt: integer('created_at').notNull(),
  revokedAt: integer('revoked_at'),
}, (t) => [uniqueIndex('api_keys_hash').on(t.keyHash), index('api_keys_tenant').on(t.tenantId)]);

export const clients = sqliteTable('clients', {
  tenantId: text('tenant_id').notNull(),
  id: text('id').notNull(),
  name: text('name').notNull(),
  timezone: text('timezone'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('clients_name').on(t.tenantId, t.name)]);

export const policies = sqliteTable('policies', {
  tenantId: text('tenant_id').notNull(),
  id: text('id').notNull(),
  name: text('name').notNull(),
  intervalHours: integer('interval_hours', { mode: 'number' }).notNull(),
  /** JSON `{schedule, graceHours?, offline?, merge?, mergeRule?}`; NULL reads as an interval of `interval_hours`. */
  schedule: text('schedule'),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.id] })]);

/**
 * Devices with their current, persisted health: lists read these columns and never
 * recompute. `state` is core's DeviceState, folded incrementally per event and stored as a
 * positional JSON array (db/device-state.ts).
 */
export const devices = sqliteTable('devices', {
  tenantId: text('tenant_id').notNull(),
  id: text('id').notNull(),
  clientId: text('client_id').notNull(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  policyId: text('policy_id').notNull(),
  quotaBytes: integer('quota_bytes'),
  enrolledAt: integer('enrolled_at').notNull(),
  retiredAt: integer('retired_at'),
  /** Why the device was retired (`DELETE /devices/:id {reason}`). */
  retiredReason: text('retired_reason'),
  updatedAt: integer('updated_at').notNull(),
  state: text('state').notNull(),
  status: text('status').notNull().default('unknown'),
  score: integer('score').notNull().default(0),
  lastSuccessAt: integer('last_success_at'),
  lastJobStatus: text('last_job_status'),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  usedBytes: integer('used_bytes'),
  effectiveQuotaBytes: integer('effective_quota_bytes'),
  /** Score components and reasons (JSON), for the detail view. */
  health: text('health'),
  slaState: text('sla_state').notNull().default('pending'),
  slaBreachSince: integer('sla_breach_since'),
  evaluatedAt: integer('evaluated_at').notNull().default(0),
  /** Earliest time a time-driven condition can change; the sweep only looks at due devices. */
  nextCheckAt: integer('next_check_at').notNull().default(0),
  /** Names the device in its ping URL; unique per tenant, default its id lowercased (set by a trigger on insert). */
  pingSlug: text('ping_slug'),
  /** The client's name (its id when it has none), kept by triggers for the client sort (migration 8). */
  clientSort: text('client_sort'),
  /** The policy's name (its id when it has none), kept by triggers for the policy sort. */
  policySort: text('policy_sort'),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('devices_score').on(t.tenantId, t.score, t.id),
  index('devices_client_score').on(t.tenantId, t.clientId, t.score, t.id),
  index('devices_name').on(t.tenantId, t.name, t.id),
  index('devices_status').on(t.tenantId, t.status, t.score, t.id),
  index('devices_last_success').on(t.tenantId, t.lastSuccessAt, t.id),
  index('devices_next_check').on(t.nextCheckAt),
  uniqueIndex('devices_ping_slug').on(t.tenantId, t.pingSlug),
  // One index per sort of GET /devices (migration 8).
  index('devices_client_sort').on(t.tenantId, t.clientSort, t.id),
  index('devices_policy_sort').on(t.tenantId, t.policySort, t.id),
  index('devices_policy').on(t.tenantId, t.policyId),
  index('devices_kind').on(t.tenantId, t.kind, t.id),
  index('devices_storage').on(t.tenantId, t.usedBytes, t.id),
  index('devices_status_rank').on(t.tenantId, sql`(CASE ${t.status} WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 WHEN 'unknown' THEN 2 ELSE 3 END)`, t.id),
]);

/**
 * Per-client counts by status and SLA state, kept by triggers on `devices` in the
 * same transaction as every device change, so `GET /clients` reads one row per
 * client instead of aggregating its devices.
 */
export const clientRollups = sqliteTable('client_rollups', {
  tenantId: text('tenant_id').notNull(),
  clientId: text('client_id').notNull(),
  total: integer('total').notNull().default(0),
  healthy: integer('healthy').notNull().default(0),
  warning: integer('warning').notNull().default(0),
  critical: integer('critical').notNull().default(0),
  unknown: integer('unknown').notNull().default(0),
  meeting: integer('meeting').notNull().default(0),
  breach: integer('breach').notNull().default(0),
  pending: integer('pending').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.tenantId, t.clientId] })]);

export const jobs = sqliteTable('jobs', {
  tenantId: text('tenant_id').notNull(),
  id: text('id').notNull(),
  deviceId: text('device_id').notNull(),
  status: text('status').notNull(),
  startedAt: integer('started_at').notNull(),
  endedAt: integer('ended_at'),
  bytes: integer('bytes'),
  message: text('message'),
  logUrl: text('log_url'),
  receivedAt: integer('received_at').notNull(),
  /** Set for a manual result: who recorded it (see `actorOf`); null for jobs a tool reported. */
  recordedBy: text('recorded_by'),
  /** The note of a manual result. */
  note: text('note'),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.id] }),
  index('jobs_device_started').on(t.tenantId, t.deviceId, t.startedAt),
  // Pairing a ping's end with its running start (migration 0020): only running jobs.
  index('jobs_running').on(t.tenantId, t.deviceId, t.startedAt).where(sql`status = 'running'`),
  index('jobs_ended').on(t.tenantId, t.endedAt),
]);

export const drTests = sqliteTable('dr_tests', {
  tenantId: text('tenant_id').notNull(),
  id: text('id').notNull(),
  deviceId: text('device_id').notNull(),
  at: integer('at').notNull(),
  result: text('result').notNull(),
  message: text('message'),
}, (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('dr_tests_device').on(t.tenantId, t.deviceId, t.at)]);

export const storageReports = sqliteTable('storage_reports', {
  tenantId: text('tenant_id').notNull(),
  deviceId: text('device_id').notNull(),
  at: integer('at').notNull(),
  usedBytes: integer('used_bytes').notNull(),
  quotaBytes: integer('quota_bytes'),
}, (t) => [primaryKey({ columns: [t.tenantId, t.deviceId, t.at] }), index('storage_reports_at').on(t.tenantId, t.at)]);

export const consentEvents = sqliteTable('consent_events', {
  tenantId: text('tenant_id').notNull(),
  deviceId: text('device_id').notNull(),
  at: integer('at').notNull(),
  state: text('state').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.deviceId, t.at] })]);

/** At most one active (open or acknowledged) alert per (device, type): a partial unique index. */
export const alerts = sqliteTable('alerts', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  deviceId: text('device_id').notNull(),
  clientId: text('client_id').notNull(),
  type: text('type').notNull(),
  severity: text('severity').notNull(),
  state: text('state').notNull(),
  triggeredAt: integer('triggered_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  acknowledgedAt: integer('acknowledged_at'),
  /** Who acknowledged (`actorOf`: `key:<name>` or the token's subject); null when acknowledged before actors were recorded (migration 0007). */
  acknowledgedBy: text('acknowledged_by'),
  acknowledgementNote: text('acknowledgement_note'),
  /** While open: when it last asked for attention (opened, escalated, unacknowledged); reminders count from here. */
  remindFrom: integer('remind_from'),
  /** Due time of the newest reminder sent: a reminder period is claimed by raising it (once across instances). */
  lastReminderAt: integer('last_reminder_at'),
  resolvedAt: integer('resolved_at'),
  reason: text('reason').notNull(),
  recommendedAction: text('recommended_action').notNull(),
}, (t) => [
  uniqueIndex('alerts_one_active').on(t.tenantId, t.deviceId, t.type).where(sql`state <> 'resolved'`),
  index('alerts_tenant_updated').on(t.tenantId, t.updatedAt),
  index('alerts_tenant_state').on(t.tenantId, t.state, t.triggeredAt),
  index('alerts_device').on(t.tenantId, t.deviceId, t.state),
]);

/** Every alert transition with its time. */
export const alertEvents = sqliteTable('alert_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  alertId: text('alert_id').notNull(),
  tenantId: text('tenant_id').notNull(),
  action: text('action').notNull(),
  severity: text('severity').notNull(),
  at: integer('at').notNull(),
  note: text('note'),
  /** Who took the step (`actorOf`: `key:<name>` or the token's subject); null for the evaluator. */
  actor: text('actor'),
}, (t) => [index('alert_events_alert').on(t.alertId, t.id)]);

/** Per-tenant settings documents (sla, reports, psa, oncall) as JSON. */
export const settings = sqliteTable('settings', {
  tenantId: text('tenant_id').notNull(),
  key: text('key').notNull(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.key] })]);

/**
 * Transactional outbox: every outbound call (ticket, page, mail) is written in the
 * transaction that caused it and delivered by the dispatcher. dedup_key makes a
 * second request for the same thing a no-op.
 */
export const outbox = sqliteTable('outbox', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  channel: text('channel').notNull(),
  kind: text('kind').notNull(),
  dedupKey: text('dedup_key').notNull(),
  payload: text('payload').notNull(),
  status: text('status').notNull(),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: integer('next_attempt_at').notNull(),
  claimedBy: text('claimed_by'),
  claimedUntil: integer('claimed_until'),
  lastError: text('last_error'),
  createdAt: integer('created_at').notNull(),
  deliveredAt: integer('delivered_at'),
  response: text('response'),
}, (t) => [
  uniqueIndex('outbox_dedup').on(t.tenantId, t.channel, t.dedupKey),
  index('outbox_due').on(t.status, t.nextAttemptAt),
  index('outbox_tenant_channel').on(t.tenantId, t.channel, t.status),
]);

/**
 * One PSA ticket decision per alert, ever: a ticket of its own, or (`ticket_ref`) a
 * note on, or reopening of, the device's earlier ticket of the same type.
 */
export const tickets = sqliteTable('tickets', {
  tenantId: text('tenant_id').notNull(),
  alertId: text('alert_id').notNull(),
  externalId: text('external_id'),
  ticketType: text('ticket_type').notNull(),
  priority: text('priority').notNull(),
  requestedAt: integer('requested_at').notNull(),
  resolvedAt: integer('resolved_at'),
  deviceId: text('device_id'),
  alertType: text('alert_type'),
  /** The alert whose ticket this alert continues (noted or reopened); null: its own ticket. */
  ticketRef: text('ticket_ref'),
  /** The newest failed job a note was added for. */
  lastFailureNotedAt: integer('last_failure_noted_at'),
}, (t) => [primaryKey({ columns: [t.tenantId, t.alertId] }), index('tickets_device_type').on(t.tenantId, t.deviceId, t.alertType, t.requestedAt)]);

/** One On-Call page per breach: keyed by device and breach start. */
export const pages = sqliteTable('pages', {
  tenantId: text('tenant_id').notNull(),
  dedupKey: text('dedup_key').notNull(),
  deviceId: text('device_id').notNull(),
  triggeredAt: integer('triggered_at').notNull(),
  resolvedAt: integer('resolved_at'),
}, (t) => [primaryKey({ columns: [t.tenantId, t.dedupKey] }), index('pages_device').on(t.tenantId, t.deviceId, t.resolvedAt)]);

/** Weekly e-mail: one row per tenant and ISO week, claimed before sending. */
export const weeklyReports = sqliteTable('weekly_reports', {
  tenantId: text('tenant_id').notNull(),
  weekKey: text('week_key').notNull(),
  slotAt: integer('slot_at').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.weekKey] })]);

/** Monthly client reports sent: the (tenant, client, month) key is the once-only claim. */
export const clientReports = sqliteTable('client_reports', {
  tenantId: text('tenant_id').notNull(),
  clientId: text('client_id').notNull(),
  monthKey: text('month_key').notNull(),
  slotAt: integer('slot_at').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.clientId, t.monthKey] })]);

/** Leases coordinate background work between BFF instances (sweeps, dispatch). */
export const leases = sqliteTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/** Change feed: every instance tails it to serve /stream, wherever the change happened. */
export const changes = sqliteTable('changes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  tenantId: text('tenant_id').notNull(),
  clientId: text('client_id'),
  event: text('event').notNull(),
  payload: text('payload').notNull(),
  at: integer('at').notNull(),
}, (t) => [
  index('changes_tenant').on(t.tenantId, t.id),
  index('changes_tenant_client').on(t.tenantId, t.clientId, t.id),
  index('changes_at').on(t.at),
]);

/**
 * Every e-mail report received, raw, for 30 days: deduplicated by Message-ID per
 * tenant (a second copy is a `duplicate` row without the raw message), with what the
 * parsers made of it. `jobs` is the JSON list of results read from it, each with the
 * device it matched (or why none did).
 */
export const inboundMail = sqliteTable('inbound_mail', {
  id: text('id').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  /** Message-ID, or `sha256:` of the raw message when it has none. */
  messageKey: text('message_key').notNull(),
  messageId: text('message_id'),
  /** Client id from a plus address (`{key}+{clientId}@…`). */
  clientId: text('client_id'),
  mailFrom: text('mail_from').notNull(),
  subject: text('subject').notNull(),
  receivedAt: integer('received_at').notNull(),
  /** parsed | unmatched | duplicate */
  state: text('state').notNull(),
  parser: text('parser'),
  reason: text('reason'),
  jobs: text('jobs').notNull().default('[]'),
  raw: blob('raw', { mode: 'buffer' }),
  sizeBytes: integer('size_bytes').notNull(),
  duplicateOf: text('duplicate_of'),
}, (t) => [
  uniqueIndex('inbound_mail_message').on(t.tenantId, t.messageKey).where(sql`state <> 'duplicate'`),
  index('inbound_mail_state').on(t.tenantId, t.state, t.receivedAt, t.id),
  index('inbound_mail_tenant_received').on(t.tenantId, t.receivedAt, t.id),
  index('inbound_mail_received').on(t.receivedAt),
]);

/**
 * Planned maintenance windows (docs/alert-workflow.md): `scope` is JSON `{clientId?, deviceIds?, policyId?}`,
 * `timing` JSON `{start, end}` (epoch ms) or `{weekly|monthly, timezone}`. `client_id`
 * copies `scope.clientId` so a client-scoped credential's list is one indexed filter.
 */
export const maintenanceWindows = sqliteTable('maintenance_windows', {
  tenantId: text('tenant_id').notNull(),
  id: text('id').notNull(),
  name: text('name').notNull(),
  scope: text('scope').notNull(),
  timing: text('timing').notNull(),
  clientId: text('client_id'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.id] })]);

/**
 * Silences (docs/alert-workflow.md, Alertmanager's model): `matchers` JSON `{clientId?, deviceId?, type?}`.
 * Kept after they end, for the record; "expire now" sets `ends_at`.
 */
export const silences = sqliteTable('silences', {
  tenantId: text('tenant_id').notNull(),
  id: text('id').notNull(),
  matchers: text('matchers').notNull(),
  clientId: text('client_id'),
  startsAt: integer('starts_at').notNull(),
  endsAt: integer('ends_at').notNull(),
  comment: text('comment').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('silences_ends').on(t.tenantId, t.endsAt)]);

/**
 * The discovery inbox (docs/ingest.md): devices that reported by ping (`?create=1`) before
 * anyone enrolled them. Their newest reports are held until a person approves the
 * device (enrol + replay) or ignores it; nothing is dropped silently.
 */
export const discoveredDevices = sqliteTable('discovered_devices', {
  tenantId: text('tenant_id').notNull(),
  slug: text('slug').notNull(),
  /** How it reported: `ping`. */
  source: text('source').notNull(),
  /** `pending` (waiting for a person) or `ignored`. */
  state: text('state').notNull(),
  firstSeenAt: integer('first_seen_at').notNull(),
  lastSeenAt: integer('last_seen_at').notNull(),
  pings: integer('pings').notNull(),
  /** JSON: the newest held ping actions, oldest first. */
  held: text('held').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.slug] })]);

/**
 * Devices with events stored but not yet folded and evaluated (docs/architecture.md, issue #19):
 * `POST /events` queues each device's new events here in the transaction that stores
 * them, and the drain (or any evaluation of the device) folds them into its state.
 * `marked_at` is the oldest pending mark: the evaluation lag. `events` holds one line
 * per batch, each a JSON array of that batch's events (see services/pending-events.ts);
 * `checkin_at` the newest queued check-in.
 */
export const evaluationQueue = sqliteTable('evaluation_queue', {
  tenantId: text('tenant_id').notNull(),
  deviceId: text('device_id').notNull(),
  markedAt: integer('marked_at').notNull(),
  events: text('events'),
  checkinAt: integer('checkin_at'),
}, (t) => [primaryKey({ columns: [t.tenantId, t.deviceId] }), index('evaluation_queue_marked').on(t.markedAt)]);

/** Offline episodes (docs/schedules.md): `[from_at, to_at)` a device was offline, recorded when a sign of life ended it; pending time in period reports. */
export const offlineEpisodes = sqliteTable('offline_episodes', {
  tenantId: text('tenant_id').notNull(),
  deviceId: text('device_id').notNull(),
  fromAt: integer('from_at').notNull(),
  toAt: integer('to_at').notNull(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.deviceId, t.fromAt] })]);
