/**
 * On-Call pages from SLA breaches (SPEC §8). The evaluation listener asks core's
 * `pageDecision` about each evaluated device; a trigger is recorded in `pages`, keyed
 * by device and breach start, so one breach pages once whatever the number of sweeps
 * or instances; the resolve goes out when the device meets its SLA again.
 */
import { HOUR, pageDecision } from '../../../core/index.ts';
import type { AppConfig } from '../../context.ts';
import type { DeviceEvaluation, EvaluationListener } from '../evaluation-hooks.ts';
import type { IntegrationSettings } from '../outbox/integration-settings.ts';
import { enqueue } from '../outbox/outbox.ts';
import { deviceConsoleUrl } from '../psa/tickets.ts';
import type { PageRequest } from './client.ts';

const OPEN_PAGE_SQL = 'SELECT dedup_key FROM pages WHERE tenant_id = ? AND device_id = ? AND resolved_at IS NULL LIMIT 1';
const INSERT_PAGE_SQL = `INSERT INTO pages (tenant_id, dedup_key, device_id, triggered_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (tenant_id, dedup_key) DO NOTHING`;
const RESOLVE_PAGES_SQL = 'UPDATE pages SET resolved_at = ? WHERE tenant_id = ? AND device_id = ? AND resolved_at IS NULL RETURNING dedup_key';

/** One trigger per breach: the device and the moment its breach began. */
export const pageDedupKey = (deviceId: string, breachSince: number) => `${deviceId}:${breachSince}`;

/** Triggers and resolves pages for one evaluated device. */
export function oncallEvaluationListener(settings: IntegrationSettings, config: AppConfig): EvaluationListener {
  return async (tx, evaluation) => {
    const rules = await settings.get(evaluation.tenantId, 'oncall', tx);
    if (!rules.enabled) return;
    const { tenantId, device, sla, now } = evaluation;
    // Devices of other kinds are never paged, so they skip the lookup (a sweep calls
    // this for every due device). A kind removed from the settings leaves its open
    // pages to be resolved in On-Call by hand.
    if (!rules.deviceKinds.includes(device.kind)) return;
    const open = await tx.get<{ dedup_key: string }>(OPEN_PAGE_SQL, [tenantId, device.id]);
    if (!open && sla.state !== 'breach') return;
    const decision = pageDecision({ kind: device.kind, sla, paged: open !== undefined, now }, rules);
    if (decision?.action === 'trigger' && sla.breachSince !== null) {
      const dedupKey = pageDedupKey(device.id, sla.breachSince);
      const { changes } = await tx.run(INSERT_PAGE_SQL, [tenantId, dedupKey, device.id, now]);
      if (changes !== 1) return;
      const page = pageRequest(evaluation, 'trigger', dedupKey, rules.escalationPolicy, decision.breachHours, config);
      await enqueue(tx, { tenantId, channel: 'oncall', kind: 'trigger', dedupKey: `trigger:${dedupKey}`, payload: page, now });
    } else if (decision?.action === 'resolve') {
      const resolvedPages = await tx.all<{ dedup_key: string }>(RESOLVE_PAGES_SQL, [now, tenantId, device.id]);
      for (const { dedup_key: dedupKey } of resolvedPages) {
        const breachSince = Number(dedupKey.slice(dedupKey.lastIndexOf(':') + 1));
        const breachHours = Number.isFinite(breachSince) ? Math.round(((now - breachSince) / HOUR) * 10) / 10 : 0;
        const page = pageRequest(evaluation, 'resolve', dedupKey, rules.escalationPolicy, breachHours, config);
        await enqueue(tx, { tenantId, channel: 'oncall', kind: 'resolve', dedupKey: `resolve:${dedupKey}`, payload: page, now });
      }
    }
  };
}

function pageRequest(
  evaluation: DeviceEvaluation,
  action: PageRequest['action'],
  dedupKey: string,
  escalationPolicy: string,
  breachHours: number,
  config: AppConfig,
): PageRequest {
  const { device, sla } = evaluation;
  const where = `${device.name} (${device.clientName})`;
  const summary =
    action === 'trigger'
      ? `SLA breach: ${where} has had no successful backup for ${Math.round((breachHours + sla.maxHours) * 10) / 10} h (SLA ${sla.maxHours} h)`
      : `Resolved: ${where} meets its backup SLA again after ${breachHours} h in breach`;
  return {
    action,
    dedupKey,
    escalationPolicy,
    severity: 'critical',
    summary,
    client: { id: device.clientId, name: device.clientName },
    device: { id: device.id, name: device.name },
    breachHours,
    link: deviceConsoleUrl(config.publicUrl, device.id),
  };
}
