/**
 * Offline episodes (docs/schedules.md) as history: a sign of life that ends a spell in which the
 * device was offline — a run's window closed without any sign of life — ends the
 * episode that began at the last sign of life before it. The period report counts
 * the episode pending, as the snapshot did while it lasted, so a laptop off for the
 * weekend is not in breach afterwards either.
 */
import type { Interval } from './compliance-period.ts';
import { schedulePosition, skipsWhenOffline } from './schedule-position.ts';
import type { DeviceProfile, DeviceState, Instant } from './types.ts';

/** The offline episode a sign of life at `at` ends, given the state before it; null when the device was not offline. */
export function offlineEpisodeEndedAt(device: DeviceProfile, state: DeviceState, at: Instant): Interval | null {
  // Cheap (memoised) for the devices that never go offline: every event of theirs asks.
  if (!device.schedule || !skipsWhenOffline(device)) return null;
  const { offlineSince } = schedulePosition(device, state, at);
  return offlineSince !== null && offlineSince < at ? { from: offlineSince, to: at } : null;
}
