/**
 * PSA tickets from alerts, run by the integration pipeline: it
 * asks core's `ticketDecision` about every alert of an evaluated device and, in the
 * evaluator's transaction, records the ticket (one row per alert, ever) and enqueues
 * the call.
 */
import { RECOMMENDED_ACTIONS, formatUtc, ticketDecision } from '../../../core/index.ts';
import type { PsaRules, TicketMapping } from '../../../core/types.ts';
import type { AppConfig } from '../../context.ts';
import type { DeviceEvaluation, EvaluatedAlert, EvaluationListener } from '../evaluation-hooks.ts';
import type { IntegrationSettings } from '../outbox/integration-settings.ts';
import type { EnqueueRequest } from '../outbox/outbox.ts';
import { integrationListener, type KeyedRow, type PipelineStep } from '../integration-pipeline.ts';
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

const TICKETS_SQL = 'SELECT t.alert_id AS key, t.resolved_at FROM json_each(?) j CROSS JOIN tickets t WHERE t.tenant_id = ? AND t.alert_id = j.value';
const INSERT_TICKETS_SQL = `INSERT INTO tickets (tenant_id, alert_id, ticket_type, priority, requested_at)
  SELECT ?, t.value->>0, t.value->>1, t.value->>2, t.value->>3 FROM json_each(?) t WHERE true
  ON CONFLICT (tenant_id, alert_id) DO NOTHING RETURNING alert_id AS key`;
const RESOLVE_TICKETS_SQL = `UPDATE tickets SET resolved_at = ?
  WHERE tenant_id = ? AND alert_id IN (SELECT value->>0 FROM json_each(?)) AND resolved_at IS NULL RETURNING alert_id AS key`;
// The newest job's log of each device (null when it has none or no log).
const NEWEST_JOB_LOGS_SQL = `SELECT j.value AS device_id,
  (SELECT jb.log_url FROM jobs jb WHERE jb.tenant_id = ? AND jb.device_id = j.value ORDER BY jb.started_at DESC LIMIT 1) AS log_url
  FROM json_each(?) j`;

/** The console page of a device: where a ticket's "job log" link leads by default. */
export function deviceConsoleUrl(publicUrl: string, deviceId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/console/devices/${encodeURIComponent(deviceId)}`;
}

interface TicketCandidate {
  evaluation: DeviceEvaluation;
  alert: EvaluatedAlert;
}

type TicketStep =
  | (PipelineStep<'create'> & TicketCandidate & { mapping: TicketMapping })
  | (PipelineStep<'resolve'> & TicketCandidate & { note: string });

/**
 * Creates and resolves tickets for the alerts of a batch of evaluated devices (one
 * ticket per alert, ever), through the integration pipeline.
 */
export function psaEvaluationListener(settings: IntegrationSettings, config: AppConfig): EvaluationListener {
  return integrationListener<PsaRules, TicketCandidate, KeyedRow & { resolved_at: number | null }, TicketStep>({
    async rules(tenantId, tx) {
      const rules = await settings.get(tenantId, 'psa', tx);
      return rules.enabled ? rules : null;
    },
    candidates(evaluation, rules, into) {
      for (const alert of evaluation.alerts) {
        // Skip the ticket lookup for alerts that can never open a ticket.
        if (alert.state !== 'resolved' && !rules.mapping[alert.type]) continue;
        into.push({ evaluation, alert });
      }
    },
    lookupKey: (candidate) => candidate.alert.id,
    lookupSql: TICKETS_SQL,
    decide({ evaluation, alert }, ticket, rules) {
      const decision = ticketDecision(
        {
          alertType: alert.type,
          alertResolved: alert.state === 'resolved',
          ticketRequested: ticket !== undefined,
          ticketResolved: ticket !== undefined && ticket.resolved_at !== null,
          state: evaluation.state,
          now: evaluation.now,
        },
        rules,
      );
      if (decision?.action === 'create') {
        const mapping: TicketMapping = { ticketType: decision.ticketType, priority: decision.priority };
        return { kind: 'create', key: alert.id, row: [alert.id, mapping.ticketType, mapping.priority, evaluation.now], evaluation, alert, mapping };
      }
      if (decision?.action === 'resolve') return { kind: 'resolve', key: alert.id, row: [alert.id], evaluation, alert, note: decision.note };
      return null;
    },
    notification: (step) => ({ kind: step.kind === 'create' ? 'ticket' : 'ticket-resolve', evaluation: step.evaluation, type: step.alert.type }),
    writes: {
      create: { sql: INSERT_TICKETS_SQL, args: (tenantId, rows) => [tenantId, rows] },
      resolve: { sql: RESOLVE_TICKETS_SQL, args: (tenantId, rows, now) => [now, tenantId, rows] },
    },
    async requests(tx, tenantId, steps, written) {
      const created = steps.filter((step) => step.kind === 'create' && written(step).length > 0);
      const logUrls = new Map<string, string | null>();
      if (created.length > 0) {
        const devices = JSON.stringify([...new Set(created.map((step) => step.evaluation.device.id))]);
        for (const row of await tx.all<{ device_id: string; log_url: string | null }>(NEWEST_JOB_LOGS_SQL, [tenantId, devices])) logUrls.set(row.device_id, row.log_url);
      }
      const requests: EnqueueRequest[] = [];
      for (const step of steps) {
        if (written(step).length === 0) continue;
        const { evaluation, alert } = step;
        if (step.kind === 'create') {
          const logUrl = logUrls.get(evaluation.device.id) ?? deviceConsoleUrl(config.publicUrl, evaluation.device.id);
          const payload: CreateTicketPayload = { alertId: alert.id, ticket: ticketRequest(evaluation, alert, step.mapping, logUrl) };
          requests.push({ tenantId, channel: 'psa', kind: 'create', dedupKey: createDedupKey(alert.id), payload, now: evaluation.now });
        } else {
          const payload: ResolveTicketPayload = { alertId: alert.id, note: step.note };
          requests.push({ tenantId, channel: 'psa', kind: 'resolve', dedupKey: resolveDedupKey(alert.id), payload, now: evaluation.now });
        }
      }
      return requests;
    },
  });
}

/** The ticket body for an alert: what happened, the device, the last success, what to do, the job log. */
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
