/**
 * Evaluates devices and persists the outcome: core computes health, SLA state and
 * alert transitions from (profile, state, now); this module writes the health
 * columns, the alert transitions, their history and the stream changes (a fixed
 * number of set-based statements per batch, whatever its size), and hands the
 * batch's evaluations to the integrations inside the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { AlertItem } from '../../core/api.ts';
import {
  alertConditions,
  effectiveQuota,
  evaluateAlerts,
  evaluateHealth,
  evaluateSla,
  slaHoursFor,
  type AlertInput,
  type AlertSeverity,
  type AlertTransition,
  type DeviceState,
  type HealthStatus,
} from '../../core/index.ts';
import type { SqlExecutor } from '../db/client.ts';
import { decodeDeviceState, encodeDeviceState } from '../db/device-state.ts';
import {
  escalateAlerts,
  loadActiveAlerts,
  openAlerts,
  recordHistory,
  refreshAlertReasons,
  resolveAlert,
  resolveAlerts,
  transitionChange,
  type AlertOpening,
  type AlertOwner,
  type HistoryEntry,
  type StoredAlert,
} from './alerts.ts';
import { recordChanges, type Change } from './change-feed.ts';
import { loadDeviceRows, profileOf, type EvaluationRow } from './device-rows.ts';
import type { DeviceEvaluation, EvaluatedAlert, EvaluationListener } from './evaluation-hooks.ts';
import { nextCheckAt } from './next-check.ts';
import type { SettingsStore } from './settings-store.ts';

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

/** A device to evaluate: its row, and its new state when ingestion changed it (persisted too). */
export interface EvaluationTarget {
  row: EvaluationRow;
  state?: DeviceState;
}

/** How `evaluateDevices` announces and reports. */
export interface EvaluateOptions {
  /** 'always' also announces devices whose list fields did not change (inventory edits). Default 'changed'. */
  announce?: 'changed' | 'always';
  /** Accumulate into this summary (sweeps over many chunks). */
  summary?: EvaluationSummary;
}

/** Far future: retired devices never come due. */
const NEVER = Number.MAX_SAFE_INTEGER;

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
const RETIRE_SQL = 'UPDATE devices SET retired_at = ?, updated_at = ?, next_check_at = ? WHERE tenant_id = ? AND id = ? AND retired_at IS NULL';

const ownerOf = (row: EvaluationRow): AlertOwner => ({
  tenantId: row.tenant_id,
  deviceId: row.id,
  deviceName: row.name,
  clientId: row.client_id,
  clientName: row.client_name ?? row.client_id,
});

const deviceOf = (row: EvaluationRow): DeviceEvaluation['device'] => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  clientId: row.client_id,
  clientName: row.client_name ?? row.client_id,
  intervalHours: profileOf(row).intervalHours,
  enrolledAt: row.enrolled_at,
});

const evaluatedAlert = (alert: StoredAlert): EvaluatedAlert => ({
  id: alert.id,
  type: alert.type,
  severity: alert.severity,
  state: alert.state,
  triggeredAt: alert.triggered_at,
  resolvedAt: alert.resolved_at,
  reason: alert.reason,
});

/** Evaluates devices inside the caller's transaction and persists what changed. */
export class Evaluator {
  constructor(
    private readonly settings: SettingsStore,
    private readonly listeners: readonly EvaluationListener[],
  ) {}

  /**
   * Evaluates the devices (ids, or rows already loaded) of one tenant at `now`,
   * inside the caller's transaction. Retired devices are skipped.
   */
  async evaluateDevices(
    tx: SqlExecutor,
    tenantId: string,
    devices: readonly string[] | readonly EvaluationTarget[],
    now: number,
    options: EvaluateOptions = {},
  ): Promise<EvaluationSummary> {
    const summary = options.summary ?? emptySummary();
    const targets = await this.targetsOf(tx, tenantId, devices);
    if (targets.length === 0) return summary;
    const sla = await this.settings.get(tenantId, 'sla', tx);
    const active = await loadActiveAlerts(tx, tenantId, targets.map((t) => t.row.id));

    const writes: unknown[][][] = [[], [], [], []];
    const lightWrites: unknown[][] = [];
    const changes: Change[] = [];
    const evaluations: { row: EvaluationRow; input: AlertInput; evaluation: DeviceEvaluation }[] = [];
    for (const { row, state: newState } of targets) {
      const state: DeviceState = newState ?? decodeDeviceState(row.state);
      const profile = profileOf(row);
      const slaHours = slaHoursFor(sla.tenant, sla.clients[row.client_id]);
      const health = evaluateHealth(profile, state, now);
      const slaState = evaluateSla(row.kind, state, slaHours, now);
      const lastSuccessAt = state.lastSuccessAt;
      const usedBytes = state.storage?.usedBytes ?? null;
      const quota = effectiveQuota(profile, state);
      const scoreChanged = health.status !== row.status || health.score !== row.score;
      const successChanged = lastSuccessAt !== row.last_success_at;
      const listChanged =
        scoreChanged || successChanged || state.lastJobStatus !== row.last_job_status || state.consecutiveFailures !== row.consecutive_failures ||
        usedBytes !== row.used_bytes || quota !== row.effective_quota_bytes;
      const nextCheck = nextCheckAt(profile, state, slaState, slaHours, now);
      if (newState || listChanged) {
        // In fullColumns(mask)'s column order.
        const values: unknown[] = [row.id, newState ? encodeDeviceState(newState) : null];
        if (scoreChanged) values.push(health.status, health.score);
        if (successChanged) values.push(lastSuccessAt);
        values.push(state.lastJobStatus, state.consecutiveFailures, usedBytes, quota, null, slaState.state, slaState.breachSince, now, nextCheck);
        writes[(scoreChanged ? 1 : 0) | (successChanged ? 2 : 0)]!.push(values);
      } else {
        lightWrites.push([row.id, null, slaState.state, slaState.breachSince, now, nextCheck]);
      }
      if (options.announce === 'always' || listChanged) {
        changes.push({ tenantId, clientId: row.client_id, event: 'device.changed', payload: { id: row.id }, at: now });
      }
      if (row.status !== health.status) summary.devicesChanged.push({ id: row.id, from: row.status, to: health.status });
      const stored = active.get(row.id);
      const input: AlertInput = {
        device: profile,
        state,
        sla: slaHours,
        active: stored ? stored.map((a) => ({ type: a.type, severity: a.severity, state: a.state as 'open' | 'acknowledged' })) : [],
      };
      evaluations.push({ row, input, evaluation: { tenantId, device: deviceOf(row), state, health, sla: slaState, now, alerts: [] } });
    }
    for (let mask = 0; mask < writes.length; mask++) {
      if (writes[mask]!.length > 0) await tx.run(UPDATE_FULL_SQL[mask]!, [JSON.stringify(writes[mask]), tenantId]);
    }
    if (lightWrites.length > 0) await tx.run(UPDATE_LIGHT_SQL, [JSON.stringify(lightWrites), tenantId]);
    await recordChanges(tx, changes);

    await this.applyAlerts(tx, tenantId, evaluations, active, now, summary);
    if (this.listeners.length > 0) {
      const heard = evaluations.map((e) => e.evaluation);
      for (const listener of this.listeners) await listener(tx, heard);
    }
    summary.evaluated += targets.length;
    return summary;
  }

  /**
   * Retires a device: it leaves lists and sweeps, its active alerts resolve with
   * "Device retired" (the integrations hear of it), its history stays. False if the
   * device does not exist; retiring twice is a no-op.
   */
  async retireDevice(tx: SqlExecutor, tenantId: string, deviceId: string, now: number): Promise<boolean> {
    const [row] = await loadDeviceRows(tx, tenantId, [deviceId]);
    if (!row) return false;
    if (row.retired_at !== null) return true;
    await tx.run(RETIRE_SQL, [now, now, NEVER, tenantId, deviceId]);
    const owner = ownerOf(row);
    const resolved: EvaluatedAlert[] = [];
    for (const alert of (await loadActiveAlerts(tx, tenantId, [deviceId])).get(deviceId) ?? []) {
      const done = await resolveAlert(tx, owner, alert, 'Device retired', now);
      if (done) resolved.push(evaluatedAlert(done.alert));
    }
    const state = decodeDeviceState(row.state);
    const profile = profileOf(row);
    const sla = await this.settings.get(tenantId, 'sla', tx);
    const evaluation: DeviceEvaluation = {
      tenantId,
      device: deviceOf(row),
      state,
      health: evaluateHealth(profile, state, now),
      sla: evaluateSla(row.kind, state, slaHoursFor(sla.tenant, sla.clients[row.client_id]), now),
      now,
      alerts: resolved,
    };
    for (const listener of this.listeners) await listener(tx, [evaluation]);
    return true;
  }

  private async targetsOf(tx: SqlExecutor, tenantId: string, devices: readonly string[] | readonly EvaluationTarget[]): Promise<EvaluationTarget[]> {
    const targets: EvaluationTarget[] =
      devices.length > 0 && typeof devices[0] === 'string'
        ? (await loadDeviceRows(tx, tenantId, devices as readonly string[])).map((row) => ({ row }))
        : [...(devices as readonly EvaluationTarget[])];
    return targets.filter((target) => target.row.retired_at === null);
  }

  /**
   * Writes the alert transitions of every evaluated device with one statement per
   * kind (resolve, escalate, refresh, open), then their history rows and stream
   * changes with one statement each, for the transitions that changed a row. Sets
   * each evaluation's alerts: its active alerts afterwards plus those resolved now.
   */
  private async applyAlerts(
    tx: SqlExecutor,
    tenantId: string,
    evaluations: readonly { row: EvaluationRow; input: AlertInput; evaluation: DeviceEvaluation }[],
    active: ReadonlyMap<string, readonly StoredAlert[]>,
    now: number,
    summary: EvaluationSummary,
  ): Promise<void> {
    type Step =
      | { action: 'open'; opening: AlertOpening; transition: AlertTransition }
      | { action: 'escalate'; alert: StoredAlert; transition: Extract<AlertTransition, { action: 'escalate' }> }
      | { action: 'resolve'; alert: StoredAlert; reason: string }
      | { action: 'refresh'; alert: StoredAlert; reason: string };
    const plans: { evaluation: DeviceEvaluation; owner: AlertOwner; byType: Map<string, StoredAlert>; steps: Step[] }[] = [];
    const openings: AlertOpening[] = [];
    const escalations: { id: string; severity: AlertSeverity; reason: string; recommendedAction: string }[] = [];
    const resolutions: string[] = [];
    const refreshes: { id: string; reason: string }[] = [];
    for (const { row, input, evaluation } of evaluations) {
      const stored = active.get(row.id) ?? [];
      const transitions = evaluateAlerts(input, now);
      // Most devices have no alert and open none: nothing to plan.
      if (stored.length === 0 && transitions.length === 0) continue;
      const owner = ownerOf(row);
      const byType = new Map<string, StoredAlert>(stored.map((alert) => [alert.type, alert]));
      const steps: Step[] = [];
      for (const transition of transitions) {
        const alert = byType.get(transition.type);
        if (transition.action === 'open') {
          const opening: AlertOpening = { id: randomUUID(), owner, open: transition };
          openings.push(opening);
          steps.push({ action: 'open', opening, transition });
        } else if (transition.action === 'escalate' && alert) {
          escalations.push({ id: alert.id, severity: transition.severity, reason: transition.reason, recommendedAction: transition.recommendedAction });
          steps.push({ action: 'escalate', alert, transition });
        } else if (transition.action === 'resolve' && alert) {
          resolutions.push(alert.id);
          steps.push({ action: 'resolve', alert, reason: transition.reason });
        }
      }
      // Alerts that stay active take the condition's current wording.
      const untouched = stored.filter((alert) => !transitions.some((t) => t.type === alert.type));
      if (untouched.length > 0) {
        const conditions = new Map(alertConditions(input, now).map((c) => [c.type, c]));
        for (const alert of untouched) {
          const condition = conditions.get(alert.type);
          if (condition && condition.reason !== alert.reason) {
            refreshes.push({ id: alert.id, reason: condition.reason });
            steps.push({ action: 'refresh', alert, reason: condition.reason });
          }
        }
      }
      plans.push({ evaluation, owner, byType, steps });
    }

    // Resolves first: an alert type resolved and opened again must leave the partial unique index free.
    const resolvedIds = await resolveAlerts(tx, resolutions, now);
    const escalatedIds = await escalateAlerts(tx, escalations, now);
    const refreshedIds = await refreshAlertReasons(tx, refreshes, now);
    const openedIds = await openAlerts(tx, tenantId, openings, now);

    const history: HistoryEntry[] = [];
    const changes: Change[] = [];
    for (const { evaluation, owner, byType, steps } of plans) {
      const resolved: StoredAlert[] = [];
      for (const step of steps) {
        if (step.action === 'open') {
          if (!openedIds.has(step.opening.id)) continue;
          const { open } = step.opening;
          const alert: StoredAlert = {
            id: step.opening.id, type: open.type, severity: open.severity, state: 'open', device_id: owner.deviceId, device_name: owner.deviceName,
            client_id: owner.clientId, client_name: owner.clientName, triggered_at: open.triggeredAt, updated_at: now, resolved_at: null,
            acknowledged_at: null, reason: open.reason, recommended_action: open.recommendedAction,
          };
          byType.set(alert.type, alert);
          history.push({ alertId: alert.id, action: 'opened', severity: alert.severity, note: open.reason });
          const { item, change } = transitionChange(owner, alert, 'opened', now);
          changes.push(change);
          summary.alertsOpened.push(item);
        } else if (step.action === 'escalate') {
          if (!escalatedIds.has(step.alert.id)) continue;
          const { severity, reason, recommendedAction } = step.transition;
          const alert: StoredAlert = { ...step.alert, severity, reason, recommended_action: recommendedAction, updated_at: now };
          byType.set(alert.type, alert);
          history.push({ alertId: alert.id, action: 'escalated', severity, note: reason });
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
          if (!refreshedIds.has(step.alert.id)) continue;
          const alert: StoredAlert = { ...step.alert, reason: step.reason, updated_at: now };
          byType.set(alert.type, alert);
          changes.push(transitionChange(owner, alert, 'refreshed', now).change);
        }
      }
      evaluation.alerts = [...byType.values(), ...resolved].map(evaluatedAlert);
    }
    await recordHistory(tx, tenantId, history, now);
    await recordChanges(tx, changes);
  }
}
