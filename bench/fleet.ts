/**
 * Synthetic fleet for the benchmarks: tenants, clients, policies, devices with 7 days
 * of jobs at 4 a day, DR tests, storage reports, SaaS consent, and the alerts that
 * hold, written straight into a libSQL file with the `libsql` driver (reused
 * prepared statements, large transactions).
 *
 * The devices' persisted health is the product's own: each device's history is
 * folded with core `summarizeHistory`, then `evaluateHealth`, `evaluateSla`,
 * `evaluateAlerts` and core's `nextEvaluationAt` give the columns the evaluator
 * would have written (same columns as bff/services/evaluator.ts UPDATE_SQL).
 *
 * Layout for N devices: one big tenant (40 % of N, clients of 100 devices) for the hot
 * read path, one "widget" tenant (min(10k, 25 % of N)) for the widget timing, and 200
 * small tenants sharing the rest (5 clients each).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  DEFAULT_SLA,
  effectiveQuota,
  evaluateAlerts,
  evaluateHealth,
  evaluateSla,
  nextEvaluationAt,
  summarizeHistory,
  type DeviceKind,
  type DeviceProfile,
  type HistoryEvent,
} from '../core/index.ts';
import { openDatabase } from '../bff/db/client.ts';
import { encodeDeviceState } from '../bff/db/device-state.ts';
import { migrate } from '../bff/db/migrate.ts';
import { API_KEY_PREFIX, sha256 } from '../bff/services/credentials.ts';
import { DAY, HOUR, openNative, pad, random, tick, type Native } from './lib/util.ts';

export interface TenantInfo {
  id: string;
  name: string;
  devices: number;
  clients: number;
  /** Device ids are `${id}-d${pad(index, 6)}` for index < devices. */
  adminKey: string;
}

export interface FleetInfo {
  path: string;
  devices: number;
  /** The instant the persisted state was evaluated at; the newest generated job ends 15 min before. */
  now: number;
  big: TenantInfo;
  widget: TenantInfo;
  small: TenantInfo[];
  rows: { jobs: number; drTests: number; storageReports: number; consentEvents: number; alerts: number; devices: number };
  seconds: number;
  /** Rows written per second, all tables. */
  rowsPerSecond: number;
}

export const SMALL_TENANTS = 200;
export const JOBS_PER_DAY = 4;
export const HISTORY_DAYS = 7;

export const deviceId = (tenant: string, index: number) => `${tenant}-d${pad(index, 6)}`;
export const clientId = (tenant: string, index: number) => `${tenant}-c${pad(index, 4)}`;
/** The client a device belongs to (devices are spread round-robin over the clients). */
export const clientOf = (tenant: TenantInfo, deviceIndex: number) => clientId(tenant.id, deviceIndex % tenant.clients);

function layout(total: number, shape: FleetShape): { id: string; name: string; devices: number; clients: number }[] {
  // The period report's fleet: one tenant of every device (clients of 100 devices).
  if (shape === 'one-tenant') return [{ id: 'big', name: 'Big MSP', devices: total, clients: Math.max(1, Math.round(total / 100)) }];
  const big = Math.round(total * 0.4);
  const widget = Math.min(10_000, Math.round(total * 0.25));
  const rest = total - big - widget;
  const tenants = [
    { id: 'big', name: 'Big MSP', devices: big, clients: Math.max(1, Math.round(big / 100)) },
    { id: 'wid', name: 'Widget MSP', devices: widget, clients: Math.max(1, Math.round(widget / 100)) },
  ];
  for (let i = 0; i < SMALL_TENANTS; i++) {
    const devices = Math.floor(rest / SMALL_TENANTS) + (i < rest % SMALL_TENANTS ? 1 : 0);
    tenants.push({ id: `s${pad(i, 3)}`, name: `Small MSP ${i + 1}`, devices, clients: 5 });
  }
  return tenants;
}

const KINDS: readonly DeviceKind[] = ['workstation', 'workstation', 'workstation', 'workstation', 'workstation', 'workstation', 'server', 'server', 'server', 'saas'];
const QUOTA: Record<DeviceKind, number> = { workstation: 500e9, server: 2e12, saas: 1e12 };
const FAIL_MESSAGES = ['VSS snapshot failed', 'Destination unreachable', 'Agent timed out', 'Disk read error'];

/** `mixed`: the big, widget and small tenants (every benchmark but one); `one-tenant`: all devices in one. */
export type FleetShape = 'mixed' | 'one-tenant';

export interface GenerateOptions {
  path: string;
  devices: number;
  shape?: FleetShape;
  /** Days of job history (default HISTORY_DAYS); storage reports cover at most HISTORY_DAYS. */
  historyDays?: number;
  /** Jobs a day on the fleet's policy (default JOBS_PER_DAY). */
  jobsPerDay?: number;
  seed?: number;
  /** Evaluation instant (default: now, to the minute). */
  now?: number;
  log?: (message: string) => void;
}

/**
 * Writes the fleet into a new database at `path` (an existing file is replaced).
 * Migrations come from the product (bff/db/migrate.ts); indexes of the bulk tables are
 * dropped during the load and rebuilt after it (the same SQL, read from sqlite_master).
 */
export async function generateFleet(options: GenerateOptions): Promise<FleetInfo> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const now = options.now ?? Math.floor(Date.now() / 60_000) * 60_000;
  const historyEnd = now - 15 * 60_000;
  const rnd = random(options.seed ?? 42);
  const historyDays = options.historyDays ?? HISTORY_DAYS;
  const jobsPerDay = options.jobsPerDay ?? JOBS_PER_DAY;
  const intervalHours = 24 / jobsPerDay;
  mkdirSync(dirname(options.path), { recursive: true });
  removeFleet(options.path);

  // Schema through the product's migrations.
  const portDb = openDatabase({ url: `file:${options.path}` });
  await migrate(portDb);
  await portDb.close();

  const db = openNative(options.path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = OFF');
  db.exec('PRAGMA cache_size = -262144');
  db.exec('PRAGMA temp_store = MEMORY');

  const bulkTables = ['jobs', 'storage_reports', 'dr_tests', 'alerts', 'alert_events', 'devices'];
  const deferred = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${bulkTables.map(() => '?').join(', ')})`)
    .all(...bulkTables) as { name: string; sql: string }[];
  for (const { name } of deferred) db.exec(`DROP INDEX "${name}"`);

  const ins = {
    tenant: db.prepare('INSERT INTO tenants (id, name, timezone, token_secret, created_at) VALUES (?, ?, ?, ?, ?)'),
    key: db.prepare('INSERT INTO api_keys (id, tenant_id, name, key_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
    client: db.prepare('INSERT INTO clients (tenant_id, id, name, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
    policy: db.prepare('INSERT INTO policies (tenant_id, id, name, interval_hours, updated_at) VALUES (?, ?, ?, ?, ?)'),
    // ping_slug is given (the default, lower(id)) so the enrolment trigger, which looks for a
    // taken slug through an index dropped during the load, does not scan the table per row.
    device: db.prepare(`INSERT INTO devices (tenant_id, id, client_id, name, kind, policy_id, quota_bytes, enrolled_at, retired_at, updated_at,
      state, status, score, last_success_at, last_job_status, consecutive_failures, used_bytes, effective_quota_bytes, health, sla_state,
      sla_breach_since, evaluated_at, next_check_at, ping_slug) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, lower(?2))`),
    job: db.prepare(`INSERT INTO jobs (tenant_id, id, device_id, status, started_at, ended_at, bytes, message, log_url, received_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`),
    dr: db.prepare('INSERT INTO dr_tests (tenant_id, id, device_id, at, result, message) VALUES (?, ?, ?, ?, ?, ?)'),
    storage: db.prepare('INSERT INTO storage_reports (tenant_id, device_id, at, used_bytes, quota_bytes) VALUES (?, ?, ?, ?, NULL)'),
    consent: db.prepare('INSERT INTO consent_events (tenant_id, device_id, at, state) VALUES (?, ?, ?, ?)'),
    alert: db.prepare(`INSERT INTO alerts (id, tenant_id, device_id, client_id, type, severity, state, triggered_at, updated_at, reason,
      recommended_action) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)`),
    alertEvent: db.prepare('INSERT INTO alert_events (alert_id, tenant_id, action, severity, at, note) VALUES (?, ?, ?, ?, ?, ?)'),
  };

  const rows = { jobs: 0, drTests: 0, storageReports: 0, consentEvents: 0, alerts: 0, devices: 0 };
  const tenants: TenantInfo[] = [];
  let written = 0;
  let inTransaction = false;
  const begin = () => {
    db.exec('BEGIN');
    inTransaction = true;
  };
  const commit = () => {
    db.exec('COMMIT');
    inTransaction = false;
  };

  begin();
  for (const spec of layout(options.devices, options.shape ?? 'mixed')) {
    const adminKey = `${API_KEY_PREFIX}bench_${spec.id}_${randomUUID().replaceAll('-', '')}`;
    ins.tenant.run(spec.id, spec.name, 'UTC', randomUUID(), now - 60 * DAY);
    ins.key.run(`key-${spec.id}`, spec.id, 'bench admin', sha256(adminKey), JSON.stringify(['admin']), now - 60 * DAY);
    for (let c = 0; c < spec.clients; c++) ins.client.run(spec.id, clientId(spec.id, c), `${spec.name} client ${pad(c + 1, 4)}`, null, now - 60 * DAY, now - 60 * DAY);
    ins.policy.run(spec.id, 'every-6h', `Every ${intervalHours} h`, intervalHours, now - 60 * DAY);
    tenants.push({ ...spec, adminKey });
  }
  commit();

  const total = options.devices;
  let done = 0;
  let lastLog = performance.now();
  begin();
  for (const tenant of tenants) {
    for (let i = 0; i < tenant.devices; i++) {
      written += writeDevice(tenant, i);
      done++;
      if (written >= 50_000) {
        commit();
        written = 0;
        await tick();
        if (performance.now() - lastLog > 3000) {
          lastLog = performance.now();
          const rate = (rows.jobs + rows.storageReports) / ((performance.now() - started) / 1000);
          log(`fleet ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} devices, ${rows.jobs.toLocaleString('en-US')} jobs (${Math.round(rate).toLocaleString('en-US')} rows/s)`);
        }
        begin();
      }
    }
  }
  if (inTransaction) commit();

  log(`fleet rows written; rebuilding ${deferred.length} indexes`);
  for (const { sql } of deferred) {
    db.exec(sql);
    await tick();
  }
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();

  const seconds = (performance.now() - started) / 1000;
  const allRows = rows.jobs + rows.drTests + rows.storageReports + rows.consentEvents + rows.alerts * 2 + rows.devices;
  const [big, widget, ...small] = tenants;
  const info: FleetInfo = { path: options.path, devices: total, now, big: big!, widget: widget ?? big!, small, rows, seconds, rowsPerSecond: allRows / seconds };
  writeFileSync(`${options.path}.json`, JSON.stringify(info));
  return info;

  /** Writes one device and its history; returns the rows written. */
  function writeDevice(tenant: TenantInfo, index: number): number {
    const id = deviceId(tenant.id, index);
    const client = clientOf(tenant, index);
    const kind = KINDS[index % KINDS.length]!;
    const profile: DeviceProfile = { kind, intervalHours, quotaBytes: QUOTA[kind] };
    const events: HistoryEvent[] = [];
    let count = 0;

    // Archetypes: new (no jobs yet), stale (stopped reporting), failing (a streak), late (missed runs), normal.
    const roll = rnd.next();
    const archetype = roll < 0.01 ? 'new' : roll < 0.04 ? 'stale' : roll < 0.08 ? 'failing' : roll < 0.11 ? 'late' : 'normal';
    const enrolledAt = archetype === 'new' ? now - rnd.int(1, 20) * HOUR : now - rnd.int(30, 400) * DAY;
    const lastAllowed = archetype === 'stale' ? now - rnd.int(30, 96) * HOUR : archetype === 'late' ? now - rnd.int(8, 11) * HOUR : historyEnd;
    const streak = archetype === 'failing' ? rnd.int(1, 5) : 0;

    if (archetype !== 'new') {
      const phase = rnd.int(0, intervalHours * 60 - 1) * 60_000;
      const first = now - historyDays * DAY + phase;
      const slots: { startedAt: number; endedAt: number }[] = [];
      for (let k = 0; k < historyDays * jobsPerDay; k++) {
        const startedAt = first + k * intervalHours * HOUR;
        const endedAt = startedAt + rnd.int(5, 45) * 60_000;
        if (endedAt <= lastAllowed) slots.push({ startedAt, endedAt });
      }
      for (let k = 0; k < slots.length; k++) {
        const { startedAt, endedAt } = slots[k]!;
        const inStreak = k >= slots.length - streak;
        const r = rnd.next();
        const status = inStreak ? 'failed' : r < 0.004 ? 'failed' : r < 0.03 ? 'warning' : 'success';
        const message = status === 'failed' ? rnd.pick(FAIL_MESSAGES) : status === 'warning' ? 'Some files were skipped' : null;
        ins.job.run(tenant.id, `${id}-j${k}`, id, status, startedAt, endedAt, status === 'failed' ? 0 : rnd.int(1e6, 5e9), message, endedAt + 5_000);
        events.push({ type: 'job', status, startedAt, endedAt });
        count++;
      }
      rows.jobs += slots.length;
    }

    // Storage: one report a day; 2 % of devices near or over quota.
    const quota = profile.quotaBytes!;
    let ratio = rnd.chance(0.02) ? 0.93 + rnd.next() * 0.1 : 0.2 + rnd.next() * 0.55;
    if (archetype !== 'new') {
      for (let d = Math.min(historyDays, HISTORY_DAYS); d >= 1; d--) {
        const at = now - d * DAY + 2 * HOUR;
        if (at > lastAllowed) break;
        const usedBytes = Math.round(quota * ratio);
        ratio *= 1.002;
        ins.storage.run(tenant.id, id, at, usedBytes);
        events.push({ type: 'storage', at, usedBytes, quotaBytes: null });
        count++;
        rows.storageReports++;
      }
    }

    // DR tests: every server, 10 % of the rest; 7 % fail.
    if (archetype !== 'new' && (kind === 'server' || rnd.chance(0.1))) {
      const at = Math.min(lastAllowed, now - rnd.int(1, 80) * DAY);
      const result = rnd.chance(0.07) ? 'failed' : 'passed';
      ins.dr.run(tenant.id, `${id}-dr1`, id, at, result, result === 'failed' ? 'Boot verification failed' : null);
      events.push({ type: 'dr_test', at, result });
      count++;
      rows.drTests++;
    }

    // SaaS consent: granted at enrolment, 2 % expired since.
    if (kind === 'saas') {
      ins.consent.run(tenant.id, id, enrolledAt + HOUR, 'ok');
      events.push({ type: 'saas_consent', at: enrolledAt + HOUR, state: 'ok' });
      count++;
      rows.consentEvents++;
      if (archetype !== 'new' && rnd.chance(0.02)) {
        const at = now - rnd.int(2, 48) * HOUR;
        ins.consent.run(tenant.id, id, at, 'expired');
        events.push({ type: 'saas_consent', at, state: 'expired' });
        count++;
        rows.consentEvents++;
      }
    }

    // The persisted state, as the product computes it.
    const state = summarizeHistory(enrolledAt, events);
    const health = evaluateHealth(profile, state, now);
    const slaHours = DEFAULT_SLA;
    const sla = evaluateSla(kind, state, slaHours, now);
    const next = nextEvaluationAt({ device: profile, state, sla: slaHours }, now);
    ins.device.run(
      tenant.id, id, client, `${kind === 'server' ? 'SRV' : kind === 'saas' ? 'M365' : 'WS'}-${pad(index, 6)}`, kind, 'every-6h', quota, enrolledAt, now,
      encodeDeviceState(state), health.status, health.score, state.lastSuccessAt, state.lastJobStatus, state.consecutiveFailures,
      state.storage?.usedBytes ?? null, effectiveQuota(profile, state), null,
      sla.state, sla.breachSince, now, next,
    );
    rows.devices++;
    count++;

    for (const transition of evaluateAlerts({ device: profile, state, sla: slaHours, active: [] }, now)) {
      if (transition.action !== 'open') continue;
      const alertId = randomUUID();
      ins.alert.run(alertId, tenant.id, id, client, transition.type, transition.severity, transition.triggeredAt, now, transition.reason, transition.recommendedAction);
      ins.alertEvent.run(alertId, tenant.id, 'opened', transition.severity, now, transition.reason);
      rows.alerts++;
      count += 2;
    }
    return count;
  }
}

/** Deletes a fleet database and its WAL files. */
export function removeFleet(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '.json']) if (existsSync(path + suffix)) rmSync(path + suffix);
}

/** A fleet kept by an earlier run (`--keep`), when its database and description are there. */
export function loadFleet(path: string): FleetInfo | null {
  if (!existsSync(path) || !existsSync(`${path}.json`)) return null;
  return JSON.parse(readFileSync(`${path}.json`, 'utf8')) as FleetInfo;
}

/** Rows per table, for the summary. */
export function countRows(db: Native, table: string): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}
