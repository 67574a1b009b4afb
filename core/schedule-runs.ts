/**
 * The last scheduled runs of a device, as a strip of cells like a calendar of the
 * last two weeks: for calendar schedules one cell per slot, for interval schedules
 * one per local day.
 */
import { mergedStatus, statusBit } from './run-merge.ts';
import { compiledScheduleOf, type CompiledSchedule } from './schedule-compiled.ts';
import { INTERVAL_GRACE_SHARE, type MergeRule } from './schedule-spec.ts';
import { HOUR, type CompletedJobStatus, type DeviceProfile, type Instant, type JobStatus } from './types.ts';
import { addDays, localDateTime, zonedInstant } from './zoned-time.ts';

/** The result of one scheduled run (one cell of the strip). */
export type RunResult = 'success' | 'warning' | 'failed' | 'missed' | 'skipped' | 'pending';
/** Every run result, for enumerations in the API document. */
export const RUN_RESULTS: readonly RunResult[] = ['success', 'warning', 'failed', 'missed', 'skipped', 'pending'];

/** One cell of the strip: the slot (or the local day's start), its result and the jobs in it. */
export interface ScheduledRun {
  slot: Instant;
  result: RunResult;
  /** Ids of the jobs counted in this run, oldest first. */
  jobs: string[];
}

/** A job as the strip needs it (manual results are jobs too). */
export interface RunJob {
  id: string;
  status: JobStatus;
  startedAt: Instant;
  endedAt: Instant | null;
}

/** What the strip is drawn from: the jobs of (at least) the period, other signs of life, enrolment. */
export interface RunsInput {
  jobs: readonly RunJob[];
  /** Check-ins and pings; jobs count as signs of life by themselves. */
  signsOfLife?: readonly Instant[];
  enrolledAt: Instant;
}

/** Cells in the strip. */
export const RUN_STRIP_LENGTH = 14;

/**
 * The last `count` runs up to `now`, oldest first, never before enrolment.
 *
 * Calendar schedules: one cell per slot whose window has opened (`slot − grace ≤ now`);
 * a run holds the jobs from `slot − grace` to the next slot's `slot − grace`. Without a
 * completed job a run is `pending` while its window is open (or a job runs), `skipped`
 * when the policy skips offline workstations and nothing was heard in
 * `[slot − grace, slot + grace]`, else `missed`.
 *
 * Interval schedules: one cell per local day (the schedule's timezone). A day without a
 * completed job is `missed` when the missed rule (1.5 × interval without success) held
 * at its end, `pending` while it is today, and `skipped` when no run was due that day.
 *
 * Several jobs in a cell merge by the policy's merge rule under `per-run`, otherwise
 * by `mixed-is-warning` (a retried failure shows as a warning).
 */
export function recentRuns(device: DeviceProfile, input: RunsInput, now: Instant, count = RUN_STRIP_LENGTH): ScheduledRun[] {
  const schedule = compiledScheduleOf(device);
  const rule: MergeRule = schedule.merge === 'per-run' ? schedule.mergeRule : 'mixed-is-warning';
  const jobs = [...input.jobs].sort((a, b) => jobTime(a) - jobTime(b));
  return schedule.calendar === null ? intervalDays(schedule, jobs, input, now, count, rule) : calendarRuns(schedule, device, jobs, input, now, count, rule);
}

function calendarRuns(schedule: CompiledSchedule, device: DeviceProfile, jobs: readonly RunJob[], input: RunsInput, now: Instant, count: number, rule: MergeRule): ScheduledRun[] {
  const calendar = schedule.calendar!;
  const grace = schedule.graceMs;
  const skipping = schedule.skipWhenOffline && device.kind === 'workstation';
  const slots: Instant[] = [];
  for (let slot = calendar.slotAtOrBefore(now + grace); slot !== null && slot >= input.enrolledAt && slots.length < count; slot = calendar.slotAtOrBefore(slot - 1)) {
    slots.unshift(slot);
  }
  const lastNext = slots.length > 0 ? calendar.slotAfter(slots[slots.length - 1]!) : null;
  return slots.map((slot, index) => {
    const next = slots[index + 1] ?? lastNext ?? Infinity;
    const inRun = jobs.filter((job) => jobTime(job) >= slot - grace && jobTime(job) < next - grace);
    const merged = mergedResult(inRun, rule);
    let result: RunResult;
    if (merged !== null) result = merged;
    else if (inRun.length > 0 || now < slot + grace) result = 'pending';
    else if (skipping && !heardWithin(jobs, input.signsOfLife ?? [], slot - grace, slot + grace)) result = 'skipped';
    else result = 'missed';
    return { slot, result, jobs: inRun.map((job) => job.id) };
  });
}

function intervalDays(schedule: CompiledSchedule, jobs: readonly RunJob[], input: RunsInput, now: Instant, count: number, rule: MergeRule): ScheduledRun[] {
  const timeZone = schedule.policy.timezone;
  const missedAfter = (1 + INTERVAL_GRACE_SHARE) * schedule.intervalHours! * HOUR;
  const today = localDateTime(now, timeZone);
  const runs: ScheduledRun[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const date = addDays(today, -back);
    const start = zonedInstant(date, 0, timeZone);
    const end = zonedInstant(addDays(date, 1), 0, timeZone);
    if (end <= input.enrolledAt) continue;
    const inDay = jobs.filter((job) => jobTime(job) >= start && jobTime(job) < end);
    const merged = mergedResult(inDay, rule);
    let result: RunResult;
    if (merged !== null) result = merged;
    else if (inDay.length > 0 || end > now) result = end > now && missedBy(jobs, input.enrolledAt, now, missedAfter) ? 'missed' : 'pending';
    else result = missedBy(jobs, input.enrolledAt, end, missedAfter) ? 'missed' : 'skipped';
    runs.push({ slot: start, result, jobs: inDay.map((job) => job.id) });
  }
  return runs;
}

/** The merged status of a run's completed jobs; null when none has completed. */
function mergedResult(jobs: readonly RunJob[], rule: MergeRule): CompletedJobStatus | null {
  let seen = 0;
  let last: CompletedJobStatus | null = null;
  for (const job of jobs) {
    if (job.status === 'running' || job.endedAt === null) continue;
    seen |= statusBit(job.status);
    last = job.status;
  }
  return last === null ? null : mergedStatus(seen, last, rule);
}

/** Whether the interval's missed rule holds at `at`: longer than `missedAfter` since the newest success (else enrolment). */
function missedBy(jobs: readonly RunJob[], enrolledAt: Instant, at: Instant, missedAfter: number): boolean {
  let reference = enrolledAt;
  for (const job of jobs) {
    if ((job.status === 'success' || job.status === 'warning') && job.endedAt !== null && job.endedAt <= at) reference = Math.max(reference, job.endedAt);
  }
  return at - reference > missedAfter;
}

function heardWithin(jobs: readonly RunJob[], signs: readonly Instant[], from: Instant, to: Instant): boolean {
  const within = (at: Instant | null) => at !== null && at >= from && at <= to;
  return signs.some(within) || jobs.some((job) => within(job.startedAt) || within(job.endedAt));
}

/** A job sorts and falls into a run by its end (a running job by its start). */
function jobTime(job: RunJob): Instant {
  return job.endedAt ?? job.startedAt;
}
