/**
 * SLA compliance over a period, from the job history: the database hands each device's
 * successes over as spans (runs of successes no gap of which exceeds the device's SLA
 * window, found with window functions), and core's `periodCompliance` turns them into
 * meeting and breach time. A quarter of imported history reports correctly at once.
 *
 * The work is chunked by device (a transaction-free read per chunk and a turn of the
 * event loop between chunks), so a tenant of 100k devices never holds the loop for long.
 */
import { combinePeriods, hoursOf, periodCompliance, type PeriodCompliance, type PeriodComplianceInput, type SuccessSpan } from '../../core/compliance-period.ts';
import { maintenanceRanges, windowsInPeriod, type MaintenanceScope, type MaintenanceSubject, type MaintenanceWindow } from '../../core/maintenance.ts';
import { maxHoursFor } from '../../core/sla.ts';
import { LOCAL_DAY_PATTERN, localDaysPeriod, reportPeriod, type ReportPeriodName } from '../../core/report-period.ts';
import { compiledScheduleOf } from '../../core/schedule-compiled.ts';
import { schedulePosition } from '../../core/schedule-position.ts';
import type { Interval } from '../../core/compliance-period.ts';
import { decodeDeviceState } from '../db/device-state.ts';
import { DAY, HOUR, type DeviceKind, type Instant, type SlaHours } from '../../core/types.ts';
import { notFound, unprocessable } from '../http/problem.ts';
import type { SqlExecutor } from '../db/client.ts';
import { slaHoursForClient } from './compliance.ts';
import { loadTenantMutes } from './mutes.ts';
import type { SettingsStore } from './settings-store.ts';
import { scheduleProfile, type ScheduleRow } from './device-schedule-view.ts';
import { iso } from './views.ts';

/** Devices per chunk: one spans query each. */
const CHUNK = 500;
/** A job that ran longer than a week is not looked for when it ended inside the period. */
const MAX_JOB_MS = 7 * 24 * HOUR;

export interface PeriodDevice {
  device: { id: string; name: string; kind: DeviceKind };
  client: { id: string; name: string };
  maxHours: number;
  meetingPct: number | null;
  breachHours: number;
  /** Hours of the period the device spent in maintenance windows: counted neither as meeting nor as breach. */
  maintenanceHours: number;
  breaches: { from: string; to: string | null; hours: number; maintenanceHours: number }[];
}

/** A maintenance window that took time out of the period for devices in the report (an auditor sees what was excluded, and when the window was created). */
export interface PeriodMaintenance {
  id: string;
  name: string;
  scope: MaintenanceScope;
  /** When the window was created: a window created after the time it covers was backdated. */
  createdAt: string;
  /** Its occurrences while a device of the report it covers was counted, clipped to the period. */
  spans: { from: string; to: string; hours: number }[];
  hours: number;
}

export interface PeriodClient {
  id: string;
  name: string;
  meetingPct: number | null;
  devices: number;
  devicesWithBreach: number;
}

export interface PeriodReport {
  from: string;
  to: string;
  period: ReportPeriodName | null;
  timezone: string;
  client: { id: string; name: string } | null;
  /** The SLA rules used: those in force now (rules are not versioned). */
  rules: { tenant: SlaHours; note: string };
  summary: { meetingPct: number | null; devices: number; devicesWithBreach: number };
  clients: PeriodClient[];
  devices: PeriodDevice[];
  maintenance: PeriodMaintenance[];
}

export interface DeviceRow extends ScheduleRow {
  id: string;
  name: string;
  kind: DeviceKind;
  client_id: string;
  client_name: string | null;
  policy_id: string;
  enrolled_at: number;
  retired_at: number | null;
  /** The persisted DeviceState (for an offline episode still going on). */
  state: string;
}

// Devices active at some moment of the period, in a stable order (client, then name), with what their schedule is read from.
const DEVICES_SQL = `SELECT d.id, d.name, d.kind, d.client_id, c.name AS client_name, d.policy_id, d.enrolled_at, d.retired_at,
  d.quota_bytes, p.interval_hours, p.schedule AS policy_schedule, c.timezone AS client_timezone, d.state FROM devices d
  LEFT JOIN clients c ON c.tenant_id = d.tenant_id AND c.id = d.client_id
  LEFT JOIN policies p ON p.tenant_id = d.tenant_id AND p.id = d.policy_id
  WHERE d.tenant_id = ?1 AND d.enrolled_at < ?3 AND (d.retired_at IS NULL OR d.retired_at > ?2) AND (?4 IS NULL OR d.client_id = ?4)
  ORDER BY client_name, d.client_id, d.name, d.id`;

/**
 * Spans of successes per device of the chunk (`?4`: `[[deviceId, windowMs], …]`): a
 * success more than the device's window after the previous one starts a new span
 * (gaps and islands). The newest success before the period comes first, as a span of
 * its own, so the state at the period's start is known. Both reads walk each device's
 * (tenant, device, started_at) index: a job is looked for among those started at most
 * `?5` (MAX_JOB_MS) before the period, the longest backup run we count.
 */
const SPANS_SQL = `WITH chunk(device_id, window_ms) AS MATERIALIZED (SELECT value->>0, value->>1 FROM json_each(?4)),
  successes AS (
    SELECT c.device_id, c.window_ms, (SELECT j.ended_at FROM jobs j INDEXED BY jobs_device_started
      WHERE j.tenant_id = ?1 AND j.device_id = c.device_id AND j.started_at < ?2 AND j.status IN ('success', 'warning') AND j.ended_at < ?2
      ORDER BY j.started_at DESC LIMIT 1) AS ended_at
    FROM chunk c
    UNION ALL
    SELECT c.device_id, c.window_ms, j.ended_at FROM chunk c JOIN jobs j INDEXED BY jobs_device_started
      ON j.tenant_id = ?1 AND j.device_id = c.device_id AND j.started_at >= ?2 - ?5 AND j.started_at < ?3
      WHERE j.status IN ('success', 'warning') AND j.ended_at >= ?2 AND j.ended_at < ?3),
  gaps AS (
    SELECT device_id, ended_at, window_ms, ended_at - LAG(ended_at) OVER (PARTITION BY device_id ORDER BY ended_at) AS gap
    FROM successes WHERE ended_at IS NOT NULL),
  islands AS (
    SELECT device_id, ended_at, SUM(CASE WHEN gap IS NULL OR gap > window_ms THEN 1 ELSE 0 END)
      OVER (PARTITION BY device_id ORDER BY ended_at ROWS UNBOUNDED PRECEDING) AS span
    FROM gaps)
  SELECT device_id, MIN(ended_at) AS first, MAX(ended_at) AS last FROM islands GROUP BY device_id, span ORDER BY device_id, first`;

/** The chunk's offline episodes (docs/schedules.md) that overlap the period: pending time. */
const EPISODES_SQL = `SELECT e.device_id, e.from_at, e.to_at FROM json_each(?) c CROSS JOIN offline_episodes e
  WHERE e.tenant_id = ? AND e.device_id = c.value AND e.to_at > ? AND e.from_at < ?`;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The longest period a report covers (a year and a bit: an annual audit). */
export const MAX_PERIOD_DAYS = 400;

/** What a request asks for: a named period, or explicit bounds (ISO times, or days in the report's timezone). */
export interface PeriodQuery {
  period?: ReportPeriodName;
  from?: string;
  to?: string;
}

/** Whether the query asks for a period at all (otherwise the snapshot at now answers). */
export const asksForPeriod = (query: PeriodQuery): boolean => query.period !== undefined || query.from !== undefined || query.to !== undefined;

const SCOPE_SQL = `SELECT t.timezone AS tenant_zone, c.id AS client_id, c.name AS client_name, c.timezone AS client_zone
  FROM tenants t LEFT JOIN clients c ON c.tenant_id = t.id AND c.id = ?2 WHERE t.id = ?1`;

/**
 * The period report a query asks for: a named period is read in the client's timezone
 * (else the tenant's); explicit bounds need both `from` and `to`, in order, at most
 * MAX_PERIOD_DAYS apart. A bad query is a 422 naming the parameter.
 */
export async function periodReportFor(
  db: SqlExecutor,
  settings: SettingsStore,
  tenantId: string,
  clientId: string | null,
  query: PeriodQuery,
  now: number,
): Promise<PeriodReport> {
  const scope = await db.get<{ tenant_zone: string; client_id: string | null; client_name: string | null; client_zone: string | null }>(SCOPE_SQL, [tenantId, clientId]);
  if (clientId !== null && !scope?.client_id) throw notFound(`Client "${clientId}"`);
  const timezone = scope?.client_zone ?? scope?.tenant_zone ?? 'UTC';
  const client = scope?.client_id ? { id: scope.client_id, name: scope.client_name ?? scope.client_id } : null;
  let from: number;
  let to: number;
  if (query.period !== undefined) {
    if (query.from !== undefined || query.to !== undefined) {
      throw unprocessable('Ask for a named period or for from/to, not both.', [{ path: 'period', message: 'period cannot be combined with from or to' }]);
    }
    ({ from, to } = reportPeriod(query.period, now, timezone));
  } else {
    const missing = query.from === undefined ? 'from' : query.to === undefined ? 'to' : null;
    if (missing) throw unprocessable(`A period needs both from and to (ISO-8601 times), or period=30d|month|quarter.`, [{ path: missing, message: `${missing} is required with ${missing === 'from' ? 'to' : 'from'}` }]);
    // A day (YYYY-MM-DD) is the client's day: 00:00 local on the first, 24:00 local on the last.
    from = LOCAL_DAY_PATTERN.test(query.from!) ? localDaysPeriod(query.from!, query.from!, timezone).from : Date.parse(query.from!);
    to = LOCAL_DAY_PATTERN.test(query.to!) ? localDaysPeriod(query.to!, query.to!, timezone).to : Date.parse(query.to!);
    if (!(to > from)) throw unprocessable('The period ends before it starts.', [{ path: 'to', message: 'to must be after from' }]);
    if (to - from > MAX_PERIOD_DAYS * DAY) throw unprocessable(`A period covers at most ${MAX_PERIOD_DAYS} days.`, [{ path: 'to', message: `at most ${MAX_PERIOD_DAYS} days after from` }]);
    if (from >= now) throw unprocessable('The period has not begun yet.', [{ path: 'from', message: 'from must be in the past' }]);
  }
  const report = await buildPeriodReport(db, settings, tenantId, clientId, from, to, now);
  return { ...report, period: query.period ?? null, timezone, client };
}

/**
 * The period report of the tenant (clientId null) or of one client over `[from, to)`;
 * `to` is clipped to `now`. Clients and devices worst first (lowest meeting %).
 */
export async function buildPeriodReport(
  db: SqlExecutor,
  settings: SettingsStore,
  tenantId: string,
  clientId: string | null,
  from: number,
  to: number,
  now: number,
): Promise<PeriodReport> {
  const end = Math.min(to, now);
  const doc = await settings.get(tenantId, 'sla');
  const devices: (PeriodDevice & { period: PeriodCompliance; clientName: string })[] = [];
  const counted: { subject: MaintenanceSubject; to: number }[] = [];
  const windows = await feedPeriodDevices(db, settings, tenantId, clientId, from, end, now, (row, input, deviceEnd) => {
    const period = periodCompliance(input, from, deviceEnd);
    if (input.excluded && input.excluded.length > 0) counted.push({ subject: { deviceId: row.id, clientId: row.client_id, policyId: row.policy_id }, to: deviceEnd });
    const clientName = row.client_name ?? row.client_id;
    devices.push({
      device: { id: row.id, name: row.name, kind: row.kind },
      client: { id: row.client_id, name: clientName },
      clientName,
      maxHours: input.maxHours,
      meetingPct: period.meetingPct,
      breachHours: hoursOf(period.breachMs),
      maintenanceHours: hoursOf(period.excludedMs),
      breaches: period.breaches.map((breach) => ({ from: iso(breach.from)!, to: breach.to === null ? null : iso(breach.to), hours: breach.hours, maintenanceHours: breach.maintenanceHours })),
      period,
    });
  });

  const byClient = new Map<string, { name: string; periods: PeriodCompliance[] }>();
  for (const device of devices) {
    const entry = byClient.get(device.client.id);
    if (entry) entry.periods.push(device.period);
    else byClient.set(device.client.id, { name: device.clientName, periods: [device.period] });
  }
  const clients = [...byClient].map(([id, { name, periods }]) => ({ id, name, ...combinePeriods(periods) })).sort(worstFirst);
  return {
    from: iso(from)!,
    to: iso(end)!,
    period: null,
    timezone: 'UTC',
    client: null,
    rules: { tenant: doc.tenant, note: 'SLA rules in force now (client overrides applied per device).' },
    summary: combinePeriods(devices.map((device) => device.period)),
    clients,
    devices: devices.sort(worstFirst).map(({ period: _period, clientName: _clientName, ...device }) => device),
    maintenance: await maintenanceInPeriod(db, tenantId, windows, counted, from, end),
  };
}

const CREATED_SQL = `SELECT id, created_at FROM maintenance_windows WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?))`;

/** The windows that took time out of the period for the report's devices, oldest occurrence first, with when each was created. */
async function maintenanceInPeriod(
  db: SqlExecutor, tenantId: string, windows: readonly MaintenanceWindow[], devices: readonly { subject: MaintenanceSubject; to: number }[], from: number, end: number,
): Promise<PeriodMaintenance[]> {
  const found = windowsInPeriod(windows, devices, from, end);
  if (found.length === 0) return [];
  const rows = await db.all<{ id: string; created_at: number }>(CREATED_SQL, [tenantId, JSON.stringify(found.map((f) => f.window.id))]);
  const createdAt = new Map(rows.map((row) => [row.id, Number(row.created_at)]));
  // A window deleted between the two reads has no row left to date it.
  return found
    .filter((f) => createdAt.has(f.window.id))
    .sort((a, b) => a.spans[0]!.start - b.spans[0]!.start || a.window.name.localeCompare(b.window.name))
    .map(({ window, spans }) => ({
      id: window.id,
      name: window.name,
      scope: window.scope,
      createdAt: iso(createdAt.get(window.id)!)!,
      spans: spans.map((span) => ({ from: iso(span.start)!, to: iso(span.end)!, hours: hoursOf(span.end - span.start) })),
      hours: hoursOf(spans.reduce((sum, span) => sum + span.end - span.start, 0)),
    }));
}

/**
 * Hands every device active in `[from, end)` (tenant, or one client) to `visit` with
 * what the period computation needs over that range: its success spans (SQL, chunked),
 * SLA window and maintenance exclusions, and when it stops counting (retired, or `end`).
 * The period report and the trends (`GET /trends`) both read history through this.
 * Returns the maintenance windows the exclusions came from (the report lists them).
 */
export async function feedPeriodDevices(
  db: SqlExecutor,
  settings: SettingsStore,
  tenantId: string,
  clientId: string | null,
  from: number,
  end: number,
  now: number,
  visit: (row: DeviceRow, input: PeriodComplianceInput, deviceEnd: number) => void,
): Promise<readonly MaintenanceWindow[]> {
  const doc = await settings.get(tenantId, 'sla');
  const rows = await db.all<DeviceRow>(DEVICES_SQL, [tenantId, from, end, clientId]);
  // Maintenance time counts neither as meeting nor as breach (docs/alert-workflow.md): the windows as they stand now.
  const { windows } = await loadTenantMutes(db, tenantId, now);
  const hoursByClient = new Map<string, SlaHours>();
  const windowOf = (row: DeviceRow) => {
    let hours = hoursByClient.get(row.client_id);
    if (!hours) hoursByClient.set(row.client_id, (hours = slaHoursForClient(doc, row.client_id)));
    return maxHoursFor(hours, row.kind);
  };
  const schedules: Parameters<typeof scheduleProfile>[1] = new Map();
  for (let start = 0; start < rows.length; start += CHUNK) {
    if (start > 0) await nextTurn();
    const chunk = rows.slice(start, start + CHUNK);
    const spansByDevice = new Map<string, SuccessSpan[]>();
    const spanRows = await db.all<{ device_id: string; first: number; last: number }>(SPANS_SQL, [
      tenantId,
      from,
      end,
      JSON.stringify(chunk.map((row) => [row.id, windowOf(row) * HOUR])),
      MAX_JOB_MS,
    ]);
    for (const span of spanRows) {
      const list = spansByDevice.get(span.device_id);
      const value = { first: Number(span.first), last: Number(span.last) };
      if (list) list.push(value);
      else spansByDevice.set(span.device_id, [value]);
    }
    const pendingByDevice = new Map<string, Interval[]>();
    const episodes = await db.all<{ device_id: string; from_at: number; to_at: number }>(EPISODES_SQL, [JSON.stringify(chunk.map((row) => row.id)), tenantId, from, end]);
    for (const episode of episodes) {
      const list = pendingByDevice.get(episode.device_id) ?? [];
      list.push({ from: Number(episode.from_at), to: Number(episode.to_at) });
      pendingByDevice.set(episode.device_id, list);
    }
    for (const row of chunk) {
      // A retired device stops counting when it was retired.
      const deviceEnd = row.retired_at !== null ? Math.min(end, row.retired_at) : end;
      const episodes = [...(pendingByDevice.get(row.id) ?? []), ...openEpisode(row, Math.min(deviceEnd, now), schedules)];
      const excluded = windows.length === 0 ? undefined
        : maintenanceRanges({ deviceId: row.id, clientId: row.client_id, policyId: row.policy_id }, windows, from, deviceEnd).map((range) => ({ from: range.start, to: range.end }));
      const breachSince = calendarBreachSince(row, windowOf(row), schedules);
      const spans = spansByDevice.get(row.id) ?? [];
      const pending = episodes.length === 0 || !breachSince ? episodes : [...episodes, ...afterReturns(episodes, spans, breachSince, row, schedules)];
      visit(row, { enrolledAt: row.enrolled_at, spans, maxHours: windowOf(row), excluded, ...(pending.length > 0 ? { pending } : {}), ...(breachSince ? { breachSince } : {}) }, deviceEnd);
    }
  }
  return windows;
}

/**
 * Calendar schedules as the snapshot reads them (docs/schedules.md, `evaluateSla` with the schedule
 * position): a breach begins no earlier than the device is late — the run owed after the
 * last success (`nextDue`) plus the grace — so a Mon–Fri workstation is not in breach over
 * the weekend, nor a weekly NAS between Sundays. Interval schedules: none (the hour rule).
 * Offline time comes as pending intervals instead (offline_episodes, and the open one).
 */
function calendarBreachSince(row: DeviceRow, maxHours: number, shared: Parameters<typeof scheduleProfile>[1]) {
  let compiled;
  try {
    compiled = compiledScheduleOf(scheduleProfile(row, shared));
  } catch {
    return null; // A schedule core refuses counts by the hour rule.
  }
  const calendar = compiled.calendar;
  if (calendar === null) return null;
  const grace = compiled.graceMs;
  return (reference: Instant) => {
    const nextDue = calendar.slotAfter(reference + grace) ?? Infinity;
    return Math.max(reference + maxHours * HOUR, nextDue + grace);
  };
}

/**
 * A device back from an offline episode owes the first run whose window is still open
 * (docs/schedules.md: a laptop back on Wednesday owes Wednesday night's run): the snapshot shows it
 * late no earlier than that run's grace. So the breach the history alone would count
 * from its return until then — never meeting time, never past its next success — is
 * pending too.
 */
function afterReturns(
  episodes: readonly Interval[], spans: readonly SuccessSpan[], breachSince: (reference: Instant) => Instant,
  row: DeviceRow, shared: Parameters<typeof scheduleProfile>[1],
): Interval[] {
  const compiled = compiledScheduleOf(scheduleProfile(row, shared));
  if (!compiled.calendar) return [];
  const grace = compiled.graceMs;
  const extra: Interval[] = [];
  for (const { to: back } of episodes) {
    // The successes around the return: the newest before it and the first after it.
    let reference = row.enrolled_at;
    let next = Infinity;
    let inside = false;
    for (const span of spans) {
      if (span.last <= back) reference = Math.max(reference, span.last);
      else if (span.first <= back) inside = true; // successes on both sides within the SLA window: no breach here
      else next = Math.min(next, span.first);
    }
    if (inside) continue;
    const owed = compiled.calendar.slotAfter(Math.max(reference + grace, back - grace));
    const lateAgain = owed === null ? Infinity : owed + grace;
    const from = Math.max(back, breachSince(reference));
    const to = Math.min(lateAgain, next);
    if (from < to) extra.push({ from, to });
  }
  return extra;
}

/** The offline episode still going on at `at` (no sign of life has ended it yet), as the snapshot sees it. */
function openEpisode(row: DeviceRow, at: number, shared: Parameters<typeof scheduleProfile>[1]): Interval[] {
  if (row.policy_schedule === null) return [];
  let profile;
  try {
    profile = scheduleProfile(row, shared);
    if (!profile.schedule) return [];
    const { offlineSince } = schedulePosition(profile, decodeDeviceState(row.state), at);
    return offlineSince !== null && offlineSince < at ? [{ from: offlineSince, to: at }] : [];
  } catch {
    return []; // A schedule core refuses counts by the hour rule.
  }
}

/** Lowest meeting % first; nothing counted (null) last; then by name. */
function worstFirst(a: { meetingPct: number | null; name?: string; device?: { name: string } }, b: typeof a): number {
  const pa = a.meetingPct ?? Infinity;
  const pb = b.meetingPct ?? Infinity;
  if (pa !== pb) return pa - pb;
  return (a.name ?? a.device?.name ?? '').localeCompare(b.name ?? b.device?.name ?? '');
}
