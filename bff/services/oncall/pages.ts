/**
 * On-Call pages from SLA breaches (SPEC §8). The evaluation listener asks core's
 * `pageDecision` about each evaluated device; a trigger is recorded in `pages`, keyed
 * by device and breach start, so one breach pages once whatever the number of sweeps
 * or instances; the resolve goes out when the device meets its SLA again.
 */
import { breachHours, pageDecision } from '../../../core/index.ts';
import { round1 } from '../../../core/format.ts';
import type { OnCallRules } from '../../../core/types.ts';
import type { AppConfig } from '../../context.ts';
import type { DeviceEvaluation, EvaluationListener } from '../evaluation-hooks.ts';
import type { IntegrationSettings } from '../outbox/integration-settings.ts';
import { enqueueMany, type EnqueueRequest } from '../outbox/outbox.ts';
import { deviceConsoleUrl } from '../psa/tickets.ts';
import type { PageRequest } from './client.ts';

// One probe of pages_device per device id of the JSON array.
const OPEN_PAGES_SQL = `SELECT DISTINCT p.device_id FROM json_each(?) j CROSS JOIN pages p
  WHERE p.tenant_id = ? AND p.device_id = j.value AND p.resolved_at IS NULL`;
const INSERT_PAGES_SQL = `INSERT INTO pages (tenant_id, dedup_key, device_id, triggered_at)
  SELECT ?, p.value->>0, p.value->>1, p.value->>2 FROM json_each(?) p WHERE true
  ON CONFLICT (tenant_id, dedup_key) DO NOTHING RETURNING dedup_key`;
const RESOLVE_PAGES_SQL = `UPDATE pages SET resolved_at = ?
  WHERE tenant_id = ? AND device_id IN (SELECT value FROM json_each(?)) AND resolved_at IS NULL RETURNING device_id, dedup_key`;

/** One trigger per breach: the device and the moment its breach began. */
export const pageDedupKey = (deviceId: string, breachSince: number) => `${deviceId}:${breachSince}`;

/**
 * Triggers and resolves pages for a batch of evaluated devices: which of the pageable
 * devices have an open page is read with one statement per tenant.
 */
export function oncallEvaluationListener(settings: IntegrationSettings, config: AppConfig): EvaluationListener {
  return async (tx, evaluations) => {
    const candidates: { evaluation: DeviceEvaluation; rules: OnCallRules }[] = [];
    for (const evaluation of evaluations) {
      const rules = await settings.get(evaluation.tenantId, 'oncall', tx);
      if (!rules.enabled) continue;
      // Devices of other kinds are never paged, so they skip the lookup (a sweep calls
      // this for every due device). A kind removed from the settings leaves its open
      // pages to be resolved in On-Call by hand.
      if (!rules.deviceKinds.includes(evaluation.device.kind)) continue;
      candidates.push({ evaluation, rules });
    }
    if (candidates.length === 0) return;
    const paged = new Set<string>();
    const tenants = new Map<string, string[]>();
    for (const { evaluation } of candidates) {
      const ids = tenants.get(evaluation.tenantId);
      if (ids) ids.push(evaluation.device.id);
      else tenants.set(evaluation.tenantId, [evaluation.device.id]);
    }
    for (const [tenantId, ids] of tenants) {
      for (const row of await tx.all<{ device_id: string }>(OPEN_PAGES_SQL, [JSON.stringify(ids), tenantId])) paged.add(`${tenantId}\u0000${row.device_id}`);
    }
    type Step =
      | { action: 'trigger'; evaluation: DeviceEvaluation; rules: OnCallRules; dedupKey: string; breachHours: number }
      | { action: 'resolve'; evaluation: DeviceEvaluation; rules: OnCallRules };
    const steps: Step[] = [];
    for (const { evaluation, rules } of candidates) {
      const { tenantId, device, sla, now } = evaluation;
      const open = paged.has(`${tenantId}\u0000${device.id}`);
      if (!open && sla.state !== 'breach') continue;
      const decision = pageDecision({ kind: device.kind, sla, paged: open, now }, rules);
      if (decision?.action === 'trigger' && sla.breachSince !== null) {
        steps.push({ action: 'trigger', evaluation, rules, dedupKey: pageDedupKey(device.id, sla.breachSince), breachHours: decision.breachHours });
      } else if (decision?.action === 'resolve') {
        steps.push({ action: 'resolve', evaluation, rules });
      }
    }
    if (steps.length === 0) return;

    // Conditional writes, one statement per tenant and kind; only the rows they changed enqueue a call.
    const triggered = new Set<string>();
    const resolvedByDevice = new Map<string, string[]>();
    const byTenant = new Map<string, { triggers: unknown[][]; resolves: string[]; now: number }>();
    for (const step of steps) {
      const { tenantId, device, now } = step.evaluation;
      let group = byTenant.get(tenantId);
      if (!group) byTenant.set(tenantId, (group = { triggers: [], resolves: [], now }));
      if (step.action === 'trigger') group.triggers.push([step.dedupKey, device.id, now]);
      else group.resolves.push(device.id);
    }
    for (const [tenantId, { triggers, resolves, now }] of byTenant) {
      if (triggers.length > 0) {
        for (const row of await tx.all<{ dedup_key: string }>(INSERT_PAGES_SQL, [tenantId, JSON.stringify(triggers)])) triggered.add(`${tenantId}\u0000${row.dedup_key}`);
      }
      if (resolves.length > 0) {
        for (const row of await tx.all<{ device_id: string; dedup_key: string }>(RESOLVE_PAGES_SQL, [now, tenantId, JSON.stringify(resolves)])) {
          const key = `${tenantId}\u0000${row.device_id}`;
          const list = resolvedByDevice.get(key);
          if (list) list.push(row.dedup_key);
          else resolvedByDevice.set(key, [row.dedup_key]);
        }
      }
    }

    const requests: EnqueueRequest[] = [];
    for (const step of steps) {
      const { evaluation, rules } = step;
      const { tenantId, device, now } = evaluation;
      if (step.action === 'trigger') {
        if (!triggered.has(`${tenantId}\u0000${step.dedupKey}`)) continue;
        const page = pageRequest(evaluation, 'trigger', step.dedupKey, rules.escalationPolicy, step.breachHours, config);
        requests.push({ tenantId, channel: 'oncall', kind: 'trigger', dedupKey: `trigger:${step.dedupKey}`, payload: page, now });
      } else {
        for (const dedupKey of resolvedByDevice.get(`${tenantId}\u0000${device.id}`) ?? []) {
          const breachSince = Number(dedupKey.slice(dedupKey.lastIndexOf(':') + 1));
          const hours = Number.isFinite(breachSince) ? breachHours(breachSince, now) : 0;
          const page = pageRequest(evaluation, 'resolve', dedupKey, rules.escalationPolicy, hours, config);
          requests.push({ tenantId, channel: 'oncall', kind: 'resolve', dedupKey: `resolve:${dedupKey}`, payload: page, now });
        }
      }
    }
    await enqueueMany(tx, requests);
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
      ? `SLA breach: ${where} has had no successful backup for ${round1(breachHours + sla.maxHours)} h (SLA ${sla.maxHours} h)`
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
