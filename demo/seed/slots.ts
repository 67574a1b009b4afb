/**
 * When a demo device's backups run: its policy's slots in its client's timezone (core's
 * own schedule, never a second implementation), how long its jobs take, when a failed
 * run may be retried, and whether a laptop is switched off. Shared by the seeded
 * history and the live simulator, so both run the same plan.
 */
import { compileSchedule, type CompiledSchedule } from '../../core/schedule-compiled.ts';
import type { DeviceSchedule } from '../../core/schedule-spec.ts';
import { localDateTime } from '../../core/zoned-time.ts';
import type { PolicySpec, Role } from './fleet.ts';
import { hashString, type Random } from './random.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** What the plan needs to know about a device. */
export interface SlotDevice {
  id: string;
  role: Role;
  timezone: string;
  policy: PolicySpec;
}

/** A failed run is retried this many minutes after the failure ended. */
export const RETRY_DELAY_MINUTES: readonly [number, number] = [15, 60];
/** At most this many retries per run. */
export const MAX_RETRIES = 2;

/** Job length in minutes by role: workstations minutes, servers up to 1.5 h, a NAS hours. */
export const DURATION_MINUTES: Readonly<Record<Role, readonly [number, number]>> = {
  desktop: [5, 30],
  laptop: [5, 30],
  server: [20, 90],
  'critical-server': [20, 90],
  nas: [120, 300],
  archive: [60, 240],
  saas: [10, 60],
};

/** A job length for `role`, in ms. */
export function jobDuration(role: Role, random: Random): number {
  const [shortest, longest] = DURATION_MINUTES[role];
  return Math.round(random.between(shortest, longest) * MINUTE);
}

/** The policy as core's rules read it for this device (compiled once per policy and timezone). */
export function compiledPolicy(device: SlotDevice): CompiledSchedule {
  const { schedule, graceHours, offline, merge, mergeRule } = device.policy;
  const policy: DeviceSchedule = { schedule, timezone: device.timezone, graceHours: graceHours ?? null, offline: offline ?? null, merge, mergeRule };
  return compileSchedule(policy);
}

/**
 * The device's slots in `(from, to]`. Calendar schedules: the policy's slots in the
 * client's timezone. Interval schedules: every `hours` from a phase of its own (fixed
 * per device id), as an agent that was installed at some time of day would run.
 */
export function slotsBetween(device: SlotDevice, from: number, to: number): number[] {
  const compiled = compiledPolicy(device);
  if (compiled.calendar) return compiled.calendar.slotsBetween(from, to);
  const interval = compiled.intervalHours! * HOUR;
  const phase = (hashString(device.id) % (compiled.intervalHours! * 60)) * MINUTE;
  const slots: number[] = [];
  for (let slot = Math.floor((from - phase) / interval) * interval + phase; slot <= to; slot += interval) if (slot > from) slots.push(slot);
  return slots;
}

/** The first slot after `at`. */
export function slotAfter(device: SlotDevice, at: number): number {
  const compiled = compiledPolicy(device);
  if (compiled.calendar) return compiled.calendar.slotAfter(at) ?? Infinity;
  return slotsBetween(device, at, at + compiled.intervalHours! * HOUR)[0]!;
}

/**
 * The latest time a retry of the run at `slot` may end and still be merged into that
 * run: calendar schedules, before the next slot's window opens (`next − grace`);
 * interval schedules, within the grace of the failure (and before the next slot).
 */
export function retryDeadline(device: SlotDevice, slot: number, failedAt: number): number {
  const compiled = compiledPolicy(device);
  const next = slotAfter(device, slot);
  const margin = 5 * MINUTE;
  if (compiled.calendar) return next - compiled.graceMs - margin;
  return Math.min(failedAt + compiled.graceMs, next) - margin;
}

/** Laptops are off at weekends (Saturday and Sunday in the client's timezone). */
export function isSwitchedOff(device: Pick<SlotDevice, 'role' | 'timezone'>, at: number): boolean {
  return device.role === 'laptop' && localDateTime(at, device.timezone).weekday >= 6;
}

/** Office hours on a weekday in the client's timezone: when a laptop checks in. */
export function isOfficeHours(timezone: string, at: number): boolean {
  const local = localDateTime(at, timezone);
  return local.weekday <= 5 && local.hour >= 8 && local.hour < 18;
}
