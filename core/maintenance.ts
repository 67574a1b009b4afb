/**
 * Maintenance windows applied to devices: which windows cover a device at an instant,
 * until when, when that next changes, and how much of a span lies inside windows.
 * While a device is in maintenance no alert opens or escalates and nothing that asks
 * for attention is sent (see `muting.ts`); its scheduled runs are not missed.
 */
import type { Instant } from './types.ts';
import { nextStartAfter, occurrencesBetween, type MaintenanceTiming, type TimeRange } from './maintenance-window.ts';

/**
 * Which devices a window covers. Every field given must match (a client's devices on
 * one policy, say); `deviceIds` lists devices. Validation refuses an empty scope, which
 * would quietly cover the whole tenant.
 */
export interface MaintenanceScope {
  clientId?: string;
  deviceIds?: string[];
  policyId?: string;
}

/** A planned window: a name people recognise, its scope and its timing. */
export type MaintenanceWindow = { id: string; name: string; scope: MaintenanceScope } & MaintenanceTiming;

/** What a scope is matched against. */
export interface MaintenanceSubject {
  deviceId: string;
  clientId: string;
  policyId: string | null;
}

/** A window covering a device now, and when that window's coverage ends. */
export interface ActiveWindow {
  id: string;
  name: string;
  until: Instant;
}

/** A device's maintenance now: the windows, and when the device leaves maintenance. */
export interface ActiveMaintenance {
  /** The window that lasts longest (ties: the first given), for `maintenance: {name, until}`. */
  id: string;
  name: string;
  /** When no matching window covers the device any more (back-to-back windows joined). */
  until: Instant;
  /** Every window covering the device now, longest first. */
  windows: ActiveWindow[];
}

/**
 * Back-to-back or overlapping occurrences are followed this many times when working
 * out "until"; a window that never lets go (every day for 24 h) reports the end of
 * the last one followed.
 */
const MAX_CHAINED_OCCURRENCES = 64;

/** Whether the window's scope includes the device. */
export function windowApplies(window: Pick<MaintenanceWindow, 'scope'>, subject: MaintenanceSubject): boolean {
  const { clientId, deviceIds, policyId } = window.scope;
  if (clientId === undefined && deviceIds === undefined && policyId === undefined) return false;
  if (clientId !== undefined && clientId !== subject.clientId) return false;
  if (policyId !== undefined && policyId !== subject.policyId) return false;
  if (deviceIds !== undefined && !deviceIds.includes(subject.deviceId)) return false;
  return true;
}

/** Whether the window is on at `at` (start inclusive, end exclusive), whatever its scope. */
export function windowIsOn(timing: MaintenanceTiming, at: Instant): boolean {
  return occurrencesBetween(timing, at, at + 1).length > 0;
}

/** The windows that cover the device at `at`. */
export function windowsCovering<W extends MaintenanceWindow>(subject: MaintenanceSubject, windows: readonly W[], at: Instant): W[] {
  return windows.filter((window) => windowApplies(window, subject) && windowIsOn(window, at));
}

/** Whether any window covers the device at `at` — e.g. a scheduled run's slot, which is then not missed. */
export function isInMaintenance(subject: MaintenanceSubject, windows: readonly MaintenanceWindow[], at: Instant): boolean {
  return windows.some((window) => windowApplies(window, subject) && windowIsOn(window, at));
}

/** The device's maintenance at `now`, or null when no window covers it. */
export function activeMaintenance(subject: MaintenanceSubject, windows: readonly MaintenanceWindow[], now: Instant): ActiveMaintenance | null {
  const covering = windowsCovering(subject, windows, now);
  if (covering.length === 0) return null;
  const active = covering
    .map((window) => ({ id: window.id, name: window.name, until: coverageEnd([window], now)! }))
    .sort((a, b) => b.until - a.until);
  const applicable = windows.filter((window) => windowApplies(window, subject));
  return { id: active[0]!.id, name: active[0]!.name, until: coverageEnd(applicable, now)!, windows: active };
}

/**
 * The next instant after `now` at which the device's maintenance can change: the
 * soonest start or end of a window in its scope, null when none lies ahead. The
 * evaluator looks at the device again then, so a condition still true when a window
 * ends is evaluated at that end.
 */
export function nextMaintenanceBoundary(subject: MaintenanceSubject, windows: readonly MaintenanceWindow[], now: Instant): Instant | null {
  let next: Instant | null = null;
  for (const window of windows) {
    if (!windowApplies(window, subject)) continue;
    const boundary = nextWindowBoundary(window, now);
    if (boundary !== null && (next === null || boundary < next)) next = boundary;
  }
  return next;
}

/**
 * The next start or end of one window after `now`, whatever its scope: lets a caller
 * work a window out once and share it between the devices it covers.
 */
export function nextWindowBoundary(timing: MaintenanceTiming, now: Instant): Instant | null {
  let next = nextStartAfter(timing, now);
  for (const occurrence of occurrencesBetween(timing, now, now + 1)) {
    if (next === null || occurrence.end < next) next = occurrence.end;
  }
  return next;
}

/** The parts of `[from, to)` during which a window covers the device, merged and in order. */
export function maintenanceRanges(subject: MaintenanceSubject, windows: readonly MaintenanceWindow[], from: Instant, to: Instant): TimeRange[] {
  if (to <= from) return [];
  const ranges = windows
    .filter((window) => windowApplies(window, subject))
    .flatMap((window) => occurrencesBetween(window, from, to))
    .map((range) => ({ start: Math.max(range.start, from), end: Math.min(range.end, to) }))
    .sort((a, b) => a.start - b.start);
  const merged: TimeRange[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** Milliseconds of `[from, to)` the device spends in maintenance: breach time there does not count against compliance. */
export function timeInMaintenance(subject: MaintenanceSubject, windows: readonly MaintenanceWindow[], from: Instant, to: Instant): number {
  return maintenanceRanges(subject, windows, from, to).reduce((total, range) => total + range.end - range.start, 0);
}

/** The end of continuous coverage by `timings` from `at` (null when none is on at `at`). */
function coverageEnd(timings: readonly MaintenanceTiming[], at: Instant): Instant | null {
  let end: Instant | null = null;
  let probe = at;
  for (let step = 0; step < MAX_CHAINED_OCCURRENCES; step++) {
    let furthest: Instant | null = null;
    for (const timing of timings) {
      for (const occurrence of occurrencesBetween(timing, probe, probe + 1)) {
        if (furthest === null || occurrence.end > furthest) furthest = occurrence.end;
      }
    }
    if (furthest === null) break;
    end = probe = furthest;
  }
  return end;
}

/** A window as a period report lists it: its occurrences while a device it covers was counted, clipped to that time. */
export interface WindowInPeriod<W extends MaintenanceWindow> {
  window: W;
  spans: TimeRange[];
}

/**
 * The windows that took time out of `[from, to)` for some of `devices` (each counted
 * until its own `to`: a retired device stops counting), each with its occurrences
 * clipped to the period, in the order given. An audit lists these next to the figures.
 */
export function windowsInPeriod<W extends MaintenanceWindow>(
  windows: readonly W[],
  devices: readonly { subject: MaintenanceSubject; to: Instant }[],
  from: Instant,
  to: Instant,
): WindowInPeriod<W>[] {
  const found: WindowInPeriod<W>[] = [];
  for (const window of windows) {
    let until = -Infinity;
    for (const device of devices) {
      if (windowApplies(window, device.subject)) until = Math.max(until, Math.min(device.to, to));
    }
    if (until <= from) continue;
    const spans = occurrencesBetween(window, from, until).map((range) => ({ start: Math.max(range.start, from), end: Math.min(range.end, until) }));
    if (spans.length > 0) found.push({ window, spans });
  }
  return found;
}
