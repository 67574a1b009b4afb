/**
 * How core's DeviceState is stored in `devices.state`: a positional JSON array
 * (~250 bytes instead of ~610 as a keyed object). Every ingested event rewrites the
 * device row and every sweep reads it, so the row's width is paid on both paths: a
 * narrower row packs more devices per page, and each batch dirties fewer pages.
 *
 *   [1, enrolledAt, firstJobAt, lastCompletedAt, lastJobStatus, lastSuccessAt,
 *    lastFailureAt, consecutiveFailures, failureStreakSince, [day, ok, failed, …],
 *    drTestAt, drTestResult, storageAt, usedBytes, quotaBytes, consentAt,
 *    consentState, lastCheckinAt, lastSeenAt?, attendedSlot?, run?]
 *
 * Statuses and results are indexes into the lists below; absent nested values are
 * nulls. The leading 1 is the format version. The schedule fields were appended
 * later and are left out when null, so rows written before them read as they
 * are; `lastSeenAt` is stored only when it differs from the newest of the last
 * completed job and check-in (what it is for most devices, and what older rows
 * had). `run` is [key, lastAt, day, seen, lastStatus, streakBefore,
 * streakSinceBefore, failureBefore]. Rows written as keyed JSON objects by earlier
 * versions are still read.
 */
import type { CompletedJobStatus, ConsentState, DayBucket, DeviceState, DrTestResult, RunTally } from '../../core/types.ts';

const JOB_STATUSES: readonly CompletedJobStatus[] = ['success', 'warning', 'failed'];
const DR_RESULTS: readonly DrTestResult[] = ['passed', 'failed'];
const CONSENT_STATES: readonly ConsentState[] = ['ok', 'expired'];
const VERSION = 1;

type Encoded = [
  version: number,
  enrolledAt: number,
  firstJobAt: number | null,
  lastCompletedAt: number | null,
  lastJobStatus: number | null,
  lastSuccessAt: number | null,
  lastFailureAt: number | null,
  consecutiveFailures: number,
  failureStreakSince: number | null,
  daily: number[],
  drTestAt: number | null,
  drTestResult: number | null,
  storageAt: number | null,
  usedBytes: number | null,
  quotaBytes: number | null,
  consentAt: number | null,
  consentState: number | null,
  lastCheckinAt: number | null,
  lastSeenAt?: number | null,
  attendedSlot?: number | null,
  run?: EncodedRun | null,
];

type EncodedRun = [key: number, lastAt: number, day: number, seen: number, lastStatus: number, streakBefore: number, streakSinceBefore: number | null, failureBefore: number | null];

const code = <T>(list: readonly T[], value: T | null | undefined): number | null => (value == null ? null : list.indexOf(value));
const named = <T>(list: readonly T[], index: number | null): T | null => (index === null ? null : list[index]!);

/** The stored text of a state. */
export function encodeDeviceState(state: DeviceState): string {
  const daily: number[] = [];
  for (const bucket of state.daily) daily.push(bucket.day, bucket.ok, bucket.failed);
  const encoded: Encoded = [
    VERSION,
    state.enrolledAt,
    state.firstJobAt,
    state.lastCompletedAt,
    code(JOB_STATUSES, state.lastJobStatus),
    state.lastSuccessAt,
    state.lastFailureAt,
    state.consecutiveFailures,
    state.failureStreakSince,
    daily,
    state.lastDrTest?.at ?? null,
    code(DR_RESULTS, state.lastDrTest?.result),
    state.storage?.at ?? null,
    state.storage?.usedBytes ?? null,
    state.storage?.quotaBytes ?? null,
    state.saasConsent?.at ?? null,
    code(CONSENT_STATES, state.saasConsent?.state),
    state.lastCheckinAt,
  ];
  const seen = state.lastSeenAt === derivedLastSeen(state) ? null : state.lastSeenAt;
  const run = state.run === null ? null : encodeRun(state.run);
  if (run !== null) encoded.push(seen, state.attendedSlot, run);
  else if (state.attendedSlot !== null) encoded.push(seen, state.attendedSlot);
  else if (seen !== null) encoded.push(seen);
  return JSON.stringify(encoded);
}

/** What `lastSeenAt` is unless something newer was seen (a running job's start). */
function derivedLastSeen(state: Pick<DeviceState, 'lastCompletedAt' | 'lastCheckinAt'>): number | null {
  const { lastCompletedAt, lastCheckinAt } = state;
  if (lastCompletedAt === null) return lastCheckinAt;
  return lastCheckinAt === null ? lastCompletedAt : Math.max(lastCompletedAt, lastCheckinAt);
}

function encodeRun(run: RunTally): EncodedRun {
  return [run.key, run.lastAt, run.day, run.seen, code(JOB_STATUSES, run.lastStatus)!, run.streakBefore, run.streakSinceBefore, run.failureBefore];
}

function decodeRun(run: EncodedRun): RunTally {
  const [key, lastAt, day, seen, lastStatus, streakBefore, streakSinceBefore, failureBefore] = run;
  return { key, lastAt, day, seen, lastStatus: named(JOB_STATUSES, lastStatus)!, streakBefore, streakSinceBefore, failureBefore };
}

/** The state stored as `text` (this format, or the keyed object of earlier versions). */
export function decodeDeviceState(text: string): DeviceState {
  const parsed = JSON.parse(text) as Encoded | DeviceState;
  if (!Array.isArray(parsed)) {
    return { ...parsed, lastSeenAt: parsed.lastSeenAt ?? derivedLastSeen(parsed), attendedSlot: parsed.attendedSlot ?? null, run: parsed.run ?? null };
  }
  const [version, enrolledAt, firstJobAt, lastCompletedAt, lastJobStatus, lastSuccessAt, lastFailureAt, consecutiveFailures, failureStreakSince, flat,
    drTestAt, drTestResult, storageAt, usedBytes, quotaBytes, consentAt, consentState, lastCheckinAt, lastSeenAt, attendedSlot, run] = parsed;
  if (version !== VERSION) throw new Error(`Unknown device state format ${version}`);
  const daily: DayBucket[] = [];
  for (let i = 0; i < flat.length; i += 3) daily.push({ day: flat[i]!, ok: flat[i + 1]!, failed: flat[i + 2]! });
  return {
    enrolledAt,
    firstJobAt,
    lastCompletedAt,
    lastJobStatus: named(JOB_STATUSES, lastJobStatus),
    lastSuccessAt,
    lastFailureAt,
    consecutiveFailures,
    failureStreakSince,
    daily,
    lastDrTest: drTestAt === null ? null : { at: drTestAt, result: named(DR_RESULTS, drTestResult)! },
    storage: storageAt === null ? null : { at: storageAt, usedBytes: usedBytes!, quotaBytes },
    saasConsent: consentAt === null ? null : { at: consentAt, state: named(CONSENT_STATES, consentState)! },
    lastCheckinAt,
    lastSeenAt: lastSeenAt ?? derivedLastSeen({ lastCompletedAt, lastCheckinAt }),
    attendedSlot: attendedSlot ?? null,
    run: run == null ? null : decodeRun(run),
  };
}

/**
 * SQL for a stored state's `lastCheckinAt` (both formats), so ingestion can tell a
 * stale check-in without reading and decoding the whole state.
 */
export const LAST_CHECKIN_SQL = (column: string) =>
  `CASE WHEN substr(${column}, 1, 1) = '[' THEN ${column}->>17 ELSE ${column}->>'lastCheckinAt' END`;
