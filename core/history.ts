import { foldRun } from './run-merge.ts';
import { compileSchedule, type CompiledSchedule } from './schedule-compiled.ts';
import type { DeviceSchedule } from './schedule-spec.ts';
import { noteSignOfLife } from './signs-of-life.ts';
import { DAY, type CompletedJob, type ConsentState, type DayBucket, type DeviceState, type DrTestResult, type Instant } from './types.ts';

/** How many days before the newest bucket's day are kept (8 buckets in all). */
const KEPT_DAYS_BEFORE_NEWEST = 7;

/** A device that was just enrolled and has reported nothing. */
export function emptyDeviceState(enrolledAt: Instant): DeviceState {
  return {
    enrolledAt,
    firstJobAt: null,
    lastCompletedAt: null,
    lastJobStatus: null,
    lastSuccessAt: null,
    lastFailureAt: null,
    consecutiveFailures: 0,
    failureStreakSince: null,
    daily: [],
    lastDrTest: null,
    storage: null,
    saasConsent: null,
    lastCheckinAt: null,
    lastSeenAt: null,
    attendedSlot: null,
    run: null,
  };
}

/**
 * Folds a completed job into the state. The job must be at least as new as
 * `state.lastCompletedAt`; for an older (out-of-order) job the caller rebuilds the
 * state with `summarizeHistory`. Keeps only the last 8 daily buckets.
 *
 * `success` and `warning` count as successful; `failed` extends the failure streak
 * (`failureStreakSince` is the end of its first failure), a success ends it. An older
 * job passed anyway still updates the counts and the newest-success/failure times,
 * but leaves the streak and `lastJobStatus` alone. Returns a new object.
 *
 * With the device's `schedule`: the job's start and end are signs of life for offline
 * skipping, and a policy with `merge: 'per-run'` merges the results of one run before
 * they count (see `run-merge.ts`). Without one, Part I's fold.
 */
export function applyJob(state: DeviceState, job: CompletedJob, schedule?: DeviceSchedule): DeviceState {
  const compiled = schedule ? compileSchedule(schedule) : null;
  const ok = job.status !== 'failed';
  const isNewest = state.lastCompletedAt === null || job.endedAt >= state.lastCompletedAt;
  const perRun = isNewest && compiled?.merge === 'per-run';
  const firstJobAt = state.firstJobAt === null ? job.startedAt : Math.min(state.firstJobAt, job.startedAt);
  let next: DeviceState = {
    ...state,
    firstJobAt,
    daily: perRun ? state.daily : addToBuckets(state.daily, Math.floor(job.endedAt / DAY), ok),
    lastSuccessAt: ok ? maxOf(state.lastSuccessAt, job.endedAt) : state.lastSuccessAt,
    lastFailureAt: ok || perRun ? state.lastFailureAt : maxOf(state.lastFailureAt, job.endedAt),
  };
  if (isNewest) {
    next = {
      ...next,
      lastCompletedAt: job.endedAt,
      lastJobStatus: job.status,
      ...(perRun
        ? foldRun(state, job, compiled!, addToBuckets)
        : {
            consecutiveFailures: ok ? 0 : state.consecutiveFailures + 1,
            failureStreakSince: ok ? null : state.consecutiveFailures === 0 ? job.endedAt : (state.failureStreakSince ?? job.endedAt),
          }),
    };
  }
  return noteSignOfLife(noteSignOfLife(next, job.startedAt, compiled), job.endedAt, compiled);
}

/** Records that a job (of any status) was reported: firstJobAt becomes the earliest start seen; the start is a sign of life. */
export function noteJobSeen(state: DeviceState, startedAt: Instant, schedule?: DeviceSchedule): DeviceState {
  const firstJobAt = state.firstJobAt === null ? startedAt : Math.min(state.firstJobAt, startedAt);
  return noteSignOfLife({ ...state, firstJobAt }, startedAt, compiledOrNull(schedule));
}

/** Newest DR test wins; an older one is ignored (on equal times the later call wins). */
export function applyDrTest(state: DeviceState, test: { at: Instant; result: DrTestResult }): DeviceState {
  if (state.lastDrTest !== null && test.at < state.lastDrTest.at) return state;
  return { ...state, lastDrTest: { at: test.at, result: test.result } };
}

/** Newest storage report wins (on equal times the later call wins). */
export function applyStorage(state: DeviceState, report: { at: Instant; usedBytes: number; quotaBytes: number | null }): DeviceState {
  if (state.storage !== null && report.at < state.storage.at) return state;
  return { ...state, storage: { at: report.at, usedBytes: report.usedBytes, quotaBytes: report.quotaBytes } };
}

/** Newest consent event wins (on equal times the later call wins). */
export function applyConsent(state: DeviceState, consent: { at: Instant; state: ConsentState }): DeviceState {
  if (state.saasConsent !== null && consent.at < state.saasConsent.at) return state;
  return { ...state, saasConsent: { at: consent.at, state: consent.state } };
}

/** Records an agent check-in (the newest one is kept), a sign of life. It never makes a device known. */
export function applyCheckin(state: DeviceState, at: Instant, schedule?: DeviceSchedule): DeviceState {
  return noteSignOfLife({ ...state, lastCheckinAt: maxOf(state.lastCheckinAt, at) }, at, compiledOrNull(schedule));
}

/** A device's history, in any order, as `summarizeHistory` takes it. */
export type HistoryEvent =
  | { type: 'job'; status: CompletedJob['status'] | 'running'; startedAt: Instant; endedAt: Instant | null }
  | { type: 'dr_test'; at: Instant; result: DrTestResult }
  | { type: 'storage'; at: Instant; usedBytes: number; quotaBytes: number | null }
  | { type: 'saas_consent'; at: Instant; state: ConsentState }
  | { type: 'checkin'; at: Instant };

/**
 * Builds the state from a full history (any order). Same result as folding in time
 * order: completed jobs by `endedAt`, running jobs (status `running` or no `endedAt`)
 * by `startedAt`, everything else by `at`. Events with equal times keep their input
 * order (the sort is stable), so of two DR tests at the same instant the later one in
 * the input wins.
 */
export function summarizeHistory(enrolledAt: Instant, events: readonly HistoryEvent[], schedule?: DeviceSchedule): DeviceState {
  const ordered = [...events].sort((a, b) => eventTime(a) - eventTime(b));
  return ordered.reduce((state, event) => applyEvent(state, event, schedule), emptyDeviceState(enrolledAt));
}

/** Folds one history event of any type into the state (with the device's schedule, see `applyJob`). */
export function applyEvent(state: DeviceState, event: HistoryEvent, schedule?: DeviceSchedule): DeviceState {
  switch (event.type) {
    case 'job':
      if (event.status === 'running' || event.endedAt === null) return noteJobSeen(state, event.startedAt, schedule);
      return applyJob(state, { status: event.status, startedAt: event.startedAt, endedAt: event.endedAt }, schedule);
    case 'dr_test':
      return applyDrTest(state, event);
    case 'storage':
      return applyStorage(state, event);
    case 'saas_consent':
      return applyConsent(state, event);
    case 'checkin':
      return applyCheckin(state, event.at, schedule);
  }
}

/** The time an event sorts by in a device's history. */
export function eventTime(event: HistoryEvent): Instant {
  if (event.type !== 'job') return event.at;
  return event.status === 'running' || event.endedAt === null ? event.startedAt : event.endedAt;
}

function addToBuckets(daily: readonly DayBucket[], day: number, ok: boolean): DayBucket[] {
  const existing = daily.find((bucket) => bucket.day === day) ?? { day, ok: 0, failed: 0 };
  const updated: DayBucket = ok ? { ...existing, ok: existing.ok + 1 } : { ...existing, failed: existing.failed + 1 };
  const buckets = [...daily.filter((bucket) => bucket.day !== day), updated];
  const newestDay = Math.max(...buckets.map((bucket) => bucket.day));
  return buckets.filter((bucket) => bucket.day >= newestDay - KEPT_DAYS_BEFORE_NEWEST).sort((a, b) => a.day - b.day);
}

function compiledOrNull(schedule: DeviceSchedule | undefined): CompiledSchedule | null {
  return schedule ? compileSchedule(schedule) : null;
}

function maxOf(current: Instant | null, candidate: Instant): Instant {
  return current === null ? candidate : Math.max(current, candidate);
}
