/**
 * The per-device view: the list reads the health columns the evaluator persisted
 * (never recomputes) with one keyset-paginated statement per page; the detail adds
 * history, SLA and open alerts.
 */
import type { DeviceDetail, DeviceListItem, DrTestItem, JobItem, Page } from '../../core/api.ts';
import { evaluateHealth } from '../../core/health.ts';
import { evaluateSla } from '../../core/sla.ts';
import type { ComponentName, DeviceKind, DeviceProfile, DeviceState, DrTestResult, HealthStatus, JobStatus, ScoreComponent } from '../../core/types.ts';
import type { SqlExecutor, SqlValue } from '../db/client.ts';
import { decodeDeviceState } from '../db/device-state.ts';
import { slaHoursForClient } from './compliance.ts';
import { decodeCursor, encodeCursor, invalidCursor } from './cursor.ts';
import { recentJobsOf, RUN_JOBS_LIMIT, SCHEDULE_COLUMNS, scheduleProfile, scheduleView, type ScheduleRow } from './device-schedule-view.ts';
import { withMaintenance, withSilencedBy } from './quiet-views.ts';
import type { SettingsStore } from './settings-store.ts';
import {
  ALERT_ITEM_COLUMNS,
  ALERT_JOINS,
  DEVICE_ITEM_COLUMNS,
  DEVICE_JOINS,
  iso,
  toAlertItem,
  toDeviceItem,
  type AlertItemRow,
  type DeviceItemRow,
} from './views.ts';

export const DEVICE_SORTS = ['score', 'name', 'lastSuccessAt', 'storage', 'status', 'client', 'kind', 'policy'] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/**
 * Sort keys. Nullable keys sort NULL first ascending and last descending (SQLite's
 * order, which the indexes share). Status sorts worst first: critical, warning,
 * unknown, healthy.
 */
const SORT_KEYS: Record<DeviceSort, { expression: string; type: 'number' | 'string'; nullable: boolean }> = {
  score: { expression: 'd.score', type: 'number', nullable: false },
  name: { expression: 'd.name', type: 'string', nullable: false },
  lastSuccessAt: { expression: 'd.last_success_at', type: 'number', nullable: true },
  storage: { expression: 'd.used_bytes', type: 'number', nullable: true },
  // Each key has an index that the list walks in order (migration 8): the status rank is
  // an indexed expression, written here exactly as there; client and policy names are
  // kept on the device row by triggers (COALESCE(name, id)).
  status: { expression: "CASE d.status WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 WHEN 'unknown' THEN 2 ELSE 3 END", type: 'number', nullable: false },
  client: { expression: 'd.client_sort', type: 'string', nullable: false },
  kind: { expression: 'd.kind', type: 'string', nullable: false },
  policy: { expression: 'd.policy_sort', type: 'string', nullable: false },
};

export interface DeviceListQuery {
  client?: string;
  status?: readonly HealthStatus[];
  kind?: readonly DeviceKind[];
  /** Case-insensitive substring of the name or id. */
  q?: string;
  sort: DeviceSort;
  order: SortOrder;
  limit: number;
  cursor?: string;
  /** `schedule`: the schedule fields (decodes each row's state); `runs`: those and the last 14 runs (one more statement: the page's recent jobs). */
  include?: readonly ('schedule' | 'runs')[];
}

type CursorShape = 'none' | 'value' | 'null';

/**
 * How a page of one client's devices is found when sorted by anything but score (score has
 * a per-client index). 'walk': along the sort key's tenant-wide index, skipping other
 * clients' devices — about 50 × tenant/client rows, each a table read. 'sort-client': read
 * the client's devices (by the client index) and sort them — about `client` rows. A small
 * client of a large tenant takes the second (measured: a client of 100 in a tenant of
 * 4,000, 0.3–1.2 ms → 0.2 ms per page; at 40,000 the walk is ten times longer), a client
 * holding much of its tenant the first; the crossover is near client² = 16 × tenant.
 */
export type ListPlan = 'walk' | 'sort-client';

export function listPlan(clientDevices: number, tenantDevices: number): ListPlan {
  return clientDevices * clientDevices <= 16 * tenantDevices ? 'sort-client' : 'walk';
}

// Client and tenant sizes for the choice, from the trigger-kept rollups, held a minute per
// client (they only steer the plan: a stale size costs time, never a wrong page).
const SIZES_SQL = `SELECT (SELECT total FROM client_rollups WHERE tenant_id = ?1 AND client_id = ?2) AS client,
  (SELECT SUM(total) FROM client_rollups WHERE tenant_id = ?1) AS tenant`;
const SIZES_TTL_MS = 60_000;
const SIZES_ENTRIES = 10_000;
const plansByDatabase = new WeakMap<SqlExecutor, Map<string, { plan: ListPlan; until: number }>>();

async function clientPlan(db: SqlExecutor, tenantId: string, clientId: string, now: number): Promise<ListPlan> {
  let plans = plansByDatabase.get(db);
  if (!plans) plansByDatabase.set(db, (plans = new Map()));
  const key = `${tenantId}\u0000${clientId}`;
  const held = plans.get(key);
  if (held && held.until > now) return held.plan;
  const sizes = await db.get<{ client: number | null; tenant: number | null }>(SIZES_SQL, [tenantId, clientId]);
  const plan = listPlan(Number(sizes?.client ?? 0), Number(sizes?.tenant ?? 0));
  if (plans.size >= SIZES_ENTRIES) plans.clear();
  plans.set(key, { plan, until: now + SIZES_TTL_MS });
  return plan;
}

// The client's name is the one the device row keeps for the client sort (client_sort, kept by
// triggers as COALESCE(name, id), the name the item shows): one join fewer per row, ~15 % of
// the page statement. A search (it matches the client's name) and the schedule fields (the
// client's timezone) still join clients.
const LIST_COLUMNS = DEVICE_ITEM_COLUMNS.replace('c.name AS client_name', 'd.client_sort AS client_name');
const LIST_JOINS = 'LEFT JOIN policies p ON p.tenant_id = d.tenant_id AND p.id = d.policy_id';

/** The statement for one shape of filters and sort: built once, then reused (prepared-statement cache). Exported for the query-plan test. */
const statements = new Map<string, string>();

export function listStatement(
  client: boolean,
  statuses: number,
  kinds: number,
  search: boolean,
  sort: DeviceSort,
  order: SortOrder,
  cursor: CursorShape,
  withSchedule = false,
  plan: ListPlan = 'walk',
): string {
  const shape = `${+client}|${statuses}|${kinds}|${+search}|${sort}|${order}|${cursor}|${+withSchedule}|${plan}`;
  let sql = statements.get(shape);
  if (sql) return sql;
  const { expression } = SORT_KEYS[sort];
  const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  const where = ['d.tenant_id = ?', 'd.retired_at IS NULL'];
  if (client) where.push('d.client_id = ?');
  if (statuses) where.push(`d.status IN (${marks(statuses)})`);
  if (kinds) where.push(`d.kind IN (${marks(kinds)})`);
  // A search matches the device's name or id, or its client's name ("Contoso" finds Contoso's devices).
  if (search) where.push("(d.name LIKE ? ESCAPE '\\' OR d.id LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\')");
  const after = order === 'asc' ? '>' : '<';
  // Keyset: rows strictly after (key, id) in the list order; NULL keys come first ascending.
  if (cursor === 'value') {
    where.push(order === 'asc' || !SORT_KEYS[sort].nullable ? `(${expression}, d.id) ${after} (?, ?)` : `((${expression}, d.id) < (?, ?) OR ${expression} IS NULL)`);
  } else if (cursor === 'null') {
    where.push(order === 'asc' ? `((${expression} IS NULL AND d.id > ?) OR ${expression} IS NOT NULL)` : `(${expression} IS NULL AND d.id < ?)`);
  }
  // The state is the row's largest column: read only when the schedule fields are asked for.
  // has_windows (evaluated once per statement) spares the tenants without maintenance windows
  // (most) a second statement for them; its parameter is the first (the tenant).
  // `+` keeps SQLite from walking the sort key's index (see ListPlan).
  const orderBy = `${plan === 'sort-client' ? '+' : ''}${expression} ${order.toUpperCase()}, d.id ${order.toUpperCase()}`;
  sql = `SELECT ${LIST_COLUMNS}, EXISTS (SELECT 1 FROM maintenance_windows w WHERE w.tenant_id = ?) AS has_windows, ${withSchedule ? `${SCHEDULE_COLUMNS}, ` : ''}${expression} AS sort_key FROM devices d ${search || withSchedule ? DEVICE_JOINS : LIST_JOINS}
    WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ?`;
  statements.set(shape, sql);
  return sql;
}

type ListRow = DeviceItemRow & ScheduleRow & { state: string; enrolled_at: number; sort_key: string | number | null; has_windows: number };

/** `%` and `_` match themselves in a search. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/**
 * One page of the tenant's active devices. `scopeClientId` (a client-scoped token)
 * restricts the list to that client whatever the query asks. An invalid cursor is a
 * 400 problem.
 */
export async function listDevices(db: SqlExecutor, tenantId: string, scopeClientId: string | null, query: DeviceListQuery, now: number): Promise<Page<DeviceListItem>> {
  const client = scopeClientId ?? query.client ?? null;
  if (scopeClientId && query.client && query.client !== scopeClientId) return { items: [], nextCursor: null };
  const statuses = [...new Set(query.status ?? [])];
  const kinds = [...new Set(query.kind ?? [])];
  const search = query.q ? likePattern(query.q) : null;
  const sortName = `${query.sort}:${query.order}`;

  let cursorShape: CursorShape = 'none';
  const cursorArgs: SqlValue[] = [];
  if (query.cursor) {
    const [key, id] = decodeCursor(query.cursor, sortName, 2);
    const spec = SORT_KEYS[query.sort];
    if (typeof id !== 'string' || (key === null ? !spec.nullable : typeof key !== spec.type)) throw invalidCursor();
    cursorShape = key === null ? 'null' : 'value';
    cursorArgs.push(...(key === null ? [id] : [key, id]));
  }

  const withRuns = query.include?.includes('runs') ?? false;
  const withSchedule = withRuns || (query.include?.includes('schedule') ?? false);
  const plan = client !== null && query.sort !== 'score' ? await clientPlan(db, tenantId, client, now) : 'walk';
  const sql = listStatement(client !== null, statuses.length, kinds.length, search !== null, query.sort, query.order, cursorShape, withSchedule, plan);
  const args: SqlValue[] = [tenantId, tenantId];
  if (client !== null) args.push(client);
  args.push(...statuses, ...kinds);
  if (search !== null) args.push(search, search, search);
  args.push(...cursorArgs, query.limit + 1);

  const rows = await db.all<ListRow>(sql, args);
  const more = rows.length > query.limit;
  if (more) rows.length = query.limit;
  const last = rows[rows.length - 1];
  // The page's jobs in one statement, the schedule fields by the detail's own derivation.
  const [items, jobs] = await Promise.all([
    rows[0]?.has_windows ? withMaintenance(db, tenantId, rows.map(toDeviceItem), now) : rows.map(toDeviceItem),
    withRuns ? recentJobsOf(db, tenantId, rows.map((row) => row.id)) : null,
  ]);
  const schedules: Parameters<typeof scheduleProfile>[1] = new Map();
  return {
    items: items.map((item, index) => {
      if (!withSchedule) return item;
      const row = rows[index]!;
      const state = decodeDeviceState(row.state);
      return { ...item, ...scheduleView(scheduleProfile(row, schedules), state, jobs ? (jobs.get(row.id) ?? []) : null, row.enrolled_at, now).fields };
    }),
    nextCursor: more && last ? encodeCursor({ sort: sortName, values: [last.sort_key, last.id] }) : null,
  };
}

// ---------------------------------------------------------------- detail

/** How much history the detail view carries. */
export const DETAIL_LIMITS = { jobs: RUN_JOBS_LIMIT, drTests: 20, storageReports: 90 } as const;

const DETAIL_SQL = `SELECT ${DEVICE_ITEM_COLUMNS}, d.enrolled_at, d.retired_at, d.retired_reason, d.ping_slug, d.health, d.state, d.quota_bytes, d.evaluated_at,
  p.schedule AS policy_schedule, c.timezone AS client_timezone FROM devices d ${DEVICE_JOINS} WHERE d.tenant_id = ? AND d.id = ?`;
const JOBS_SQL = `SELECT id, status, started_at, ended_at, bytes, message, log_url, recorded_by, note FROM jobs
  WHERE tenant_id = ? AND device_id = ? ORDER BY started_at DESC, id DESC LIMIT ?`;
const DR_TESTS_SQL = `SELECT id, at, result, message FROM dr_tests WHERE tenant_id = ? AND device_id = ? ORDER BY at DESC, id DESC LIMIT ?`;
const STORAGE_SQL = `SELECT at, used_bytes, quota_bytes FROM (SELECT at, used_bytes, quota_bytes FROM storage_reports
  WHERE tenant_id = ? AND device_id = ? ORDER BY at DESC LIMIT ?) ORDER BY at`;
const OPEN_ALERTS_SQL = `SELECT ${ALERT_ITEM_COLUMNS} FROM alerts a ${ALERT_JOINS}
  WHERE a.tenant_id = ? AND a.device_id = ? AND a.state <> 'resolved' ORDER BY a.triggered_at DESC, a.id`;

interface DetailRow extends DeviceItemRow {
  enrolled_at: number;
  retired_at: number | null;
  retired_reason: string | null;
  ping_slug: string | null;
  health: string | null;
  state: string;
  quota_bytes: number | null;
  evaluated_at: number;
  policy_schedule: string | null;
  client_timezone: string | null;
}

/**
 * A device with its score components, reasons, SLA state at `now`, recent history and
 * active alerts; retired devices still answer. Null when it does not exist in the
 * tenant or lies outside the token's client.
 */
export async function getDeviceDetail(
  db: SqlExecutor,
  settings: SettingsStore,
  tenantId: string,
  scopeClientId: string | null,
  deviceId: string,
  now: number,
): Promise<DeviceDetail | null> {
  const row = await db.get<DetailRow>(DETAIL_SQL, [tenantId, deviceId]);
  if (!row || (scopeClientId !== null && row.client_id !== scopeClientId)) return null;
  const state = decodeDeviceState(row.state);
  const [jobs, drTests, storage, alerts, sla] = await Promise.all([
    db.all<{ id: string; status: JobStatus; started_at: number; ended_at: number | null; bytes: number | null; message: string | null; log_url: string | null; recorded_by: string | null; note: string | null }>(
      JOBS_SQL,
      [tenantId, deviceId, DETAIL_LIMITS.jobs],
    ),
    db.all<{ id: string; at: number; result: DrTestResult; message: string | null }>(DR_TESTS_SQL, [tenantId, deviceId, DETAIL_LIMITS.drTests]),
    db.all<{ at: number; used_bytes: number; quota_bytes: number | null }>(STORAGE_SQL, [tenantId, deviceId, DETAIL_LIMITS.storageReports]),
    db.all<AlertItemRow>(OPEN_ALERTS_SQL, [tenantId, deviceId]),
    settings.get(tenantId, 'sla'),
  ]);
  const profile = scheduleProfile(row);
  const runJobs = jobs.map((job) => ({ id: job.id, status: job.status, startedAt: job.started_at, endedAt: job.ended_at }));
  const { fields, position } = scheduleView(profile, state, runJobs, row.enrolled_at, now);
  const slaState = evaluateSla(row.kind, state, slaHoursForClient(sla, row.client_id), now, position);
  const [item] = await withMaintenance(db, tenantId, [toDeviceItem(row)], now);
  return {
    ...item!,
    ...fields,
    runs: fields.runs ?? [],
    enrolledAt: iso(row.enrolled_at)!,
    retiredAt: iso(row.retired_at),
    retiredReason: row.retired_reason,
    pingSlug: row.ping_slug,
    ...healthOf(row, profile, state, now),
    evaluatedAt: iso(healthInstant(row, now))!,
    sla: { state: slaState.state, maxHours: slaState.maxHours, breachSince: iso(slaState.breachSince) },
    jobs: jobs.map(
      (job): JobItem => ({
        id: job.id,
        status: job.status,
        startedAt: iso(job.started_at)!,
        endedAt: iso(job.ended_at),
        bytes: job.bytes,
        message: job.message,
        logUrl: job.log_url,
        source: job.recorded_by === null ? 'agent' : 'manual',
        recordedBy: job.recorded_by,
        note: job.note,
      }),
    ),
    drTests: drTests.map((test): DrTestItem => ({ id: test.id, at: iso(test.at)!, result: test.result, message: test.message })),
    storageHistory: storage.map((report) => ({ at: iso(report.at)!, usedBytes: report.used_bytes, quotaBytes: report.quota_bytes })),
    openAlerts: await withSilencedBy(db, tenantId, alerts.map(toAlertItem), now),
  };
}

/** The instant the detail's health describes: its last evaluation (now for a device never evaluated). */
const healthInstant = (row: DetailRow, now: number): number => (row.evaluated_at > 0 ? row.evaluated_at : now);

/**
 * Components and reasons as of the device's last evaluation: core's evaluateHealth over
 * the persisted profile and state at `evaluated_at` gives exactly what the evaluator saw
 * (and what the list columns show) without storing it; a device not evaluated yet gets
 * core's evaluation of its stored state now. A detail stored by an older version (the
 * `health` column, cleared by every evaluation since) is shown as stored.
 */
function healthOf(row: DetailRow, profile: DeviceProfile, state: DeviceState, now: number): { components: Record<ComponentName, ScoreComponent>; reasons: string[] } {
  if (row.health) {
    const stored = JSON.parse(row.health) as { components?: Record<ComponentName, ScoreComponent>; reasons?: string[] };
    if (stored.components) return { components: stored.components, reasons: stored.reasons ?? [] };
  }
  const health = evaluateHealth(profile, state, healthInstant(row, now));
  return { components: health.components, reasons: health.reasons };
}
