/**
 * Small builders for core tests: a device profile, a device history as events, and
 * the alert input, all around one fixed evaluation time.
 */
import {
  DAY,
  DEFAULT_SLA,
  HOUR,
  summarizeHistory,
  type ActiveAlert,
  type AlertInput,
  type AlertSeverity,
  type AlertType,
  type DeviceProfile,
  type DeviceState,
  type HistoryEvent,
  type Instant,
} from '../../core/index.ts';

/** Tuesday 2026-11-24 12:00 UTC. */
export const NOW: Instant = Date.UTC(2026, 10, 24, 12);
/** Enrolment a month before NOW. */
export const ENROLLED: Instant = NOW - 30 * DAY;

export const hoursAgo = (hours: number): Instant => NOW - hours * HOUR;
export const daysAgo = (days: number): Instant => NOW - days * DAY;

/** A workstation on a 4-hour policy without quota, unless told otherwise. */
export function device(overrides: Partial<DeviceProfile> = {}): DeviceProfile {
  return { kind: 'workstation', intervalHours: 4, quotaBytes: null, ...overrides };
}

/** A job of 30 minutes that ended at `endedAt`. */
export function job(status: 'success' | 'warning' | 'failed', endedAt: Instant): HistoryEvent {
  return { type: 'job', status, startedAt: endedAt - 30 * 60_000, endedAt };
}
export const success = (endedAt: Instant) => job('success', endedAt);
export const failure = (endedAt: Instant) => job('failed', endedAt);
export const running = (startedAt: Instant): HistoryEvent => ({ type: 'job', status: 'running', startedAt, endedAt: null });
export const drTest = (at: Instant, result: 'passed' | 'failed'): HistoryEvent => ({ type: 'dr_test', at, result });
export const storage = (at: Instant, usedBytes: number, quotaBytes: number | null = null): HistoryEvent => ({ type: 'storage', at, usedBytes, quotaBytes });
export const consent = (at: Instant, state: 'ok' | 'expired'): HistoryEvent => ({ type: 'saas_consent', at, state });
export const checkin = (at: Instant): HistoryEvent => ({ type: 'checkin', at });

/** Successful jobs every `everyHours`, the newest ending at `newestAt`. */
export function successesEvery(everyHours: number, count: number, newestAt: Instant): HistoryEvent[] {
  return Array.from({ length: count }, (_, index) => success(newestAt - index * everyHours * HOUR));
}

/** The device state after `events`, enrolled a month before NOW. */
export function history(...events: HistoryEvent[]): DeviceState {
  return summarizeHistory(ENROLLED, events);
}

/** An active (open) alert. */
export function active(type: AlertType, severity: AlertSeverity, state: ActiveAlert['state'] = 'open'): ActiveAlert {
  return { type, severity, state };
}

/** Everything the alert rules need, with the default SLA hours and no active alerts. */
export function alertInput(profile: DeviceProfile, state: DeviceState, activeAlerts: ActiveAlert[] = []): AlertInput {
  return { device: profile, state, sla: { ...DEFAULT_SLA }, active: activeAlerts };
}
