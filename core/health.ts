import type { ComponentName, DeviceProfile, DeviceState, Health, HealthStatus, Instant } from './types.ts';

/** Weights of the four score components (sum 1). See README "Health score". */
export const SCORE_WEIGHTS: Readonly<Record<ComponentName, number>> = {
  recency: 0.35,
  successRate: 0.3,
  drTest: 0.2,
  storage: 0.15,
};

/** Inclusive score band per status. */
export const STATUS_BANDS: Readonly<Record<HealthStatus, readonly [number, number]>> = {
  healthy: [90, 100],
  warning: [70, 89],
  critical: [40, 69],
  unknown: [0, 0],
};

/** Status by the SPEC §3 rules, then a score inside the status band. Pure. */
export function evaluateHealth(device: DeviceProfile, state: DeviceState, now: Instant): Health {
  throw new Error('not implemented');
}
