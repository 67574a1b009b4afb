/**
 * Per-run merge: several results for one run (retries) count as one before the
 * success rate and the failure streak see them. Calendar schedules: results between
 * `slot − grace` and the next slot's `slot − grace` are one run; interval schedules:
 * results within the grace of each other.
 */
import type { CompiledSchedule } from './schedule-compiled.ts';
import type { MergeRule } from './schedule-spec.ts';
import { DAY, type CompletedJob, type CompletedJobStatus, type DayBucket, type DeviceState, type Instant, type RunTally } from './types.ts';

const STATUS_BITS: Readonly<Record<CompletedJobStatus, number>> = { success: 1, warning: 2, failed: 4 };

/** The bit of a status in `RunTally.seen`. */
export function statusBit(status: CompletedJobStatus): number {
  return STATUS_BITS[status];
}

/**
 * The result of a run from the statuses it saw (bits: 1 success, 2 warning, 4 failed)
 * and its newest status: `last` takes the newest; `worst` failed > warning > success;
 * `best` the reverse; `mixed-is-warning` a failure beside a success is a warning,
 * otherwise the worst.
 */
export function mergedStatus(seen: number, lastStatus: CompletedJobStatus, rule: MergeRule): CompletedJobStatus {
  switch (rule) {
    case 'last':
      return lastStatus;
    case 'best':
      return seen & 1 ? 'success' : seen & 2 ? 'warning' : 'failed';
    case 'worst':
      return seen & 4 ? 'failed' : seen & 2 ? 'warning' : 'success';
    case 'mixed-is-warning':
      return seen & 4 ? (seen & 3 ? 'warning' : 'failed') : seen & 2 ? 'warning' : 'success';
  }
}

/** What a newest job changes under per-run merge. */
export type RunFields = Pick<DeviceState, 'daily' | 'consecutiveFailures' | 'failureStreakSince' | 'lastFailureAt' | 'run'>;

/**
 * Folds the newest completed job into its run: a job of the same run revises what the
 * run counted (its day bucket, the failure streak, the newest failure); a job of a new
 * run starts one. `before` is the state before this job.
 */
export function foldRun(before: DeviceState, job: CompletedJob, schedule: CompiledSchedule, addToBuckets: (daily: readonly DayBucket[], day: number, ok: boolean) => DayBucket[]): RunFields {
  const key = runKeyOf(before.run, job.endedAt, schedule);
  const current = before.run !== null && before.run.key === key ? before.run : null;
  const rule = schedule.mergeRule;
  let daily = before.daily;
  let run: RunTally;
  let wasFailed = false;
  if (current) {
    wasFailed = mergedStatus(current.seen, current.lastStatus, rule) === 'failed';
    daily = removeFromBuckets(daily, current.day, !wasFailed);
    const newer = job.endedAt >= current.lastAt;
    run = { ...current, seen: current.seen | statusBit(job.status), lastAt: newer ? job.endedAt : current.lastAt, lastStatus: newer ? job.status : current.lastStatus };
  } else {
    run = {
      key,
      lastAt: job.endedAt,
      day: Math.floor(job.endedAt / DAY),
      seen: statusBit(job.status),
      lastStatus: job.status,
      streakBefore: before.consecutiveFailures,
      streakSinceBefore: before.failureStreakSince,
      failureBefore: before.lastFailureAt,
    };
  }
  const failed = mergedStatus(run.seen, run.lastStatus, rule) === 'failed';
  daily = addToBuckets(daily, run.day, !failed);
  if (!failed) return { daily, run, consecutiveFailures: 0, failureStreakSince: null, lastFailureAt: run.failureBefore };
  const jobFailedAt = job.status === 'failed' ? job.endedAt : null;
  return {
    daily,
    run,
    consecutiveFailures: run.streakBefore + 1,
    failureStreakSince: run.streakBefore > 0 ? run.streakSinceBefore : wasFailed ? before.failureStreakSince : jobFailedAt,
    lastFailureAt: latest(wasFailed ? before.lastFailureAt : run.failureBefore, jobFailedAt),
  };
}

/** Calendar: the run's slot (the latest slot s with s − grace ≤ endedAt); interval: the first end of a chain of results within the grace. */
function runKeyOf(run: RunTally | null, endedAt: Instant, schedule: CompiledSchedule): Instant {
  if (schedule.calendar) return schedule.calendar.slotAtOrBefore(endedAt + schedule.graceMs) ?? endedAt;
  return run !== null && endedAt - run.lastAt <= schedule.graceMs ? run.key : endedAt;
}

function removeFromBuckets(daily: readonly DayBucket[], day: number, ok: boolean): DayBucket[] {
  return daily.flatMap((bucket) => {
    if (bucket.day !== day) return [bucket];
    const updated = ok ? { ...bucket, ok: Math.max(0, bucket.ok - 1) } : { ...bucket, failed: Math.max(0, bucket.failed - 1) };
    return updated.ok + updated.failed === 0 ? [] : [updated];
  });
}

function latest(a: Instant | null, b: Instant | null): Instant | null {
  if (a === null) return b;
  return b === null ? a : Math.max(a, b);
}
