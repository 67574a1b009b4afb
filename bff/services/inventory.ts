/**
 * Inventory: clients, policies and devices, upserted by the RMM/backup sync (PUT)
 * or a CSV import. Devices carry core's DeviceState from enrolment on; every change
 * that can move a device's health re-evaluates it in the same transaction.
 */
import type { z } from 'zod';
import type { PolicyRecordSchema } from '../../contract/resources.ts';
import type { DeviceItem } from '../../core/api.ts';
import { compileSchedule } from '../../core/schedule-compiled.ts';
import { emptyDeviceState, type DeviceState } from '../../core/index.ts';
import { decodeDeviceState, encodeDeviceState } from '../db/device-state.ts';
import type { Database, SqlExecutor } from '../db/client.ts';
import { unprocessable } from '../http/problem.ts';
import { setPingSlug } from '../inbound/ping/ping-keys.ts';
import { clientExists } from './client-queries.ts';
import { loadPolicyRows, type EvaluationRow } from './device-rows.ts';
import type { Evaluator } from './evaluator.ts';
import { rebuildStates } from './ingest/fold.ts';
import type { ClientBody, DeviceBody, PolicyBody } from './inventory-schema.ts';
import { mergeChanged, scheduleChanged, storedScheduleFromBody, storedScheduleOf, type StoredSchedule } from './policy-schedule.ts';
import { withMaintenance } from './quiet-views.ts';
import { DEVICE_ITEM_COLUMNS, DEVICE_JOINS, toDeviceItem, type DeviceItemRow } from './views.ts';

/** A client as stored (PUT /clients answer). */
export interface ClientRecord {
  id: string;
  name: string;
  timezone: string;
}

/** A policy as stored (PUT /policies answer), its schedule in words in the tenant's timezone. */
export type PolicyRecord = z.infer<typeof PolicyRecordSchema>;

/** A device as the upsert writes it. */
export interface DeviceRecord {
  id: string;
  clientId: string;
  name: string;
  kind: DeviceBody['kind'];
  policyId: string;
  quotaBytes: number | null;
}

/** An upsert's result: whether it created the object (201) and the object as stored. */
export interface Upserted<T> {
  created: boolean;
  value: T;
}

const CLIENT_SQL = 'SELECT id, name, timezone FROM clients WHERE tenant_id = ? AND id = ?';
// A client without a timezone of its own takes the tenant's; an update without one keeps the current one.
const UPSERT_CLIENT_SQL = `INSERT INTO clients (tenant_id, id, name, timezone, created_at, updated_at)
  VALUES (?1, ?2, ?3, COALESCE(?4, (SELECT timezone FROM tenants WHERE id = ?1), 'UTC'), ?5, ?5)
  ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, timezone = COALESCE(?4, clients.timezone), updated_at = excluded.updated_at`;
const POLICY_SQL = 'SELECT id, name, interval_hours, schedule FROM policies WHERE tenant_id = ? AND id = ?';
const LIST_POLICIES_SQL = 'SELECT id, name, interval_hours, schedule FROM policies WHERE tenant_id = ? ORDER BY name, id';
const UPSERT_POLICY_SQL = `INSERT INTO policies (tenant_id, id, name, interval_hours, schedule, updated_at) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, interval_hours = excluded.interval_hours, schedule = excluded.schedule,
  updated_at = excluded.updated_at`;
/** Devices whose history one rebuild reads at once. */
const REBUILD_CHUNK = 500;
const TENANT_TIMEZONE_SQL = `SELECT COALESCE((SELECT timezone FROM tenants WHERE id = ?), 'UTC') AS timezone`;
const EXISTING_DEVICES_SQL = 'SELECT d.id, d.client_id FROM json_each(?) j CROSS JOIN devices d WHERE d.tenant_id = ? AND d.id = j.value';
/** Bulk upsert: rows are [id, clientId, name, kind, policyId, quotaBytes]; a retired device comes back. */
const UPSERT_DEVICES_SQL = `INSERT INTO devices (tenant_id, id, client_id, name, kind, policy_id, quota_bytes, enrolled_at, updated_at, state, next_check_at)
  SELECT ?1, v.value->>0, v.value->>1, v.value->>2, v.value->>3, v.value->>4, v.value->>5, ?2, ?2, ?3, 0 FROM json_each(?4) v WHERE true
  ON CONFLICT (tenant_id, id) DO UPDATE SET client_id = excluded.client_id, name = excluded.name, kind = excluded.kind,
  policy_id = excluded.policy_id, quota_bytes = excluded.quota_bytes, retired_at = NULL, retired_reason = NULL, updated_at = excluded.updated_at`;
// A device moved to another client takes its active alerts along (client-scoped views follow the device).
const MOVE_ALERTS_SQL = `UPDATE alerts SET client_id = ? WHERE tenant_id = ? AND device_id = ? AND state <> 'resolved'`;
const DEVICE_ITEM_SQL = `SELECT ${DEVICE_ITEM_COLUMNS} FROM devices d ${DEVICE_JOINS} WHERE d.tenant_id = ? AND d.id = ?`;
const RETIRED_REASON_SQL = 'UPDATE devices SET retired_reason = ? WHERE tenant_id = ? AND id = ?';
const POLICY_EXISTS_SQL = 'SELECT 1 AS found FROM policies WHERE tenant_id = ? AND id = ?';

/** Inventory writes; each change that can move a device's health re-evaluates it. */
export class Inventory {
  constructor(
    private readonly db: Database,
    private readonly evaluator: Evaluator,
  ) {}

  /** Creates or renames a client; returns it as stored. */
  async upsertClient(tenantId: string, id: string, body: ClientBody, now: number): Promise<Upserted<ClientRecord>> {
    return this.db.transaction(async (tx) => {
      const existing = await tx.get(CLIENT_SQL, [tenantId, id]);
      await tx.run(UPSERT_CLIENT_SQL, [tenantId, id, body.name, body.timezone ?? null, now]);
      const value = (await tx.get<ClientRecord>(CLIENT_SQL, [tenantId, id]))!;
      return { created: !existing, value };
    });
  }

  /**
   * Creates or changes a policy (422 naming the field for a schedule core refuses); a
   * changed schedule, grace, offline rule or merge re-evaluates every device on it.
   */
  async upsertPolicy(tenantId: string, id: string, body: PolicyBody, now: number): Promise<Upserted<PolicyRecord>> {
    const { stored, intervalHours } = storedScheduleFromBody(body);
    return this.db.transaction(async (tx) => {
      const existing = await tx.get<{ interval_hours: number; schedule: string | null }>(POLICY_SQL, [tenantId, id]);
      await tx.run(UPSERT_POLICY_SQL, [tenantId, id, body.name, intervalHours, JSON.stringify(stored), now]);
      const before = existing ? storedScheduleOf(existing.schedule, existing.interval_hours) : null;
      if (before && scheduleChanged(before, stored)) {
        const rows = await loadPolicyRows(tx, tenantId, id);
        const states = mergeChanged(before, stored) ? await this.rebuiltStates(tx, tenantId, rows) : null;
        await this.evaluator.evaluateDevices(tx, tenantId, rows.map((row) => ({ row, state: states?.get(row.id) })), now, { announce: 'always' });
      }
      const { timezone } = (await tx.get<{ timezone: string }>(TENANT_TIMEZONE_SQL, [tenantId]))!;
      return { created: !existing, value: policyRecord(id, body.name, intervalHours, stored, timezone) };
    });
  }

  /** Every policy of the tenant by name, schedules in words in the tenant's timezone (the Settings policy editor). */
  async listPolicies(tenantId: string): Promise<PolicyRecord[]> {
    const rows = await this.db.all<{ id: string; name: string; interval_hours: number; schedule: string | null }>(LIST_POLICIES_SQL, [tenantId]);
    const { timezone } = (await this.db.get<{ timezone: string }>(TENANT_TIMEZONE_SQL, [tenantId]))!;
    return rows.map((row) => policyRecord(row.id, row.name, row.interval_hours, storedScheduleOf(row.schedule, row.interval_hours), timezone));
  }

  /** States of the rows rebuilt from history, in bounded chunks (a policy may cover thousands of devices). */
  private async rebuiltStates(tx: SqlExecutor, tenantId: string, rows: readonly EvaluationRow[]): Promise<Map<string, DeviceState>> {
    const states = new Map<string, DeviceState>();
    for (let i = 0; i < rows.length; i += REBUILD_CHUNK) {
      const chunk = rows.slice(i, i + REBUILD_CHUNK).map((row) => ({ deviceId: row.id, stored: decodeDeviceState(row.state), schedule: row.device_schedule }));
      for (const [id, state] of await rebuildStates(tx, tenantId, chunk)) states.set(id, state);
    }
    return states;
  }

  /**
   * Creates (enrolled now, empty history) or updates a device, re-activating a
   * retired one, and evaluates it. The client and policy must exist (422 names which).
   */
  async upsertDevice(tenantId: string, id: string, body: DeviceBody, now: number): Promise<Upserted<DeviceItem>> {
    return this.db.transaction(async (tx) => {
      const missing: { path: string; message: string }[] = [];
      if (!(await clientExists(tx, tenantId, body.clientId))) {
        missing.push({ path: 'clientId', message: `Client "${body.clientId}" does not exist; create it with PUT /api/v1/clients/${body.clientId}.` });
      }
      if (!(await tx.get(POLICY_EXISTS_SQL, [tenantId, body.policyId]))) {
        missing.push({ path: 'policyId', message: `Policy "${body.policyId}" does not exist; create it with PUT /api/v1/policies/${body.policyId}.` });
      }
      if (missing.length > 0) throw unprocessable(`The device refers to ${missing.map((m) => m.path).join(' and ')} that do not exist.`, missing);
      const record: DeviceRecord = { id, clientId: body.clientId, name: body.name, kind: body.kind, policyId: body.policyId, quotaBytes: body.quotaBytes ?? null };
      const { created } = await this.writeDevices(tx, tenantId, [record], now, 'always');
      if (body.pingSlug !== undefined) await setPingSlug(tx, tenantId, id, body.pingSlug);
      const row = (await tx.get<DeviceItemRow>(DEVICE_ITEM_SQL, [tenantId, id]))!;
      const [value] = await withMaintenance(tx, tenantId, [toDeviceItem(row)], now);
      return { created: created === 1, value: value! };
    });
  }

  /** Retires a device (its history stays), keeping why when a reason is given; false when unknown. */
  async retireDevice(tenantId: string, id: string, now: number, reason: string | null = null): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!(await this.evaluator.retireDevice(tx, tenantId, id, now))) return false;
      // Retiring again with a reason records it; without one the first reason stands.
      if (reason !== null) await tx.run(RETIRED_REASON_SQL, [reason, tenantId, id]);
      return true;
    });
  }

  /**
   * Upserts devices whose clients and policies exist (inside the caller's
   * transaction) and evaluates them. Returns how many were created and updated.
   */
  async writeDevices(tx: SqlExecutor, tenantId: string, records: readonly DeviceRecord[], now: number, announce: 'changed' | 'always' = 'changed') {
    const ids = JSON.stringify(records.map((r) => r.id));
    const existing = new Map((await tx.all<{ id: string; client_id: string }>(EXISTING_DEVICES_SQL, [ids, tenantId])).map((r) => [r.id, r.client_id]));
    const rows = records.map((r) => [r.id, r.clientId, r.name, r.kind, r.policyId, r.quotaBytes]);
    await tx.run(UPSERT_DEVICES_SQL, [tenantId, now, encodeDeviceState(emptyDeviceState(now)), JSON.stringify(rows)]);
    // Moves are rare: one statement per moved device.
    for (const record of records) {
      const before = existing.get(record.id);
      if (before !== undefined && before !== record.clientId) await tx.run(MOVE_ALERTS_SQL, [record.clientId, tenantId, record.id]);
    }
    await this.evaluator.evaluateDevices(tx, tenantId, records.map((r) => r.id), now, { announce });
    return { created: records.length - existing.size, updated: existing.size };
  }
}

/** The PUT /policies answer: the stored schedule with the defaults filled in and its words. */
function policyRecord(id: string, name: string, intervalHours: number, stored: StoredSchedule, timezone: string): PolicyRecord {
  return {
    id,
    name,
    intervalHours,
    schedule: stored.schedule,
    graceHours: stored.graceHours ?? null,
    offline: stored.offline ?? null,
    merge: stored.merge ?? 'each-job',
    mergeRule: stored.mergeRule ?? 'last',
    text: compileSchedule({ ...stored, timezone }).text,
  };
}
