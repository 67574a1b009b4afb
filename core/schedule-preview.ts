/**
 * The next slots of a schedule, for an editor's preview: one implementation with the
 * evaluator (the compiled schedule), so what the preview shows is what the rules use.
 */
import { compileSchedule, nextSlotAfter, scheduleProblems, type ScheduleFieldProblem } from './schedule-compiled.ts';
import type { DeviceSchedule } from './schedule-spec.ts';
import type { Instant } from './types.ts';

export const PREVIEW_SLOTS = 5;

/** The schedule in words and its next `count` slots after `now`; or the problems naming their fields. */
export function schedulePreview(policy: DeviceSchedule, now: Instant, count = PREVIEW_SLOTS): { text: string; slots: Instant[] } | { problems: ScheduleFieldProblem[] } {
  const problems = scheduleProblems(policy);
  if (problems.length > 0) return { problems };
  const compiled = compileSchedule(policy);
  const slots: Instant[] = [];
  for (let slot = nextSlotAfter(compiled, now); slot !== null && slots.length < count; slot = nextSlotAfter(compiled, slot)) slots.push(slot);
  return { text: compiled.text, slots };
}
