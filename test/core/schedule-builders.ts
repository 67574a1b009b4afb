/**
 * Builders for schedule tests: device schedules, profiles with a schedule, and local
 * wall-clock instants, around the walkthrough's Mon–Fri 22:00 Europe/Berlin policy.
 */
import { zonedInstant } from '../../core/zoned-time.ts';
import type { DeviceKind, DeviceProfile, DeviceSchedule, Instant, Schedule } from '../../core/index.ts';

/** Mon–Fri at 22:00, the walkthrough's workstation policy. */
export const WEEKDAYS_22: Schedule = { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] };

/** A device schedule in `timezone` (Europe/Berlin unless told otherwise). */
export function policy(schedule: Schedule, options: Partial<Omit<DeviceSchedule, 'schedule'>> = {}): DeviceSchedule {
  return { schedule, timezone: 'Europe/Berlin', ...options };
}

/** A device of `kind` on `schedule` (intervalHours 24 is what a BFF would carry beside it). */
export function scheduled(schedule: DeviceSchedule, kind: DeviceKind = 'workstation'): DeviceProfile {
  return { kind, intervalHours: 24, quotaBytes: null, schedule };
}

/** The instant of a local wall-clock time: `local('2026-11-20 22:00', 'Europe/Berlin')`. */
export function local(text: string, timeZone = 'Europe/Berlin'): Instant {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(text);
  if (!match) throw new Error(`bad local time ${text}`);
  const [, year, month, day, hour, minute] = match.map(Number);
  return zonedInstant({ year: year!, month: month!, day: day! }, hour! * 60 + minute!, timeZone);
}

/** ISO-8601 UTC text of an instant (readable assertions). */
export const iso = (at: Instant | null): string | null => (at === null ? null : new Date(at).toISOString());
