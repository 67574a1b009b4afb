import { resolutionReason } from './alert-resolution.ts';
import { isKnown, scheduleReference, storageRatio } from './device-facts.ts';
import { formatElapsed, formatHours, formatPercent, formatUtc, plural } from './format.ts';
import { CRITICAL_FAILURE_STREAK, failureStreakReason } from './health-status.ts';
import { storageLevel } from './storage-level.ts';
import { behindScheduleNote, schedulePosition, skippedRuns } from './schedule-position.ts';
import { INTERVAL_GRACE_SHARE } from './schedule-spec.ts';
import {
  ALERT_TYPES,
  HOUR,
  type ActiveAlert,
  type AlertCondition,
  type AlertInput,
  type AlertSeverity,
  type AlertTransition,
  type AlertType,
  type Instant,
} from './types.ts';

/** Interval schedules: backup_missed_schedule fires past this many policy intervals without success. */
export const MISSED_SCHEDULE_INTERVALS = 1 + INTERVAL_GRACE_SHARE;
export { STORAGE_ALERT_RATIO } from './storage-level.ts';
/** saas_backup_overdue fires this many hours after the next SaaS job was due. */
export const SAAS_GRACE_HOURS = 36;

/** What a technician should do, per alert type. */
export const RECOMMENDED_ACTIONS: Readonly<Record<AlertType, string>> = {
  backup_failed:
    "Check the agent's job log for the error; fix the cause (credentials, disk space, VSS, network); re-run the backup and confirm it succeeds.",
  backup_missed_schedule:
    'Check that the device is online, the backup agent service is running and the schedule is enabled; start a backup manually and confirm it completes.',
  backup_overdue:
    'Treat the data as unprotected: reach the device (or its user), make sure the agent runs and the backup target is reachable; run a backup now and confirm it succeeds.',
  storage_quota_exceeded:
    'Review retention and exclusions, prune stale restore points, or raise the storage quota before backups start failing.',
  saas_backup_overdue:
    "Open the SaaS backup console and check the tenant's sync status and API throttling; start a backup and confirm it completes.",
  saas_consent_expired:
    'Re-authorize the SaaS connection: sign in as a tenant admin and grant consent again in the backup console, then run a backup to confirm access.',
  dr_test_failed:
    'Read the restore-test log; fix the cause (corrupt restore point, missing drivers, boot configuration); run the DR test again and confirm it passes.',
  device_offline:
    "Reach the device's user: ask them to switch the laptop on and connect it to a network; check that the backup agent runs and checks in; if the device is gone for good, retire it.",
};

const condition = (type: AlertType, severity: AlertSeverity, since: Instant, reason: string): AlertCondition => ({
  type, severity, since, reason, recommendedAction: RECOMMENDED_ACTIONS[type],
});
const withoutSuccess = (age: number) => `No successful backup for ${formatElapsed(age)}`;

/**
 * Every alert condition that holds for the device at `now` (at most one per type,
 * in `ALERT_TYPES` order). None while the device is unknown (no completed job).
 * The schedule conditions count from the last success, else the first job, else
 * enrolment; being late and when the hour rules may apply come from the schedule
 * position (`input.position`, computed when not given).
 */
export function alertConditions(input: AlertInput, now: Instant): AlertCondition[] {
  const { device, state, sla } = input;
  if (!isKnown(state)) return [];
  const position = input.position ?? schedulePosition(device, state, now);
  const conditions: AlertCondition[] = [];
  const ref = scheduleReference(state);
  const age = now - ref;
  const ageRulesApply = now >= position.ageRulesFrom;

  if (state.consecutiveFailures >= 1) {
    const severity = state.consecutiveFailures >= CRITICAL_FAILURE_STREAK ? 'critical' : 'warning';
    conditions.push(condition('backup_failed', severity, state.failureStreakSince ?? state.lastCompletedAt ?? now, failureStreakReason(state)));
  }
  if (position.late) {
    conditions.push(condition('backup_missed_schedule', 'warning', position.lateAt, `${withoutSuccess(age)} (${behindScheduleNote(position)})`));
  }
  if (device.kind !== 'saas' && ageRulesApply) {
    const hours = device.kind === 'server' ? sla.serverHours : sla.workstationHours;
    if (age >= hours * HOUR) {
      conditions.push(condition('backup_overdue', 'critical', Math.max(ref + hours * HOUR, position.ageRulesFrom), `${withoutSuccess(age)} (${device.kind} limit ${formatHours(hours)})`));
    }
  }
  const ratio = storageRatio(device, state);
  if (ratio !== null && storageLevel(ratio) === 'full' && state.storage !== null) {
    conditions.push(condition('storage_quota_exceeded', 'warning', state.storage.at, `Storage at ${formatPercent(ratio)} of quota`));
  }
  if (device.kind === 'saas') {
    const due = position.nextDue;
    if (now > due + SAAS_GRACE_HOURS * HOUR && ageRulesApply) {
      conditions.push(condition('saas_backup_overdue', 'warning', Math.max(due + SAAS_GRACE_HOURS * HOUR, position.ageRulesFrom),
        `No successful SaaS backup since ${formatUtc(ref)}; the next one was due at ${formatUtc(due)}`));
    }
    if (state.saasConsent?.state === 'expired') {
      conditions.push(condition('saas_consent_expired', 'critical', state.saasConsent.at, `SaaS consent expired on ${formatUtc(state.saasConsent.at)}`));
    }
  }
  if (state.lastDrTest?.result === 'failed') {
    conditions.push(condition('dr_test_failed', 'critical', state.lastDrTest.at, `Most recent DR test failed on ${formatUtc(state.lastDrTest.at)}`));
  }
  if (position.offlineAlertAt !== null && now >= position.offlineAlertAt) {
    conditions.push(condition('device_offline', 'warning', position.offlineAlertAt,
      `No sign of life for ${formatElapsed(now - position.lastSeenAt)} (last seen ${formatUtc(position.lastSeenAt)}); ${plural(skippedRuns(position, now), 'run')} skipped`));
  }
  return conditions;
}

/**
 * The transitions that bring the device's active alerts in line with its conditions:
 * open what holds and is not active, escalate warning → critical in place, resolve
 * what no longer holds. Never two active alerts of one type.
 *
 * Acknowledged alerts count as active. A critical alert is never de-escalated. At
 * most one transition per type, in `ALERT_TYPES` order.
 */
export function evaluateAlerts(input: AlertInput, now: Instant): AlertTransition[] {
  return alertTransitions(input, alertConditions(input, now), now);
}

/** `evaluateAlerts` over conditions already computed for `now` (a plan also rewords from them). */
export function alertTransitions(input: AlertInput, holding: readonly AlertCondition[], now: Instant): AlertTransition[] {
  const conditions = new Map(holding.map((c) => [c.type, c]));
  const active = activeByType(input.active);
  const transitions: AlertTransition[] = [];
  for (const type of ALERT_TYPES) {
    const condition = conditions.get(type);
    const alert = active.get(type);
    if (condition && !alert) {
      const { severity, since, reason, recommendedAction } = condition;
      transitions.push({ action: 'open', type, severity, at: now, triggeredAt: since, reason, recommendedAction });
    } else if (condition && alert && alert.severity === 'warning' && condition.severity === 'critical') {
      const { reason, recommendedAction } = condition;
      transitions.push({ action: 'escalate', type, from: 'warning', severity: 'critical', at: now, reason, recommendedAction });
    } else if (!condition && alert) {
      transitions.push({ action: 'resolve', type, at: now, reason: resolutionReason(type, input.device, input.state, now) });
    }
  }
  return transitions;
}

/** One active alert per type; should the caller pass two, the most severe stands for both. */
function activeByType(active: readonly ActiveAlert[]): Map<AlertType, ActiveAlert> {
  const byType = new Map<AlertType, ActiveAlert>();
  for (const alert of active) {
    const known = byType.get(alert.type);
    if (!known || (known.severity === 'warning' && alert.severity === 'critical')) byType.set(alert.type, alert);
  }
  return byType;
}
