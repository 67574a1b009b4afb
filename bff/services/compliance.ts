/**
 * SLA compliance (docs/decisions.md) computed at `now` from each device's persisted history
 * state with core's evaluateSla, so the figures are exact even between sweeps. The
 * JSON route, the CSV and the PDF exports all come from `buildComplianceReport`.
 */
import type { ComplianceDevice, ComplianceReport } from '../../core/api.ts';
import { schedulePosition } from '../../core/schedule-position.ts';
import { breachHours, evaluateSla, slaHoursFor, summarizeCompliance } from '../../core/sla.ts';
import type { DeviceSchedule } from '../../core/schedule-spec.ts';
import { type SlaHours, type SlaOverride } from '../../core/types.ts';
import type { SqlExecutor } from '../db/client.ts';
import { decodeDeviceState } from '../db/device-state.ts';
import { notFound, unprocessable } from '../http/problem.ts';
import { existingClients } from './client-queries.ts';
import { scheduleProfile, type ScheduleRow } from './device-schedule-view.ts';
import type { SettingsStore, SlaSettingsDoc } from './settings-store.ts';
import { iso } from './views.ts';

/** A client's override, looked up as an own property (client ids are user input). */
export function slaOverrideFor(doc: SlaSettingsDoc, clientId: string): SlaOverride | null {
  return Object.hasOwn(doc.clients, clientId) ? (doc.clients[clientId] ?? null) : null;
}

/** The SLA hours in force for one client: tenant rules with its override applied. */
export function slaHoursForClient(doc: SlaSettingsDoc, clientId: string): SlaHours {
  return slaHoursFor(doc.tenant, slaOverrideFor(doc, clientId));
}

interface ComplianceRow extends ScheduleRow {
  id: string;
  name: string;
  client_id: string;
  client_name: string | null;
  state: string;
}

const CLIENT_SQL = 'SELECT id, name FROM clients WHERE tenant_id = ? AND id = ?';
// The policy and the client's timezone: a calendar schedule places the device (late, offline) as the evaluator does.
const DEVICES_SQL = `SELECT d.id, d.name, d.kind, d.client_id, c.name AS client_name, d.state, d.quota_bytes,
  p.interval_hours, p.schedule AS policy_schedule, c.timezone AS client_timezone FROM devices d
  LEFT JOIN clients c ON c.tenant_id = d.tenant_id AND c.id = d.client_id
  LEFT JOIN policies p ON p.tenant_id = d.tenant_id AND p.id = d.policy_id
  WHERE d.tenant_id = ? AND d.retired_at IS NULL`;
const ORDER = ' ORDER BY client_name, d.client_id, d.name, d.id';
const ALL_DEVICES_SQL = DEVICES_SQL + ORDER;
const CLIENT_DEVICES_SQL = DEVICES_SQL + ' AND d.client_id = ?' + ORDER;

/**
 * The compliance report of the tenant (clientId null) or of one client: the rules in
 * force, every active device with its SLA state at `now`, and the summary
 * (core summarizeCompliance). Devices are ordered by client name, then device name.
 * Throws a 404 problem when the client does not exist in the tenant.
 */
export async function buildComplianceReport(
  db: SqlExecutor,
  settings: SettingsStore,
  tenantId: string,
  clientId: string | null,
  now: number,
): Promise<ComplianceReport> {
  const doc = await settings.get(tenantId, 'sla');
  let client: { id: string; name: string } | null = null;
  if (clientId !== null) {
    client = (await db.get<{ id: string; name: string }>(CLIENT_SQL, [tenantId, clientId])) ?? null;
    if (!client) throw notFound(`Client "${clientId}"`);
  }
  const rows = client
    ? await db.all<ComplianceRow>(CLIENT_DEVICES_SQL, [tenantId, client.id])
    : await db.all<ComplianceRow>(ALL_DEVICES_SQL, [tenantId]);

  const hoursByClient = new Map<string, SlaHours>();
  const schedules = new Map<string, DeviceSchedule | null>();
  const devices: ComplianceDevice[] = rows.map((row) => {
    let hours = hoursByClient.get(row.client_id);
    if (!hours) hoursByClient.set(row.client_id, (hours = slaHoursForClient(doc, row.client_id)));
    const state = decodeDeviceState(row.state);
    // The SLA rule as the evaluator and the device detail apply it: gated by the schedule, pending while offline.
    const profile = scheduleProfile(row, schedules);
    const sla = evaluateSla(row.kind, state, hours, now, schedulePosition(profile, state, now));
    return {
      device: { id: row.id, name: row.name, kind: row.kind },
      client: { id: row.client_id, name: row.client_name ?? row.client_id },
      maxHours: sla.maxHours,
      state: sla.state,
      lastSuccessAt: iso(state.lastSuccessAt),
      breachSince: iso(sla.breachSince),
      breachHours: sla.breachSince === null ? null : breachHours(sla.breachSince, now),
    };
  });

  const override = client ? slaOverrideFor(doc, client.id) : null;
  return {
    generatedAt: iso(now)!,
    client,
    rules: {
      tenant: { ...doc.tenant },
      client: override ? { ...override } : null,
      effective: client ? slaHoursForClient(doc, client.id) : null,
    },
    summary: summarizeCompliance(devices),
    devices,
  };
}

// ---------------------------------------------------------------- settings

/** A change to the SLA rules: tenant hours to change; per client, hours to set (null clears one) or null to drop the override. */
export interface SlaSettingsPatch {
  tenant?: Partial<SlaHours>;
  clients?: Record<string, Partial<Record<keyof SlaHours, number | null>> | null>;
}

const MARK_DUE_SQL = 'UPDATE devices SET next_check_at = 0 WHERE tenant_id = ? AND retired_at IS NULL';

/**
 * Applies an SLA patch and returns the stored document. Overrides for clients that do
 * not exist are a 422 naming each. The tenant's devices are marked due so the next
 * sweep re-evaluates them under the new rules (GET /compliance applies them at once).
 */
export async function updateSlaSettings(db: SqlExecutor, settings: SettingsStore, tenantId: string, patch: SlaSettingsPatch, now: number): Promise<SlaSettingsDoc> {
  const entries = Object.entries(patch.clients ?? {});
  const known = await existingClients(
    db,
    tenantId,
    entries.filter(([, value]) => value !== null).map(([id]) => id),
  );
  const unknown = entries.filter(([id, value]) => value !== null && !known.has(id));
  if (unknown.length) {
    throw unprocessable(
      `${unknown.length} client override(s) name clients that do not exist; create them with PUT /api/v1/clients/:id first.`,
      unknown.map(([id]) => ({ path: `clients.${id}`, message: `No client "${id}" in this tenant.` })),
    );
  }

  // Read past the settings cache: this is a read-modify-write.
  const current = await settings.get(tenantId, 'sla', db);
  const clients: Record<string, SlaOverride> = {};
  for (const [id, override] of Object.entries(current.clients)) clients[id] = { ...override };
  for (const [id, change] of entries) {
    if (change === null) {
      delete clients[id];
      continue;
    }
    const override: SlaOverride = Object.hasOwn(clients, id) ? clients[id]! : {};
    for (const key of SLA_KEYS) {
      if (change[key] === null) delete override[key];
      else if (change[key] !== undefined) override[key] = change[key];
    }
    if (Object.keys(override).length) clients[id] = override;
    else delete clients[id];
  }
  const next: SlaSettingsDoc = { tenant: { ...current.tenant, ...definedOnly(patch.tenant) }, clients };
  await settings.replace(tenantId, 'sla', next, now);
  await db.run(MARK_DUE_SQL, [tenantId]);
  return next;
}

const SLA_KEYS = ['workstationHours', 'serverHours', 'saasHours'] as const;

function definedOnly(hours: Partial<SlaHours> | undefined): Partial<SlaHours> {
  const result: Partial<SlaHours> = {};
  for (const key of SLA_KEYS) if (typeof hours?.[key] === 'number') result[key] = hours[key];
  return result;
}
