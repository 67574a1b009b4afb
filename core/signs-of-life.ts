/**
 * Signs of life (a job's start or end, a check-in, a ping) as the offline rule needs
 * them: the newest one, and the earliest run after the last success that the device
 * was on for. Folded per event, so evaluation never rescans history.
 */
import { scheduleReference } from './device-facts.ts';
import type { CompiledSchedule } from './schedule-compiled.ts';
import type { DeviceState, Instant } from './types.ts';

/**
 * Records a sign of life at `at`: `lastSeenAt` becomes the newest, and for a calendar
 * schedule the slot whose window `[slot − grace, slot + grace]` contains `at` (the
 * first such slot after the last success's grace) becomes `attendedSlot` if earlier.
 * An attended slot the last success has since satisfied is dropped. Returns a new
 * object (or the same one when nothing changes).
 */
export function noteSignOfLife(state: DeviceState, at: Instant, schedule: CompiledSchedule | null): DeviceState {
  const lastSeenAt = state.lastSeenAt === null ? at : Math.max(state.lastSeenAt, at);
  const attendedSlot = schedule?.calendar ? attendedSlotAfter(state, at, schedule) : state.attendedSlot;
  if (lastSeenAt === state.lastSeenAt && attendedSlot === state.attendedSlot) return state;
  return { ...state, lastSeenAt, attendedSlot };
}

function attendedSlotAfter(state: DeviceState, at: Instant, schedule: CompiledSchedule): Instant | null {
  const grace = schedule.graceMs;
  const earliestUnsatisfied = scheduleReference(state) + grace;
  const known = state.attendedSlot !== null && state.attendedSlot > earliestUnsatisfied ? state.attendedSlot : null;
  // The first slot s with s − grace > reference and s ≥ at − grace; `at` attends it when s − grace ≤ at.
  const slot = schedule.calendar!.slotAfter(Math.max(earliestUnsatisfied, at - grace - 1));
  if (slot === null || slot - grace > at) return known;
  return known === null ? slot : Math.min(known, slot);
}
