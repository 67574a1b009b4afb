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
 */
export function applyJob(state: DeviceState, job: CompletedJob): DeviceState {
  const ok = job.status !== 'failed';
  const seen = noteJobSeen(state, job.startedAt);
  const next: DeviceState = {
    ...seen,
    daily: addToBuckets(state.daily, Math.floor(job.endedAt / DAY), ok),
    lastSuccessAt: ok ? maxOf(state.lastSuccessAt, job.endedAt) : state.lastSuccessAt,
    lastFailureAt: ok ? state.lastFailureAt : maxOf(state.lastFailureAt, job.endedAt),
  };
  const isNewest = state.lastCompletedAt === null || job.endedAt >= state.lastCompletedAt;
  if (!isNewest) return next;
  return {
    ...next,
    lastCompletedAt: job.endedAt,
    lastJobStatus: job.status,
    consecutiveFailures: ok ? 0 : state.consecutiveFailures + 1,
    failureStreakSince: ok ? null : state.consecutiveFailures === 0 ? job.endedAt : (state.failureStreakSince ?? job.endedAt),
  };
}

/** Records that a job (of any status) was reported: firstJobAt becomes the earliest start seen. */
export function noteJobSeen(state: DeviceState, startedAt: Instant): DeviceState {
  const firstJobAt = state.firstJobAt === null ? startedAt : Math.min(state.firstJobAt, startedAt);
  return { ...state, firstJobAt };
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

/** Records an agent check-in (the newest one is kept). It never makes a device known. */
export function applyCheckin(state: DeviceState, at: Instant): DeviceState {
  return { ...state, lastCheckinAt: maxOf(state.lastCheckinAt, at) };
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
export function summarizeHistory(enrolledAt: Instant, events: readonly HistoryEvent[]): DeviceState {
  const ordered = [...events].sort((a, b) => eventTime(a) - eventTime(b));
  return ordered.reduce(applyEvent, emptyDeviceState(enrolledAt));
}

/** Folds one history event of any type into the state. */
export function applyEvent(state: DeviceState, event: HistoryEvent): DeviceState {
  switch (event.type) {
    case 'job':
      if (event.status === 'running' || event.endedAt === null) return noteJobSeen(state, event.startedAt);
      return applyJob(state, { status: event.status, startedAt: event.startedAt, endedAt: event.endedAt });
    case 'dr_test':
      return applyDrTest(state, event);
    case 'storage':
      return applyStorage(state, event);
    case 'saas_consent':
      return applyConsent(state, event);
    case 'checkin':
      return applyCheckin(state, event.at);
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

function maxOf(current: Instant | null, candidate: Instant): Instant {
  return current === null ? candidate : Math.max(current, candidate);
}
