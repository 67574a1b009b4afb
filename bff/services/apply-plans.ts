/**
 * The one write path of evaluation: applies core's device plans (ingest, sweep,
 * inventory and settings changes, retirement alike) inside the caller's transaction.
 * It writes the health columns, the alert transitions, their history (the flip log,
 * `alert_events`) and the stream changes with a fixed number of set-based statements
 * per batch, whatever its size, then hands the batch to the integrations.
 */
import { randomUUID } from 'node:crypto';
import type { AlertItem } from '../../core/api.ts';
import { effectiveQuota, NEVER, type AlertSeverity, type AlertTransition, type DevicePlan, type DeviceProfile, type DeviceState, type HealthStatus } from '../../core/index.ts';
import type { SqlExecutor } from '../db/client.ts';
import { encodeDeviceState } from '../db/device-state.ts';
import {
  escalateAlerts,
  openAlerts,
  recordHistory,
  refreshAlertReasons,
  resolveAlerts,
  transitionChange,
  type AlertOpening,
  type AlertOwner,
  type HistoryEntry,
  type StoredAlert,
} from './alerts.ts';
import { advanceAlert } from '../../core/acknowledgement.ts';
import { workflowOf } from './alert-workflow.ts';
import { recordChanges, type Change } from './change-feed.ts';
import type { EvaluationRow } from './device-rows.ts';
import type { DeviceEvaluation, EvaluatedAlert, EvaluationListener } from './evaluation-hooks.ts';
import type { TenantMutes } from './mutes.ts';

/** What an evaluation run changed (the answer of POST /admin/evaluate). */
export interface EvaluationSummary {
  evaluated: number;
  devicesChanged: { id: string; from: HealthStatus; to: HealthStatus }[];
  alertsOpened: AlertItem[];
  alertsEscalated: AlertItem[];
  alertsResolved: AlertItem[];
}

/** A summary with nothing in it yet. */
export const emptySummary = (): EvaluationSummary => ({ evaluated: 0, devicesChanged: [], alertsOpened: [], alertsEscalated: [], alertsResolved: [] });

/** Adds one committed chunk's findings to a run's summary. */
export function mergeSummary(into: EvaluationSummary, from: EvaluationSummary): void {
  into.evaluated += from.evaluated;
  into.devicesChanged.push(...from.devicesChanged);
  into.alertsOpened.push(...from.alertsOpened);
  into.alertsEscalated.push(...from.alertsEscalated);
  into.alertsResolved.push(...from.alertsResolved);
}

/** Items grouped by their tenant, in first-seen order (one evaluation per tenant). */
export function groupByTenant<T, K extends string>(items: readonly T[], tenantOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = tenantOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** A device's plan with the row it was made from (and the new state, when ingestion changed it). */
export interface PlannedDevice {
  row: EvaluationRow;
  /** The profile the plan was made with (`profileOf(row)`). */
  profile: DeviceProfile;
  state: DeviceState;
  /** True when `state` is new (ingestion) and must be persisted. */
  stateChanged: boolean;
  plan: DevicePlan;
}

/** How a batch is applied. */
export interface ApplyOptions {
  /** 'always' also announces devices whose list fields did not change (inventory edits). Default 'changed'. */
  announce?: 'changed' | 'always';
  summary: EvaluationSummary;
  listeners: readonly EvaluationListener[];
  /** The tenant's windows and silences, for the listeners' mute checks. */
  mutes: TenantMutes;
}

// Most sweep evaluations change no list field: the light variant leaves the indexed
// columns alone, so SQLite rewrites only the next_check_at index entry.
//
// The health detail (components and reasons) is not stored: core's evaluateHealth is a
// pure function of (profile, state, evaluated_at), all persisted with the row, so the
// detail view renders exactly what this evaluation saw (device-queries.ts). Storing it
// made every row ~2× wider and rewrote the text on every run (its reasons name elapsed
// times). The column is cleared so that a detail written by an older version never
// goes stale.
const LIGHT_COLUMNS = ['health', 'sla_state', 'sla_breach_since', 'evaluated_at', 'next_check_at'];

/**
 * One statement updates every evaluated device: rows `[id, ...values]` (values in
 * `columns` order) travel as one JSON array. State and health travel as JSON
 * objects, not strings: `->>` gives them back as JSON text, with no escaping on
 * either side. The materialized CTE makes SQLite probe devices by primary key per
 * entry instead of scanning the tenant. A null `state` keeps the stored one.
 */
function deviceUpdate(columns: readonly string[]): string {
  const assign = columns.map((column, i) =>
    column === 'health' ? 'health = NULL' : `${column} = ${column === 'state' ? `COALESCE(v.data->>${i + 1}, devices.state)` : `v.data->>${i + 1}`}`,
  );
  return `WITH v AS MATERIALIZED (SELECT value->>0 AS id, value AS data FROM json_each(?))
    UPDATE devices SET ${assign.join(', ')} FROM v WHERE devices.tenant_id = ? AND devices.id = v.id`;
}
// SQLite maintains only the indexes over columns an UPDATE assigns (whatever the
// values), so a write leaves out the indexed list columns that did not change:
// status and score feed three indexes (score, client+score, status), last success one.
// Rows are grouped by which of them changed: at most four statements per batch.
const SCORE_COLUMNS = ['status', 'score'];
const SUCCESS_COLUMNS = ['last_success_at'];
const UNINDEXED_LIST_COLUMNS = ['last_job_status', 'consecutive_failures', 'used_bytes', 'effective_quota_bytes'];
/** Bit 1: status/score changed; bit 2: last_success_at changed. */
const fullColumns = (mask: number) => [
  'state',
  ...(mask & 1 ? SCORE_COLUMNS : []),
  ...(mask & 2 ? SUCCESS_COLUMNS : []),
  ...UNINDEXED_LIST_COLUMNS,
  ...LIGHT_COLUMNS,
];
const UPDATE_FULL_SQL = [0, 1, 2, 3].map((mask) => deviceUpdate(fullColumns(mask)));
const UPDATE_LIGHT_SQL = deviceUpdate(LIGHT_COLUMNS);
// A retired device keeps its last health columns (its history stays); it only leaves lists and sweeps.
const RETIRE_SQL = `UPDATE devices SET retired_at = ?1, updated_at = ?1, next_check_at = ?2
  WHERE tenant_id = ?3 AND id IN (SELECT value FROM json_each(?4)) AND retired_at IS NULL`;

const ownerOf = (row: EvaluationRow): AlertOwner => ({
  tenantId: row.tenant_id,
  deviceId: row.id,
  deviceName: row.name,
  clientId: row.client_id,
  clientName: row.client_name ?? row.client_id,
});

const deviceOf = (row: EvaluationRow, profile: DeviceProfile): DeviceEvaluation['device'] => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  clientId: row.client_id,
  clientName: row.client_name ?? row.client_id,
  policyId: row.policy_id,
  intervalHours: profile.intervalHours,
  enrolledAt: row.enrolled_at,
});

const evaluatedAlert = (alert: StoredAlert, escalatedNow: boolean): EvaluatedAlert => ({
  id: alert.id,
  type: alert.type,
  severity: alert.severity,
  state: alert.state,
  triggeredAt: alert.triggered_at,
  resolvedAt: alert.resolved_at,
  reason: alert.reason,
  escalatedNow,
  remindFrom: alert.remind_from,
  lastReminderAt: alert.last_reminder_at,
});

/**
 * Applies the plans of one tenant's devices at `now`: device columns, alert
 * transitions and rewordings, history and stream changes, then the listeners (in the
 * same transaction, so what they enqueue commits with the transition that caused it).
 * `active` holds each device's active alerts as loaded for planning.
 */
export async function applyPlans(
  tx: SqlExecutor,
  tenantId: string,
  planned: readonly PlannedDevice[],
  active: ReadonlyMap<string, readonly StoredAlert[]>,
  now: number,
  options: ApplyOptions,
): Promise<void> {
  if (planned.length === 0) return;
  const { summary } = options;
  const writes: unknown[][][] = [[], [], [], []];
  const lightWrites: unknown[][] = [];
  const retirements: string[] = [];
  const changes: Change[] = [];
  const evaluations: DeviceEvaluation[] = [];
  for (const { row, profile, state, stateChanged, plan } of planned) {
    const { health, sla } = plan;
    evaluations.push({ tenantId, device: deviceOf(row, profile), state, health, sla, now, alerts: [], mutes: options.mutes });
    if (plan.retired) {
      retirements.push(row.id);
      continue;
    }
    const lastSuccessAt = state.lastSuccessAt;
    const usedBytes = state.storage?.usedBytes ?? null;
    const quota = effectiveQuota(profile, state);
    const scoreChanged = health.status !== row.status || health.score !== row.score;
    const successChanged = lastSuccessAt !== row.last_success_at;
    const listChanged =
      scoreChanged || successChanged || state.lastJobStatus !== row.last_job_status || state.consecutiveFailures !== row.consecutive_failures ||
      usedBytes !== row.used_bytes || quota !== row.effective_quota_bytes;
    if (stateChanged || listChanged) {
      // In fullColumns(mask)'s column order.
      const values: unknown[] = [row.id, stateChanged ? encodeDeviceState(state) : null];
      if (scoreChanged) values.push(health.status, health.score);
      if (successChanged) values.push(lastSuccessAt);
      values.push(state.lastJobStatus, state.consecutiveFailures, usedBytes, quota, null, sla.state, sla.breachSince, now, plan.nextEvaluationAt);
      writes[(scoreChanged ? 1 : 0) | (successChanged ? 2 : 0)]!.push(values);
    } else {
      lightWrites.push([row.id, null, sla.state, sla.breachSince, now, plan.nextEvaluationAt]);
    }
    if (options.announce === 'always' || listChanged) {
      changes.push({ tenantId, clientId: row.client_id, event: 'device.changed', payload: { id: row.id }, at: now });
    }
    if (row.status !== health.status) summary.devicesChanged.push({ id: row.id, from: row.status, to: health.status });
  }
  // Each device is in one of these lists, and the change rows are separate: the
  // statements are independent and go at once (over a libSQL server, one round trip).
  const deviceWrites: Promise<unknown>[] = [];
  for (let mask = 0; mask < writes.length; mask++) {
    if (writes[mask]!.length > 0) deviceWrites.push(tx.run(UPDATE_FULL_SQL[mask]!, [JSON.stringify(writes[mask]), tenantId]));
  }
  if (lightWrites.length > 0) deviceWrites.push(tx.run(UPDATE_LIGHT_SQL, [JSON.stringify(lightWrites), tenantId]));
  deviceWrites.push(recordChanges(tx, changes));
  await Promise.all(deviceWrites);
  // After the updates: a retired device's next check is parked for good.
  if (retirements.length > 0) await tx.run(RETIRE_SQL, [now, NEVER, tenantId, JSON.stringify(retirements)]);

  await applyAlertPlans(tx, tenantId, planned, evaluations, active, now, summary, options.mutes);
  for (const listener of options.listeners) await listener(tx, evaluations);
  summary.evaluated += planned.length;
}

type Step =
  | { action: 'open'; opening: AlertOpening }
  | { action: 'escalate'; alert: StoredAlert; transition: Extract<AlertTransition, { action: 'escalate' }> }
  | { action: 'resolve'; alert: StoredAlert; reason: string }
  | { action: 'reword'; alert: StoredAlert; reason: string };

/**
 * Writes the alert transitions and rewordings of every plan with one statement per
 * kind (resolve, escalate, reword, open), then their history rows and stream changes
 * with one statement each, for the steps that changed a row. Sets each evaluation's
 * alerts: its active alerts afterwards plus those resolved now.
 */
async function applyAlertPlans(
  tx: SqlExecutor,
  tenantId: string,
  planned: readonly PlannedDevice[],
  evaluations: readonly DeviceEvaluation[],
  active: ReadonlyMap<string, readonly StoredAlert[]>,
  now: number,
  summary: EvaluationSummary,
  mutes: TenantMutes,
): Promise<void> {
  const devices: { evaluation: DeviceEvaluation; owner: AlertOwner; byType: Map<string, StoredAlert>; steps: Step[] }[] = [];
  const openings: AlertOpening[] = [];
  const escalations: { id: string; severity: AlertSeverity; reason: string; recommendedAction: string }[] = [];
  const resolutions: string[] = [];
  const rewordings: { id: string; reason: string }[] = [];
  for (let index = 0; index < planned.length; index++) {
    const { row, plan } = planned[index]!;
    const stored = active.get(row.id) ?? [];
    // Most devices have no alert and open none: nothing to apply.
    if (stored.length === 0 && plan.transitions.length === 0) continue;
    const owner = ownerOf(row);
    const byType = new Map<string, StoredAlert>();
    for (const alert of stored) byType.set(alert.type, alert);
    const steps: Step[] = [];
    for (const transition of plan.transitions) {
      const alert = byType.get(transition.type);
      if (transition.action === 'open') {
        const opening: AlertOpening = { id: randomUUID(), owner, open: transition };
        openings.push(opening);
        steps.push({ action: 'open', opening });
      } else if (transition.action === 'escalate' && alert) {
        escalations.push({ id: alert.id, severity: transition.severity, reason: transition.reason, recommendedAction: transition.recommendedAction });
        steps.push({ action: 'escalate', alert, transition });
      } else if (transition.action === 'resolve' && alert) {
        resolutions.push(alert.id);
        steps.push({ action: 'resolve', alert, reason: transition.reason });
      }
    }
    for (const { type, reason } of plan.rewordings) {
      const alert = byType.get(type);
      if (!alert) continue;
      rewordings.push({ id: alert.id, reason });
      steps.push({ action: 'reword', alert, reason });
    }
    devices.push({ evaluation: evaluations[index]!, owner, byType, steps });
  }

  // One statement each, issued in this order and run in it (one connection, or one
  // stream to a libSQL server, where they travel in one round trip). Resolves first: an
  // alert type resolved and opened again must leave the partial unique index free.
  const [resolvedIds, escalatedIds, rewordedIds, openedIds] = await Promise.all([
    resolveAlerts(tx, resolutions, now),
    escalateAlerts(tx, escalations, now),
    refreshAlertReasons(tx, rewordings, now),
    openAlerts(tx, tenantId, openings, now),
  ]);

  const history: HistoryEntry[] = [];
  const changes: Change[] = [];
  const escalatedNow = new Set<string>();
  for (const { evaluation, owner, byType, steps } of devices) {
    const resolved: StoredAlert[] = [];
    for (const step of steps) {
      if (step.action === 'open') {
        if (!openedIds.has(step.opening.id)) continue;
        const { open } = step.opening;
        const alert: StoredAlert = {
          id: step.opening.id, type: open.type, severity: open.severity, state: 'open', device_id: owner.deviceId, device_name: owner.deviceName,
          client_id: owner.clientId, client_name: owner.clientName, triggered_at: open.triggeredAt, updated_at: now, resolved_at: null,
          acknowledged_at: null, acknowledged_by: null, acknowledgement_note: null, reason: open.reason, recommended_action: open.recommendedAction,
          remind_from: now, last_reminder_at: null,
        };
        byType.set(alert.type, alert);
        history.push({ alertId: alert.id, action: 'opened', severity: alert.severity, note: open.reason });
        const { item, change } = transitionChange(owner, alert, 'opened', now);
        changes.push(change);
        summary.alertsOpened.push(item);
      } else if (step.action === 'escalate') {
        if (!escalatedIds.has(step.alert.id)) continue;
        const { severity, reason, recommendedAction } = step.transition;
        // core words the step (an acknowledgement that no longer holds is named) and reopens an acknowledged alert.
        const advanced = advanceAlert(workflowOf(step.alert), step.transition);
        const note = advanced.outcome === 'changed' ? advanced.history[0]!.note : reason;
        const alert: StoredAlert = {
          ...step.alert, severity, reason, recommended_action: recommendedAction, updated_at: now, state: 'open',
          acknowledged_at: null, acknowledged_by: null, acknowledgement_note: null, remind_from: now,
        };
        byType.set(alert.type, alert);
        escalatedNow.add(alert.id);
        history.push({ alertId: alert.id, action: 'escalated', severity, note });
        const { item, change } = transitionChange(owner, alert, 'escalated', now);
        changes.push(change);
        summary.alertsEscalated.push(item);
      } else if (step.action === 'resolve') {
        byType.delete(step.alert.type);
        if (!resolvedIds.has(step.alert.id)) continue;
        const alert: StoredAlert = { ...step.alert, state: 'resolved', resolved_at: now, updated_at: now };
        resolved.push(alert);
        history.push({ alertId: alert.id, action: 'resolved', severity: alert.severity, note: step.reason });
        const { item, change } = transitionChange(owner, alert, 'resolved', now);
        changes.push(change);
        summary.alertsResolved.push(item);
      } else {
        if (!rewordedIds.has(step.alert.id)) continue;
        const alert: StoredAlert = { ...step.alert, reason: step.reason, updated_at: now };
        byType.set(alert.type, alert);
        changes.push(transitionChange(owner, alert, 'refreshed', now).change);
      }
    }
    evaluation.alerts = [...byType.values(), ...resolved].map((alert) => evaluatedAlert(alert, escalatedNow.has(alert.id)));
  }
  if (!mutes.empty) withSilences(changes, mutes, now);
  await Promise.all([recordHistory(tx, tenantId, history, now), recordChanges(tx, changes)]);
}

/** Alert items in stream changes (the summary holds the same objects) show the silences muting them. */
function withSilences(changes: readonly Change[], mutes: TenantMutes, now: number): void {
  for (const change of changes) {
    if (!change.event.startsWith('alert.')) continue;
    const item = change.payload as AlertItem;
    if (item.state === 'resolved') continue;
    item.silencedBy = mutes.decision({ deviceId: item.device.id, clientId: item.client.id, policyId: null, type: item.type }, now).silencedBy;
  }
}
