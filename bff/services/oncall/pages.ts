/**
 * On-Call pages from SLA breaches, run by the integration pipeline:
 * it asks core's `pageDecision` about each evaluated device; a trigger is recorded in `pages`, keyed
 * by device and breach start, so one breach pages once whatever the number of sweeps
 * or instances; the resolve goes out when the device meets its SLA again. An alert
 * of a paged device that escalates re-triggers the page (same dedupKey): an
 * escalation always notifies again.
 */
import { breachHours, pageDecision } from '../../../core/index.ts';
import { round1 } from '../../../core/format.ts';
import type { OnCallRules } from '../../../core/types.ts';
import type { AppConfig } from '../../context.ts';
import type { DeviceEvaluation, EvaluationListener } from '../evaluation-hooks.ts';
import type { IntegrationSettings } from '../outbox/integration-settings.ts';
import type { EnqueueRequest } from '../outbox/outbox.ts';
import { integrationListener, type KeyedRow, type PipelineStep } from '../integration-pipeline.ts';
import { deviceConsoleUrl } from '../psa/tickets.ts';
import type { PageRequest } from './client.ts';

// One probe of pages_device per device id of the JSON array.
const OPEN_PAGES_SQL = `SELECT p.device_id AS key, MAX(p.dedup_key) AS dedup_key FROM json_each(?) j CROSS JOIN pages p
  WHERE p.tenant_id = ? AND p.device_id = j.value AND p.resolved_at IS NULL GROUP BY p.device_id`;
// A re-trigger records nothing: the escalation that causes it happens once (its own write is guarded).
const RETRIGGER_SQL = 'SELECT v.value->>0 AS key FROM json_each(?2) v WHERE ?1 IS NOT NULL';
const INSERT_PAGES_SQL = `INSERT INTO pages (tenant_id, dedup_key, device_id, triggered_at)
  SELECT ?, p.value->>0, p.value->>1, p.value->>2 FROM json_each(?) p WHERE true
  ON CONFLICT (tenant_id, dedup_key) DO NOTHING RETURNING dedup_key AS key`;
const RESOLVE_PAGES_SQL = `UPDATE pages SET resolved_at = ?
  WHERE tenant_id = ? AND device_id IN (SELECT value->>0 FROM json_each(?)) AND resolved_at IS NULL RETURNING device_id AS key, dedup_key`;

/** One trigger per breach: the device and the moment its breach began. */
export const pageDedupKey = (deviceId: string, breachSince: number) => `${deviceId}:${breachSince}`;

type PageStep =
  | (PipelineStep<'trigger'> & { evaluation: DeviceEvaluation; breachHours: number })
  | (PipelineStep<'retrigger'> & { evaluation: DeviceEvaluation; dedupKey: string; alertId: string })
  | (PipelineStep<'resolve'> & { evaluation: DeviceEvaluation });

/**
 * Triggers and resolves pages for a batch of evaluated devices (one trigger per
 * breach, whatever the number of sweeps or instances), through the integration pipeline.
 */
export function oncallEvaluationListener(settings: IntegrationSettings, config: AppConfig): EvaluationListener {
  return integrationListener<OnCallRules, DeviceEvaluation, KeyedRow & { dedup_key: string }, PageStep>({
    async rules(tenantId, tx) {
      const rules = await settings.get(tenantId, 'oncall', tx);
      return rules.enabled ? rules : null;
    },
    candidates(evaluation, rules, into) {
      // Devices of other kinds are never paged, so they skip the lookup (a sweep calls
      // this for every due device). A kind removed from the settings leaves its open
      // pages to be resolved in On-Call by hand.
      if (rules.deviceKinds.includes(evaluation.device.kind)) into.push(evaluation);
    },
    lookupKey: (evaluation) => evaluation.device.id,
    lookupSql: OPEN_PAGES_SQL,
    decide(evaluation, openPage, rules) {
      const { device, sla, now } = evaluation;
      const paged = openPage !== undefined;
      if (!paged && sla.state !== 'breach') return null;
      const decision = pageDecision({ kind: device.kind, sla, paged, now }, rules);
      if (decision?.action === 'trigger' && sla.breachSince !== null) {
        const dedupKey = pageDedupKey(device.id, sla.breachSince);
        return { kind: 'trigger', key: dedupKey, row: [dedupKey, device.id, now], evaluation, breachHours: decision.breachHours };
      }
      if (decision?.action === 'resolve') return { kind: 'resolve', key: device.id, row: [device.id], evaluation };
      const escalated = paged && sla.state === 'breach' ? evaluation.alerts.find((alert) => alert.escalatedNow) : undefined;
      if (escalated && openPage) {
        return { kind: 'retrigger', key: device.id, row: [device.id], evaluation, dedupKey: openPage.dedup_key, alertId: escalated.id };
      }
      return null;
    },
    // A page is about the device's SLA breach, not one alert: only silences without a type mute it.
    notification: (step) => ({ kind: step.kind === 'trigger' ? 'page' : step.kind === 'retrigger' ? 'page-retrigger' : 'page-resolve', evaluation: step.evaluation, type: null }),
    writes: {
      trigger: { sql: INSERT_PAGES_SQL, args: (tenantId, rows) => [tenantId, rows] },
      retrigger: { sql: RETRIGGER_SQL, args: (tenantId, rows) => [tenantId, rows] },
      resolve: { sql: RESOLVE_PAGES_SQL, args: (tenantId, rows, now) => [now, tenantId, rows] },
    },
    async requests(_tx, tenantId, steps, written, rules) {
      const requests: EnqueueRequest[] = [];
      for (const step of steps) {
        const { evaluation } = step;
        const { now } = evaluation;
        if (step.kind === 'trigger') {
          if (written(step).length === 0) continue;
          const page = pageRequest(evaluation, 'trigger', step.key, rules.escalationPolicy, step.breachHours, config);
          requests.push({ tenantId, channel: 'oncall', kind: 'trigger', dedupKey: `trigger:${step.key}`, payload: page, now });
        } else if (step.kind === 'retrigger') {
          const page = pageRequest(evaluation, 'trigger', step.dedupKey, rules.escalationPolicy, breachHoursOf(step.dedupKey, now), config);
          page.summary = `Escalated to critical: ${page.summary}`;
          requests.push({ tenantId, channel: 'oncall', kind: 'trigger', dedupKey: `retrigger:${step.dedupKey}:escalated:${step.alertId}`, payload: page, now });
        } else {
          for (const row of written(step) as readonly (KeyedRow & { dedup_key: string })[]) {
            const page = pageRequest(evaluation, 'resolve', row.dedup_key, rules.escalationPolicy, breachHoursOf(row.dedup_key, now), config);
            requests.push({ tenantId, channel: 'oncall', kind: 'resolve', dedupKey: `resolve:${row.dedup_key}`, payload: page, now });
          }
        }
      }
      return requests;
    },
  });
}

/** Hours in breach at `now` of the breach a page's dedupKey names (`device:breachSince`). */
export function breachHoursOf(dedupKey: string, now: number): number {
  const breachSince = Number(dedupKey.slice(dedupKey.lastIndexOf(':') + 1));
  return Number.isFinite(breachSince) ? breachHours(breachSince, now) : 0;
}

/** A page about one evaluated device. */
export function pageRequest(
  evaluation: DeviceEvaluation,
  action: PageRequest['action'],
  dedupKey: string,
  escalationPolicy: string,
  hoursInBreach: number,
  config: AppConfig,
): PageRequest {
  const { device, sla } = evaluation;
  const where = `${device.name} (${device.clientName})`;
  const summary =
    action === 'trigger'
      ? `SLA breach: ${where} has had no successful backup for ${round1(hoursInBreach + sla.maxHours)} h (SLA ${sla.maxHours} h)`
      : `Resolved: ${where} meets its backup SLA again after ${hoursInBreach} h in breach`;
  return {
    action,
    dedupKey,
    escalationPolicy,
    severity: 'critical',
    summary,
    client: { id: device.clientId, name: device.clientName },
    device: { id: device.id, name: device.name },
    breachHours: hoursInBreach,
    link: deviceConsoleUrl(config.publicUrl, device.id),
  };
}
