/**
 * The device row the evaluator works from: configuration, names for the API items,
 * the persisted DeviceState and the current health columns (to tell what changed).
 * Ingestion, inventory and the sweep load rows with these statements, so each
 * device is read once per transaction.
 */
import { deviceProfile } from '../../core/device-facts.ts';
import type { DeviceSchedule } from '../../core/schedule-spec.ts';
import type { DeviceProfile } from '../../core/types.ts';
import type { SqlExecutor } from '../db/client.ts';
import { isPlainInterval, storedScheduleOf, type StoredSchedule } from './policy-schedule.ts';
import type { DeviceItemRow } from './views.ts';

/** A device row with its client and policy names and its policy interval. */
export interface EvaluationRow extends DeviceItemRow {
  tenant_id: string;
  quota_bytes: number | null;
  enrolled_at: number;
  retired_at: number | null;
  /** core DeviceState as JSON. */
  state: string;
  sla_state: string;
  sla_breach_since: number | null;
  /** The policy's schedule in the client's timezone; absent for a plain interval (Part I rules). */
  device_schedule?: DeviceSchedule;
}

// Client and policy names are attached per batch (few distinct ones) rather than
// joined per row: the joins cost more than the rest of the row read.
const COLUMNS = `d.tenant_id, d.id, d.name, d.kind, d.client_id, d.policy_id, d.quota_bytes, d.enrolled_at, d.retired_at, d.state,
  d.status, d.score, d.last_success_at, d.last_job_status, d.consecutive_failures, d.used_bytes, d.effective_quota_bytes,
  d.sla_state, d.sla_breach_since`;

// Id sets travel as one JSON array; CROSS JOIN makes SQLite drive the lookup from
// the array (one primary-key probe per id) instead of scanning the tenant's rows.
const BY_IDS_SQL = `SELECT ${COLUMNS} FROM json_each(?) j CROSS JOIN devices d WHERE d.tenant_id = ? AND d.id = j.value`;
// The due set is read from the next_check_at index alone (rowids, no table access);
// the rows are then loaded, evaluated and written in rowid order (see dueRowids).
const DUE_ROWIDS_SQL = 'SELECT rowid AS r FROM devices WHERE next_check_at <= ? LIMIT ?';
const DUE_AT_SQL = `SELECT ${COLUMNS} FROM json_each(?) j CROSS JOIN devices d
  WHERE d.rowid = j.value AND d.next_check_at <= ? AND d.retired_at IS NULL`;
// Retired devices never come due (retiring sets next_check_at to the far future); one
// that is due anyway (written by an earlier version) is pushed there, or it would be
// located again by every sweep.
const PARK_RETIRED_SQL = `UPDATE devices SET next_check_at = ${Number.MAX_SAFE_INTEGER}
  WHERE rowid IN (SELECT value FROM json_each(?)) AND next_check_at <= ? AND retired_at IS NOT NULL`;
const ACTIVE_PAGE_SQL = `SELECT ${COLUMNS} FROM devices d WHERE d.tenant_id = ? AND d.retired_at IS NULL AND d.id > ? ORDER BY d.id LIMIT ?`;
const BY_POLICY_SQL = `SELECT ${COLUMNS} FROM devices d WHERE d.tenant_id = ? AND d.policy_id = ? AND d.retired_at IS NULL`;
const POLICIES_SQL = 'SELECT p.id, p.name, p.interval_hours, p.schedule FROM json_each(?) j CROSS JOIN policies p WHERE p.tenant_id = ? AND p.id = j.value';
const CLIENTS_SQL = 'SELECT c.id, c.name, c.timezone FROM json_each(?) j CROSS JOIN clients c WHERE c.tenant_id = ? AND c.id = j.value';

interface PolicyRow {
  id: string;
  name: string;
  interval_hours: number;
  schedule: string | null;
  /** Parsed once per batch; undefined for a plain interval (no options). */
  stored?: StoredSchedule;
}

type StoredRow = Omit<EvaluationRow, 'client_name' | 'policy_name' | 'interval_hours' | 'device_schedule'>;

/** Fills in client and policy names and policy intervals, one query per tenant and kind. */
async function withNames(tx: SqlExecutor, rows: StoredRow[]): Promise<EvaluationRow[]> {
  const byTenant = new Map<string, StoredRow[]>();
  for (const row of rows) {
    const group = byTenant.get(row.tenant_id);
    if (group) group.push(row);
    else byTenant.set(row.tenant_id, [row]);
  }
  for (const [tenantId, group] of byTenant) {
    const policyIds = JSON.stringify([...new Set(group.map((r) => r.policy_id))]);
    const clientIds = JSON.stringify([...new Set(group.map((r) => r.client_id))]);
    // Both at once: over a libSQL server they travel in one round trip.
    const [policyRows, clientRows] = await Promise.all([
      tx.all<PolicyRow>(POLICIES_SQL, [policyIds, tenantId]),
      tx.all<{ id: string; name: string; timezone: string }>(CLIENTS_SQL, [clientIds, tenantId]),
    ]);
    const policies = new Map(policyRows.map((p) => [p.id, withStored(p)]));
    const clients = new Map(clientRows.map((c) => [c.id, c]));
    // One DeviceSchedule object per policy and timezone, so core's compile memo hits by identity.
    const schedules = new Map<string, DeviceSchedule>();
    for (const row of group as EvaluationRow[]) {
      const policy = policies.get(row.policy_id);
      const client = clients.get(row.client_id);
      row.client_name = client?.name ?? null;
      row.policy_name = policy?.name ?? null;
      row.interval_hours = policy?.interval_hours ?? null;
      if (policy?.stored) {
        const timezone = client?.timezone ?? 'UTC';
        const key = `${policy.id}\u0000${timezone}`;
        let schedule = schedules.get(key);
        if (!schedule) schedules.set(key, (schedule = { ...policy.stored, timezone }));
        row.device_schedule = schedule;
      }
    }
  }
  return rows as EvaluationRow[];
}

/** The rows of these devices (retired ones included; the caller decides), in no particular order. */
export async function loadDeviceRows(tx: SqlExecutor, tenantId: string, ids: readonly string[]): Promise<EvaluationRow[]> {
  if (ids.length === 0) return [];
  return withNames(tx, await tx.all<StoredRow>(BY_IDS_SQL, [JSON.stringify(ids), tenantId]));
}

/**
 * Where the devices (of every tenant) whose next check has come sit in the table, in
 * table order. A sweep takes them in that order: consecutive devices share pages, so
 * a chunk of 500 dirties a few dozen pages instead of ~500 scattered ones (a 100k
 * sweep in next-check order rewrote every page of the table ~10 times).
 */
export async function dueRowids(db: SqlExecutor, now: number, limit: number): Promise<number[]> {
  const rowids = (await db.all<{ r: number }>(DUE_ROWIDS_SQL, [now, limit])).map((row) => row.r);
  return rowids.sort((a, b) => a - b);
}

/** The rows at these rowids that are still due and active (another writer may have evaluated some since). */
export async function loadDueRowsAt(tx: SqlExecutor, now: number, rowids: readonly number[]): Promise<EvaluationRow[]> {
  if (rowids.length === 0) return [];
  const ids = JSON.stringify(rowids);
  const rows = await tx.all<StoredRow>(DUE_AT_SQL, [ids, now]);
  if (rows.length < rowids.length) await tx.run(PARK_RETIRED_SQL, [ids, now]);
  return withNames(tx, rows);
}

/** One page of a tenant's active devices in id order (keyset: ids after `afterId`). */
export async function loadActivePage(tx: SqlExecutor, tenantId: string, afterId: string, limit: number): Promise<EvaluationRow[]> {
  return withNames(tx, await tx.all<StoredRow>(ACTIVE_PAGE_SQL, [tenantId, afterId, limit]));
}

/** Active devices on a policy (re-evaluated when its interval changes). */
export async function loadPolicyRows(tx: SqlExecutor, tenantId: string, policyId: string): Promise<EvaluationRow[]> {
  return withNames(tx, await tx.all<StoredRow>(BY_POLICY_SQL, [tenantId, policyId]));
}

/** The profile core's rules take (a device always has a policy: every write path checks it). */
export function profileOf(row: EvaluationRow): DeviceProfile {
  const profile = deviceProfile(row.kind, row.interval_hours, row.quota_bytes);
  return row.device_schedule ? { ...profile, schedule: row.device_schedule } : profile;
}

/** Parses a policy's stored schedule; a plain interval without options stays on the Part I path. */
function withStored(policy: PolicyRow): PolicyRow {
  const stored = storedScheduleOf(policy.schedule, policy.interval_hours);
  if (!isPlainInterval(stored)) policy.stored = stored;
  return policy;
}
