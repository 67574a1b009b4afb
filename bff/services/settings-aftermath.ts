/**
 * Settings act at once (docs/alert-workflow.md): after the PSA, On-Call or alert-workflow settings are saved, the
 * devices those settings can act on are evaluated again in the same request, so a
 * new mapping opens its tickets and a new kind, threshold or business hours page,
 * with no `POST /admin/evaluate` and no waiting for a device's next check (a new
 * reminder period reschedules the devices with active alerts). Only the
 * devices that can be affected are looked at (active alerts; SLA breaches and open
 * pages), so the cost follows the problems, not the fleet. An SLA change marks the
 * whole tenant due instead (compliance.ts): the next sweep evaluates it.
 */
import type { Database } from '../db/client.ts';
import type { Sweeper } from './sweeper.ts';

const ACTIVE_ALERT_DEVICES_SQL = `SELECT DISTINCT a.device_id AS id FROM alerts a WHERE a.tenant_id = ? AND a.state <> 'resolved'`;
const AFFECTED_SQL = {
  psa: ACTIVE_ALERT_DEVICES_SQL,
  alerts: ACTIVE_ALERT_DEVICES_SQL,
  oncall: `SELECT d.id FROM devices d WHERE d.tenant_id = ?1 AND d.retired_at IS NULL AND d.sla_state = 'breach'
    UNION SELECT p.device_id FROM pages p WHERE p.tenant_id = ?1 AND p.resolved_at IS NULL`,
} as const;

/** Evaluates again, at `now`, the tenant's devices the changed settings can act on. */
export async function actOnIntegrationSettings(db: Database, sweeper: Sweeper, tenantId: string, key: keyof typeof AFFECTED_SQL, now: number): Promise<void> {
  const rows = await db.all<{ id: string }>(AFFECTED_SQL[key], [tenantId]);
  await sweeper.evaluateSome(tenantId, rows.map((row) => row.id), now);
}
