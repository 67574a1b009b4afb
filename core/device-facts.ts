/**
 * Small facts derived from a device's state that several rules share (health,
 * alerts, PSA), so each is defined once.
 */
import type { DeviceKind, DeviceProfile, DeviceState, Instant } from './types.ts';

/**
 * The policy interval assumed for a device without a policy. Every write path
 * requires a policy, so this only covers a policy that vanished (or a row written
 * by an older version); the API, the rules and the detail view all assume the same.
 */
export const DEFAULT_INTERVAL_HOURS = 24;

/** The policy interval in force: the policy's, else `DEFAULT_INTERVAL_HOURS`. */
export function intervalHoursOf(policyIntervalHours: number | null | undefined): number {
  return policyIntervalHours ?? DEFAULT_INTERVAL_HOURS;
}

/** The profile the rules take from a device's stored configuration. */
export function deviceProfile(kind: DeviceKind, policyIntervalHours: number | null | undefined, quotaBytes: number | null): DeviceProfile {
  return { kind, intervalHours: intervalHoursOf(policyIntervalHours), quotaBytes };
}

/** A device is known once a backup job has completed (check-ins alone don't count). */
export function isKnown(state: DeviceState): boolean {
  return state.lastCompletedAt !== null;
}

/**
 * The instant the schedule counts from: the last successful backup, else the first
 * job ever reported, else enrolment.
 */
export function scheduleReference(state: DeviceState): Instant {
  return state.lastSuccessAt ?? state.firstJobAt ?? state.enrolledAt;
}

/** The quota in force: the newest storage report's quota, else the device's. Only a positive quota counts. */
export function effectiveQuota(device: DeviceProfile, state: DeviceState): number | null {
  const quota = state.storage?.quotaBytes ?? device.quotaBytes;
  return quota !== null && quota > 0 ? quota : null;
}

/** used / quota from the newest storage report; null without a report or a quota. */
export function storageRatio(device: DeviceProfile, state: DeviceState): number | null {
  const quota = effectiveQuota(device, state);
  if (state.storage === null || quota === null) return null;
  return state.storage.usedBytes / quota;
}
