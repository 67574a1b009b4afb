/**
 * PSA tickets from alert transitions (SPEC §7). The evaluation listener asks core's
 * `ticketDecision` about every alert of an evaluated device and, in the evaluator's
 * transaction, records the ticket (one row per alert, ever) and enqueues the call.
 */
import { RECOMMENDED_ACTIONS, formatUtc, ticketDecision } from '../../../core/index.ts';
import type { PsaRules, TicketMapping } from '../../../core/types.ts';
import type { AppConfig } from '../../context.ts';
import type { DeviceEvaluation, EvaluatedAlert, EvaluationListener } from '../evaluation-hooks.ts';
import type { IntegrationSettings } from '../outbox/integration-settings.ts';
import { enqueueMany, type EnqueueRequest } from '../outbox/outbox.ts';
import { iso } from '../views.ts';
import type { TicketRequest } from './adapter.ts';

/** Outbox payload of a ticket creation. */
export interface CreateTicketPayload {
  alertId: string;
  ticket: TicketRequest;
}

/** Outbox payload of a ticket resolution; the PSA's ticket id is looked up at delivery. */
export interface ResolveTicketPayload {
  alertId: string;
  note: string;
}

export const createDedupKey = (alertId: string) => `create:${alertId}`;
export const resolveDedupKey = (alertId: string) => `resolve:${alertId}`;

const TICKETS_SQL = 'SELECT t.alert_id, t.resolved_at FROM json_each(?) j CROSS JOIN tickets t WHERE t.tenant_id = ? AND t.alert_id = j.value';
const INSERT_TICKETS_SQL = `INSERT INTO tickets (tenant_id, alert_id, ticket_type, priority, requested_at)
  SELECT ?, t.value->>0, t.value->>1, t.value->>2, t.value->>3 FROM json_each(?) t WHERE true
  ON CONFLICT (tenant_id, alert_id) DO NOTHING RETURNING alert_id`;
const RESOLVE_TICKETS_SQL = `UPDATE tickets SET resolved_at = ?
  WHERE tenant_id = ? AND alert_id IN (SELECT value FROM json_each(?)) AND resolved_at IS NULL RETURNING alert_id`;
// The newest job's log of each device (null when it has none or no log).
const NEWEST_JOB_LOGS_SQL = `SELECT j.value AS device_id,
  (SELECT jb.log_url FROM jobs jb WHERE jb.tenant_id = ? AND jb.device_id = j.value ORDER BY jb.started_at DESC LIMIT 1) AS log_url
  FROM json_each(?) j`;

/** The console page of a device: where a ticket's "job log" link leads by default. */
export function deviceConsoleUrl(publicUrl: string, deviceId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/console/devices/${encodeURIComponent(deviceId)}`;
}

/**
 * Creates and resolves tickets for the alerts of a batch of evaluated devices: the
 * tickets of the alerts that may need one are read with one statement per tenant.
 */
export function psaEvaluationListener(settings: IntegrationSettings, config: AppConfig): EvaluationListener {
  return async (tx, evaluations) => {
    const candidates: { evaluation: DeviceEvaluation; alert: EvaluatedAlert; rules: PsaRules }[] = [];
    for (const evaluation of evaluations) {
      if (evaluation.alerts.length === 0) continue;
      const rules = await settings.get(evaluation.tenantId, 'psa', tx);
      if (!rules.enabled) continue;
      for (const alert of evaluation.alerts) {
        // Skip the ticket lookup for alerts that can never open a ticket.
        if (alert.state !== 'resolved' && !rules.mapping[alert.type]) continue;
        candidates.push({ evaluation, alert, rules });
      }
    }
    if (candidates.length === 0) return;
    const tickets = new Map<string, { resolved_at: number | null }>();
    for (const [tenantId, group] of groupByTenant(candidates)) {
      const rows = await tx.all<{ alert_id: string; resolved_at: number | null }>(TICKETS_SQL, [JSON.stringify(group.map((c) => c.alert.id)), tenantId]);
      for (const row of rows) tickets.set(`${tenantId}\u0000${row.alert_id}`, row);
    }
    const creations: { evaluation: DeviceEvaluation; alert: EvaluatedAlert; mapping: TicketMapping }[] = [];
    const resolutions: { evaluation: DeviceEvaluation; alert: EvaluatedAlert; note: string }[] = [];
    const steps: ({ action: 'create'; index: number } | { action: 'resolve'; index: number })[] = [];
    for (const { evaluation, alert, rules } of candidates) {
      const resolved = alert.state === 'resolved';
      const ticket = tickets.get(`${evaluation.tenantId}\u0000${alert.id}`);
      const decision = ticketDecision(
        {
          alertType: alert.type,
          alertResolved: resolved,
          ticketRequested: ticket !== undefined,
          ticketResolved: ticket !== undefined && ticket.resolved_at !== null,
          state: evaluation.state,
          now: evaluation.now,
        },
        rules,
      );
      if (decision?.action === 'create') {
        steps.push({ action: 'create', index: creations.length });
        creations.push({ evaluation, alert, mapping: decision });
      } else if (decision?.action === 'resolve') {
        steps.push({ action: 'resolve', index: resolutions.length });
        resolutions.push({ evaluation, alert, note: decision.note });
      }
    }
    if (steps.length === 0) return;

    // Conditional writes, one statement per tenant and kind; only the rows they changed enqueue a call.
    const created = new Set<string>();
    const logUrls = new Map<string, string | null>();
    for (const [tenantId, group] of groupByTenant(creations)) {
      const rows = group.map(({ evaluation, alert, mapping }) => [alert.id, mapping.ticketType, mapping.priority, evaluation.now]);
      for (const row of await tx.all<{ alert_id: string }>(INSERT_TICKETS_SQL, [tenantId, JSON.stringify(rows)])) created.add(`${tenantId}\u0000${row.alert_id}`);
      const devices = [...new Set(group.filter((c) => created.has(`${tenantId}\u0000${c.alert.id}`)).map((c) => c.evaluation.device.id))];
      if (devices.length === 0) continue;
      for (const row of await tx.all<{ device_id: string; log_url: string | null }>(NEWEST_JOB_LOGS_SQL, [tenantId, JSON.stringify(devices)])) {
        logUrls.set(`${tenantId}\u0000${row.device_id}`, row.log_url);
      }
    }
    const closed = new Set<string>();
    for (const [tenantId, group] of groupByTenant(resolutions)) {
      const rows = await tx.all<{ alert_id: string }>(RESOLVE_TICKETS_SQL, [group[0]!.evaluation.now, tenantId, JSON.stringify(group.map((r) => r.alert.id))]);
      for (const row of rows) closed.add(`${tenantId}\u0000${row.alert_id}`);
    }

    const requests: EnqueueRequest[] = [];
    for (const step of steps) {
      if (step.action === 'create') {
        const { evaluation, alert, mapping } = creations[step.index]!;
        const key = `${evaluation.tenantId}\u0000${alert.id}`;
        if (!created.has(key)) continue;
        const logUrl = logUrls.get(`${evaluation.tenantId}\u0000${evaluation.device.id}`) ?? deviceConsoleUrl(config.publicUrl, evaluation.device.id);
        const payload: CreateTicketPayload = { alertId: alert.id, ticket: ticketRequest(evaluation, alert, mapping, logUrl) };
        requests.push({ tenantId: evaluation.tenantId, channel: 'psa', kind: 'create', dedupKey: createDedupKey(alert.id), payload, now: evaluation.now });
      } else {
        const { evaluation, alert, note } = resolutions[step.index]!;
        if (!closed.has(`${evaluation.tenantId}\u0000${alert.id}`)) continue;
        const payload: ResolveTicketPayload = { alertId: alert.id, note };
        requests.push({ tenantId: evaluation.tenantId, channel: 'psa', kind: 'resolve', dedupKey: resolveDedupKey(alert.id), payload, now: evaluation.now });
      }
    }
    await enqueueMany(tx, requests);
  };
}

function groupByTenant<T extends { evaluation: DeviceEvaluation }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.evaluation.tenantId);
    if (group) group.push(item);
    else groups.set(item.evaluation.tenantId, [item]);
  }
  return groups;
}

/** The SPEC §7 ticket body for an alert. */
export function ticketRequest(evaluation: DeviceEvaluation, alert: EvaluatedAlert, mapping: TicketMapping, jobLogUrl: string): TicketRequest {
  const { device } = evaluation;
  const lastSuccessAt = evaluation.state.lastSuccessAt;
  const description = [
    `${alert.reason}.`,
    '',
    `Device: ${device.name} (${device.id}, ${device.kind}) at ${device.clientName}`,
    `Last successful backup: ${lastSuccessAt === null ? 'never' : formatUtc(lastSuccessAt)}`,
    `Alert: ${alert.type} (${alert.severity}), triggered ${formatUtc(alert.triggeredAt)}`,
    '',
    `Recommended action: ${RECOMMENDED_ACTIONS[alert.type]}`,
    '',
    `Job log: ${jobLogUrl}`,
  ].join('\n');
  return {
    externalRef: alert.id,
    type: mapping.ticketType,
    priority: mapping.priority,
    summary: `${mapping.ticketType}: ${device.name} (${device.clientName}) — ${alert.reason}`.slice(0, 250),
    description,
    client: { id: device.clientId, name: device.clientName },
    device: { id: device.id, name: device.name },
    alertType: alert.type,
    triggeredAt: iso(alert.triggeredAt)!,
    lastSuccessfulBackupAt: iso(lastSuccessAt),
    jobLogUrl,
  };
}
