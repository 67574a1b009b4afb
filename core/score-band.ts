import { round1 } from './format.ts';
import type { ComponentName, HealthStatus, ScoreComponent } from './types.ts';

/** Inclusive score band per status. */
export const STATUS_BANDS: Readonly<Record<HealthStatus, readonly [number, number]>> = {
  healthy: [90, 100],
  warning: [70, 89],
  critical: [40, 69],
  unknown: [0, 0],
};

export const COMPONENT_ORDER: readonly ComponentName[] = ['recency', 'successRate', 'drTest', 'storage'];

/** How a score follows from its components: their points, and where they place it in the status band. */
export interface ScoreExplanation {
  /** Points of the components together, 0–100 (one decimal). */
  points: number;
  band: readonly [number, number];
  score: number;
}

/**
 * "55 points place a Critical device at 40 + 55 % of 29 = 56": the step from the
 * breakdown to the score that a table of points alone does not show. Pure.
 */
export function explainScore(status: HealthStatus, components: Readonly<Record<ComponentName, Pick<ScoreComponent, 'value' | 'weight'>>>): ScoreExplanation {
  const raw = COMPONENT_ORDER.reduce((sum, name) => sum + components[name].value * components[name].weight, 0);
  return { points: round1(raw * 100), band: STATUS_BANDS[status], score: scoreInBand(status, raw) };
}

/** `low + round(raw × (high − low))` inside the status's band; Unknown is always 0. */
export function scoreInBand(status: HealthStatus, raw: number): number {
  const [low, high] = STATUS_BANDS[status];
  const clamped = Math.min(1, Math.max(0, raw));
  return low + Math.round(clamped * (high - low));
}
