/**
 * How core's DeviceState is stored in `devices.state`: a positional JSON array
 * (~250 bytes instead of ~610 as a keyed object). Every ingested event rewrites the
 * device row and every sweep reads it, so the row's width is paid on both paths: a
 * narrower row packs more devices per page, and each batch dirties fewer pages.
 *
 *   [1, enrolledAt, firstJobAt, lastCompletedAt, lastJobStatus, lastSuccessAt,
 *    lastFailureAt, consecutiveFailures, failureStreakSince, [day, ok, failed, …],
 *    drTestAt, drTestResult, storageAt, usedBytes, quotaBytes, consentAt,
 *    consentState, lastCheckinAt]
 *
 * Statuses and results are indexes into the lists below; absent nested values are
 * nulls. The leading 1 is the format version. Rows written as keyed JSON objects by
 * earlier versions are still read.
 */
import type { CompletedJobStatus, ConsentState, DayBucket, DeviceState, DrTestResult } from '../../core/types.ts';

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
];

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
  return JSON.stringify(encoded);
}

/** The state stored as `text` (this format, or the keyed object of earlier versions). */
export function decodeDeviceState(text: string): DeviceState {
  const parsed = JSON.parse(text) as Encoded | DeviceState;
  if (!Array.isArray(parsed)) return parsed;
  const [version, enrolledAt, firstJobAt, lastCompletedAt, lastJobStatus, lastSuccessAt, lastFailureAt, consecutiveFailures, failureStreakSince, flat,
    drTestAt, drTestResult, storageAt, usedBytes, quotaBytes, consentAt, consentState, lastCheckinAt] = parsed;
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
  };
}
