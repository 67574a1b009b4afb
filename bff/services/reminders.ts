/**
 * Reminders (docs/alert-workflow.md), run by the integration pipeline like tickets and pages:
 * while an alert stays open, every `reminderHours` a note on its open PSA ticket and,
 * if its device paged, a re-trigger with the page's dedupKey. core's
 * `reminderDecision` picks the reminder due now (only the newest after downtime);
 * the write raises the alert's `last_reminder_at` to its due time, so a period is
 * claimed once across sweeps and instances, and the outbox items carry the
 * reminder's key (`reminder:<alert id>:<due time>`) as their idempotency key. The
 * device is looked at again when the next reminder falls due.
 */
import { reminderDecision, reminderKey, type Reminder } from '../../core/reminders.ts';
import type { AppConfig } from '../context.ts';
import type { DeviceEvaluation, EvaluatedAlert, EvaluationListener } from './evaluation-hooks.ts';
import { integrationListener, type KeyedRow, type PipelineStep } from './integration-pipeline.ts';
import { breachHoursOf, pageRequest } from './oncall/pages.ts';
import type { IntegrationSettings } from './outbox/integration-settings.ts';
import type { EnqueueRequest } from './outbox/outbox.ts';
import type { TicketNotePayload } from './psa/tickets.ts';
import type { OnCallSettingsDoc } from './settings-store.ts';

interface ReminderRules {
  reminderHours: number;
  psa: boolean;
  /** The On-Call settings when the integration is enabled. */
  oncall: OnCallSettingsDoc | null;
}

interface ReminderCandidate {
  evaluation: DeviceEvaluation;
  alert: EvaluatedAlert;
}

/** The alert's open ticket (the ref of the alert whose ticket it is) and its device's open page. */
interface Found extends KeyedRow {
  ticket_ref: string | null;
  page_key: string | null;
}

type ReminderStep =
  | (PipelineStep<'reminder'> & ReminderCandidate & { reminder: Reminder; ticketRef: string | null; pageKey: string | null; nextAt: number | null })
  | (PipelineStep<'schedule'> & ReminderCandidate & { nextAt: number });

const LOOKUP_SQL = `SELECT a.id AS key, CASE WHEN t.resolved_at IS NULL THEN COALESCE(t.ticket_ref, t.alert_id) END AS ticket_ref,
  (SELECT MAX(p.dedup_key) FROM pages p WHERE p.tenant_id = ?2 AND p.device_id = a.device_id AND p.resolved_at IS NULL) AS page_key
  FROM json_each(?1) j JOIN alerts a ON a.tenant_id = ?2 AND a.id = j.value
  LEFT JOIN tickets t ON t.tenant_id = ?2 AND t.alert_id = a.id`;
// Claims the period: only a due time later than the last one sent changes the row.
const CLAIM_SQL = `UPDATE alerts SET last_reminder_at = v.value->>1 FROM json_each(?2) v
  WHERE alerts.tenant_id = ?1 AND alerts.id = v.value->>0 AND alerts.state = 'open'
  AND (alerts.last_reminder_at IS NULL OR alerts.last_reminder_at < v.value->>1) RETURNING alerts.id AS key`;
const NOTHING_SQL = 'SELECT NULL AS key WHERE ?1 IS NULL AND ?2 IS NULL';
const LOOK_AGAIN_SQL = `UPDATE devices SET next_check_at = MIN(next_check_at, v.value->>1)
  FROM json_each(?2) v WHERE devices.tenant_id = ?1 AND devices.id = v.value->>0`;

/** Sends the reminders of open alerts of a batch of evaluated devices, through the integration pipeline. */
export function reminderListener(settings: IntegrationSettings, config: AppConfig): EvaluationListener {
  return integrationListener<ReminderRules, ReminderCandidate, Found, ReminderStep>({
    async rules(tenantId, tx) {
      const { reminderHours } = await settings.get(tenantId, 'alerts', tx);
      if (!(reminderHours > 0)) return null;
      const psa = (await settings.get(tenantId, 'psa', tx)).enabled;
      const oncall = await settings.get(tenantId, 'oncall', tx);
      return psa || oncall.enabled ? { reminderHours, psa, oncall: oncall.enabled ? oncall : null } : null;
    },
    candidates(evaluation, _rules, into) {
      for (const alert of evaluation.alerts) if (alert.state === 'open' && alert.remindFrom !== null) into.push({ evaluation, alert });
    },
    lookupKey: (candidate) => candidate.alert.id,
    lookupSql: LOOKUP_SQL,
    decide({ evaluation, alert }, found, rules) {
      const ticketRef = rules.psa ? (found?.ticket_ref ?? null) : null;
      const pageKey = rules.oncall ? (found?.page_key ?? null) : null;
      if (ticketRef === null && pageKey === null) return null;
      const decision = reminderDecision(
        {
          alert: { id: alert.id, state: alert.state, remindFrom: alert.remindFrom, reason: alert.reason },
          reminderHours: rules.reminderHours,
          // Muting is the pipeline's one gate (`allowed`): a muted reminder is not recorded, and the
          // device is evaluated again when the window or silence ends.
          mute: { muteNotifications: false },
          ticketOpen: ticketRef !== null,
          paged: pageKey !== null,
          lastReminderKey: alert.lastReminderAt === null ? null : reminderKey(alert.id, alert.lastReminderAt),
        },
        evaluation.now,
      );
      const candidate = { evaluation, alert };
      if (decision.send && (alert.lastReminderAt ?? -Infinity) < decision.send.dueAt) {
        const { send } = decision;
        return { kind: 'reminder', key: alert.id, row: [alert.id, send.dueAt], ...candidate, reminder: send, ticketRef, pageKey, nextAt: decision.nextAt };
      }
      return decision.nextAt === null ? null : { kind: 'schedule', key: alert.id, row: [], ...candidate, nextAt: decision.nextAt };
    },
    notification: (step) => ({ kind: 'reminder', evaluation: step.evaluation, type: step.alert.type }),
    writes: {
      reminder: { sql: CLAIM_SQL, args: (tenantId, rows) => [tenantId, rows] },
      schedule: { sql: NOTHING_SQL, args: (tenantId, rows) => [tenantId, rows] },
    },
    async requests(tx, tenantId, steps, written, rules) {
      const requests: EnqueueRequest[] = [];
      const lookAgain: [string, number][] = [];
      // A page is about the device: its alerts reminding together re-trigger it once.
      const retriggered = new Set<string>();
      for (const step of steps) {
        const { evaluation } = step;
        if (step.nextAt !== null) lookAgain.push([evaluation.device.id, step.nextAt]);
        if (step.kind !== 'reminder' || written(step).length === 0) continue;
        const { reminder } = step;
        const { now } = evaluation;
        if (step.ticketRef !== null && reminder.channels.includes('ticket-note')) {
          const payload: TicketNotePayload = { ticketRef: step.ticketRef, note: reminder.note };
          requests.push({ tenantId, channel: 'psa', kind: 'note', dedupKey: reminder.key, payload, now });
        }
        if (step.pageKey !== null && rules.oncall && reminder.channels.includes('page-retrigger') && !retriggered.has(step.pageKey)) {
          retriggered.add(step.pageKey);
          const page = pageRequest(evaluation, 'trigger', step.pageKey, rules.oncall.escalationPolicy, breachHoursOf(step.pageKey, now), config);
          page.summary = `Reminder ${reminder.number}: ${page.summary}`;
          requests.push({ tenantId, channel: 'oncall', kind: 'trigger', dedupKey: reminder.key, payload: page, now });
        }
      }
      if (lookAgain.length > 0) await tx.run(LOOK_AGAIN_SQL, [tenantId, JSON.stringify(lookAgain)]);
      return requests;
    },
  });
}
