import type { AlertCondition, AlertInput, AlertTransition, AlertType, Instant } from './types.ts';

/** What a technician should do, per alert type. */
export const RECOMMENDED_ACTIONS: Readonly<Record<AlertType, string>> = {} as never;

/** Every alert condition that holds for the device at `now` (at most one per type). */
export function alertConditions(input: AlertInput, now: Instant): AlertCondition[] {
  throw new Error('not implemented');
}

/**
 * The transitions that bring the device's active alerts in line with its conditions:
 * open what holds and is not active, escalate warning → critical in place, resolve
 * what no longer holds. Never two active alerts of one type.
 */
export function evaluateAlerts(input: AlertInput, now: Instant): AlertTransition[] {
  throw new Error('not implemented');
}
