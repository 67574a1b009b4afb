/**
 * PSA tickets from alerts, run by the integration pipeline: it asks core's
 * `ticketDecision` about every alert of an evaluated device and, in the evaluator's
 * transaction, records the decision (one row per alert, ever) and enqueues the call.
 * The ticket lifecycle (core/ticket-lifecycle.ts): a qualifying new alert whose
 * device and type still have an open ticket adds a note to it, one resolved less
 * than `reopenDays` ago is reopened, otherwise a ticket opens; a new failure or an
 * escalation of an alert with an open ticket adds a note.
 */
import { noteForEscalation, noteForNewFailure, ticketForNewAlert, type TicketRecord } from '../../../core/ticket-lifecycle.ts';
import { RECOMMENDED_ACTIONS, formatUtc, ticketDecision } from '../../../core/index.ts';
import type { TicketMapping } from '../../../core/types.ts';
import type { PsaSettingsDoc } from '../settings-store.ts';
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

/** Outbox payload of a note on, or a reopening of, the ticket of alert `ticketRef` (its PSA id is looked up at delivery). */
export interface TicketNotePayload {
  ticketRef: string;
  note: string;
}

// Muting is decided once, by the pipeline's gate (`allowed`), for every step's kind.
const NEVER_MUTED = { muteNotifications: false } as const;

export const createDedupKey = (alertId: string) => `create:${alertId}`;
export const resolveDedupKey = (alertId: string) => `resolve:${alertId}`;

// Per alert: its own ticket row, and the newest ticket of its device and type (for a new alert).
const TICKETS_SQL = `SELECT a.id AS key, t.alert_id AS own, t.resolved_at, t.requested_at, t.last_failure_noted_at,
  COALESCE(t.ticket_ref, t.alert_id) AS ref, COALESCE(l.ticket_ref, l.alert_id) AS latest_ref, l.resolved_at AS latest_resolved_at
  FROM json_each(?1) j JOIN alerts a ON a.tenant_id = ?2 AND a.id = j.value
  LEFT JOIN tickets t ON t.tenant_id = ?2 AND t.alert_id = a.id
  LEFT JOIN tickets l ON t.alert_id IS NULL AND l.rowid = (SELECT n.rowid FROM tickets n
    WHERE n.tenant_id = ?2 AND n.device_id = a.device_id AND n.alert_type = a.type AND n.alert_id <> a.id ORDER BY n.requested_at DESC LIMIT 1)
  WHERE t.alert_id IS NOT NULL OR l.rowid IS NOT NULL`;
// Rows: [alert id, ticket type, priority, requested at, device id, alert type, ticket ref (null: its own ticket)].
const INSERT_TICKETS_SQL = `INSERT INTO tickets (tenant_id, alert_id, ticket_type, priority, requested_at, device_id, alert_type, ticket_ref)
  SELECT ?, t.value->>0, t.value->>1, t.value->>2, t.value->>3, t.value->>4, t.value->>5, t.value->>6 FROM json_each(?) t WHERE true
  ON CONFLICT (tenant_id, alert_id) DO NOTHING RETURNING alert_id AS key`;
// A failure is noted once: the write raises the ticket's newest noted failure.
const NOTE_FAILURE_SQL = `UPDATE tickets SET last_failure_noted_at = v.value->>1
  FROM json_each(?2) v WHERE tickets.tenant_id = ?1 AND tickets.alert_id = v.value->>0 AND tickets.resolved_at IS NULL
  AND (tickets.last_failure_noted_at IS NULL OR tickets.last_failure_noted_at < v.value->>1) RETURNING tickets.alert_id AS key`;
// An escalation happens once per alert (its own write is guarded); its note also covers the failure that escalated it.
const NOTE_ESCALATION_SQL = `UPDATE tickets SET last_failure_noted_at = MAX(COALESCE(tickets.last_failure_noted_at, 0), v.value->>1)
  FROM json_each(?2) v WHERE tickets.tenant_id = ?1 AND tickets.alert_id = v.value->>0 RETURNING tickets.alert_id AS key`;
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

/** What the lookup found for an alert: its own ticket row (`own`), or else the newest ticket of its device and type. */
interface FoundTicket extends KeyedRow {
  own: string | null;
  resolved_at: number | null;
  requested_at: number | null;
  last_failure_noted_at: number | null;
  ref: string | null;
  latest_ref: string | null;
  latest_resolved_at: number | null;
}

/** The PSA settings the listener runs with, plus the tenant's reopen period. */
type TicketRules = PsaSettingsDoc & { reopenDays: number };

type TicketStep =
  | (PipelineStep<'create'> & TicketCandidate & { mapping: TicketMapping })
  | (PipelineStep<'continue'> & TicketCandidate & { plan: { action: 'note' | 'reopen'; ticketRef: string; note: string; key: string } })
  | (PipelineStep<'failure-note'> & TicketCandidate & { plan: { ticketRef: string; note: string; key: string } })
  | (PipelineStep<'escalation-note'> & TicketCandidate & { plan: { ticketRef: string; note: string; key: string } })
  | (PipelineStep<'resolve'> & TicketCandidate & { note: string });

const NOTIFICATION_KINDS = {
  create: 'ticket',
  'failure-note': 'ticket-note',
  'escalation-note': 'ticket-note',
  resolve: 'ticket-resolve',
} as const;

/**
 * Creates and resolves tickets for the alerts of a batch of evaluated devices (one
 * ticket per alert, ever), through the integration pipeline.
 */
export function psaEvaluationListener(settings: IntegrationSettings, config: AppConfig): EvaluationListener {
  return integrationListener<TicketRules, TicketCandidate, FoundTicket, TicketStep>({
    async rules(tenantId, tx) {
      const rules = await settings.get(tenantId, 'psa', tx);
      return rules.enabled ? { ...rules, reopenDays: (await settings.get(tenantId, 'alerts', tx)).reopenDays } : null;
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
    decide({ evaluation, alert }, found, rules) {
      const own = found?.own ? found : undefined;
      const { now, state } = evaluation;
      const candidate = { evaluation, alert };
      const decision = ticketDecision(
        {
          alertType: alert.type,
          alertResolved: alert.state === 'resolved',
          ticketRequested: own !== undefined,
          ticketResolved: own !== undefined && own.resolved_at !== null,
          state,
          now,
        },
        rules,
      );
      if (decision?.action === 'create') {
        const mapping: TicketMapping = { ticketType: decision.ticketType, priority: decision.priority };
        const latest: TicketRecord | null = found?.latest_ref
          ? { ref: found.latest_ref, status: found.latest_resolved_at === null ? 'open' : 'resolved', resolvedAt: found.latest_resolved_at }
          : null;
        const plan = ticketForNewAlert({ alert: { ...alert }, latest, reopenDays: rules.reopenDays, mute: NEVER_MUTED }, now);
        const row = (ref: string | null) => [alert.id, mapping.ticketType, mapping.priority, now, evaluation.device.id, alert.type, ref];
        if (plan === null || plan.action === 'create') return { kind: 'create', key: alert.id, row: row(null), ...candidate, mapping };
        return { kind: 'continue', key: alert.id, row: row(plan.ticketRef), ...candidate, plan };
      }
      if (decision?.action === 'resolve') return { kind: 'resolve', key: alert.id, row: [alert.id], ...candidate, note: decision.note };
      if (alert.state === 'resolved' || !own?.ref || own.resolved_at !== null) return null;
      const ticket: TicketRecord = { ref: own.ref, status: 'open', resolvedAt: null };
      if (alert.escalatedNow) {
        const escalation = { kind: 'escalated' as const, from: 'warning' as const, severity: alert.severity, at: now, reason: alert.reason };
        const plan = noteForEscalation({ ticket, escalation, mute: NEVER_MUTED });
        if (plan) return { kind: 'escalation-note', key: alert.id, row: [alert.id, state.lastFailureAt ?? 0], ...candidate, plan };
      }
      // A failed job after the ticket was asked for, not noted yet.
      const failedAt = state.lastFailureAt;
      if (alert.type === 'backup_failed' && state.lastJobStatus === 'failed' && failedAt !== null && failedAt > (own.requested_at ?? now) && failedAt > (own.last_failure_noted_at ?? 0)) {
        const plan = noteForNewFailure({ ticket, failedAt, consecutiveFailures: state.consecutiveFailures, mute: NEVER_MUTED });
        if (plan) return { kind: 'failure-note', key: alert.id, row: [alert.id, failedAt], ...candidate, plan };
      }
      return null;
    },
    notification: (step) => ({
      kind: step.kind === 'continue' ? (step.plan.action === 'note' ? 'ticket-note' : 'ticket-reopen') : NOTIFICATION_KINDS[step.kind],
      evaluation: step.evaluation,
      type: step.alert.type,
    }),
    writes: {
      create: { sql: INSERT_TICKETS_SQL, args: (tenantId, rows) => [tenantId, rows] },
      continue: { sql: INSERT_TICKETS_SQL, args: (tenantId, rows) => [tenantId, rows] },
      'failure-note': { sql: NOTE_FAILURE_SQL, args: (tenantId, rows) => [tenantId, rows] },
      'escalation-note': { sql: NOTE_ESCALATION_SQL, args: (tenantId, rows) => [tenantId, rows] },
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
        } else if (step.kind === 'continue' || step.kind === 'failure-note' || step.kind === 'escalation-note') {
          const kind = step.kind === 'continue' ? step.plan.action : 'note';
          const payload: TicketNotePayload = { ticketRef: step.plan.ticketRef, note: step.plan.note };
          requests.push({ tenantId, channel: 'psa', kind, dedupKey: step.plan.key, payload, now: evaluation.now });
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
