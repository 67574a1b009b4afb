/**
 * Turns the change feed's `device.changed` references into the `device.updated`
 * events the stream sends, with each device's current list item: one query per
 * tenant for a whole read of the feed. The change takes the device's current
 * client, so a client-scoped stream never receives a device that has moved to
 * another client; a reference to a device that no longer exists is dropped.
 */
import type { SqlExecutor } from '../db/client.ts';
import { withMaintenance } from './quiet-views.ts';
import { DEVICE_ITEM_COLUMNS, DEVICE_JOINS, toDeviceItem, type DeviceItemRow } from './views.ts';

/** A change row as the stream reads it: `payload` is JSON text. */
export interface ChangeRow {
  id: number;
  tenant_id: string;
  client_id: string | null;
  event: string;
  payload: string;
}

const ITEMS_SQL = `SELECT ${DEVICE_ITEM_COLUMNS} FROM json_each(?) j CROSS JOIN devices d ${DEVICE_JOINS}
  WHERE d.tenant_id = ? AND d.id = j.value`;

/** The rows in order, references resolved (rows of other events pass through); with `now`, items show their maintenance then. */
export async function resolveDeviceChanges(db: SqlExecutor, rows: readonly ChangeRow[], now?: number): Promise<ChangeRow[]> {
  const wanted = new Map<string, Set<string>>();
  for (const row of rows) {
    if (row.event !== 'device.changed') continue;
    const ids = wanted.get(row.tenant_id) ?? new Set<string>();
    ids.add((JSON.parse(row.payload) as { id: string }).id);
    wanted.set(row.tenant_id, ids);
  }
  if (wanted.size === 0) return [...rows];

  const items = new Map<string, { clientId: string; payload: string }>();
  for (const [tenantId, ids] of wanted) {
    const devices = (await db.all<DeviceItemRow>(ITEMS_SQL, [JSON.stringify([...ids]), tenantId])).map(toDeviceItem);
    for (const item of now === undefined ? devices : await withMaintenance(db, tenantId, devices, now)) {
      items.set(`${tenantId}\n${item.id}`, { clientId: item.client.id, payload: JSON.stringify(item) });
    }
  }
  const resolved: ChangeRow[] = [];
  for (const row of rows) {
    if (row.event !== 'device.changed') {
      resolved.push(row);
      continue;
    }
    const item = items.get(`${row.tenant_id}\n${(JSON.parse(row.payload) as { id: string }).id}`);
    if (item) resolved.push({ ...row, event: 'device.updated', client_id: item.clientId, payload: item.payload });
  }
  return resolved;
}
