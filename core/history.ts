import type { CompletedJob, ConsentState, DeviceState, DrTestResult, Instant } from './types.ts';

/** A device that was just enrolled and has reported nothing. */
export function emptyDeviceState(enrolledAt: Instant): DeviceState {
  throw new Error('not implemented');
}

/**
 * Folds a completed job into the state. The job must be at least as new as
 * `state.lastCompletedAt`; for an older (out-of-order) job the caller rebuilds the
 * state with `summarizeHistory`. Keeps only the last 8 daily buckets.
 */
export function applyJob(state: DeviceState, job: CompletedJob): DeviceState {
  throw new Error('not implemented');
}

/** Records that a job (of any status) was reported: sets firstJobAt once. */
export function noteJobSeen(state: DeviceState, startedAt: Instant): DeviceState {
  throw new Error('not implemented');
}

/** Newest DR test wins; an older one is ignored. */
export function applyDrTest(state: DeviceState, test: { at: Instant; result: DrTestResult }): DeviceState {
  throw new Error('not implemented');
}

/** Newest storage report wins. */
export function applyStorage(state: DeviceState, report: { at: Instant; usedBytes: number; quotaBytes: number | null }): DeviceState {
  throw new Error('not implemented');
}

/** Newest consent event wins. */
export function applyConsent(state: DeviceState, consent: { at: Instant; state: ConsentState }): DeviceState {
  throw new Error('not implemented');
}

export function applyCheckin(state: DeviceState, at: Instant): DeviceState {
  throw new Error('not implemented');
}

/** A device's history, in any order, as `summarizeHistory` takes it. */
export type HistoryEvent =
  | { type: 'job'; status: CompletedJob['status'] | 'running'; startedAt: Instant; endedAt: Instant | null }
  | { type: 'dr_test'; at: Instant; result: DrTestResult }
  | { type: 'storage'; at: Instant; usedBytes: number; quotaBytes: number | null }
  | { type: 'saas_consent'; at: Instant; state: ConsentState }
  | { type: 'checkin'; at: Instant };

/** Builds the state from a full history (any order). Same result as folding in time order. */
export function summarizeHistory(enrolledAt: Instant, events: readonly HistoryEvent[]): DeviceState {
  throw new Error('not implemented');
}
