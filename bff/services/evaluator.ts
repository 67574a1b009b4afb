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
import { foldDevices, type FoldInput } from './ingest/fold.ts';
import { takeQueuedEvents, type PendingBatches } from './pending-events.ts';
import { applyPlans, emptySummary, groupByTenant, type EvaluationSummary, type PlannedDevice } from './apply-plans.ts';
import { loadDeviceRows, profileOf, type EvaluationRow } from './device-rows.ts';
import type { EvaluationListener } from './evaluation-hooks.ts';
import { loadTenantMutes, TenantMutes } from './mutes.ts';
import type { SettingsStore, SlaSettingsDoc } from './settings-store.ts';

export { emptySummary, mergeSummary, type EvaluationSummary } from './apply-plans.ts';

/**
 * A device to evaluate: its row, and a new state when the caller rebuilt it from
 * stored history (persisted too; only queued check-ins are folded onto it).
 */
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
  /** The tenant's rules, when the caller read them in this transaction for several tenants at once (`rulesFor`). */
  rules?: TenantRules;
}

/** The tenant rules a plan takes. */
export interface TenantRules {
  sla: SlaSettingsDoc;
  oncall: OnCallRules;
}

const NO_ALERTS: readonly StoredAlert[] = Object.freeze([]);
const RULE_KEYS = ['sla', 'oncall'] as const;

/** Evaluates devices inside the caller's transaction and persists what changed. */
export class Evaluator {
  constructor(
    private readonly settings: SettingsStore,
    private readonly listeners: readonly EvaluationListener[],
  ) {}

  /**
   * Evaluates the devices (ids, or rows already loaded) of one tenant at `now`,
   * inside the caller's transaction, first folding the events queued for them (and
   * taking them off the queue): whichever evaluation comes first — drain, sweep,
   * inventory change, `Prefer: wait=evaluated` — sees them. Retired devices are
   * skipped (their queued events are dropped; the events stay stored).
   */
  async evaluateDevices(
    tx: SqlExecutor,
    tenantId: string,
    devices: readonly string[] | readonly EvaluationTarget[],
    now: number,
    options: EvaluateOptions = {},
  ): Promise<EvaluationSummary> {
    const summary = options.summary ?? emptySummary();
    const ids = devices.length > 0 && typeof devices[0] === 'string' ? (devices as readonly string[]) : (devices as readonly EvaluationTarget[]).map((t) => t.row.id);
    // The rows and the queued events at once (over a libSQL server, one round trip).
    const [targets, queued] = await Promise.all([this.targetsOf(tx, tenantId, devices), takeQueuedEvents(tx, tenantId, ids)]);
    if (queued.size > 0) await foldQueued(tx, tenantId, targets, queued);
    if (targets.length === 0) return summary;
    // Independent reads at once (over a libSQL server, one round trip). Once per batch,
    // not per device: the tenant's rules, windows and silences.
    const [rules, active, mutes] = await Promise.all([
      options.rules ?? this.rulesOf(tx, tenantId),
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
   * Devices of several tenants (a sweep or drain chunk), inside the caller's
   * transaction: the tenants' rules in one read, then each tenant's devices.
   */
  async evaluateAcrossTenants<T>(
    tx: SqlExecutor,
    items: readonly T[],
    tenantOf: (item: T) => string,
    devicesOf: (group: T[]) => readonly string[] | readonly EvaluationTarget[],
    now: number,
    options: EvaluateOptions = {},
  ): Promise<void> {
    const groups = groupByTenant(items, tenantOf);
    const rules = await this.rulesFor(tx, [...groups.keys()]);
    for (const [tenantId, group] of groups) {
      await this.evaluateDevices(tx, tenantId, devicesOf(group), now, { ...options, rules: rules.get(tenantId) });
    }
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
    await takeQueuedEvents(tx, tenantId, [deviceId]); // they stay stored; a retired device is not evaluated again
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
        : (devices as readonly EvaluationTarget[]).map((target) => ({ ...target })); // foldQueued sets states on them
    return targets.filter((target) => target.row.retired_at === null);
  }

  /**
   * The rules of several tenants in one statement. Read inside the transaction: a rules
   * change commits before the evaluations that follow it.
   */
  private rulesFor(tx: SqlExecutor, tenantIds: readonly string[]): Promise<Map<string, TenantRules>> {
    return this.settings.getForTenants(tenantIds, RULE_KEYS, tx);
  }

  private async rulesOf(tx: SqlExecutor, tenantId: string): Promise<TenantRules> {
    return (await this.rulesFor(tx, [tenantId])).get(tenantId)!;
  }
}

/** Folds the devices' queued events into their targets' states (targets whose fold changed nothing keep theirs). */
async function foldQueued(tx: SqlExecutor, tenantId: string, targets: EvaluationTarget[], queued: ReadonlyMap<string, PendingBatches>): Promise<void> {
  const inputs: FoldInput[] = [];
  for (const target of targets) {
    const batches = queued.get(target.row.id);
    if (!batches || batches.length === 0) continue;
    const rebuilt = target.state !== undefined;
    const schedule = target.row.device_schedule;
    inputs.push({ deviceId: target.row.id, stored: target.state ?? decodeDeviceState(target.row.state), schedule, batches, rebuilt, ...(schedule ? { profile: profileOf(target.row) } : {}) });
  }
  const folds = await foldDevices(tx, tenantId, inputs);
  const episodes: [string, number, number][] = [];
  for (const target of targets) {
    const fold = folds.get(target.row.id);
    if (fold?.changed) target.state = fold.state;
    for (const episode of fold?.offline ?? []) episodes.push([target.row.id, episode.from, episode.to]);
  }
  if (episodes.length > 0) await tx.run(INSERT_EPISODES_SQL, [tenantId, JSON.stringify(episodes)]);
}

const INSERT_EPISODES_SQL = `INSERT INTO offline_episodes (tenant_id, device_id, from_at, to_at)
  SELECT ?, value->>0, value->>1, value->>2 FROM json_each(?) WHERE true ON CONFLICT DO NOTHING`;

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
