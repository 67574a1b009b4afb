/**
 * Turns the change feed's `device.changed` references into the `device.updated`
 * events the stream sends, with each device's current list item and its schedule
 * fields (`include=schedule`: schedule, next run due, late, offline), so a live update
 * never leaves a row with a stale "next run due". One query per tenant for a whole read
 * of the feed; the 14-run strip is left out (a jobs read per device would make a
 * replay of thousands of changes cost a jobs read each) — the table keeps the strip its
 * page brought. The change takes the device's current client, so a client-scoped
 * stream never receives a device that has moved to another client; a reference to a
 * device that no longer exists is dropped.
 */
import { decodeDeviceState } from '../db/device-state.ts';
import type { SqlExecutor } from '../db/client.ts';
import { SCHEDULE_COLUMNS, scheduleProfile, scheduleView, type ScheduleRow } from './device-schedule-view.ts';
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

const ITEMS_SQL = `SELECT ${DEVICE_ITEM_COLUMNS}, ${SCHEDULE_COLUMNS} FROM json_each(?) j CROSS JOIN devices d ${DEVICE_JOINS}
  WHERE d.tenant_id = ? AND d.id = j.value`;

type ItemRow = DeviceItemRow & ScheduleRow & { state: string; enrolled_at: number };

/** The rows in order, references resolved (rows of other events pass through); items show their schedule and maintenance at `now`. */
export async function resolveDeviceChanges(db: SqlExecutor, rows: readonly ChangeRow[], now: number): Promise<ChangeRow[]> {
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
    const rows = await db.all<ItemRow>(ITEMS_SQL, [JSON.stringify([...ids]), tenantId]);
    const plain = rows.map(toDeviceItem);
    const devices = await withMaintenance(db, tenantId, plain, now);
    const schedules: Parameters<typeof scheduleProfile>[1] = new Map();
    devices.forEach((device, index) => {
      const row = rows[index]!;
      const fields = scheduleView(scheduleProfile(row, schedules), decodeDeviceState(row.state), null, row.enrolled_at, now).fields;
      items.set(`${tenantId}\n${device.id}`, { clientId: device.client.id, payload: JSON.stringify({ ...device, ...fields }) });
    });
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
