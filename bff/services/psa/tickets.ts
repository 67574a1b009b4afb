/**
 * PSA tickets from alert transitions (SPEC §7). The evaluation listener asks core's
 * `ticketDecision` about every alert of an evaluated device and, in the evaluator's
 * transaction, records the ticket (one row per alert, ever) and enqueues the call.
 */
import { RECOMMENDED_ACTIONS, formatUtc, ticketDecision } from '../../../core/index.ts';
import type { TicketMapping } from '../../../core/types.ts';
import type { AppConfig } from '../../context.ts';
import type { SqlExecutor } from '../../db/client.ts';
import type { DeviceEvaluation, EvaluatedAlert, EvaluationListener } from '../evaluation-hooks.ts';
import type { IntegrationSettings } from '../outbox/integration-settings.ts';
import { enqueue } from '../outbox/outbox.ts';
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

const TICKET_SQL = 'SELECT resolved_at FROM tickets WHERE tenant_id = ? AND alert_id = ?';
const INSERT_TICKET_SQL = `INSERT INTO tickets (tenant_id, alert_id, ticket_type, priority, requested_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (tenant_id, alert_id) DO NOTHING`;
const RESOLVE_TICKET_SQL = 'UPDATE tickets SET resolved_at = ? WHERE tenant_id = ? AND alert_id = ? AND resolved_at IS NULL';
const NEWEST_JOB_LOG_SQL = 'SELECT log_url FROM jobs WHERE tenant_id = ? AND device_id = ? ORDER BY started_at DESC LIMIT 1';

/** The console page of a device: where a ticket's "job log" link leads by default. */
export function deviceConsoleUrl(publicUrl: string, deviceId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/console/devices/${encodeURIComponent(deviceId)}`;
}

/** Creates and resolves tickets for the alerts of one evaluated device. */
export function psaEvaluationListener(settings: IntegrationSettings, config: AppConfig): EvaluationListener {
  return async (tx, evaluation) => {
    if (evaluation.alerts.length === 0) return;
    const rules = await settings.get(evaluation.tenantId, 'psa', tx);
    if (!rules.enabled) return;
    for (const alert of evaluation.alerts) {
      const resolved = alert.state === 'resolved';
      // Skip the ticket lookup for alerts that can never open a ticket.
      if (!resolved && !rules.mapping[alert.type]) continue;
      const ticket = await tx.get<{ resolved_at: number | null }>(TICKET_SQL, [evaluation.tenantId, alert.id]);
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
        await requestTicket(tx, evaluation, alert, decision, config);
      } else if (decision?.action === 'resolve') {
        const { changes } = await tx.run(RESOLVE_TICKET_SQL, [evaluation.now, evaluation.tenantId, alert.id]);
        if (changes === 1) {
          const payload: ResolveTicketPayload = { alertId: alert.id, note: decision.note };
          await enqueue(tx, { tenantId: evaluation.tenantId, channel: 'psa', kind: 'resolve', dedupKey: resolveDedupKey(alert.id), payload, now: evaluation.now });
        }
      }
    }
  };
}

async function requestTicket(tx: SqlExecutor, evaluation: DeviceEvaluation, alert: EvaluatedAlert, mapping: TicketMapping, config: AppConfig) {
  const { changes } = await tx.run(INSERT_TICKET_SQL, [evaluation.tenantId, alert.id, mapping.ticketType, mapping.priority, evaluation.now]);
  if (changes !== 1) return;
  const job = await tx.get<{ log_url: string | null }>(NEWEST_JOB_LOG_SQL, [evaluation.tenantId, evaluation.device.id]);
  const ticket = ticketRequest(evaluation, alert, mapping, job?.log_url ?? deviceConsoleUrl(config.publicUrl, evaluation.device.id));
  const payload: CreateTicketPayload = { alertId: alert.id, ticket };
  await enqueue(tx, { tenantId: evaluation.tenantId, channel: 'psa', kind: 'create', dedupKey: createDedupKey(alert.id), payload, now: evaluation.now });
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
