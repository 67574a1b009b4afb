/**
 * Fleet trends (`GET /trends`): per local day or ISO week of the tenant's (or client's)
 * timezone, the success rate of the runs that ended in it and the SLA compliance over
 * it. Runs are counted by one set-based query (GROUP BY bucket over the jobs' ended_at
 * index); compliance is the period computation fed as the period report feeds it
 * (`feedPeriodDevices`), summed per bucket while the devices stream past in chunks.
 */
import { addDevice, emptyTotals, successRate, totalsPercent, trendBuckets, type TrendUnit } from '../../core/trends.ts';
import { notFound } from '../http/problem.ts';
import type { SqlExecutor } from '../db/client.ts';
import { feedPeriodDevices } from './compliance-period.ts';
import type { SettingsStore } from './settings-store.ts';
import { iso } from './views.ts';

export interface TrendPoint {
  start: string;
  end: string;
  successRate: number | null;
  jobs: number;
  failed: number;
  compliance: number | null;
}

export interface Trends {
  timezone: string;
  unit: TrendUnit;
  client: { id: string; name: string } | null;
  buckets: TrendPoint[];
}

const SCOPE_SQL = `SELECT t.timezone AS tenant_zone, c.id AS client_id, c.name AS client_name, c.timezone AS client_zone
  FROM tenants t LEFT JOIN clients c ON c.tenant_id = t.id AND c.id = ?2 WHERE t.id = ?1`;

/** Completed runs and failures per bucket (`?2`: `[[start, end], …]`), a run counting in the bucket it ended in. */
const RUNS_SQL = `WITH b(i, s, e) AS (SELECT key, value->>0, value->>1 FROM json_each(?2))
  SELECT b.i AS i, COUNT(*) AS jobs, SUM(j.status = 'failed') AS failed
  FROM b JOIN jobs j INDEXED BY jobs_ended ON j.tenant_id = ?1 AND j.ended_at >= b.s AND j.ended_at < b.e
  WHERE j.status IN ('success', 'warning', 'failed')
    AND (?3 IS NULL OR EXISTS (SELECT 1 FROM devices d WHERE d.tenant_id = ?1 AND d.id = j.device_id AND d.client_id = ?3))
  GROUP BY b.i`;

export async function buildTrends(
  db: SqlExecutor,
  settings: SettingsStore,
  tenantId: string,
  clientId: string | null,
  unit: TrendUnit,
  count: number,
  now: number,
): Promise<Trends> {
  const scope = await db.get<{ tenant_zone: string; client_id: string | null; client_name: string | null; client_zone: string | null }>(SCOPE_SQL, [tenantId, clientId]);
  if (clientId !== null && !scope?.client_id) throw notFound(`Client "${clientId}"`);
  const timezone = scope?.client_zone ?? scope?.tenant_zone ?? 'UTC';
  const buckets = trendBuckets(unit, count, now, timezone);
  const runs = await db.all<{ i: number; jobs: number; failed: number }>(RUNS_SQL, [tenantId, JSON.stringify(buckets.map((b) => [b.start, b.end])), clientId]);
  const runsOf = new Map(runs.map((row) => [Number(row.i), { jobs: Number(row.jobs), failed: Number(row.failed ?? 0) }]));

  const from = buckets[0]!.start;
  const end = Math.min(buckets[buckets.length - 1]!.end, now);
  const totals = emptyTotals(buckets);
  await feedPeriodDevices(db, settings, tenantId, clientId, from, end, now, (_row, input, deviceEnd) => addDevice(totals, { input, end: deviceEnd }, buckets));
  const compliance = totalsPercent(totals);

  return {
    timezone,
    unit,
    client: scope?.client_id ? { id: scope.client_id, name: scope.client_name ?? scope.client_id } : null,
    buckets: buckets.map((bucket, i) => {
      const { jobs, failed } = runsOf.get(i) ?? { jobs: 0, failed: 0 };
      return { start: iso(bucket.start)!, end: iso(bucket.end)!, successRate: successRate(jobs, failed), jobs, failed, compliance: compliance[i]! };
    }),
  };
}
