/**
 * How full a device's backup storage is, in the words every surface uses: the
 * storage score stops giving full credit above 80 % of the quota, and the
 * storage_quota_exceeded alert fires above 95 %. The widgets' "near full" is that
 * alert's threshold, so a device the widget calls near full always has the alert.
 */
import { STORAGE_FULL_CREDIT_RATIO } from './score.ts';

/** storage_quota_exceeded fires above this share of the quota. */
export const STORAGE_ALERT_RATIO = 0.95;

/** ok: up to 80 % of quota; high: above it (the score drops); full: above 95 % (the alert fires). */
export type StorageLevel = 'ok' | 'high' | 'full';

/**
 * The level of a used/quota ratio; both thresholds are exclusive (exactly 95 % is
 * still `high`, as the alert fires only above it).
 *
 * @example storageLevel(960 / 1000) // 'full'
 */
export function storageLevel(ratio: number): StorageLevel {
  if (ratio > STORAGE_ALERT_RATIO) return 'full';
  if (ratio > STORAGE_FULL_CREDIT_RATIO) return 'high';
  return 'ok';
}
