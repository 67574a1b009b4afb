/**
 * Which enrolled device a report names: by id, by ping slug, by name (exact, then
 * case-insensitive). A name several devices share is settled by the client of the
 * plus address; otherwise the report must name the device by id.
 */
import type { SqlExecutor } from '../../db/client.ts';

/** The device a name resolved to, or why it resolved to none. */
export type DeviceMatch = { deviceId: string } | { problem: string };

interface DeviceRow {
  id: string;
  name: string;
  client_id: string;
  retired_at: number | null;
}

// A result names its device by id, by name or by its ping slug.
const BY_ID_OR_NAME_SQL = `SELECT d.id, d.name, d.client_id, d.retired_at, j.value AS wanted FROM json_each(?) j CROSS JOIN devices d
  WHERE d.tenant_id = ? AND (d.id = j.value OR d.name = j.value OR d.ping_slug = lower(j.value))`;
// Only for names no exact lookup found: case-insensitive comparison needs every name.
const ALL_NAMES_SQL = 'SELECT id, name, client_id, retired_at FROM devices WHERE tenant_id = ?';

/** Each of `names` resolved for the tenant; `clientId` (from a plus address) settles shared names. */
export async function matchDevices(db: SqlExecutor, tenantId: string, names: readonly string[], clientId: string | null): Promise<Map<string, DeviceMatch>> {
  const wanted = [...new Set(names)];
  const candidates = new Map<string, DeviceRow[]>();
  for (const row of await db.all<DeviceRow & { wanted: string }>(BY_ID_OR_NAME_SQL, [JSON.stringify(wanted), tenantId])) {
    const list = candidates.get(row.wanted) ?? [];
    list.push(row);
    candidates.set(row.wanted, list);
  }
  const missing = wanted.filter((name) => !candidates.has(name));
  if (missing.length > 0) {
    const byLower = new Map(missing.map((name) => [name.toLowerCase(), name]));
    for (const row of await db.all<DeviceRow>(ALL_NAMES_SQL, [tenantId])) {
      const name = byLower.get(row.name.toLowerCase()) ?? byLower.get(row.id.toLowerCase());
      if (name !== undefined) candidates.set(name, [...(candidates.get(name) ?? []), row]);
    }
  }
  return new Map(wanted.map((name) => [name, decide(name, candidates.get(name) ?? [], clientId)]));
}

function decide(name: string, rows: readonly DeviceRow[], clientId: string | null): DeviceMatch {
  if (rows.length === 0) return { problem: `No device is named "${name}"; enrol it (PUT /api/v1/devices/{id} with this name) or rename it, then re-parse.` };
  const byId = rows.find((row) => row.id === name);
  let chosen = byId ?? (rows.length === 1 ? rows[0] : undefined);
  if (!chosen && clientId !== null) {
    const ofClient = rows.filter((row) => row.client_id === clientId);
    if (ofClient.length === 1) chosen = ofClient[0];
  }
  if (!chosen) return { problem: `${rows.length} devices are named "${name}" (${rows.map((r) => r.id).join(', ')}); send to the client's plus address or name the device by id.` };
  if (chosen.retired_at !== null) return { problem: `Device "${chosen.id}" is retired; PUT /api/v1/devices/${chosen.id} re-activates it.` };
  return { deviceId: chosen.id };
}
