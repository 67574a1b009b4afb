/**
 * Evaluates devices: loads what core's planning needs (rows, SLA and On-Call rules,
 * active alerts), asks core for a plan per device, and hands the plans to the one
 * write path (`applyPlans`). Ingest, sweep, inventory and settings changes and
 * retirement all come through here.
 */
import {
  planEvaluation,
  planRetirement,
  schedulePosition,
  slaHoursFor,
  type DevicePlan,
  type DeviceState,
  type OnCallRules,
  type PlanInput,
  type SlaHours,
  type WordedAlert,
} from '../../core/index.ts';
import type { SqlExecutor } from '../db/client.ts';
import { decodeDeviceState } from '../db/device-state.ts';
import { loadActiveAlerts, type StoredAlert } from './alerts.ts';
import { applyPlans, emptySummary, type EvaluationSummary, type PlannedDevice } from './apply-plans.ts';
import { loadDeviceRows, profileOf, type EvaluationRow } from './device-rows.ts';
import type { EvaluationListener } from './evaluation-hooks.ts';
import { loadTenantMutes, TenantMutes } from './mutes.ts';
import type { SettingsStore, SlaSettingsDoc } from './settings-store.ts';

export { emptySummary, groupByTenant, mergeSummary, type EvaluationSummary } from './apply-plans.ts';

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

/** The tenant rules a plan takes. */
interface TenantRules {
  sla: SlaSettingsDoc;
  oncall: OnCallRules;
}

const NO_ALERTS: readonly StoredAlert[] = Object.freeze([]);

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
    // Independent reads at once (over a libSQL server, one round trip). Once per batch,
    // not per device: the tenant's rules, windows and silences.
    const [rules, active, mutes] = await Promise.all([
      this.rulesOf(tx, tenantId),
      loadActiveAlerts(tx, tenantId, targets.map((t) => t.row.id)),
      loadTenantMutes(tx, tenantId, now),
    ]);
    const planned: PlannedDevice[] = [];
    for (const { row, state: newState } of targets) {
      const state = newState ?? decodeDeviceState(row.state);
      planned.push(planDevice(row, state, newState !== undefined, rules, active.get(row.id) ?? NO_ALERTS, now, planEvaluation, mutes));
    }
    await applyPlans(tx, tenantId, planned, active, now, { announce: options.announce, summary, listeners: this.listeners, mutes });
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
    const rules = await this.rulesOf(tx, tenantId);
    const active = await loadActiveAlerts(tx, tenantId, [deviceId]);
    const planned = planDevice(row, decodeDeviceState(row.state), false, rules, active.get(deviceId) ?? NO_ALERTS, now, planRetirement, TenantMutes.NONE);
    // Retirement only resolves (closing messages are never muted); the listeners still hear the tenant's mutes.
    const mutes = await loadTenantMutes(tx, tenantId, now);
    await applyPlans(tx, tenantId, [planned], active, now, { summary: emptySummary(), listeners: this.listeners, mutes });
    return true;
  }

  private async targetsOf(tx: SqlExecutor, tenantId: string, devices: readonly string[] | readonly EvaluationTarget[]): Promise<EvaluationTarget[]> {
    const targets: EvaluationTarget[] =
      devices.length > 0 && typeof devices[0] === 'string'
        ? (await loadDeviceRows(tx, tenantId, devices as readonly string[])).map((row) => ({ row }))
        : [...(devices as readonly EvaluationTarget[])];
    return targets.filter((target) => target.row.retired_at === null);
  }

  /** Read inside the transaction: a rules change commits before the evaluations that follow it. */
  private async rulesOf(tx: SqlExecutor, tenantId: string): Promise<TenantRules> {
    const [sla, oncall] = await Promise.all([this.settings.get(tenantId, 'sla', tx), this.settings.get(tenantId, 'oncall', tx)]);
    return { sla, oncall };
  }
}

// A module-level function, not a closure per device: this runs for every evaluated device.
function planDevice(
  row: EvaluationRow,
  state: DeviceState,
  stateChanged: boolean,
  rules: TenantRules,
  stored: readonly StoredAlert[],
  now: number,
  plan: (input: PlanInput, now: number) => DevicePlan,
  mutes: TenantMutes,
): PlannedDevice {
  const profile = profileOf(row);
  const sla: SlaHours = slaHoursFor(rules.sla.tenant, rules.sla.clients[row.client_id]);
  const active: WordedAlert[] = [];
  for (const alert of stored) active.push({ type: alert.type, severity: alert.severity, state: alert.state as WordedAlert['state'], reason: alert.reason });
  const input: PlanInput = { device: profile, state, sla, active, oncall: rules.oncall };
  let devicePlan = plan(input, now);
  if (plan === planEvaluation && !mutes.empty) {
    const subject = { deviceId: row.id, clientId: row.client_id, policyId: row.policy_id };
    devicePlan = mutes.applyToPlan(subject, devicePlan, () => schedulePosition(profile, state, now), (position) => plan({ ...input, position }, now), now);
  }
  return { row, profile, state, stateChanged, plan: devicePlan };
}
