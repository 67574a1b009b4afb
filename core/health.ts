import { round1 } from './format.ts';
import { healthStatus } from './health-status.ts';
import { schedulePosition, type SchedulePosition } from './schedule-position.ts';
import { componentValues } from './score.ts';
import { COMPONENT_ORDER, scoreInBand } from './score-band.ts';
import type { ComponentName, DeviceProfile, DeviceState, Health, HealthStatus, Instant, ScoreComponent } from './types.ts';

/** Weights of the four score components (sum 1). See docs/health-score.md. */
export const SCORE_WEIGHTS: Readonly<Record<ComponentName, number>> = {
  recency: 0.35,
  successRate: 0.3,
  drTest: 0.2,
  storage: 0.15,
};

/**
 * Status by the status rules (docs/health-score.md), then a score inside the status band. Pure.
 *
 * The weighted sum of the components (0..1) is placed linearly inside the band:
 * `score = low + round(raw × (high − low))`; Unknown is always 0. The components are
 * reported for Unknown devices too (what the device would earn), but do not count.
 * `position` is the device's schedule position at `now` (computed when not given);
 * an evaluation that runs several rules computes it once and passes it to each.
 *
 * @example evaluateHealth({ kind: 'server', intervalHours: 4, quotaBytes: null }, state, now).status
 */
export function evaluateHealth(device: DeviceProfile, state: DeviceState, now: Instant, position: SchedulePosition = schedulePosition(device, state, now)): Health {
  const values = componentValues(device, state, now, position);
  const { status, reasons } = healthStatus(device, state, now, position);
  const components = {} as Record<ComponentName, ScoreComponent>;
  let raw = 0;
  for (const name of COMPONENT_ORDER) {
    const weight = SCORE_WEIGHTS[name];
    components[name] = { value: values[name], weight, points: round1(values[name] * weight * 100) };
    raw += values[name] * weight;
  }
  return {
    status,
    score: scoreInBand(status, raw),
    components,
    reasons,
    lastSuccessAt: state.lastSuccessAt,
    consecutiveFailures: state.consecutiveFailures,
  };
}

export { STATUS_BANDS } from './score-band.ts';
