/**
 * What people do to alerts (docs/alert-workflow.md): acknowledge with an optional note, undo it,
 * or acknowledge several at once. core's `advanceAlert` decides; this file stores
 * the step with a conditional write (the alert must still be in the state the
 * decision saw, so two people acting at once record one step), its history row
 * with the actor, and its stream change.
 */
import type { AlertItem } from '../../core/api.ts';
import { advanceAlert, type AlertUserAction, type AlertWorkflow } from '../../core/acknowledgement.ts';
import { HOUR } from '../../core/types.ts';
import type { SqlExecutor } from '../db/client.ts';
import { recordTransition, type AlertOwner, type StoredAlert } from './alerts.ts';
import { ALERT_ITEM_COLUMNS, ALERT_JOINS, toAlertItem } from './views.ts';

/** What one acknowledge or unacknowledge found and did. */
export type WorkflowResult =
  | { outcome: 'changed' | 'unchanged'; item: AlertItem }
  | { outcome: 'not-found' }
  | { outcome: 'resolved'; item: AlertItem; message: string };

/** Who acts, and the tenant's reminder period (an unacknowledged alert reminds again from now). */
export interface WorkflowActor {
  tenantId: string;
  /** A client-scoped caller sees and acts on its client's alerts only. */
  clientScope: string | null;
  by: string;
  reminderHours: number;
}

const ONE_SQL = `SELECT ${ALERT_ITEM_COLUMNS} FROM alerts a ${ALERT_JOINS} WHERE a.tenant_id = ? AND a.id = ?`;
const STEP_SQL = `UPDATE alerts SET state = ?, acknowledged_at = ?, acknowledged_by = ?, acknowledgement_note = ?, remind_from = ?, updated_at = ?
  WHERE tenant_id = ? AND id = ? AND state = ?`;
// The device is looked at again when the reopened alert's first reminder falls due.
const REMIND_AT_SQL = 'UPDATE devices SET next_check_at = MIN(next_check_at, ?) WHERE tenant_id = ? AND id = ?';

/** The workflow part of a stored alert, as core reads it. */
export function workflowOf(row: StoredAlert): AlertWorkflow {
  return {
    state: row.state,
    severity: row.severity,
    // Acknowledged before actors were recorded (migration 0007): "unknown".
    acknowledgement: row.state === 'acknowledged' ? { by: row.acknowledged_by ?? 'unknown', at: row.acknowledged_at ?? row.updated_at, note: row.acknowledgement_note } : null,
    remindFrom: row.remind_from,
  };
}

/** Acknowledges or unacknowledges one alert at `action.at`. */
export async function stepAlert(tx: SqlExecutor, actor: WorkflowActor, id: string, action: AlertUserAction): Promise<WorkflowResult> {
  const row = await tx.get<StoredAlert>(ONE_SQL, [actor.tenantId, id]);
  if (!row || (actor.clientScope !== null && row.client_id !== actor.clientScope)) return { outcome: 'not-found' };
  const result = advanceAlert(workflowOf(row), action);
  if (result.outcome === 'rejected') return { outcome: 'resolved', item: toAlertItem(row), message: result.message };
  if (result.outcome === 'unchanged') return { outcome: 'unchanged', item: toAlertItem(row) };
  const { alert: next, history } = result;
  const ack = next.acknowledgement;
  const { changes } = await tx.run(STEP_SQL, [
    next.state, ack?.at ?? null, ack?.by ?? null, ack?.note ?? null, next.remindFrom, action.at, actor.tenantId, id, row.state,
  ]);
  // Someone else's step came first: answer the alert as it is now.
  if (changes !== 1) return { outcome: 'unchanged', item: toAlertItem((await tx.get<StoredAlert>(ONE_SQL, [actor.tenantId, id]))!) };
  const stored: StoredAlert = {
    ...row, state: next.state, acknowledged_at: ack?.at ?? null, acknowledged_by: ack?.by ?? null, acknowledgement_note: ack?.note ?? null,
    remind_from: next.remindFrom, updated_at: action.at,
  };
  if (next.remindFrom !== null && actor.reminderHours > 0) await tx.run(REMIND_AT_SQL, [next.remindFrom + actor.reminderHours * HOUR, actor.tenantId, row.device_id]);
  const owner: AlertOwner = {
    tenantId: actor.tenantId, deviceId: row.device_id, deviceName: row.device_name ?? row.device_id, clientId: row.client_id, clientName: row.client_name ?? row.client_id,
  };
  const entry = history[0]!;
  return { outcome: 'changed', item: await recordTransition(tx, owner, stored, entry.action, entry.note, entry.at, entry.by) };
}

/** One alert's answer in a bulk acknowledgement. */
export type BulkResult =
  | { id: string; outcome: 'acknowledged' | 'unchanged'; alert: AlertItem }
  | { id: string; outcome: 'not-found' }
  | { id: string; outcome: 'resolved'; alert: AlertItem };

/**
 * `POST /alerts/acknowledge {ids}`: each alert on its own (per-id results, one
 * transaction): an alert resolved or unknown meanwhile does not stop the others.
 */
export async function acknowledgeMany(tx: SqlExecutor, actor: WorkflowActor, ids: readonly string[], note: string | null, at: number): Promise<BulkResult[]> {
  const results: BulkResult[] = [];
  for (const id of new Set(ids)) {
    const result = await stepAlert(tx, actor, id, { action: 'acknowledge', by: actor.by, note, at });
    if (result.outcome === 'not-found') results.push({ id, outcome: 'not-found' });
    else results.push({ id, outcome: result.outcome === 'changed' ? 'acknowledged' : result.outcome, alert: result.item });
  }
  return results;
}
