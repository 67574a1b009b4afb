/**
 * The weekly summary's figures (docs/decisions.md, "Integrations") gathered from the database and assembled by
 * core's buildWeeklyReport. Used by `GET /reports/weekly` and by the weekly e-mail.
 */
import type { AlertItem, ReportSettings, WeeklyReportJson } from '../../core/api.ts';
import type { HealthStatus } from '../../core/types.ts';
import { addDays, localDateTime, zonedInstant } from '../../core/zoned-time.ts';
import { buildWeeklyReport, nextDeliverySlot } from '../../core/weekly-report.ts';
import type { SqlExecutor, SqlValue } from '../db/client.ts';
import type { SettingsStore } from './settings-store.ts';
import { ALERT_ITEM_COLUMNS, ALERT_JOINS, iso, toAlertItem, type AlertItemRow } from './views.ts';

/** How many days (in the tenant's timezone) the storage trend covers, ending with the period's last day. */
export const STORAGE_TREND_DAYS = 7;

/** Both variants of a statement: the tenant's, and one client's (an extra `?` where the filter goes). */
function variants(build: (clientFilter: string) => string, clientFilter: string) {
  return { tenant: build(''), client: build(clientFilter) };
}

const DEVICES_SQL = variants(
  (filter) => `SELECT d.id, d.name, d.client_id, c.name AS client_name, d.status, d.score FROM devices d
    LEFT JOIN clients c ON c.tenant_id = d.tenant_id AND c.id = d.client_id
    WHERE d.tenant_id = ? AND d.retired_at IS NULL${filter}`,
  ' AND d.client_id = ?',
);

const JOBS_SQL = variants(
  (filter) => `SELECT COUNT(*) AS completed, COALESCE(SUM(status IN ('success', 'warning')), 0) AS successful FROM jobs
    WHERE tenant_id = ? AND ended_at > ? AND ended_at <= ? AND status IN ('success', 'warning', 'failed')${filter}`,
  ' AND device_id IN (SELECT id FROM devices WHERE tenant_id = ? AND client_id = ?)',
);

// Opened as critical, or escalated to critical, inside the period. Both imply the
// alert was updated after the period began, which bounds the scan (alerts_tenant_updated).
const ALERTS_SQL = variants(
  (filter) => `SELECT ${ALERT_ITEM_COLUMNS} FROM alerts a ${ALERT_JOINS}
    WHERE a.tenant_id = ? AND a.updated_at > ? AND a.severity = 'critical'${filter}
      AND ((a.triggered_at > ? AND a.triggered_at <= ?)
        OR EXISTS (SELECT 1 FROM alert_events e WHERE e.alert_id = a.id AND e.action = 'escalated' AND e.severity = 'critical' AND e.at > ? AND e.at <= ?))
    ORDER BY a.triggered_at DESC, a.id`,
  ' AND a.client_id = ?',
);

// Per day: each device's newest storage report up to the day's end (one index seek per
// device and day on the storage_reports primary key), summed.
const STORAGE_SQL = variants(
  (filter) => `WITH days(day, cutoff) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))
    SELECT days.day AS date, COALESCE(SUM((SELECT s.used_bytes FROM storage_reports s
      WHERE s.tenant_id = d.tenant_id AND s.device_id = d.id AND s.at <= days.cutoff ORDER BY s.at DESC LIMIT 1)), 0) AS used_bytes
    FROM days LEFT JOIN devices d ON d.tenant_id = ? AND d.retired_at IS NULL${filter}
    GROUP BY days.day ORDER BY days.day`,
  ' AND d.client_id = ?',
);

/**
 * The days of the trend in `timeZone` (the tenant's), ending with the period's last
 * day, each with the instant its value is read at (the day's end, or the period's).
 */
export function trendDays(periodEnd: number, timeZone = 'UTC'): { date: string; cutoff: number }[] {
  const last = localDateTime(periodEnd, timeZone);
  return Array.from({ length: STORAGE_TREND_DAYS }, (_, i) => {
    const date = addDays(last, i - (STORAGE_TREND_DAYS - 1));
    const nextMidnight = zonedInstant(addDays(date, 1), 0, timeZone);
    const label = `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
    return { date: label, cutoff: Math.min(nextMidnight - 1, periodEnd) };
  });
}

/**
 * The weekly report JSON for (periodStart, periodEnd] of the tenant or, with
 * `clientId`, of one client: totals and lowest scores from the devices' current
 * health; the job success rate over jobs that ended in the period; critical alerts
 * opened or escalated in the period; the storage trend per day in `timeZone`.
 */
export async function weeklyReportData(
  db: SqlExecutor,
  tenantId: string,
  periodStart: number,
  periodEnd: number,
  clientId: string | null = null,
  timeZone = 'UTC',
): Promise<WeeklyReportJson> {
  const pick = <T extends { tenant: string; client: string }>(sql: T) => (clientId === null ? sql.tenant : sql.client);
  const withClient = (args: SqlValue[], ...clientArgs: SqlValue[]) => (clientId === null ? args : [...args, ...clientArgs]);
  const days = trendDays(periodEnd, timeZone);

  const [devices, jobs, alerts, storage] = await Promise.all([
    db.all<{ id: string; name: string; client_id: string; client_name: string | null; status: HealthStatus; score: number }>(
      pick(DEVICES_SQL),
      withClient([tenantId], clientId),
    ),
    db.get<{ completed: number; successful: number }>(pick(JOBS_SQL), withClient([tenantId, periodStart, periodEnd], tenantId, clientId)),
    db.all<AlertItemRow>(
      pick(ALERTS_SQL),
      clientId === null
        ? [tenantId, periodStart, periodStart, periodEnd, periodStart, periodEnd]
        : [tenantId, periodStart, clientId, periodStart, periodEnd, periodStart, periodEnd],
    ),
    db.all<{ date: string; used_bytes: number }>(
      pick(STORAGE_SQL),
      withClient([JSON.stringify(days.map((day) => [day.date, day.cutoff])), tenantId], clientId),
    ),
  ]);

  const report = buildWeeklyReport<AlertItem>({
    periodStart,
    periodEnd,
    devices: devices.map((row) => ({
      device: { id: row.id, name: row.name },
      client: { id: row.client_id, name: row.client_name ?? row.client_id },
      status: row.status,
      score: row.score,
    })),
    jobs: { completed: jobs?.completed ?? 0, successful: jobs?.successful ?? 0 },
    newCriticalAlerts: alerts.map(toAlertItem),
    storageByDay: storage.map((day) => ({ date: day.date, usedBytes: day.used_bytes })),
  });
  return { ...report, periodStart: iso(report.periodStart)!, periodEnd: iso(report.periodEnd)! };
}

// ---------------------------------------------------------------- settings

const LAST_SENT_SQL = 'SELECT MAX(created_at) AS at FROM weekly_reports WHERE tenant_id = ?';

/**
 * The report settings with their read-only companions: when the weekly mail was last
 * claimed for sending and when it is next due (null while disabled).
 */
export async function reportSettingsView(db: SqlExecutor, settings: SettingsStore, tenantId: string, now: number): Promise<ReportSettings> {
  const [doc, last] = await Promise.all([settings.get(tenantId, 'reports', db), db.get<{ at: number | null }>(LAST_SENT_SQL, [tenantId])]);
  return {
    ...doc,
    recipients: [...doc.recipients],
    lastSentAt: iso(last?.at ?? null),
    nextDeliveryAt: doc.weeklyEnabled ? iso(nextDeliverySlot(now, doc)) : null,
  };
}
