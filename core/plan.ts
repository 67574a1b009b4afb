/**
 * What one evaluation of a device decides, as a value: its health, SLA state, alert
 * transitions, the rewording of alerts that stay active, and when to look again.
 * The BFF applies plans (one function for ingest, sweep, settings changes and
 * retirement); it decides nothing itself.
 */
import { alertConditions, alertTransitions } from './alerts.ts';
import { evaluateHealth } from './health.ts';
import { nextEvaluationAt, type NextEvaluationInput } from './next-evaluation.ts';
import { schedulePosition } from './schedule-position.ts';
import { evaluateSla } from './sla.ts';
import type { ActiveAlert, AlertCondition, AlertInput, AlertTransition, AlertType, Health, Instant, SlaState } from './types.ts';

/** An active alert with the wording it was stored with (to tell when its condition reads differently). */
export interface WordedAlert extends ActiveAlert {
  reason: string;
}

/** Everything a plan looks at for one device. */
export interface PlanInput extends Omit<AlertInput, 'active'>, NextEvaluationInput {
  active: WordedAlert[];
}

/** An active alert that stays as it is but whose condition now reads differently. */
export interface Rewording {
  type: AlertType;
  reason: string;
}

/** One device's evaluation outcome, ready to apply. */
export interface DevicePlan {
  health: Health;
  sla: SlaState;
  /** At most one per alert type, in `ALERT_TYPES` order. */
  transitions: readonly AlertTransition[];
  rewordings: readonly Rewording[];
  /** When to evaluate the device again (far future once retired). */
  nextEvaluationAt: Instant;
  /** The device is retired: it leaves lists and sweeps, its history stays. */
  retired: boolean;
}

/** The next evaluation of a retired device: never. */
export const NEVER: Instant = Number.MAX_SAFE_INTEGER;
/** The resolution note of the alerts a retirement closes. */
export const RETIRED_REASON = 'Device retired';

const NO_REWORDINGS: readonly Rewording[] = Object.freeze([]);

/**
 * The plan of an evaluation at `now`: health, SLA state, the transitions that bring
 * the active alerts in line with the conditions, and the new wording of alerts that
 * stay active while their condition's sentence changed (elapsed times, counts).
 */
export function planEvaluation(input: PlanInput, now: Instant): DevicePlan {
  const { device, state } = input;
  // Where the device stands on its schedule, computed once for every rule.
  const position = input.position ?? schedulePosition(device, state, now);
  const placed: PlanInput = input.position === position ? input : { ...input, position };
  const conditions = alertConditions(placed, now);
  const transitions = alertTransitions(placed, conditions, now);
  return {
    health: evaluateHealth(device, state, now, position),
    sla: evaluateSla(device.kind, state, input.sla, now, position),
    transitions,
    rewordings: input.active.length === 0 ? NO_REWORDINGS : rewordingsOf(input.active, conditions, transitions),
    nextEvaluationAt: nextEvaluationAt(input, now, position),
    retired: false,
  };
}

/**
 * The plan of a retirement at `now`: every active alert resolves ("Device retired"),
 * the device is never evaluated again. Health and SLA state are reported as of now
 * for the integrations that hear of it.
 */
export function planRetirement(input: PlanInput, now: Instant): DevicePlan {
  const { device, state } = input;
  const transitions: AlertTransition[] = [];
  for (const alert of input.active) transitions.push({ action: 'resolve', type: alert.type, at: now, reason: RETIRED_REASON });
  const position = input.position ?? schedulePosition(device, state, now);
  return {
    health: evaluateHealth(device, state, now, position),
    sla: evaluateSla(device.kind, state, input.sla, now, position),
    transitions,
    rewordings: NO_REWORDINGS,
    nextEvaluationAt: NEVER,
    retired: true,
  };
}

// Plain loops: this runs for every evaluated device with an active alert (no closures on the hot path).
function rewordingsOf(active: readonly WordedAlert[], conditions: readonly AlertCondition[], transitions: readonly AlertTransition[]): readonly Rewording[] {
  let rewordings: Rewording[] | null = null;
  for (const alert of active) {
    if (hasType(transitions, alert.type)) continue;
    let condition: AlertCondition | undefined;
    for (const candidate of conditions) if (candidate.type === alert.type) condition = candidate;
    if (condition && condition.reason !== alert.reason) (rewordings ??= []).push({ type: alert.type, reason: condition.reason });
  }
  return rewordings ?? NO_REWORDINGS;
}

function hasType(transitions: readonly AlertTransition[], type: AlertType): boolean {
  for (const transition of transitions) if (transition.type === type) return true;
  return false;
}
