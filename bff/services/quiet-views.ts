/**
 * What reads show of maintenance and silences: a device's `maintenance: {name, until}`
 * and an alert's `silencedBy`, computed at `now` from the tenant's windows and
 * silences (one statement per read, nothing when the tenant has none).
 */
import type { AlertItem, DeviceItem } from '../../core/api.ts';
import type { SqlExecutor } from '../db/client.ts';
import { loadTenantMutes } from './mutes.ts';
import { iso } from './views.ts';

/** The devices with their maintenance at `now`. */
export async function withMaintenance<D extends DeviceItem>(db: SqlExecutor, tenantId: string, devices: D[], now: number): Promise<D[]> {
  if (devices.length === 0) return devices;
  const mutes = await loadTenantMutes(db, tenantId, now);
  if (mutes.windows.length === 0) return devices;
  return devices.map((device) => {
    const active = mutes.maintenance({ deviceId: device.id, clientId: device.client.id, policyId: device.policy.id }, now);
    return active ? { ...device, maintenance: { name: active.name, until: iso(active.until)! } } : device;
  });
}

/** The alerts with the silences muting them at `now` (resolved alerts: none). */
export async function withSilencedBy<A extends AlertItem>(db: SqlExecutor, tenantId: string, alerts: A[], now: number): Promise<A[]> {
  if (!alerts.some((alert) => alert.state !== 'resolved')) return alerts;
  const mutes = await loadTenantMutes(db, tenantId, now);
  if (mutes.silences.length === 0) return alerts;
  return alerts.map((alert) => {
    if (alert.state === 'resolved') return alert;
    const { silencedBy } = mutes.decision({ deviceId: alert.device.id, clientId: alert.client.id, policyId: null, type: alert.type }, now);
    return silencedBy.length > 0 ? { ...alert, silencedBy } : alert;
  });
}
